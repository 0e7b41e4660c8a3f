// What `oomscope setup` changed, kept in STATE_DIR/setup-record.json (a path on the server, under --root in tests) so
// that `oomscope setup undo` can put it back: each file written, its backup, and a hash of what was written (a file
// changed since is left alone), and the units enabled.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile, type WrittenFile } from './write-files.js';

// Not /var/lib/oomscope: that is the watcher's StateDirectory=, handed to its dynamic (unprivileged) user, who must not
// be able to change the backups root puts back into crontabs.
export const DEFAULT_STATE_DIR = '/var/lib/oomscope-setup';
const RECORD_FILE = 'setup-record.json';

interface RecordedFile {
  path: string;
  /** The old content's copy (a path on the server), or null: the file did not exist and undo removes it. */
  backup: string | null;
  /** sha256 of what setup wrote. */
  sha256: string;
}

export interface SetupRun {
  command: 'watch' | 'supervise';
  at: string;
  files: RecordedFile[];
  /** Units enabled (systemctl enable), disabled again by undo. */
  units: string[];
}

interface SetupRecord {
  version: 1;
  runs: SetupRun[];
}

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

function recordPath(root: string, stateDir: string): string {
  return join(root, stateDir, RECORD_FILE);
}

/** The runs recorded so far, oldest first; none when there is no record. Throws on a record that is not ours. */
export function readSetupRuns(root: string, stateDir: string): SetupRun[] {
  const path = recordPath(root, stateDir);
  if (!existsSync(path)) return [];
  const record = JSON.parse(readFileSync(path, 'utf8')) as SetupRecord;
  if (record.version !== 1 || !Array.isArray(record.runs)) throw new Error(`${stateDir}/${RECORD_FILE}: not a setup record of this oomscope`);
  return record.runs;
}

/** Adds a run to the record; files setup found unchanged are not recorded (undo has nothing to put back there). */
export function recordSetupRun(root: string, stateDir: string, run: Omit<SetupRun, 'files'>, written: WrittenFile[], contents: Map<string, string>): void {
  const files = written.filter((file) => !file.unchanged).map((file) => ({ path: file.path, backup: file.backup, sha256: sha256(contents.get(file.path) ?? '') }));
  const runs = [...readSetupRuns(root, stateDir), { ...run, files }];
  replaceFile(recordPath(root, stateDir), `${JSON.stringify({ version: 1, runs } satisfies SetupRecord, null, 2)}\n`, 0o600, null);
}

/** What undo does to one file. */
export type UndoStep =
  | { path: string; action: 'restore'; backup: string }
  | { path: string; action: 'remove' }
  | { path: string; action: 'changed-since'; backup: string | null }
  | { path: string; action: 'gone' };

/**
 * The steps that put the recorded files back, the last run's first and each run's files in reverse. A file written
 * by two runs is followed through the steps before it: after the later run's restore it holds that run's backup.
 */
export function planUndo(root: string, runs: SetupRun[]): UndoStep[] {
  // The hash each file will have when its step comes (null: absent), as the steps before it leave it.
  const expected = new Map<string, string | null>();
  const hashNow = (path: string): string | null => {
    if (!expected.has(path)) expected.set(path, existsSync(join(root, path)) ? sha256(readFileSync(join(root, path))) : null);
    return expected.get(path) ?? null;
  };
  return [...runs].reverse().flatMap((run) =>
    [...run.files].reverse().map((file): UndoStep => {
      const now = hashNow(file.path);
      if (now === null) return { path: file.path, action: 'gone' };
      if (now !== file.sha256) return { path: file.path, action: 'changed-since', backup: file.backup };
      if (file.backup === null) {
        expected.set(file.path, null);
        return { path: file.path, action: 'remove' };
      }
      expected.set(file.path, sha256(readFileSync(join(root, file.backup))));
      return { path: file.path, action: 'restore', backup: file.backup };
    }),
  );
}

/** Copies a backup back, byte for byte, with its mode and owner; the backup is then removed. */
export function restoreBackup(root: string, path: string, backup: string): void {
  const from = join(root, backup);
  replaceFile(join(root, path), readFileSync(from), statSync(from).mode & 0o7777, from);
  unlinkSync(from);
}

/** Keeps the record as setup-record.json.undone-STAMP: what was undone stays readable. */
export function closeSetupRecord(root: string, stateDir: string, stamp: string): string {
  const path = recordPath(root, stateDir);
  renameSync(path, `${path}.undone-${stamp}`);
  return `${stateDir}/${RECORD_FILE}.undone-${stamp}`;
}
