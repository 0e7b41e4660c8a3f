// `--check-log FILE`: the cron guardian's check.log, kept by the supervisor (formats.md §1):
// `YYYYMMDD HH:MM:SS <name> PID check: N`, host local time, N = running instances (0 or 1) — every 60 s as cron
// would, and at each start and each death. A deliberate stop also writes stop.sh's line first (`PID check: <pid>`,
// the pid it is about to stop), so `oomscope diagnose` reads that stop as stop.sh's.
import { appendFileSync, closeSync, openSync, readSync, statSync } from 'node:fs';

export interface CheckLine {
  path: string;
  /** 1-based line number in the file. */
  line: number;
  text: string;
  timeMs: number;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `20240723 10:04:01` in the host's zone (TZ), as `date +'%Y%m%d %H:%M:%S'` prints it. */
export function checkStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export class CheckLog {
  private lines: number | null = null;
  private readonly name: string;

  constructor(
    readonly path: string,
    name: string,
    private readonly log: (line: string) => void,
  ) {
    // check.log's fields are separated by spaces: a name with spaces would not read back.
    this.name = name.replace(/\s+/g, '_') || 'app';
  }

  /** `… PID check: N`: N running instances. */
  count(n: number): CheckLine | null {
    return this.write(String(n));
  }

  /** stop.sh's shape: the pid about to be stopped. */
  stopping(pid: number): CheckLine | null {
    return this.write(String(pid));
  }

  private write(value: string): CheckLine | null {
    const timeMs = Date.now();
    const text = `${checkStamp(timeMs)} ${this.name} PID check: ${value}`;
    try {
      let prefix = '';
      if (this.lines === null) {
        const seen = countLines(this.path);
        this.lines = seen.lines;
        if (!seen.endsWithNewline) prefix = '\n';
      }
      appendFileSync(this.path, prefix + text + '\n');
      this.lines++;
      return { path: this.path, line: this.lines, text, timeMs };
    } catch (error) {
      this.log(`cannot write ${this.path}: ${(error as Error).message}`);
      this.lines = null;
      return null;
    }
  }
}

function countLines(path: string): { lines: number; endsWithNewline: boolean } {
  let fd: number;
  try {
    if (statSync(path).size === 0) return { lines: 0, endsWithNewline: true };
    fd = openSync(path, 'r');
  } catch {
    return { lines: 0, endsWithNewline: true };
  }
  const buffer = Buffer.allocUnsafe(1 << 20);
  let count = 0;
  let lastByte = 10;
  try {
    for (let position = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n <= 0) break;
      for (let at = buffer.indexOf(10, 0); at >= 0 && at < n; at = buffer.indexOf(10, at + 1)) count++;
      lastByte = buffer[n - 1]!;
      position += n;
    }
  } finally {
    closeSync(fd);
  }
  // A last line without its newline is a line too; ours then starts on a line of its own.
  return lastByte === 10 ? { lines: count, endsWithNewline: true } : { lines: count + 1, endsWithNewline: false };
}
