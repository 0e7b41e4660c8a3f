// Helpers for the supervise tests: the stand-in AnQiCMS as a process whose comm is `anqicms` (a link of the node
// binary with that name running test/real-kernel/standin/anqicms.mjs, as the real-kernel harness does), and
// `oomscope supervise` run as a real process (.build/src/cli.js) with its output collected.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, constants, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fixture, isCI, NO_SYSTEM_LOGS, projectRoot } from '../support/paths.js';
import { memoryCgroupUnavailable } from '../support/real-kernel-cgroup.js';
import { findCommand, isAlive, listProcesses, procStat, readCmdline, signalQuietly, sleep, waitFor } from '../support/real-kernel-proc.js';

export { sleep, waitFor };

/** Temporary directories of these tests start with this (never the word anqicms: see test/real-kernel/README.md). */
const TEMP_MARK = 'oomscope-sv-';
export const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const STANDIN = fixture('test', 'real-kernel', 'standin', 'anqicms.mjs');
const SUBREAPER = fixture('test', 'supervise', 'subreaper.pl');

/** Skips with the reason; under CI=true fails instead. */
export function cannotRun(t: TestContext, reason: string): void {
  if (isCI) throw new Error(`CI=true, so this may not be skipped: ${reason}`);
  t.skip(reason);
}

/** Why the stand-in cannot be supervised in a memory cgroup here, or undefined. */
export function realSuperviseUnavailable(): string | undefined {
  if (!existsSync(CLI)) return `${CLI} is missing (run npx tsc -p tsconfig.test.json)`;
  for (const tool of ['sh', 'perl']) if (!findCommand(tool)) return `the command ${tool} is missing`;
  try {
    closeSync(openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK));
  } catch (error) {
    return `/dev/kmsg cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  return memoryCgroupUnavailable();
}

export interface Site {
  dir: string;
  /** Where the app runs (its cwd): check.log, running.log, the pidfile and the incidents file go here. */
  site: string;
  /** The node binary as `anqicms`, and the stand-in script. */
  binary: string;
  script: string;
  checkLog: string;
  runningLog: string;
  incidents: string;
  pidfile: string;
  cleanup(): void;
}

export function makeSite(): Site {
  const dir = mkdtempSync(join(tmpdir(), TEMP_MARK));
  if (/\banqicms\b/.test(dir)) throw new Error(`${dir} contains the word anqicms`);
  const site = join(dir, 'site');
  const runtime = join(dir, 'runtime');
  mkdirSync(site);
  mkdirSync(runtime);
  const binary = join(runtime, 'anqicms');
  const node = realpathSync(process.execPath);
  try {
    linkSync(node, binary);
  } catch {
    copyFileSync(node, binary);
    chmodSync(binary, 0o755);
  }
  const script = join(runtime, 'anqicms.mjs');
  copyFileSync(STANDIN, script);
  return {
    dir, site, binary, script,
    checkLog: join(site, 'check.log'),
    runningLog: join(site, 'running.log'),
    incidents: join(site, 'incidents.ndjson'),
    pidfile: join(site, 'anqicms.pid'),
    cleanup: () => {
      if (process.env.OOMSCOPE_KEEP_REAL_KERNEL !== '1') rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills what an earlier, crashed run of these tests left (supervisors, apps, subreapers under an oomscope-sv- dir). */
export async function killLeftovers(): Promise<void> {
  const mark = `/${TEMP_MARK}`;
  const stale = listProcesses().filter((p) => p.state !== 'Z' && p.pid !== process.pid && readCmdline(p.pid).some((a) => a.includes(mark)));
  for (const p of stale) signalQuietly(p.pid, 'SIGKILL');
  if (stale.length > 0) await waitFor('leftovers of an earlier run to end', 5000, () => stale.every((p) => !isAlive(p.pid, p.startTime)));
}

export interface Running {
  child: ChildProcess;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitedYet: () => boolean;
}

/** Starts `oomscope supervise ARGS` (optionally under the subreaper) in `cwd`. */
export function startSupervisor(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; subreaper?: boolean }): Running {
  const argv = [CLI, 'supervise', ...args];
  const child = options.subreaper
    ? spawn('perl', [SUBREAPER, process.execPath, ...argv], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, argv, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  return { child, pid: child.pid!, stdout: () => out, stderr: () => err, exited, exitedYet: () => done };
}

/** The supervisor's pid when it runs under the subreaper (the perl's only child running node). */
export async function supervisorUnder(reaper: Running): Promise<number> {
  return waitFor('the supervisor under the subreaper', 5000, () => listProcesses().find((p) => p.ppid === reaper.pid && p.state !== 'Z')?.pid);
}

export interface Notice {
  notice: 'incident' | 'update';
  id: string;
  verdict: string;
  confidence: string;
  pid: number | null;
  reason: string;
  diedAt: string | null;
  restartedAt: string | null;
  downtimeSeconds: number | null;
  crashSite: string | null;
  oomKill: string | null;
  advice: { code: string; params: Record<string, string | number> }[];
  evidence: { path: string; line: number; role?: string; text: string }[];
  supervisor: {
    exitCode: number | null;
    signal: string | null;
    statusKnown: boolean;
    requested: string | null;
    adopted: boolean;
    runSeconds: number;
    memoryCgroup: string | null;
    memoryLimitBytes: number | null;
    cgroupOomKills: number | null;
  };
  outputTail: string[];
  kill: {
    pid: number | null; name: string | null; constraint: string | null; memcg: string | null; limitKb: number | null;
    anonRssKb: number | null; totalVmKb: number | null; evidence: { text: string }[];
  } | null;
}

export function readNotices(path: string): Notice[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Notice);
}

/** Waits for the certificate of `pid`'s death; answers it with when it was first seen. */
export async function waitForCertificate(path: string, pid: number, timeoutMs = 10_000): Promise<{ notice: Notice; seenAt: number }> {
  const notice = await waitFor(`the death certificate of pid ${pid}`, timeoutMs, () => readNotices(path).find((n) => n.notice === 'incident' && n.pid === pid), 5);
  return { notice, seenAt: Date.now() };
}

/** The running stand-ins (comm anqicms, running our script), zombies left out. */
export function standins(script: string): number[] {
  return listProcesses().filter((p) => p.comm === 'anqicms' && p.state !== 'Z' && readCmdline(p.pid).includes(script)).map((p) => p.pid);
}

/** Waits until exactly one stand-in other than `not` runs and answers HTTP with its pid. */
export async function waitForApp(site: Site, port: number, not: number[] = []): Promise<number> {
  const pid = await waitFor('the supervised app to start', 10_000, () => standins(site.script).find((p) => !not.includes(p)));
  await waitFor(`the app (pid ${pid}) to answer`, 10_000, async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
      return (await res.text()).trim() === `ok ${pid}`;
    } catch {
      return false;
    }
  });
  return pid;
}

/** Polls every 10 ms until `pid` is gone (a zombie counts as gone); answers when it was seen gone. */
export async function waitForDeath(pid: number, timeoutMs = 15_000): Promise<number> {
  const start = procStat(pid)?.startTime;
  await waitFor(`pid ${pid} to die`, timeoutMs, () => !isAlive(pid, start), 10);
  return Date.now();
}

export function get(port: number, path: string): Promise<string | null> {
  return fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.text())
    .catch(() => null);
}

/** Writes a line to the kernel log (facility user), as the harness' marks; false when /dev/kmsg refuses. */
export function markKernelLog(text: string): boolean {
  try {
    writeFileSync('/dev/kmsg', `<14>${text}\n`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The /dev/kmsg records (raw `pri,seq,usec,-;msg` lines with their ` KEY=value` lines) logged between two moments on
 * the kernel's clock: a kernel input for diagnose that holds only this test's time, not other runs' kills.
 */
export function kmsgBetween(fromUptime: number, toUptime: number): string {
  const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  const buffer = Buffer.alloc(16 * 1024);
  const out: string[] = [];
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EPIPE') continue;
        if (code === 'EAGAIN') break;
        throw error;
      }
      if (n <= 0) break;
      const record = buffer.subarray(0, n).toString('latin1');
      const usec = Number(/^\d+,\d+,(\d+),/.exec(record)?.[1] ?? NaN);
      if (usec / 1e6 >= fromUptime && usec / 1e6 <= toUptime) out.push(record.endsWith('\n') ? record : record + '\n');
    }
  } finally {
    closeSync(fd);
  }
  return out.join('');
}

/**
 * This boot's start as ISO with zone (for diagnose --boot-time): now − /proc/uptime, to 10 ms. /proc/stat's btime is
 * whole seconds and drifts from the monotonic clock, which can put a kernel line a second off.
 */
export function bootTimeIso(): string {
  const uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  return new Date(Date.now() - Math.round(uptime * 1000)).toISOString();
}

/** `oomscope ARGS` to the end, for diagnose. */
export function runCli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...NO_SYSTEM_LOGS }, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Stops a supervisor that is still running (SIGKILL after 5 s), and every process left under the site. */
export async function stopQuietly(running: Running | undefined, site: Site | undefined): Promise<void> {
  if (running && !running.exitedYet()) {
    running.child.kill('SIGTERM');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), 5000);
    await running.exited;
    clearTimeout(timer);
  }
  if (site) {
    for (const pid of standins(site.script)) signalQuietly(pid, 'SIGKILL');
    const left = listProcesses().filter((p) => p.state !== 'Z' && p.pid !== process.pid && readCmdline(p.pid).some((a) => a.startsWith(site.dir)));
    for (const p of left) signalQuietly(p.pid, 'SIGKILL');
  }
}
