// Runs one death of the stand-in AnQiCMS on the real kernel and hands back the real artefacts
// (check.log, running.log, the kernel log as rsyslog and dmesg wrote it) with what the test
// itself saw (the pid, when it vanished, the restarted pid). See test/real-kernel/README.md.
//
// Layout of one run (temporary; the path never contains the word anqicms):
//   <tmp>/oomscope-rk-XXXXXX/
//     site/            the install dir: start.sh, anqicms (wrapper), check.log, running.log
//     runtime/         anqicms (hard link or copy of the node binary), anqicms.mjs (the stand-in)
//     kernel/          rsyslog.conf, kern-traditional.log, kern-precise.log, dmesg.txt
//     guardian.out     start.sh's stdout (what cron would mail), guardian.status (how children ended)
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createMemoryCgroup, memoryCgroupUnavailable, type MemoryCgroup } from './real-kernel-cgroup.js';
import { killStaleTestRsyslogds, rsyslogUnavailable, startRsyslog, TEMP_MARK, type Rsyslog } from './real-kernel-rsyslog.js';
import {
  findCommand,
  freeLoopbackPort,
  httpGet,
  isAlive,
  listProcesses,
  procStat,
  psAnqicmsLines,
  readCmdline,
  readTextIfExists,
  readUptime,
  shellQuote,
  signalQuietly,
  sleep,
  waitFor,
  withRealKernelLock,
} from './real-kernel-proc.js';
import { fixture } from './paths.js';

/** `go-…`: the Go stand-in (options.go) dies by the GET of options.go.route (test/real-kernel/standin-go/README.md). */
export type Scenario = 'leak' | 'kill9' | 'panic' | 'stop' | `go-${string}`;

/** Runs the Go stand-in instead of the Node one. */
export interface GoApp {
  /** The built binary (test/support/go-standin.ts); it runs from where it was built, through the site's wrapper. */
  binary: string;
  /** The route whose GET kills it, e.g. '/panic'. */
  route: string;
  /** The app's own environment (GOMEMLIMIT, GOTRACEBACK, ANQICMS_DB_ADDR), set in the wrapper. */
  env?: Record<string, string>;
  /** A shell limit set in the wrapper before the exec, e.g. 'ulimit -v 760000'. */
  ulimit?: string;
  /** Awaited as soon as the pid was seen gone, before the restart is awaited (e.g. to bring a database back). */
  afterVanish?: () => Promise<void>;
}

export interface ScenarioOptions {
  /** TZ for the guardian, the app and rsyslogd (the "host zone"), e.g. 'Asia/Shanghai'. Default: ours. */
  tz?: string;
  /** Memory limit of the app's cgroup; default 96 MiB. */
  memoryLimitBytes?: number;
  /** Seconds between guardian runs (cron's minute, shortened); default 1. */
  guardianIntervalSeconds?: number;
  /** Start our own rsyslogd (default true). When it cannot run, kernLog* are null and rsyslogUnavailable says why. */
  rsyslog?: boolean;
  /**
   * Write a mark line to the kernel log (/dev/kmsg, `oomscope-test: harness mark (before|after <scenario>, oomscope-rk-XXXXXX)`)
   * once the app is up and again after the restart (default true), so that the kernel log
   * (dmesg and rsyslog's files) spans the death even when the kernel itself printed nothing.
   */
  kernelMarks?: boolean;
  /** Keep the temporary directory after cleanup() (also: env OOMSCOPE_KEEP_REAL_KERNEL=1). */
  keep?: boolean;
  /**
   * Awaited once the first instance is up and seen by the guardian, just before the trigger (e.g. to start
   * `oomscope watch` on the live logs). A throw ends the scenario like any other failure.
   */
  beforeTrigger?: (run: BeforeTrigger) => Promise<void>;
  /** The Go stand-in and how it dies (required for `go-…` scenarios). */
  go?: GoApp;
}

/** What beforeTrigger gets: where the logs are being written and the instance about to die. */
export interface BeforeTrigger {
  tempDir: string;
  checkLog: string;
  runningLog: string;
  /** rsyslog's files, or null without rsyslog. */
  kernLogTraditional: string | null;
  kernLogPrecise: string | null;
  pid: number;
  port: number;
}

export interface ProcessEnd {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** Signal number, or null. */
  signal: number | null;
}

export interface ScenarioResult {
  scenario: Scenario;
  /** The TZ the guardian, app and rsyslogd ran with (undefined: the test's own). */
  tz: string | undefined;
  /** Root of everything below; cleanup() removes it. */
  tempDir: string;
  installDir: string;
  checkLog: string;
  runningLog: string;
  /** start.sh's stdout+stderr (`PID anqicms check: N`, `anqicms NOT running`): what cron would mail. */
  guardianOut: string;
  /** rsyslog RSYSLOG_TraditionalFileFormat file (`Nov 26 17:51:03 host kernel: [ 321.280391] …`), or null. */
  kernLogTraditional: string | null;
  /** rsyslog RSYSLOG_FileFormat file (`2026-11-26T17:51:03.440100+00:00 host kernel: [ 321.280391] …`), or null. */
  kernLogPrecise: string | null;
  /** Why there is no rsyslog output (rsyslogd missing, another one running, disabled), or null. */
  rsyslogUnavailable: string | null;
  /** `dmesg` (plain: `[  321.280391] msg`) taken after the scenario: the whole ring buffer, earlier boots' kills included. */
  dmesgFile: string;
  /** The app pid the guardian started and that died. */
  pid: number;
  /**
   * How that process ended (leak and kill9: signal 9; panic: code 2; stop: code 0), from the
   * wait status its parent got (start.sh's background subshell, which exits 128+signal), or null.
   */
  end: ProcessEnd | null;
  /** The cgroup's path as the kernel prints it (`oom_memcg=`, `task_memcg=`). */
  cgroupKernelPath: string;
  cgroupVersion: 1 | 2;
  /** The kernel's oom_kill counter of the app's cgroup after the scenario. */
  cgroupOomKills: number | null;
  port: number;
  /** /proc/uptime just before anything was started (kernel lines with a smaller stamp are older). */
  testStartUptime: number;
  testStartedAt: Date;
  /**
   * The boot time the kernel's `[uptime]` stamps count from, as testStartedAt − testStartUptime
   * (±10 ms; wall clock − monotonic clock, so it drifts from /proc/stat btime by the clock's
   * drift since boot). For `oomscope diagnose --boot-time` on dmesgFile.
   */
  bootTime: Date;
  /** When the scenario was triggered (the HTTP request sent, or the signal). */
  triggeredAt: Date;
  /** The last time the runner saw the process alive: the death lies in (lastSeenAliveAt, vanishedAt]. */
  lastSeenAliveAt: Date;
  /** When the runner saw the pid vanish (it polls every 10 ms; a zombie counts as vanished). */
  vanishedAt: Date;
  vanishedUptime: number;
  /** The mark lines written to the kernel log before the trigger and after the restart (without the `<14>` level), or null. */
  kernelMarks: { before: string; after: string } | null;
  /** The pid of the instance the guardian started after the death. */
  restartedPid: number;
  /** When the restarted instance first answered HTTP. */
  restartedSeenAt: Date;
  durationMs: number;
  /** Removes tempDir (unless kept). */
  cleanup(): void;
}

const STANDIN = fixture('test', 'real-kernel', 'standin', 'anqicms.mjs');
const START_SH = fixture('test', 'real-kernel', 'start.sh');
const GUARDIAN_LOOP = fixture('test', 'real-kernel', 'guardian-loop.pl');
const CHECK_LINE = /^(\d{8} \d{2}:\d{2}:\d{2}) anqicms PID check: (\d*)$/;
const READY_LINE = '请手动在浏览器输入访问地址：';

/** Why the real-kernel scenarios cannot run here (not Linux, not root, no memory cgroup, missing tools), or undefined. */
export function realKernelUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  for (const tool of ['sh', 'bash', 'perl', 'ps', 'grep', 'wc', 'nohup', 'date', 'dmesg']) {
    if (!findCommand(tool)) return `the command ${tool} is missing`;
  }
  return memoryCgroupUnavailable();
}

/** Why the rsyslog part cannot run here, or undefined. */
export { rsyslogUnavailable };

function countLines(text: string, needle: string): number {
  return text.split('\n').filter((l) => l.includes(needle)).length;
}

/** The check.log counts, in order. */
export function checkCounts(checkLogText: string): string[] {
  const counts: string[] = [];
  for (const line of checkLogText.split('\n')) {
    const m = CHECK_LINE.exec(line);
    if (m) counts.push(m[2] ?? '');
  }
  return counts;
}

function parseStatus(text: string): Map<number, ProcessEnd> {
  const ends = new Map<number, ProcessEnd>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) \S+ (exit|signal) (\d+)$/.exec(line);
    if (!m) continue;
    const n = Number(m[3]);
    ends.set(Number(m[1]), m[2] === 'exit' ? { code: n, signal: null } : { code: null, signal: n });
  }
  return ends;
}

/**
 * How the app ended. start.sh's `cd $BINPATH && nohup … &` runs in a background subshell of bash
 * that forks the app and waits for it, so the subshell (adopted by the guardian loop) reaps the
 * app and exits with its status: the app's code, or 128 + the signal (bash's convention).
 */
function appEnd(ends: Map<number, ProcessEnd>, app: AppInstance): ProcessEnd | null {
  const own = ends.get(app.pid);
  if (own) return own;
  const parent = ends.get(app.ppid);
  if (!parent) return null;
  if (parent.code !== null && parent.code > 128) return { code: null, signal: parent.code - 128 };
  return parent;
}

/** The node binary as a file named anqicms: a hard link when the file system allows, else a copy. */
function placeNodeAs(path: string): void {
  const node = realpathSync(process.execPath);
  try {
    linkSync(node, path);
  } catch {
    copyFileSync(node, path);
    chmodSync(path, 0o755);
  }
}

/** Kills what an earlier, crashed run left behind (only call under the lock). */
async function killLeftovers(): Promise<void> {
  await killStaleTestRsyslogds();
  const stale = listProcesses().filter((p) => p.state !== 'Z' && p.pid !== process.pid && readCmdline(p.pid).some((a) => a.includes(`/${TEMP_MARK}`)));
  for (const p of stale) signalQuietly(p.pid, p.comm === 'perl' ? 'SIGTERM' : 'SIGKILL');
  if (stale.length > 0) await waitFor('leftovers of an earlier run to end', 5000, () => stale.every((p) => !isAlive(p.pid, p.startTime)));
}

interface AppInstance {
  pid: number;
  startTime: number;
  /** Its parent when found: bash's background subshell for `cd … && nohup … &` (it waits for the app). */
  ppid: number;
}

/** The app instance in the cgroup (past its exec into the stand-in), other than `not`. */
function findApp(cgroup: MemoryCgroup, script: string, not?: number): AppInstance | undefined {
  for (const pid of cgroup.pids()) {
    if (pid === not) continue;
    const stat = procStat(pid);
    if (!stat || stat.state === 'Z' || stat.comm !== 'anqicms') continue;
    if (!readCmdline(pid).includes(script)) continue;
    return { pid, startTime: stat.startTime, ppid: stat.ppid };
  }
  return undefined;
}

/** Writes a line to the kernel log as user space can (facility user); false when /dev/kmsg refuses. */
function markKernelLog(text: string): boolean {
  try {
    writeFileSync('/dev/kmsg', `<14>${text}\n`);
    return true;
  } catch {
    return false;
  }
}

async function answers(port: number, pid: number): Promise<boolean> {
  try {
    const res = await httpGet(port, '/', 500);
    return res.status === 200 && res.body.trim() === `ok ${pid}`;
  } catch {
    return false;
  }
}

async function trigger(scenario: Scenario, app: AppInstance, port: number, go: GoApp | undefined): Promise<void> {
  if (go) {
    // it answers before it acts; a death before the answer is as good
    await httpGet(port, go.route, 2000).catch(() => undefined);
    return;
  }
  switch (scenario) {
    case 'leak': {
      const res = await httpGet(port, '/leak', 2000);
      if (res.status !== 200) throw new Error(`GET /leak answered ${res.status}`);
      return;
    }
    case 'panic':
      // The process dies before answering: the request fails, which is expected.
      await httpGet(port, '/panic', 2000).catch(() => undefined);
      return;
    case 'kill9':
      process.kill(app.pid, 'SIGKILL');
      return;
    case 'stop':
      process.kill(app.pid, 'SIGTERM');
      return;
  }
}

/** The environment the guardian (as cron would) and everything under it get. */
function hostEnv(tz: string | undefined, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: [process.env.PATH, '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].filter(Boolean).join(':'),
    HOME: process.env.HOME ?? '/root',
    LANG: 'C.UTF-8',
    ANQICMS_PORT: String(port),
  };
  const zone = tz ?? process.env.TZ;
  if (zone !== undefined) env.TZ = zone;
  return env;
}

/**
 * Runs one scenario end to end (about 3.5 s here) and returns the artefacts. Throws when the
 * machine cannot run it (check realKernelUnavailable() first) or when something does not
 * happen in time; everything started is stopped either way. Holds a machine-wide lock.
 */
export function runScenario(scenario: Scenario, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  return withRealKernelLock(() => runLocked(scenario, options));
}

async function runLocked(scenario: Scenario, options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  await killLeftovers();
  const already = await waitFor('no other anqicms process to run', 5000, () => (psAnqicmsLines().length === 0 ? true : undefined)).catch(() => psAnqicmsLines());
  if (already !== true) {
    throw new Error(`processes matching \\<anqicms\\> already run, start.sh would count them:\n${already.join('\n')}`);
  }

  const tempDir = mkdtempSync(join(tmpdir(), TEMP_MARK));
  if (/\banqicms\b/.test(tempDir)) throw new Error(`the temporary directory ${tempDir} contains the word anqicms: start.sh would count itself`);
  const keep = options.keep ?? process.env.OOMSCOPE_KEEP_REAL_KERNEL === '1';
  const installDir = join(tempDir, 'site');
  const runtimeDir = join(tempDir, 'runtime');
  const kernelDir = join(tempDir, 'kernel');
  for (const d of [installDir, runtimeDir, kernelDir]) mkdirSync(d);
  const checkLog = join(installDir, 'check.log');
  const runningLog = join(installDir, 'running.log');
  const guardianOut = join(tempDir, 'guardian.out');
  const statusFile = join(tempDir, 'guardian.status');
  const dmesgFile = join(kernelDir, 'dmesg.txt');
  const cleanup = (): void => {
    if (!keep) rmSync(tempDir, { recursive: true, force: true });
  };

  let cgroup: MemoryCgroup | undefined;
  let rsyslog: Rsyslog | undefined;
  let loop: ReturnType<typeof spawn> | undefined;
  let loopExited: Promise<void> = Promise.resolve();
  try {
    const testStartUptime = readUptime();
    const testStartedAt = new Date();

    // The "binary": node named anqicms, running the stand-in script.
    const nodeAsApp = join(runtimeDir, 'anqicms');
    // findApp knows the app by this word of its command line: the Go binary's own path, or the Node stand-in's script
    const script = options.go ? options.go.binary : join(runtimeDir, 'anqicms.mjs');
    if (!options.go) {
      placeNodeAs(nodeAsApp);
      copyFileSync(STANDIN, script);
    } else if (!scenario.startsWith('go-')) throw new Error(`options.go needs a go-… scenario, not ${scenario}`);

    const attempt = createMemoryCgroup(options.memoryLimitBytes !== undefined ? { limitBytes: options.memoryLimitBytes } : {});
    if (!attempt.cgroup) throw new Error(`no memory cgroup: ${attempt.reason}`);
    cgroup = attempt.cgroup;
    const port = await freeLoopbackPort();
    const env = hostEnv(options.tz, port);

    // The install dir: AnQiCMS's start.sh, and `anqicms`, a wrapper that enters the cgroup and
    // then becomes the node copy (same PID: the kernel's comm stays/becomes `anqicms`).
    copyFileSync(START_SH, join(installDir, 'start.sh'));
    chmodSync(join(installDir, 'start.sh'), 0o755);
    writeFileSync(
      join(installDir, 'anqicms'),
      [
        '#!/bin/sh',
        '# Stand-in for the AnQiCMS binary (oomscope real-kernel tests): joins the memory cgroup,',
        '# then becomes node (a link named anqicms) running the stand-in. One PID throughout.',
        options.go ? goExec(cgroup, options.go) : `exec ${cgroup.shellPrefix} ${shellQuote(nodeAsApp)} ${shellQuote(script)} "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );

    let rsyslogReason: string | null = null;
    if (options.rsyslog === false) {
      rsyslogReason = 'disabled by the caller';
    } else {
      const r = await startRsyslog(kernelDir, env);
      if (r.rsyslog) rsyslog = r.rsyslog;
      else rsyslogReason = r.reason;
    }

    // "cron": start.sh every second, under a reaper.
    const interval = options.guardianIntervalSeconds ?? 1;
    loop = spawn('perl', [GUARDIAN_LOOP, String(interval), '120', statusFile, guardianOut, 'bash', join(installDir, 'start.sh')], {
      cwd: tempDir,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const child = loop;
    loopExited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });

    // The first instance: in the cgroup, answering HTTP, start-up finished, seen by the guardian.
    const first = await waitFor('the guardian to start the app', 10_000, () => findApp(cgroup as MemoryCgroup, script));
    await waitFor(`the app (pid ${first.pid}) to answer on 127.0.0.1:${port}`, 10_000, () => answers(port, first.pid));
    await waitFor('the first start-up to finish (running.log)', 5000, () => countLines(readTextIfExists(runningLog), READY_LINE) >= 1);
    // "seen" is a count of 1, or more when some other process on the machine has the word anqicms in its command line.
    const seen = (n: string): boolean => /^[1-9]\d*$/.test(n);
    await waitFor('the guardian to see the app (check: 1)', 5000, () => checkCounts(readTextIfExists(checkLog)).some(seen));
    if (options.beforeTrigger) {
      const logs = { kernLogTraditional: rsyslog ? rsyslog.kernLogTraditional : null, kernLogPrecise: rsyslog ? rsyslog.kernLogPrecise : null };
      await options.beforeTrigger({ tempDir, checkLog, runningLog, ...logs, pid: first.pid, port });
    }

    const wantMarks = options.kernelMarks ?? true;
    const run = basename(tempDir);
    const marks = { before: `oomscope-test: harness mark (before ${scenario}, ${run})`, after: `oomscope-test: harness mark (after ${scenario}, ${run})` };
    const marked = wantMarks && markKernelLog(marks.before);
    const checksBefore = checkCounts(readTextIfExists(checkLog)).length;
    const triggeredAt = new Date();
    await trigger(scenario, first, port, options.go);
    let lastSeenAliveAt = triggeredAt;
    await waitFor(`pid ${first.pid} to vanish after ${scenario}`, 15_000, () => {
      if (isAlive(first.pid, first.startTime)) {
        lastSeenAliveAt = new Date();
        return false;
      }
      return true;
    }, 10);
    const vanishedAt = new Date();
    const vanishedUptime = readUptime();
    if (options.go?.afterVanish) await options.go.afterVanish();

    // The guardian notices (check: 0), starts the next instance, which comes up and is seen.
    const second = await waitFor('the guardian to restart the app', 10_000, () => findApp(cgroup as MemoryCgroup, script, first.pid));
    await waitFor(`the restarted app (pid ${second.pid}) to answer`, 10_000, () => answers(port, second.pid));
    const restartedSeenAt = new Date();
    await waitFor('the second start-up to finish (running.log)', 5000, () => countLines(readTextIfExists(runningLog), READY_LINE) >= 2);
    await waitFor('check.log to show check: 0 then check: 1', 5000, () => {
      const after = checkCounts(readTextIfExists(checkLog)).slice(checksBefore);
      const zero = after.indexOf('0');
      return zero >= 0 && after.slice(zero + 1).some(seen);
    });

    const markedAfter = marked && markKernelLog(marks.after);
    if (rsyslog) {
      // rsyslog writes lines in order: once the last mark (or the kill line) is in, so is all before it.
      const file = rsyslog.kernLogTraditional;
      if (markedAfter) {
        await waitFor('rsyslog to write the mark', 5000, () => readTextIfExists(file).includes(marks.after));
      } else if (scenario === 'leak') {
        const kill = new RegExp(`Memory cgroup out of memory: Killed process ${first.pid} \\(anqicms\\)`);
        await waitFor('rsyslog to write the kill line', 5000, () => kill.test(readTextIfExists(file)));
      }
    }

    // Stop: the guardian loop stops and kills what it reaps (the app); then the cgroup.
    await stopLoop(loop, loopExited, cgroup);
    loop = undefined;
    const cgroupOomKills = cgroup.oomKills();
    await cgroup.remove();
    const cgroupKernelPath = cgroup.kernelPath;
    const cgroupVersion = cgroup.version;
    cgroup = undefined;
    if (rsyslog) await rsyslog.stop();
    writeFileSync(dmesgFile, execFileSync(findCommand('dmesg') ?? 'dmesg', [], { maxBuffer: 64 << 20 }));

    return {
      scenario,
      tz: env.TZ,
      tempDir,
      installDir,
      checkLog,
      runningLog,
      guardianOut,
      kernLogTraditional: rsyslog ? rsyslog.kernLogTraditional : null,
      kernLogPrecise: rsyslog ? rsyslog.kernLogPrecise : null,
      rsyslogUnavailable: rsyslogReason,
      dmesgFile,
      pid: first.pid,
      end: appEnd(parseStatus(readTextIfExists(statusFile)), first),
      cgroupKernelPath,
      cgroupVersion,
      cgroupOomKills,
      port,
      testStartUptime,
      testStartedAt,
      bootTime: new Date(testStartedAt.getTime() - Math.round(testStartUptime * 1000)),
      triggeredAt,
      lastSeenAliveAt,
      vanishedAt,
      vanishedUptime,
      kernelMarks: markedAfter ? marks : null,
      restartedPid: second.pid,
      restartedSeenAt,
      durationMs: Date.now() - started,
      cleanup,
    };
  } catch (err) {
    // The artefacts stay for a look: they are in tempDir.
    const where = ` (artefacts kept in ${tempDir})`;
    const tail = (path: string): string => readTextIfExists(path).split('\n').slice(-8).join('\n');
    const detail = `\n--- check.log\n${tail(checkLog)}\n--- running.log\n${tail(runningLog)}\n--- guardian.out\n${tail(guardianOut)}`;
    if (err instanceof Error) err.message += where + detail;
    throw err;
  } finally {
    if (loop) await stopLoop(loop, loopExited, cgroup).catch(() => undefined);
    if (cgroup) await cgroup.remove().catch(() => undefined);
    if (rsyslog) await rsyslog.stop().catch(() => undefined);
  }
}

/** The wrapper's exec of the Go stand-in: into the cgroup, then its environment and limit, then the binary (one pid). */
function goExec(cgroup: MemoryCgroup, go: GoApp): string {
  const env = Object.entries(go.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ');
  const inner = `${go.ulimit ? `${go.ulimit}; ` : ''}exec ${env ? `env ${env} ` : ''}"$0" "$@"`;
  return `exec ${cgroup.shellPrefix} sh -c ${shellQuote(inner)} ${shellQuote(go.binary)} "$@"`;
}

/** SIGTERM to the guardian loop: it starts no more runs and SIGKILLs its children; we also empty the cgroup. */
async function stopLoop(loop: ReturnType<typeof spawn>, exited: Promise<void>, cgroup: MemoryCgroup | undefined): Promise<void> {
  loop.kill('SIGTERM');
  const deadline = Date.now() + 8000;
  let done = false;
  void exited.then(() => (done = true));
  while (!done) {
    if (cgroup) await cgroup.killAll().catch(() => undefined);
    if (Date.now() > deadline) {
      loop.kill('SIGKILL');
      await exited;
      break;
    }
    await sleep(50);
  }
}
