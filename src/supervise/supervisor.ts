// `oomscope supervise`: starts the app and keeps it running, and writes a death certificate at every exit.
//
// One life at a time: start (or adopt) → wait for the end → certificate (incidents file, reporters, check.log) →
// backoff → start again, until a deliberate stop (SIGTERM/SIGINT to the supervisor). The app runs in its own session
// and process group (setsid), so signals for the supervisor do not reach it by accident; SIGTERM, SIGINT and SIGHUP
// are passed on to its group. The supervisor is the app's parent and reaps it (no zombie); an app adopted from an
// earlier supervisor is watched through /proc instead. A life is in life.ts, the signals in signals.ts; here is the loop.
import { appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { message, type Lang } from '../i18n/messages.js';
import type { OomKill } from '../model/report.js';
import { fanOut, jsonLine, noticeJson, type IncidentNotice, type Reporter } from '../tell/reporters/reporter.js';
import { formatDuration } from '../tell/sizes.js';
import { formatInstant } from '../time/zone.js';
import { RestartPlanner, type RestartPlan, type RestartPolicy } from './backoff.js';
import { deathCertificate, type DeathCertificate, type LifeEnd } from './certificate.js';
import { CheckLog } from './check-log.js';
import { KernelWatch, type KernelFinding, type KernelSource } from './kernel-watch.js';
import { adoptLife, cgroupCounters, killRemains, startLife, type Exit, type Life } from './life.js';
import { createAppCgroup, type AppCgroup } from './memory-cgroup.js';
import { say, type SayCode } from '../i18n/supervise-messages.js';
import { OutputLog } from './output-log.js';
import { PidFile, recordedProcessRuns, type PidRecord } from './pidfile.js';
import { bootId } from './proc.js';
import { SignalRelay } from './signals.js';
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
  /** The app's oom_score_adj when the supervisor lowered its own (the value it inherited); null or absent: as ours. */
  appOomScoreAdj?: number | null;
}

/** How often the output is read while the app runs. */
const TICK_MS = 1000;
/**
 * The kernel log is read every this many ticks: often enough that the ring buffer cannot wrap between reads, rarely
 * enough that an idle supervisor does not pay each second for /dev/kmsg's EAGAIN. A death reads it again at once.
 */
const KERNEL_EVERY_TICKS = 5;

/** A record of an app started by an earlier supervisor that still runs. */
type Adoptable = PidRecord & { childPid: number };

/** Runs until stopped; resolves with the supervisor's exit code (0 after a deliberate stop). */
export async function supervise(o: SuperviseOptions): Promise<number> {
  const log = o.log ?? ((line: string) => process.stderr.write(`oomscope: ${line}\n`));
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
  const adoptable = isAdoptable(previous) ? previous : null;
  return new Supervision(o, log, ownCgroup, pidfile).run(adoptable);
}

function isAdoptable(record: PidRecord | null): record is Adoptable {
  return record !== null && record.childPid !== null && recordedProcessRuns(record.childPid, record.childStart, record.boot);
}

/** One run of `oomscope supervise`: what lasts across the app's lives, and the loop over them. */
class Supervision {
  private readonly host: string;
  private readonly goMemLimit: string | null;
  private readonly boot: string | null;
  private readonly kernel: KernelWatch;
  private readonly output: OutputLog;
  private readonly check: CheckLog | null;
  private readonly reporter: Reporter;
  private readonly planner: RestartPlanner;
  private readonly signals: SignalRelay;
  private readonly checkTimer: NodeJS.Timeout | null;
  private readonly tick: NodeJS.Timeout;
  private current: Life | null = null;
  /** The last death's certificate, until the restart after it is told as its update. */
  private lastCertificate: DeathCertificate | null = null;
  private readonly say = (code: SayCode, params: Record<string, string | number> = {}): string => say(this.o.lang, code, params);

  constructor(
    private readonly o: SuperviseOptions,
    private readonly log: (line: string) => void,
    private readonly ownCgroup: AppCgroup | null,
    private readonly pidfile: PidFile | null,
  ) {
    this.host = o.host ?? hostname();
    this.goMemLimit = o.gomemlimit === null ? null : goMemLimitFor(o.gomemlimit, o.memoryMaxBytes);
    this.boot = bootId();
    this.kernel = new KernelWatch(o.tz, log, o.kernel, o.lang);
    if (!this.kernel.readable) log(`kernel log: ${this.kernel.problem}; a SIGKILL cannot be told from an OOM kill`);
    this.output = new OutputLog(o.outputLog);
    this.output.start();
    const check = o.checkLog ? new CheckLog(o.checkLog, o.name, log) : null;
    this.check = check;
    this.reporter = fanOut(o.reporters, log);
    this.planner = new RestartPlanner(o.policy);
    this.signals = new SignalRelay({ name: o.name, graceMs: o.graceMs, log, say: this.say, lang: o.lang, check, current: () => this.current });
    this.signals.listen();
    // cron's minute: how many instances run now.
    this.checkTimer = check ? setInterval(() => check.count(this.current?.alive ? 1 : 0), o.checkIntervalMs) : null;
    // Keep up with the output and the kernel log, so that reading them at a death is quick.
    let ticks = 0;
    this.tick = setInterval(() => {
      this.output.readNew();
      if (++ticks % KERNEL_EVERY_TICKS === 0) this.kernel.poll();
    }, TICK_MS);
  }

  async run(adoptable: Adoptable | null): Promise<number> {
    try {
      let adoptNext = adoptable;
      let index = 0;
      while (!this.signals.stopping) {
        const life = adoptNext ? this.adopt(adoptNext, index) : this.start(index);
        adoptNext = null;
        this.current = life;
        if (life.alive) await this.lifeBegan(life);
        const exit = await life.ended;
        life.alive = false;
        this.signals.lifeEnded();
        const { certificate, plan } = await this.certify(life, exit);
        index++;
        if (this.signals.stopping) break;
        await this.pauseBeforeRestart(plan, certificate, index);
      }
      this.log(this.say('log.stopped', { name: this.o.name }));
      return 0;
    } finally {
      await this.close();
    }
  }

  private start(index: number): Life {
    const { o, ownCgroup: cgroup, goMemLimit } = this;
    const life = startLife({ command: o.command, env: o.env, goMemLimit, cgroup, output: this.output, appOomScoreAdj: o.appOomScoreAdj ?? null }, index);
    if (life.pid > 0) {
      this.recordLife(life);
      this.log(this.say('log.started', {
        name: o.name, pid: life.pid, cgroup: cgroup?.kernelPath ?? '', limit: cgroup?.limitBytes ? formatBytes(cgroup.limitBytes) : '',
        swap: cgroup?.swapLimited ? 1 : 0, gomemlimit: goMemLimit ?? '',
      }));
    }
    return life;
  }

  private adopt(record: Adoptable, index: number): Life {
    const life = adoptLife(record, index, this.output, this.o.pollMs);
    this.recordLife(life);
    this.log(this.say('log.adopted', { name: this.o.name, pid: life.pid, previous: record.supervisorPid }));
    return life;
  }

  /** The pidfile names the running app, so that a supervisor after us can adopt it. */
  private recordLife(life: Life): void {
    this.pidfile?.update({ childPid: life.pid, childStart: life.startTicks, logOffset: life.logOffset, cgroup: life.cgroup?.dir ?? null });
  }

  /** check.log counts it; a restart after a death is told as an update of that death's certificate. */
  private async lifeBegan(life: Life): Promise<void> {
    this.check?.count(1);
    const last = this.lastCertificate;
    if (!last || life.adopted) return;
    const diedMs = Date.parse(last.diedAt ?? '');
    const update: DeathCertificate = {
      ...last,
      restartedAt: formatInstant(life.startedAtMs, this.o.tz),
      downtimeSeconds: Number.isNaN(diedMs) ? null : Math.max(0, Math.round((life.startedAtMs - diedMs) / 100) / 10),
    };
    this.lastCertificate = null;
    await this.announce({ kind: 'update', incident: update, host: this.host });
  }

  /** Clears up after a life and tells its death certificate; the restart plan is null when none is due. */
  private async certify(life: Life, exit: Exit): Promise<{ certificate: DeathCertificate; plan: RestartPlan | null }> {
    const { o } = this;
    const finding = exit.spawnError === null ? await kernelFinding(this.kernel, life, exit) : { kill: null, userspace: null };
    const after = cgroupCounters(life.cgroup);
    killRemains(life);
    const tail = this.output.lifeTail();
    const checkLine = this.check?.count(0) ?? null;
    const deliberate = life.request !== null;
    const plan = deliberate || this.signals.stopping ? null : this.planner.onDeath(life.startedAtMs, exit.diedAtMs);
    const end: LifeEnd = {
      name: o.name, pid: life.pid, startTicks: life.startTicks, boot: this.boot, startedAtMs: life.startedAtMs, diedAtMs: exit.diedAtMs,
      diedAtUncertaintySeconds: exit.uncertaintySeconds, code: exit.code, signal: exit.signal, statusKnown: exit.statusKnown,
      request: life.request, adopted: life.adopted, spawnError: exit.spawnError, tail, outputPath: this.output.evidencePath,
      kernel: finding, kernelSource: this.kernel.source,
      cgroup: life.cgroup ? {
        kernelPath: life.cgroup.kernelPath, limitBytes: life.cgroup.limitBytes, oomKillsBefore: life.oomKillsBefore, oomKillsAfter: after.oomKills,
        limitHitsBefore: life.limitHitsBefore, limitHitsAfter: after.limitHits,
      } : null,
      checkLine, crashLoop: plan?.crashLoop ? { deaths: plan.recentDeaths, windowSeconds: o.policy.crashLoopWindowMs / 1000 } : null,
      contained: this.ownCgroup !== null, life: life.index,
    };
    const certificate = deathCertificate(end, { lang: o.lang, tz: o.tz });
    if (certificate.kill) o.metrics?.countOomKill(certificate.kill);
    const ran = formatDuration(certificate.supervisor.runSeconds, o.lang);
    const verdictText = message(o.lang, `verdict.${certificate.verdict}`);
    const confidenceText = message(o.lang, `confidence.${certificate.confidence}`);
    this.log(this.say('log.died', { name: o.name, pid: life.pid, ran, verdict: certificate.verdict, confidence: certificate.confidence, verdictText, confidenceText }));
    await this.announce({ kind: 'incident', incident: certificate, host: this.host });
    this.lastCertificate = certificate;
    this.pidfile?.update({ childPid: null, childStart: null, logOffset: null });
    // An adopted app ran in the earlier supervisor's cgroup: empty now, and ours is used from here on.
    if (life.adopted && life.cgroup && life.cgroup !== this.ownCgroup) life.cgroup.remove();
    return { certificate, plan };
  }

  /** The backoff (none after a deliberate restart), cut short by a stop. */
  private async pauseBeforeRestart(plan: RestartPlan | null, certificate: DeathCertificate, index: number): Promise<void> {
    const { o } = this;
    let delayMs = 0;
    if (plan) {
      if (plan.crashLoopEnded) this.log(this.say('log.crash-loop-ended', { name: o.name, ran: formatDuration(certificate.supervisor.runSeconds, o.lang) }));
      delayMs = plan.delayMs;
      if (plan.crashLoopStarted) {
        const window = formatDuration(o.policy.crashLoopWindowMs / 1000, o.lang);
        this.log(this.say('log.crash-loop', { name: o.name, deaths: plan.recentDeaths, window, delay: formatDuration(delayMs / 1000, o.lang) }));
      }
    }
    this.log(this.say('log.restart-in', { name: o.name, delay: formatDuration(delayMs / 1000, o.lang), reset: plan?.reset && index > 1 ? 1 : 0 }));
    this.current = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delayMs);
      void this.signals.stopped.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async announce(notice: IncidentNotice): Promise<void> {
    if (this.o.incidents) {
      try {
        appendFileSync(this.o.incidents, jsonLine(noticeJson(notice)) + '\n');
      } catch (error) {
        this.log(`cannot write ${this.o.incidents}: ${(error as Error).message}`);
      }
    }
    await this.reporter.report(notice);
  }

  private async close(): Promise<void> {
    if (this.checkTimer) clearInterval(this.checkTimer);
    clearInterval(this.tick);
    this.signals.close();
    this.kernel.close();
    if (this.signals.stopping || !this.current?.alive) {
      // An orderly end: the app is not running, so nothing is left to adopt.
      if (this.ownCgroup && !this.ownCgroup.remove()) this.log(`could not remove the memory cgroup ${this.ownCgroup.dir}`);
      this.pidfile?.release();
    }
    await this.reporter.close();
  }
}

/** The kernel's word on the death; for a SIGKILL that may be an OOM kill, waits a moment for the record. */
async function kernelFinding(kernel: KernelWatch, life: Life, exit: Exit): Promise<KernelFinding> {
  let finding = kernel.find(life.pid, life.startUptime, life.startedAtMs);
  const maybeOom = exit.signal === 'SIGKILL' || !exit.statusKnown;
  if (finding.kill || !maybeOom || !kernel.readable) return finding;
  const after = cgroupCounters(life.cgroup);
  // The cgroup counts every OOM kill of its processes (a machine-wide one too): none counted, none to wait for.
  const counted = after.oomKills !== null && life.oomKillsBefore !== null ? after.oomKills > life.oomKillsBefore : null;
  if (counted === false) return finding;
  const deadline = Date.now() + (counted ? 900 : kernel.source === 'journal' ? 700 : 300);
  while (!finding.kill && Date.now() < deadline) {
    await sleep(25);
    finding = kernel.find(life.pid, life.startUptime, life.startedAtMs);
  }
  return finding;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
