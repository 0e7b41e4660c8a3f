// Small process and file helpers shared by the real-kernel test harness (Linux only).
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds since boot, from /proc/uptime (the clock the kernel stamps its log lines with). */
export function readUptime(): number {
  const first = readFileSync('/proc/uptime', 'utf8').split(' ')[0];
  return Number(first);
}

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Clock ticks after boot; with the pid, it names one process even when pids are reused. */
  startTime: number;
}

/** /proc/PID/stat, or null when there is no such process. */
export function procStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const rest = text.slice(close + 2).split(' ');
  return {
    pid,
    comm: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    ppid: Number(rest[1]),
    startTime: Number(rest[19]),
  };
}

/** True while the process runs; a zombie (dead, not yet reaped) counts as gone. */
export function isAlive(pid: number, startTime?: number): boolean {
  const stat = procStat(pid);
  if (stat === null || stat.state === 'Z' || stat.state === 'X') return false;
  return startTime === undefined || stat.startTime === startTime;
}

export function readCmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '');
  } catch {
    return [];
  }
}

/** Every process on the machine (that /proc shows us). */
export function listProcesses(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat) out.push(stat);
  }
  return out;
}

/** Lines of `ps -ef | grep '\<anqicms\>' | grep -v grep`: what start.sh counts. */
export function psAnqicmsLines(): string[] {
  try {
    const text = execFileSync('sh', ['-c', "ps -ef | grep '\\<anqicms\\>' | grep -v grep"], { encoding: 'utf8' });
    return text.split('\n').filter((l) => l.trim() !== '');
  } catch {
    return []; // grep exits 1 on no match
  }
}

/** The absolute path of a command found on PATH (plus the sbin directories root usually has), or undefined. */
export function findCommand(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Polls until `check` returns a value other than undefined/false, or throws after timeoutMs naming `what`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => T | undefined | false | Promise<T | undefined | false>, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function readTextIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET http://127.0.0.1:PORT/PATH; rejects on connection errors and after timeoutMs. */
export function httpGet(port: number, path: string, timeoutMs = 1000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Sends a signal, ignoring a process that is already gone. */
export function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: gone already
  }
}

const LOCK_DIR = join(tmpdir(), 'oomscope-real-kernel.lock');

/**
 * Holds a machine-wide lock while `fn` runs: two scenarios at once would share /proc/kmsg
 * (one reader gets each line) and see each other's anqicms processes in `ps -ef`.
 * A lock left by a dead process is taken over.
 */
export async function withRealKernelLock<T>(fn: () => Promise<T>, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'owner'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readTextIfExists(join(LOCK_DIR, 'owner')).trim());
      if (owner > 0 && owner !== process.pid && !isAlive(owner)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (!(owner > 0) && existsSync(LOCK_DIR)) {
        // Being created right now, or left without an owner file: give it a moment, then take it.
        await sleep(500);
        if (!(Number(readTextIfExists(join(LOCK_DIR, 'owner')).trim()) > 0)) rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK_DIR} is held by pid ${owner} for more than ${timeoutMs} ms`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Single-quotes a word for sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Lowering an oom_score_adj takes CAP_SYS_RESOURCE (bit 24), which root lacks in some sandboxes (this one included). */
export function mayLowerOomScore(): boolean {
  const effective = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0';
  return ((BigInt(`0x${effective}`) >> 24n) & 1n) === 1n;
}
