// `oomscope supervise`: starts the app and keeps it running, and writes a death certificate at every exit.
//
// One life at a time: start (or adopt) → wait for the end → certificate (incidents file, reporters, check.log) →
// backoff → start again, until a deliberate stop (SIGTERM/SIGINT to the supervisor). The app runs in its own session
// and process group (setsid), so signals for the supervisor do not reach it by accident; SIGTERM, SIGINT and SIGHUP
// are passed on to its group. The supervisor is the app's parent and reaps it (no zombie); an app adopted from an
// earlier supervisor is watched through /proc instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Lang } from '../i18n/messages.js';
import type { OomKill } from '../model/report.js';
import { fanOut, jsonLine, noticeJson, type IncidentNotice, type Reporter } from '../tell/reporters/reporter.js';
import { formatDuration } from '../tell/sizes.js';
import { formatInstant } from '../time/zone.js';
import { RestartPlanner, type RestartPolicy } from './backoff.js';
import { deathCertificate, type DeathCertificate, type LifeEnd } from './certificate.js';
import { CheckLog, type CheckLine } from './check-log.js';
import { KernelWatch, type KernelFinding, type KernelSource } from './kernel-watch.js';
import { appCgroupOf, createAppCgroup, type AppCgroup } from './memory-cgroup.js';
import { say, signalName } from './messages.js';
import { OutputLog } from './output-log.js';
import { PidFile, recordedProcessRuns, type PidRecord } from './pidfile.js';
import { bootId, CLOCK_TICKS_PER_SECOND, decodeWaitStatus, procStat, uptimeSeconds } from './proc.js';
import { formatBytes, goMemLimitFor } from './sizes.js';

export interface SuperviseOptions {
  /** COMMAND and its arguments. */
  command: string[];
  /** The name in check.log and in the certificates (default: the command's basename). */
  name: string;
  checkLog: string | null;
  /** running.log: the app's stdout and stderr, appended. */
  outputLog: string | null;
  incidents: string | null;
  pidfile: string | null;
  memoryMaxBytes: number | null;
  /** `auto` or a size; null leaves GOMEMLIMIT as the environment has it. */
  gomemlimit: string | null;
  policy: RestartPolicy;
  graceMs: number;
  /** How often check.log gets a line while nothing happens (cron's minute). */
  checkIntervalMs: number;
  /** How often an adopted app is looked at in /proc. */
  pollMs: number;
  kernel: KernelSource | 'none';
  reporters: Reporter[];
  metrics?: { countOomKill(kill: OomKill): void };
  lang: Lang;
  tz: string;
  host?: string;
  /** One line for a person (stderr by default). */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface Exit {
  code: number | null;
  signal: string | null;
  statusKnown: boolean;
  diedAtMs: number;
  uncertaintySeconds: number;
  spawnError: string | null;
}

interface Life {
  index: number;
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
  child: ChildProcess | null;
  ended: Promise<Exit>;
  alive: boolean;
  request: LifeEnd['request'];
}

/** How often the output and the kernel log are read while the app runs. */
const TICK_MS = 1000;

/** Runs until stopped; resolves with the supervisor's exit code (0 after a deliberate stop). */
export async function supervise(o: SuperviseOptions): Promise<number> {
  const log = o.log ?? ((line: string) => process.stderr.write(`oomscope: ${line}\n`));
  const host = o.host ?? hostname();
  const fmt = (ms: number): string => formatInstant(ms, o.tz);
  const t = (code: string, params: Record<string, string | number> = {}): string => say(o.lang, code, params);

  // The app's cgroup first (a usage error leaves an earlier supervisor's record alone), then the lock: if another
  // supervisor runs this app, our cgroup goes again and nothing else was touched.
  const ownCgroup: AppCgroup | null = o.memoryMaxBytes !== null ? createAppCgroup(o.name, o.memoryMaxBytes) : null;
  let pidfile: PidFile | null = null;
  let previous: PidRecord | null = null;
  try {
    if (o.pidfile) ({ pidfile, previous } = PidFile.acquire(o.pidfile, o.name));
  } catch (error) {
    ownCgroup?.remove();
    throw error;
  }
  const adoptable = previous && previous.childPid !== null && recordedProcessRuns(previous.childPid, previous.childStart, previous.boot) ? previous : null;
  const goMemLimit = o.gomemlimit === null ? null : goMemLimitFor(o.gomemlimit, o.memoryMaxBytes);
  const boot = bootId();
  const kernel = new KernelWatch(o.tz, log, o.kernel);
  if (!kernel.readable) log(`kernel log: ${kernel.problem}; a SIGKILL cannot be told from an OOM kill`);
  const output = new OutputLog(o.outputLog);
  output.start();
  const check = o.checkLog ? new CheckLog(o.checkLog, o.name, log) : null;
  const reporter = fanOut(o.reporters, log);
  const planner = new RestartPlanner(o.policy);

  let current: Life | null = null;
  let stopping: { signal: string } | null = null;
  let wake: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  let graceTimer: NodeJS.Timeout | null = null;

  const signalLife = (life: Life, signal: NodeJS.Signals): void => {
    try {
      process.kill(life.groupLeader ? -life.pid : life.pid, signal);
    } catch {
      // gone already
    }
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    const life = current;
    if (signal === 'SIGHUP') {
      if (!life || !life.alive || stopping) return;
      log(t('log.forward', { signal, name: o.name, pid: life.pid }));
      life.request = { kind: 'restart', signal, killed: false, graceSeconds: o.graceMs / 1000 };
      signalLife(life, signal);
      // Still running after the grace period: the app took SIGHUP as a reload, not as the end.
      setTimeout(() => {
        if (life.alive && life.request?.kind === 'restart') life.request = null;
      }, o.graceMs).unref();
      return;
    }
    if (stopping) {
      // A second SIGTERM/SIGINT: no more waiting.
      if (life?.alive) {
        log(t('log.grace-over', { name: o.name, pid: life.pid, grace: '0 s', signal }));
        if (life.request) life.request.killed = true;
        signalLife(life, 'SIGKILL');
      }
      return;
    }
    stopping = { signal };
    wake();
    if (!life || !life.alive) return;
    log(t('log.stopping', { name: o.name, pid: life.pid, signal, grace: formatDuration(o.graceMs / 1000) }));
    life.request = { kind: 'stop', signal, killed: false, graceSeconds: o.graceMs / 1000 };
    check?.stopping(life.pid);
    signalLife(life, signal);
    graceTimer = setTimeout(() => {
      if (!life.alive) return;
      log(t('log.grace-over', { name: o.name, pid: life.pid, grace: formatDuration(o.graceMs / 1000), signal }));
      if (life.request) life.request.killed = true;
      signalLife(life, 'SIGKILL');
    }, o.graceMs);
  };
  const handlers: [NodeJS.Signals, () => void][] = (['SIGTERM', 'SIGINT', 'SIGHUP'] as NodeJS.Signals[]).map((s) => [s, () => onSignal(s)]);
  for (const [signal, handler] of handlers) process.on(signal, handler);

  // cron's minute: how many instances run now.
  const checkTimer = check ? setInterval(() => check.count(current?.alive ? 1 : 0), o.checkIntervalMs) : null;
  // Keep up with the output and the kernel log, so that reading them at a death is quick.
  const tick = setInterval(() => {
    output.readNew();
    kernel.poll();
  }, TICK_MS);

  const counters = (cgroup: AppCgroup | null): { oomKills: number | null; limitHits: number | null } => ({
    oomKills: cgroup?.oomKills() ?? null,
    limitHits: cgroup?.limitHits() ?? null,
  });

  const start = (index: number): Life => {
    const argv = ownCgroup ? ownCgroup.wrap(o.command) : [...o.command];
    const env: NodeJS.ProcessEnv = { ...(o.env ?? process.env) };
    if (goMemLimit !== null) env.GOMEMLIMIT = goMemLimit;
    const logOffset = output.beginLife();
    const fd = output.path !== null ? output.openForChild() : null;
    const before = counters(ownCgroup);
    const startedAtMs = Date.now();
    let child: ChildProcess;
    let spawnFailure: string | null = null;
    try {
      child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'], env });
    } catch (error) {
      spawnFailure = (error as Error).message;
      child = null as unknown as ChildProcess;
    } finally {
      if (fd !== null) closeSync(fd);
    }
    const pid = child?.pid ?? 0;
    const stat = pid > 0 ? procStat(pid) : null;
    const life: Life = {
      index, pid, startTicks: stat?.startTime ?? null, startedAtMs,
      startUptime: stat ? stat.startTime / CLOCK_TICKS_PER_SECOND : uptimeSeconds(),
      adopted: false, groupLeader: true, cgroup: ownCgroup, oomKillsBefore: before.oomKills, limitHitsBefore: before.limitHits,
      child, ended: Promise.resolve(null as unknown as Exit), alive: pid > 0, request: null,
    };
    life.ended = new Promise<Exit>((resolve) => {
      if (!child || spawnFailure !== null) {
        resolve({ code: null, signal: null, statusKnown: false, diedAtMs: Date.now(), uncertaintySeconds: 0, spawnError: spawnFailure ?? 'spawn failed' });
        return;
      }
      let settled = false;
      child.once('error', (error) => {
        if (settled || pid > 0) return;
        settled = true;
        resolve({ code: null, signal: null, statusKnown: false, diedAtMs: Date.now(), uncertaintySeconds: 0, spawnError: error.message });
      });
      child.once('exit', (code, signal) => {
        if (settled) return;
        settled = true;
        const diedAtMs = Date.now();
        const exit: Exit = { code, signal, statusKnown: true, diedAtMs, uncertaintySeconds: 0.1, spawnError: null };
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
    if (pid > 0) {
      pidfile?.update({ childPid: pid, childStart: life.startTicks, logOffset: output.path !== null ? logOffset : null, cgroup: ownCgroup?.dir ?? null });
      log(t('log.started', {
        name: o.name, pid, cgroup: ownCgroup?.kernelPath ?? '', limit: ownCgroup?.limitBytes ? formatBytes(ownCgroup.limitBytes) : '',
        swap: ownCgroup?.swapLimited ? 1 : 0, gomemlimit: goMemLimit ?? '',
      }));
    }
    return life;
  };

  const adopt = (record: PidRecord, index: number): Life => {
    const pid = record.childPid!;
    const stat = procStat(pid);
    const cgroup = appCgroupOf(pid);
    const before = counters(cgroup);
    output.resumeLife(record.logOffset);
    const startTicks = stat?.startTime ?? record.childStart;
    const bootMs = Date.now() - uptimeSeconds() * 1000;
    const startUptime = startTicks !== null ? startTicks / CLOCK_TICKS_PER_SECOND : uptimeSeconds();
    const life: Life = {
      index, pid, startTicks, startedAtMs: Math.round(bootMs + startUptime * 1000), startUptime,
      adopted: true, groupLeader: stat?.pgid === pid, cgroup, oomKillsBefore: before.oomKills, limitHitsBefore: before.limitHits,
      child: null, ended: Promise.resolve(null as unknown as Exit), alive: true, request: null,
    };
    life.ended = new Promise<Exit>((resolve) => {
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
          diedAtMs: Date.now() - o.pollMs / 2,
          uncertaintySeconds: o.pollMs / 2000,
          spawnError: null,
        });
      }, o.pollMs);
    });
    pidfile?.update({ childPid: pid, childStart: startTicks, logOffset: record.logOffset, cgroup: cgroup?.dir ?? null });
    log(t('log.adopted', { name: o.name, pid, previous: record.supervisorPid }));
    return life;
  };

  /** The kernel's word on the death; for a SIGKILL that may be an OOM kill, waits a moment for the record. */
  const kernelFinding = async (life: Life, exit: Exit): Promise<KernelFinding> => {
    let finding = kernel.find(life.pid, life.startUptime, life.startedAtMs);
    const maybeOom = exit.signal === 'SIGKILL' || !exit.statusKnown;
    if (finding.kill || !maybeOom || !kernel.readable) return finding;
    const after = counters(life.cgroup);
    // The cgroup counts every OOM kill of its processes (a machine-wide one too): none counted, none to wait for.
    const counted = after.oomKills !== null && life.oomKillsBefore !== null ? after.oomKills > life.oomKillsBefore : null;
    if (counted === false) return finding;
    const deadline = Date.now() + (counted ? 900 : kernel.source === 'journal' ? 700 : 300);
    while (!finding.kill && Date.now() < deadline) {
      await sleep(25);
      finding = kernel.find(life.pid, life.startUptime, life.startedAtMs);
    }
    return finding;
  };

  const announce = async (notice: IncidentNotice): Promise<void> => {
    if (o.incidents) {
      try {
        appendFileSync(o.incidents, jsonLine(noticeJson(notice)) + '\n');
      } catch (error) {
        log(`cannot write ${o.incidents}: ${(error as Error).message}`);
      }
    }
    await reporter.report(notice);
  };

  let lastCertificate: DeathCertificate | null = null;
  let index = 0;
  try {
    let adoptNext = adoptable;
    while (!stopping) {
      const life = adoptNext ? adopt(adoptNext, index) : start(index);
      adoptNext = null;
      current = life;
      if (life.alive) {
        check?.count(1);
        if (lastCertificate && !life.adopted) {
          const restartedAt = fmt(life.startedAtMs);
          const diedMs = Date.parse(lastCertificate.diedAt ?? '');
          const update: DeathCertificate = {
            ...lastCertificate,
            restartedAt,
            downtimeSeconds: Number.isNaN(diedMs) ? null : Math.max(0, Math.round((life.startedAtMs - diedMs) / 100) / 10),
          };
          lastCertificate = null;
          await announce({ kind: 'update', incident: update, host });
        }
      }
      const exit = await life.ended;
      life.alive = false;
      if (graceTimer) clearTimeout(graceTimer);
      const finding = exit.spawnError === null ? await kernelFinding(life, exit) : { kill: null, userspace: null };
      const after = counters(life.cgroup);
      // What the app left behind in its group and cgroup goes with it, so the next start is clean.
      if (life.pid > 0 && life.groupLeader) {
        try {
          process.kill(-life.pid, 'SIGKILL');
        } catch {
          // nothing left
        }
      }
      life.cgroup?.killAll();
      const tail = output.lifeTail();
      const checkLine: CheckLine | null = check?.count(0) ?? null;
      const deliberate = life.request !== null;
      const plan = deliberate || stopping ? null : planner.onDeath(life.startedAtMs, exit.diedAtMs);
      const end: LifeEnd = {
        name: o.name, pid: life.pid, startTicks: life.startTicks, boot, startedAtMs: life.startedAtMs, diedAtMs: exit.diedAtMs,
        diedAtUncertaintySeconds: exit.uncertaintySeconds, code: exit.code, signal: exit.signal, statusKnown: exit.statusKnown,
        request: life.request, adopted: life.adopted, spawnError: exit.spawnError, tail, outputPath: output.evidencePath,
        kernel: finding, kernelSource: kernel.source,
        cgroup: life.cgroup ? {
          kernelPath: life.cgroup.kernelPath, limitBytes: life.cgroup.limitBytes, oomKillsBefore: life.oomKillsBefore, oomKillsAfter: after.oomKills,
          limitHitsBefore: life.limitHitsBefore, limitHitsAfter: after.limitHits,
        } : null,
        checkLine, crashLoop: plan?.crashLoop ? { deaths: plan.recentDeaths, windowSeconds: o.policy.crashLoopWindowMs / 1000 } : null,
        contained: ownCgroup !== null, life: life.index,
      };
      const certificate = deathCertificate(end, { lang: o.lang, tz: o.tz });
      if (certificate.kill) o.metrics?.countOomKill(certificate.kill);
      log(t('log.died', { name: o.name, pid: life.pid, ran: formatDuration(certificate.supervisor.runSeconds), verdict: certificate.verdict, confidence: certificate.confidence }));
      await announce({ kind: 'incident', incident: certificate, host });
      lastCertificate = certificate;
      pidfile?.update({ childPid: null, childStart: null, logOffset: null });
      if (life.adopted && life.cgroup && life.cgroup !== ownCgroup) {
        // The earlier supervisor's cgroup: empty now, and ours is used from here on.
        life.cgroup.remove();
      }
      index++;
      if (stopping) break;
      let delayMs = 0;
      if (plan) {
        if (plan.crashLoopEnded) log(t('log.crash-loop-ended', { name: o.name, ran: formatDuration(certificate.supervisor.runSeconds) }));
        delayMs = plan.delayMs;
        if (plan.crashLoopStarted) {
          log(t('log.crash-loop', { name: o.name, deaths: plan.recentDeaths, window: formatDuration(o.policy.crashLoopWindowMs / 1000), delay: formatDuration(delayMs / 1000) }));
        }
      }
      log(t('log.restart-in', { name: o.name, delay: formatDuration(delayMs / 1000), reset: plan?.reset && index > 1 ? 1 : 0 }));
      current = null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        void stopped.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    log(t('log.stopped', { name: o.name }));
    return 0;
  } finally {
    if (checkTimer) clearInterval(checkTimer);
    clearInterval(tick);
    if (graceTimer) clearTimeout(graceTimer);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    kernel.close();
    if (stopping || !current?.alive) {
      // An orderly end: the app is not running, so nothing is left to adopt.
      if (ownCgroup && !ownCgroup.remove()) log(`could not remove the memory cgroup ${ownCgroup.dir}`);
      pidfile?.release();
    }
    await reporter.close();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
