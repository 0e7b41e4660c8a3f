// One life of the supervised app: started here (in its own session and process group, reaped by us) or adopted from
// an earlier supervisor (watched through /proc), with the promise of how it ended.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import type { LifeEnd } from './certificate.js';
import { appCgroupOf, type AppCgroup } from './memory-cgroup.js';
import { signalName } from './signal-names.js';
import { forkWithOomScoreAdj } from './oom-score.js';
import type { OutputLog } from './output-log.js';
import type { PidRecord } from './pidfile.js';
import { CLOCK_TICKS_PER_SECOND, decodeWaitStatus, procStat, uptimeSeconds } from './proc.js';

/** How a life ended, as far as it can be seen. */
export interface Exit {
  code: number | null;
  signal: string | null;
  statusKnown: boolean;
  diedAtMs: number;
  uncertaintySeconds: number;
  spawnError: string | null;
}

export interface Life {
  index: number;
  /** 0 when the app could not be started. */
  pid: number;
  startTicks: number | null;
  startedAtMs: number;
  startUptime: number;
  adopted: boolean;
  /** It leads its own process group (started with setsid): signals go to the whole group. */
  groupLeader: boolean;
  cgroup: AppCgroup | null;
  oomKillsBefore: number | null;
  limitHitsBefore: number | null;
  /** Where its output begins in running.log (for the pidfile); null without a running.log. */
  logOffset: number | null;
  ended: Promise<Exit>;
  alive: boolean;
  request: LifeEnd['request'];
}

export interface CgroupCounters {
  oomKills: number | null;
  limitHits: number | null;
}

export function cgroupCounters(cgroup: AppCgroup | null): CgroupCounters {
  return { oomKills: cgroup?.oomKills() ?? null, limitHits: cgroup?.limitHits() ?? null };
}

/** Sends `signal` to the life's process group if it leads one, else to it alone; one already gone is no error. */
export function signalLife(life: Life, signal: NodeJS.Signals): void {
  try {
    process.kill(life.groupLeader ? -life.pid : life.pid, signal);
  } catch {
    // gone already
  }
}

export interface StartSetup {
  command: string[];
  /** The app's environment; default the supervisor's own, as it is at each start. */
  env: NodeJS.ProcessEnv | undefined;
  /** GOMEMLIMIT for the app; null leaves it as the environment has it. */
  goMemLimit: string | null;
  /** The supervisor's own memory cgroup: the command runs inside it. */
  cgroup: AppCgroup | null;
  output: OutputLog;
  /** The oom_score_adj the app starts with, when the supervisor lowered its own; null: it inherits the supervisor's. */
  appOomScoreAdj: number | null;
}

/** V8 heap sizes and thread pool the supervisor's unit gives it (contrib/oomscope-supervise.service): its own, not the app's. */
const DAEMON_HEAP_FLAG = /^--(?:max[-_](semi|old)[-_]space[-_]size|v8[-_]pool[-_]size)=/;

/** The app's environment without the supervisor's heap flags in NODE_OPTIONS (and without NODE_OPTIONS if that was all). */
export function withoutDaemonHeapFlags(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.NODE_OPTIONS === undefined) return env;
  const kept = env.NODE_OPTIONS.split(/\s+/).filter((word) => word !== '' && !DAEMON_HEAP_FLAG.test(word));
  if (kept.length > 0) env.NODE_OPTIONS = kept.join(' ');
  else delete env.NODE_OPTIONS;
  return env;
}

/** Starts the app in its own session; its output goes to running.log, or through us to stderr without one. */
export function startLife(setup: StartSetup, index: number): Life {
  const { cgroup, output } = setup;
  const argv = cgroup ? cgroup.wrap(setup.command) : [...setup.command];
  const env = withoutDaemonHeapFlags({ ...(setup.env ?? process.env) });
  if (setup.goMemLimit !== null) env.GOMEMLIMIT = setup.goMemLimit;
  const logOffset = output.beginLife();
  const fd = output.path !== null ? output.openForChild() : null;
  const before = cgroupCounters(cgroup);
  const startedAtMs = Date.now();
  let spawned: { child: ChildProcess } | { failure: string };
  try {
    const start = (): ChildProcess => spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'], env });
    spawned = { child: forkWithOomScoreAdj(setup.appOomScoreAdj, start) };
  } catch (error) {
    spawned = { failure: (error as Error).message };
  } finally {
    if (fd !== null) closeSync(fd);
  }
  // A command that cannot be run (ENOENT) still gives a child, without a pid; its 'error' event says why.
  const pid = 'child' in spawned ? spawned.child.pid ?? 0 : 0;
  const stat = pid > 0 ? procStat(pid) : null;
  return {
    index, pid, startTicks: stat?.startTime ?? null, startedAtMs,
    startUptime: stat ? stat.startTime / CLOCK_TICKS_PER_SECOND : uptimeSeconds(),
    adopted: false, groupLeader: true, cgroup, oomKillsBefore: before.oomKills, limitHitsBefore: before.limitHits,
    logOffset: output.path !== null ? logOffset : null,
    ended: 'child' in spawned ? childExit(spawned.child, pid, output) : Promise.resolve(spawnFailure(spawned.failure)),
    alive: pid > 0, request: null,
  };
}

/** Takes over the app an earlier supervisor started (it still runs: checked by the caller). */
export function adoptLife(record: PidRecord & { childPid: number }, index: number, output: OutputLog, pollMs: number): Life {
  const pid = record.childPid;
  const stat = procStat(pid);
  const cgroup = appCgroupOf(pid);
  const before = cgroupCounters(cgroup);
  output.resumeLife(record.logOffset);
  const startTicks = stat?.startTime ?? record.childStart;
  const bootMs = Date.now() - uptimeSeconds() * 1000;
  const startUptime = startTicks !== null ? startTicks / CLOCK_TICKS_PER_SECOND : uptimeSeconds();
  return {
    index, pid, startTicks, startedAtMs: Math.round(bootMs + startUptime * 1000), startUptime,
    adopted: true, groupLeader: stat?.pgid === pid, cgroup, oomKillsBefore: before.oomKills, limitHitsBefore: before.limitHits,
    logOffset: record.logOffset, ended: watchedExit(pid, startTicks, pollMs), alive: true, request: null,
  };
}

function spawnFailure(message: string): Exit {
  return { code: null, signal: null, statusKnown: false, diedAtMs: Date.now(), uncertaintySeconds: 0, spawnError: message };
}

/** The end of our own child, as wait() tells it; in pipe mode its output is passed on meanwhile. */
function childExit(child: ChildProcess, pid: number, output: OutputLog): Promise<Exit> {
  return new Promise<Exit>((resolve) => {
    let settled = false;
    child.once('error', (error) => {
      // With a pid, the app runs: an error is about something else (a signal that could not be sent).
      if (settled || pid > 0) return;
      settled = true;
      resolve(spawnFailure(error.message));
    });
    child.once('exit', (code, signal) => {
      if (settled) return;
      settled = true;
      const exit: Exit = { code, signal, statusKnown: true, diedAtMs: Date.now(), uncertaintySeconds: 0.1, spawnError: null };
      if (!child.stdout) return resolve(exit);
      // Pipe mode: let the last output arrive (not for long: a grandchild may hold the pipe open).
      const timer = setTimeout(() => resolve(exit), 200);
      child.once('close', () => {
        clearTimeout(timer);
        resolve(exit);
      });
    });
    if (child.stdout && child.stderr) {
      for (const stream of [child.stdout, child.stderr]) {
        stream.on('data', (chunk: Buffer) => {
          output.push(chunk);
          process.stderr.write(chunk);
        });
      }
    }
  });
}

/**
 * The end of an adopted app, seen in /proc every `pollMs`. It is not our child: only while it is a zombie does
 * /proc show its wait status; once reaped (or its pid reused) the status is unknown. Died within the last poll.
 */
function watchedExit(pid: number, startTicks: number | null, pollMs: number): Promise<Exit> {
  return new Promise<Exit>((resolve) => {
    const timer = setInterval(() => {
      const now = procStat(pid);
      const gone = now === null || now.startTime !== startTicks;
      if (!gone && now.state !== 'Z' && now.state !== 'X') return;
      clearInterval(timer);
      const status = !gone && now.exitStatus !== null ? decodeWaitStatus(now.exitStatus) : null;
      resolve({
        code: status?.code ?? null,
        signal: status?.signal ? signalName(status.signal) : null,
        statusKnown: status !== null,
        diedAtMs: Date.now() - pollMs / 2,
        uncertaintySeconds: pollMs / 2000,
        spawnError: null,
      });
    }, pollMs);
  });
}

/** What the app left behind in its group and cgroup goes with it, so that the next start is clean. */
export function killRemains(life: Life): void {
  if (life.pid > 0 && life.groupLeader) {
    try {
      process.kill(-life.pid, 'SIGKILL');
    } catch {
      // nothing left
    }
  }
  life.cgroup?.killAll();
}
