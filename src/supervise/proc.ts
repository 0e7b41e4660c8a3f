// What /proc says about one process: enough to name it for good (pid + start time + boot) and to see it end.
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc/PID/stat's times. 100 on every Linux architecture user space sees. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, Z (zombie: dead, not reaped), X … */
  state: string;
  ppid: number;
  pgid: number;
  /** Field 22: clock ticks after boot when it started. With the pid and the boot, it names one process. */
  startTime: number;
  /** Field 52 (Linux 3.5+): the wait status a zombie leaves for its parent; null when not printed. */
  exitStatus: number | null;
}

/** /proc/PID/stat, or null when there is no such process (or it cannot be read). */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).trim().split(' ');
  const exit = rest[49];
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    pgid: Number(rest[2]),
    startTime: Number(rest[19]),
    exitStatus: exit !== undefined && /^\d+$/.test(exit) ? Number(exit) : null,
  };
}

/** True while the process with this start time runs; a zombie counts as gone. */
export function isRunning(pid: number, startTime: number | null): boolean {
  const stat = procStat(pid);
  if (stat === null || stat.state === 'Z' || stat.state === 'X' || stat.state === 'x') return false;
  return startTime === null || stat.startTime === startTime;
}

/** The current boot's id (changes at every boot), or null. */
export function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || null;
  } catch {
    return null;
  }
}

/** Seconds since boot (the kernel log's clock). */
export function uptimeSeconds(): number {
  try {
    return Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  } catch {
    return process.uptime();
  }
}

/** A wait status (as in /proc/PID/stat field 52) as an exit code or a signal number. */
export function decodeWaitStatus(status: number): { code: number | null; signal: number | null } {
  const signal = status & 0x7f;
  if (signal === 0) return { code: (status >> 8) & 0xff, signal: null };
  return { code: null, signal };
}

/** Total RAM in bytes, from /proc/meminfo (MemTotal). */
export function memTotalBytes(): number | null {
  try {
    const m = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
