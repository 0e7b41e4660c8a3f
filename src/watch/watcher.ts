// `oomscope watch`: follows the logs live, runs the same analysis as `diagnose` on what they hold so far, and tells
// each death once — as soon as its evidence settles — and once more when it is back.
import { hostname } from 'node:os';
import type { AppLogRead, GuardianLogRead } from '../assemble/local-log.js';
import { analyse, chooseInputs, settingsFrom, type Settings } from '../diagnose.js';
import type { DiagnoseOptions } from '../options.js';
import { collectLocal } from '../pipeline/local-inputs.js';
import type { OomKill, Report } from '../model/report.js';
import type { IncidentNotice, KillNotice, Reporter } from '../tell/reporters/reporter.js';
import { cliMessage } from '../i18n/cli-messages.js';
import { watchMessage } from '../i18n/watch-messages.js';
import type { WatchText } from './follow-file.js';
import { LiveKernelLog, liveApp, liveGuardian, type FollowedInput } from './live-inputs.js';
import { loadState, saveState } from './watch-state.js';

/** What the metrics reporter offers beyond telling incidents. */
interface MetricsSink {
  countOomKill(kill: OomKill): void;
  health(input: { input: string; linesRead: number; lastReadMs: number | null; parseErrors: number }): void;
  exportCounters(): unknown;
  importCounters(saved: unknown): void;
}

export interface WatchOptions extends DiagnoseOptions {
  statePath: string;
  reporters: Reporter[];
  metrics?: MetricsSink;
  /** How often the inputs are read. */
  pollMs?: number;
  /** A death known only by silence is told after this long even if nobody saw it come back. */
  settleSeconds?: number;
  host?: string;
  /** Stops watching when aborted. */
  signal?: AbortSignal;
  /** One-line problems for a person (rotation, unreadable input, lost records). */
  log?: (line: string) => void;
  /** Tell deaths of the watched process only, not OOM kills of other processes. */
  onlyProcess?: boolean;
  /** No start line (what is watched and what will be told); problems are still written. */
  quiet?: boolean;
  /**
   * An OOM block still open after the kernel log has been quiet this long is told as it stands (a selection line
   * without its kill line is a kill, a header alone an unfinished OOM), as diagnose tells it at the end of its input.
   */
  kernelQuietMs?: number;
  /** Called after every pass with what it cost (for tests and the benchmark: counts, never times). */
  onPass?: (pass: PassCost) => void;
}

/** What one pass did: lines parsed (only those appended since the last pass) and whether it judged again. */
export interface PassCost {
  lines: number;
  /** Records the readers hold (kernel records, guardian checks, app starts): the analysis runs over these. */
  records: number;
  judged: boolean;
}

/** Verdicts whose own record names the cause: told at once. The others wait for the restart or the settle delay. */
const SELF_EVIDENT = new Set(['kernel-oom', 'cgroup-oom', 'userspace-oom', 'go-runtime-oom', 'go-panic', 'go-fatal', 'startup-failure', 'stopped', 'signaled', 'exited']);
/** The kernel prints a whole OOM block within moments: quiet this long after an open block, the rest is not coming. */
const KERNEL_QUIET_MS = 3000;
/** An OOM kill of another process this close to a death of the watched one: the watched one did not survive it. */
const SURVIVED_MARGIN_MS = 60_000;
/** On restart, deaths up to this long before the last save are caught up (if not told yet). */
const CATCH_UP_MS = 24 * 3600_000;
const SAVE_EVERY_MS = 10_000;

/** Names of rotated siblings (`x.1`, `x.2.gz`): history, not followed live. */
function isRotated(path: string): boolean {
  return /\.\d+(\.gz)?$|\.gz$/.test(path);
}

// (Over 80 lines: the watcher's loop with its state — inputs, told incidents, timers — in one closure.)
export async function watch(options: WatchOptions): Promise<void> {
  const settings = settingsFrom(options);
  const inputs = chooseInputs(options, settings.process);
  const log = options.log ?? ((line: string) => process.stderr.write(`oomscope: ${line}\n`));
  const host = options.host ?? hostname();
  const now = Date.now();
  const loaded = loadState(options.statePath, now);
  const say = (text: WatchText): void => log(watchMessage(settings.lang, text.code, text.params));
  if (loaded.problem) say(loaded.problem);
  const state = loaded.state;
  // Deaths before this are history: on the first run, everything already in the logs; later, what the last run saw.
  const horizon = state.savedAt !== null ? Math.max(state.since, state.savedAt - CATCH_UP_MS) : now;
  if (options.metrics && state.counters) options.metrics.importCounters(state.counters);

  const guardians = inputs.check.filter((p) => !isRotated(p)).map((path) => liveGuardian(path, say));
  const apps = inputs.app.filter((p) => !isRotated(p)).map((path) => liveApp(path, say));
  const kernels = inputs.kernel.filter((p) => !isRotated(p) && p !== '-').map((path) => new LiveKernelLog(path, say, state.cursors[path]));
  if (guardians.length + apps.length + kernels.length === 0) throw new Error(watchMessage(settings.lang, 'watch.nothing-to-watch'));
  const tellsOthers = options.onlyProcess !== true && kernels.length > 0;
  const watched = [...guardians.map((g) => g.log.path), ...apps.map((a) => a.log.path), ...kernels.map((k) => k.path)];
  if (!options.quiet) log(cliMessage(settings.lang, 'watch.start', { inputs: watched.join(', '), process: settings.process, others: tellsOthers ? 1 : 0 }));
  if (kernels.length === 0) log(cliMessage(settings.lang, 'watch.no-kernel', { process: settings.process }));

  // What the logs already hold is read the fast way first; following starts at their ends.
  for (const kernel of kernels) await kernel.catchUp();
  for (const app of apps) await app.log.catchUp();
  const followed: FollowedInput[] = [...guardians.map((g) => g.log.input), ...apps.map((a) => a.log.input), ...kernels.map((k) => k.input)];

  const pending = new Map<string, number>(); // incident id → when first seen unsettled
  const countedKills = new Set<string>();
  let lastSave = 0;
  let firstPass = true;

  const quietMs = options.kernelQuietMs ?? KERNEL_QUIET_MS;
  // Records held when the last analysis ran: lines that add none (the kernel's chatter, access logs) change no verdict.
  let recordsJudged = -1;
  const recordsHeld = (): number =>
    guardians.reduce((n, g) => n + g.log.records.length, 0) + apps.reduce((n, a) => n + a.log.records.length, 0) +
    kernels.reduce((n, k) => n + k.reader.read.records.length, 0);
  const pass = async (): Promise<void> => {
    let fresh = 0;
    for (const input of followed) fresh += input.poll();
    for (const kernel of kernels) kernel.refreshReference();
    // A block the kernel log left open (a selection line without its kill line) is told once the log has gone quiet.
    for (const kernel of kernels) kernel.closeQuietBlocks(Date.now(), quietMs);
    const records = recordsHeld();
    const judge = firstPass || pending.size > 0 || records !== recordsJudged;
    options.onPass?.({ lines: fresh, records, judged: judge });
    if (options.metrics && (fresh > 0 || firstPass)) {
      for (const input of followed) {
        options.metrics.health({ input: input.path, linesRead: input.linesRead(), lastReadMs: input.lastReadMs(), parseErrors: parseErrors(kernels, input.path) });
      }
    }
    if (judge) {
      recordsJudged = records;
      const report = snapshot(settings, guardians.map((g) => g.read()), apps.map((a) => a.read()), kernels);
      await tell(report, firstPass);
      firstPass = false;
    }
    if (Date.now() - lastSave > SAVE_EVERY_MS && (fresh > 0 || judge)) save();
  };

  const tell = async (report: Report, initial: boolean): Promise<void> => {
    for (const kill of report.oomKills) {
      if (countedKills.has(kill.id)) continue;
      countedKills.add(kill.id);
      const at = kill.time ? Date.parse(kill.time) : null;
      if (!initial || (at !== null && at >= horizon)) options.metrics?.countOomKill(kill);
    }
    if (tellsOthers) await tellOtherKills(report, initial);
    for (const incident of report.incidents) {
      const told = state.told[incident.id];
      const diedAt = incident.diedAt ? Date.parse(incident.diedAt) : null;
      // The latest the death can have been: one seen only between the guardian's checks may straddle the horizon
      // (alive at the last check before watching began, found dead after), and then it is news.
      const latest = diedAt !== null ? diedAt + (incident.diedAtUncertaintySeconds ?? 0) * 1000 : null;
      if (!told) {
        if (diedAt !== null && latest !== null && latest < horizon) {
          // History: deaths from before watching began are not news, nor are their restarts.
          state.told[incident.id] = { restarted: true, at: diedAt };
          continue;
        }
        const firstSeen = pending.get(incident.id) ?? Date.now();
        pending.set(incident.id, firstSeen);
        const settled = (SELF_EVIDENT.has(incident.verdict) && incident.confidence === 'confirmed') || incident.restartedAt !== null ||
          Date.now() - firstSeen >= (options.settleSeconds ?? 90) * 1000;
        if (!settled) continue;
        pending.delete(incident.id);
        state.told[incident.id] = { restarted: incident.restartedAt !== null, at: diedAt ?? Date.now() };
        await announce({ kind: 'incident', incident, host });
      } else if (!told.restarted && incident.restartedAt !== null) {
        told.restarted = true;
        await announce({ kind: 'update', incident, host });
      }
    }
    // A death waiting to settle can take another id when stronger evidence joins it (the guardian's 0, then the
    // kill record): the old id is gone for good, and waiting for it would re-analyse everything at every poll.
    const present = new Set(report.incidents.map((i) => i.id));
    for (const id of pending.keys()) if (!present.has(id)) pending.delete(id);
  };

  /** Kills of other processes, as diagnose's summary lists them: each told once, news only (as deaths are). */
  const tellOtherKills = async (report: Report, initial: boolean): Promise<void> => {
    for (const other of report.summary.otherKills) {
      if (state.told[other.id]) continue;
      const kill = report.oomKills.find((k) => k.id === other.id);
      if (!kill) continue;
      const at = kill.time ? Date.parse(kill.time) : null;
      state.told[other.id] = { restarted: true, at: at ?? Date.now() };
      if (initial && at !== null && at < horizon) continue;
      const survived = at === null || !report.incidents.some((i) => i.diedAt !== null && Math.abs(Date.parse(i.diedAt) - at) <= SURVIVED_MARGIN_MS);
      await announceKill({ kind: 'oom-kill', kill, process: settings.process, survived, host });
    }
  };

  const announceKill = async (message: KillNotice): Promise<void> => {
    for (const reporter of options.reporters) {
      if (!reporter.reportKill) continue;
      try {
        await reporter.reportKill(message);
      } catch (error) {
        say({ code: 'watch.reporter-failed', params: { reporter: reporter.name, error: (error as Error).message } });
      }
    }
    save();
  };

  const announce = async (message: IncidentNotice): Promise<void> => {
    for (const reporter of options.reporters) {
      try {
        await reporter.report(message);
      } catch (error) {
        say({ code: 'watch.reporter-failed', params: { reporter: reporter.name, error: (error as Error).message } });
      }
    }
    save();
  };

  const save = (): void => {
    for (const input of followed) state.cursors[input.path] = input.cursor();
    if (options.metrics) state.counters = options.metrics.exportCounters();
    state.savedAt = Date.now();
    try {
      saveState(options.statePath, state);
    } catch (error) {
      say({ code: 'watch.state-unwritable', params: { path: options.statePath, error: (error as Error).message } });
    }
    lastSave = Date.now();
  };

  const pollMs = options.pollMs ?? 500;
  try {
    while (!options.signal?.aborted) {
      await pass();
      await sleep(pollMs, options.signal);
    }
  } finally {
    save();
    for (const input of followed) input.close();
    for (const reporter of options.reporters) await reporter.close().catch(() => {});
  }
}

function snapshot(settings: Settings, guardians: GuardianLogRead[], apps: AppLogRead[], kernels: LiveKernelLog[]): Report {
  // One guardian and one app log per watch (the first of each); more would be separate deployments.
  const local = collectLocal(guardians[0] ?? null, apps[0] ?? null, settings.tz);
  return analyse(local, kernels.map((k) => k.source), settings);
}

/** OOM-looking kernel lines no shape matched (guardian and app logs have none): as the report's sources count them. */
function parseErrors(kernels: LiveKernelLog[], path: string): number {
  return kernels.find((k) => k.path === path)?.reader.read.unparsedLines ?? 0;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
