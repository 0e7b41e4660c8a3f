// `--pidfile FILE`: a lock so that two supervisors never run the same app, and the record a restarted supervisor
// reads to find the app still running (and adopt it instead of starting a second copy).
//
// The file is the lock. It is created with link(2) from a finished temporary file, so it appears whole or not at all,
// and replaced with rename(2) when the child changes. A file whose supervisor is gone (pid gone, or the pid now names
// another process: start time or boot differ) is stale; it is taken over under a short-lived FILE.takeover lock, so two
// supervisors starting at once over a stale file cannot both take it.
//
// Format (line 1 alone is the supervisor's pid, so `kill $(head -n1 FILE)` stops the app on purpose):
//   12345
//   supervisor 12345 <start time> <boot id>
//   child 12350 <start time>            (or `child -` while none runs)
//   log-offset 81920                    (where the child's output began in --log; optional)
//   cgroup /sys/fs/cgroup/memory/…      (its memory cgroup; optional)
//   name anqicms
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { bootId, procStat } from './proc.js';

export interface PidRecord {
  supervisorPid: number;
  supervisorStart: number | null;
  boot: string | null;
  childPid: number | null;
  childStart: number | null;
  logOffset: number | null;
  cgroup: string | null;
  name: string | null;
}

export class AlreadySupervised extends Error {
  constructor(
    readonly path: string,
    readonly record: PidRecord,
    /** The file holds a bare pid (another tool's pidfile), not oomscope's record. */
    readonly foreign = false,
  ) {
    super(
      foreign
        ? `${path} names pid ${record.supervisorPid}, which is running, and is not oomscope's pidfile; stop that process or use another --pidfile`
        : `${path}: already supervised by pid ${record.supervisorPid}${record.childPid ? ` (app pid ${record.childPid})` : ''}; ` +
          `stop it first (kill ${record.supervisorPid}) or use another --pidfile`,
    );
  }
}

export function formatPidRecord(r: PidRecord): string {
  const lines = [
    String(r.supervisorPid),
    `supervisor ${r.supervisorPid} ${r.supervisorStart ?? '-'} ${r.boot ?? '-'}`,
    r.childPid !== null ? `child ${r.childPid} ${r.childStart ?? '-'}` : 'child -',
  ];
  if (r.logOffset !== null) lines.push(`log-offset ${r.logOffset}`);
  if (r.cgroup !== null) lines.push(`cgroup ${r.cgroup}`);
  if (r.name !== null) lines.push(`name ${r.name}`);
  return lines.join('\n') + '\n';
}

/** The record in a pidfile's text; null when it is not one (a bare pid reads as a supervisor with no child). */
export function parsePidRecord(text: string): PidRecord | null {
  const lines = text.split('\n').map((l) => l.trim());
  const first = /^(\d+)$/.exec(lines[0] ?? '');
  if (!first) return null;
  const num = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  const record: PidRecord = { supervisorPid: Number(first[1]), supervisorStart: null, boot: null, childPid: null, childStart: null, logOffset: null, cgroup: null, name: null };
  for (const line of lines.slice(1)) {
    const space = line.indexOf(' ');
    if (space < 0) continue;
    const key = line.slice(0, space);
    const words = line.slice(space + 1).split(' ');
    switch (key) {
      case 'supervisor':
        record.supervisorStart = num(words[1]);
        record.boot = words[2] && words[2] !== '-' ? words[2] : null;
        break;
      case 'child':
        record.childPid = num(words[0]);
        record.childStart = num(words[1]);
        break;
      case 'log-offset':
        record.logOffset = num(words[0]);
        break;
      case 'cgroup':
        record.cgroup = line.slice(space + 1) || null;
        break;
      case 'name':
        record.name = line.slice(space + 1) || null;
        break;
    }
  }
  return record;
}

/** Whether the process the record names (pid + start time, in this boot) still runs. */
export function recordedProcessRuns(pid: number | null, startTime: number | null, boot: string | null): boolean {
  if (pid === null) return false;
  if (boot !== null && boot !== bootId()) return false;
  const stat = procStat(pid);
  if (stat === null || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === null || stat.startTime === startTime;
}

function readRecord(path: string): { record: PidRecord | null; text: string } | null {
  try {
    const text = readFileSync(path, 'utf8');
    return { record: parsePidRecord(text), text };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function writeTemp(path: string, text: string): string {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return temp;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // gone already
  }
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** A takeover lock older than this was left by a supervisor that died in the middle of a takeover. */
const TAKEOVER_STALE_MS = 10_000;

export class PidFile {
  private record: PidRecord;
  private held = false;

  private constructor(readonly path: string) {
    const self = procStat(process.pid);
    this.record = {
      supervisorPid: process.pid, supervisorStart: self?.startTime ?? null, boot: bootId(),
      childPid: null, childStart: null, logOffset: null, cgroup: null, name: null,
    };
  }

  /**
   * Takes the pidfile. Throws AlreadySupervised when a live supervisor holds it. Returns the stale record it replaced
   * (whose child may still run: the caller adopts it), or null.
   */
  static acquire(path: string, name: string): { pidfile: PidFile; previous: PidRecord | null } {
    const pidfile = new PidFile(path);
    pidfile.record.name = name;
    for (let attempt = 0; attempt < 50; attempt++) {
      const temp = writeTemp(path, formatPidRecord(pidfile.record));
      try {
        linkSync(temp, path);
        pidfile.held = true;
        return { pidfile, previous: null };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        unlinkQuietly(temp);
      }
      const seen = readRecord(path);
      if (seen === null) continue; // removed meanwhile: try again
      const { record, text } = seen;
      if (record === null) {
        // Not a pidfile of ours (or being written by hand): a young one may still be in the making.
        if (ageMs(path) < 2000) {
          sleepSync(100);
          continue;
        }
      } else if (record.supervisorPid !== process.pid && recordedProcessRuns(record.supervisorPid, record.supervisorStart, record.boot)) {
        throw new AlreadySupervised(path, record, text.trim().split('\n').length === 1);
      }
      // Stale: take it over, one supervisor at a time.
      const takeover = `${path}.takeover`;
      let fd: number;
      try {
        fd = openSync(takeover, 'wx', 0o644);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        if (ageMs(takeover) > TAKEOVER_STALE_MS) unlinkQuietly(takeover);
        sleepSync(50);
        continue;
      }
      try {
        writeSync(fd, String(process.pid));
        closeSync(fd);
        const again = readRecord(path);
        if (again !== null && again.text !== text) continue; // someone else took it meanwhile: look again
        const temp2 = writeTemp(path, formatPidRecord(pidfile.record));
        try {
          renameSync(temp2, path);
        } catch (error) {
          unlinkQuietly(temp2);
          throw error;
        }
        pidfile.held = true;
        return { pidfile, previous: record };
      } finally {
        unlinkQuietly(takeover);
      }
    }
    throw new Error(`${path}: could not take the pidfile (it keeps changing)`);
  }

  /** Records the running child (or none), atomically. */
  update(fields: Partial<Pick<PidRecord, 'childPid' | 'childStart' | 'logOffset' | 'cgroup'>>): void {
    if (!this.held) return;
    this.record = { ...this.record, ...fields };
    const temp = writeTemp(this.path, formatPidRecord(this.record));
    try {
      renameSync(temp, this.path);
    } catch (error) {
      unlinkQuietly(temp);
      throw error;
    }
  }

  /** Removes the file if it is still ours. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    const seen = readRecord(this.path);
    if (seen?.record?.supervisorPid === process.pid) unlinkQuietly(this.path);
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}
