// Writes planned files under a root, never losing what was there: a file that differs is first copied to
// PATH.oomscope-backup-STAMP; the new content goes to a temporary file renamed over the old one.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlannedFile } from './watch-plan.js';

export interface WrittenFile {
  path: string;
  /** The backup of the old content (a path on the server), or null when there was none. */
  backup: string | null;
  /** The file already held exactly this: nothing was written. */
  unchanged: boolean;
}

export function writePlannedFiles(root: string, files: PlannedFile[], stamp: string): WrittenFile[] {
  return files.map((file) => {
    const target = join(root, file.path);
    let backup: string | null = null;
    if (existsSync(target)) {
      if (readFileSync(target, 'utf8') === file.content) return { path: file.path, backup: null, unchanged: true };
      backup = `${file.path}.oomscope-backup-${stamp}`;
      copyFileSync(target, join(root, backup));
    }
    mkdirSync(dirname(target), { recursive: true });
    const temporary = `${target}.oomscope-new-${process.pid}`;
    writeFileSync(temporary, file.content, { mode: file.mode });
    renameSync(temporary, target);
    return { path: file.path, backup, unchanged: false };
  });
}
