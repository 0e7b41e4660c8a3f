// Writes planned files under a root, never losing what was there: a file that differs is first copied to
// PATH.oomscope-backup-STAMP (its owner kept), or, for a file in one of cron's folders (where cronie would run a copy
// as a crontab of its own), to STATE_DIR/backups/PATH.oomscope-backup-STAMP. The new content goes to a temporary file
// renamed over the old one, which keeps the old file's owner (a user's crontab must stay theirs for cron to read it).
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CRONTAB_DIRS } from './cron-lines.js';
import type { PlannedFile } from './watch-plan.js';

export interface WrittenFile {
  path: string;
  /** The backup of the old content (a path on the server), or null when there was none. */
  backup: string | null;
  /** The file already held exactly this: nothing was written. */
  unchanged: boolean;
}

/** Gives `path` the owner of `like` where this process may (as root); elsewhere the owner is this user anyway. */
function keepOwner(path: string, like: string): void {
  const { uid, gid } = statSync(like);
  try {
    chownSync(path, uid, gid);
  } catch {
    // not root: the file stays this user's, as the one it replaces was if we could write that
  }
}

/** Puts `content` at `target` through a temporary file and a rename, owned like `ownerOf` when given. */
export function replaceFile(target: string, content: string | Buffer, mode: number, ownerOf: string | null): void {
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.oomscope-new-${process.pid}`;
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode); // exactly: the umask narrowed the mode writeFileSync gave
  if (ownerOf !== null) keepOwner(temporary, ownerOf);
  renameSync(temporary, target);
}

/** Where the old content of `path` is kept (a path on the server). */
function backupPath(path: string, stamp: string, stateDir: string): string {
  const inCronFolder = CRONTAB_DIRS.includes(dirname(path));
  return `${inCronFolder ? `${stateDir}/backups` : ''}${path}.oomscope-backup-${stamp}`;
}

export function writePlannedFiles(root: string, files: PlannedFile[], stamp: string, stateDir: string): WrittenFile[] {
  return files.map((file) => {
    const target = join(root, file.path);
    let backup: string | null = null;
    if (existsSync(target)) {
      if (readFileSync(target, 'utf8') === file.content) return { path: file.path, backup: null, unchanged: true };
      backup = backupPath(file.path, stamp, stateDir);
      mkdirSync(dirname(join(root, backup)), { recursive: true, mode: 0o700 });
      copyFileSync(target, join(root, backup));
      keepOwner(join(root, backup), target);
    }
    replaceFile(target, file.content, file.mode, backup === null ? null : join(root, backup));
    return { path: file.path, backup, unchanged: false };
  });
}
