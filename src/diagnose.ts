// The library's main job: read every input, assemble, place in time, join into incidents, judge; return plain data.
import type { DeathDraft } from './join/death-drafts.js';
import { draftDeaths, rangeOf } from './join/death-drafts.js';
import type { Placed } from './join/merge-duplicates.js';
import { pointRange, secondRange, type TimeRange } from './time/range.js';
import { buildIncidents, buildSummary, type JudgedIncident } from './judge/incidents.js';
import { sayIncident, sayWarning } from './tell/say-incident.js';
import type { Notice } from './i18n/warning-messages.js';
import { defaultLang, type Lang } from './i18n/messages.js';
import type { DiagnoseOptions } from './options.js';
import { collectKernel, readKernelSources, type DiagnoseIo, type KernelCutting, type ReadSource } from './pipeline/kernel-inputs.js';
import { readLocalInputs, type LocalInputs } from './pipeline/local-inputs.js';
import { defaultKernelThreads, defaultThreads } from './read/range-pool.js';
import { appLogWantsWorker } from './assemble/local-log-thread.js';
import type { OomEvent, OomKill, Report, Warning } from './model/report.js';
import { formatInstant, isValidZone, systemZone } from './time/zone.js';
import { UsageError } from './usage-error.js';
import { cliMessage } from './i18n/cli-messages.js';
import { chooseInputs as chooseNamedOrFound, type FoundInputs } from './read/find-inputs.js';
import { VERSION } from './version.js';
import { statSync } from 'node:fs';
import { isLiveSource } from './read/live-source.js';

export type { DiagnoseIo } from './pipeline/kernel-inputs.js';

/** The kernel truncates process names (comm) to 15 bytes. */
const COMM_BYTES = 15;
const CRASH_LOOP_DEATHS = 3;
const CRASH_LOOP_SECONDS = 600;

/** The settings every stage shares, checked once. */
export interface Settings {
  tz: string;
  year: number | undefined;
  bootTimeMs: number | undefined;
  lang: Lang;
  process: string;
}

/** Checks the options that do not name inputs; throws UsageError with the fix. */
export function settingsFrom(options: DiagnoseOptions): Settings {
  const tz = options.tz ?? systemZone();
  if (!isValidZone(tz)) throw UsageError.of('tz.unknown', { tz });
  if (options.year !== undefined && (!Number.isInteger(options.year) || options.year < 1970 || options.year > 9999)) {
    throw UsageError.of('year.invalid', { year: options.year });
  }
  return { tz, year: options.year, bootTimeMs: parseBootTime(options.bootTime), lang: options.lang ?? defaultLang(), process: options.process ?? 'anqicms' };
}

/** Diagnoses the given inputs; throws UsageError for wrong options, never for unreadable inputs (those become warnings). */
export async function diagnose(options: DiagnoseOptions = {}, io: DiagnoseIo = {}): Promise<Report> {
  return diagnoseCutting(options, io, {});
}

/** diagnose() with the kernel log cut as `cutting` says (tests cut ranges at every byte); not in the public API. */
export async function diagnoseCutting(options: DiagnoseOptions, io: DiagnoseIo, cutting: KernelCutting): Promise<Report> {
  const settings = settingsFrom(options);
  const inputs = chooseInputs(options, settings.process);
  const duplicates = dropDuplicateInputs(inputs);
  const kernelWarnings: Notice[] = [];
  // The three logs are read side by side. A big running.log takes one of the threads (a worker); the kernel log's
  // ranges share the others with this thread.
  const threads = options.threads ?? defaultThreads();
  const appOnWorker = threads > 1 && appLogWantsWorker(inputs.app);
  const kernelThreads = appOnWorker ? threads - 1 : threads;
  const [local, kernelReads] = await Promise.all([
    readLocalInputs(inputs.check, inputs.app, settings.tz, io.stdin, appOnWorker),
    readKernelSources(inputs.kernel, io, kernelWarnings, { ...cutting, threads: options.threads === undefined ? defaultKernelThreads(kernelThreads) : kernelThreads }),
  ]);
  // The finder's notes are said in --lang from the CLI's catalogue; the report carries them as they are.
  const notes: Notice[] = inputs.notes.map((note) => ({ key: 'discovered', params: { note: cliMessage(settings.lang, note.code, note.params) } }));
  return analyse(local, kernelReads, settings, [...notes, ...duplicates, ...kernelWarnings]);
}

/** Kernel events placed on the wall clock, as the join takes them. */
function sightings(events: Placed<OomEvent>[]): { event: OomEvent; timeMs: number; range: TimeRange | null }[] {
  return events.filter((e) => e.timeMs !== null).map((e) => ({ event: e.item, timeMs: e.timeMs!, range: e.range ?? null }));
}

/** The kernel panicked because of OOM: panic_on_oom, or nothing was left to kill. */
function isOomPanic(event: OomEvent): boolean {
  return event.kind === 'panic-on-oom' || (event.kind === 'no-killable' && event.detail === 'panic');
}

/** Everything after reading: place in time, join, judge. Pure over what was read, so `watch` calls it on live reads. */
export function analyse(local: LocalInputs, kernelReads: ReadSource[], settings: Settings, extraWarnings: Notice[] = []): Report {
  const { tz, lang } = settings;
  const processName = settings.process;
  const format = (ms: number | null): string | null => (ms === null ? null : formatInstant(ms, tz));
  const referenceRange = local.earliestMs !== null && local.latestMs !== null ? { from: local.earliestMs, to: local.latestMs } : undefined;
  const kernel = collectKernel(kernelReads, { tz, year: settings.year, bootTimeMs: settings.bootTimeMs, referenceRange });

  const watched = (name: string | null): boolean => name !== null && commOf(name) === commOf(processName);
  const watchedKills = kernel.kills.filter((k) => watched(k.item.name) && k.timeMs !== null);
  const userspaceKills = kernel.events.filter((e) => e.item.kind === 'userspace-kill' && watched(e.item.name ?? null) && e.timeMs !== null);
  const unitExits = kernel.events.filter((e) => e.item.kind === 'unit-exit' && e.item.unit === `${processName}.service` && e.timeMs !== null);
  const drafts = draftDeaths({
    appRecords: local.app?.records ?? null,
    guardianRecords: local.guardian?.records ?? null,
    kills: watchedKills.map((k) => ({ kill: k.item, timeMs: k.timeMs!, range: k.range ?? null })),
    userspaceKills: userspaceKills.map((e) => ({ event: e.item, timeMs: e.timeMs!, range: e.range ?? null })),
    unitExits: unitExits.map((e) => ({ event: e.item, timeMs: e.timeMs!, range: e.range ?? null })),
    boots: kernel.boots,
    unfinishedOoms: sightings(kernel.events.filter((e) => e.item.kind === 'oom-unfinished')),
    oomPanics: sightings(kernel.events.filter((e) => isOomPanic(e.item))),
    knownPids: pidsSeenAlive(kernel.kills, watched),
    appTime: (stamp) => local.placeLocal(stamp?.local ?? null),
    guardianTime: local.guardianTime,
    appEvidence: local.appEvidence,
    guardianEvidence: local.guardianEvidence,
  });

  const unit = `${processName}.service`;
  const runsUnder = local.guardian ? 'start-sh' : kernel.events.some((e) => e.item.unit === unit) ? 'systemd' : null;
  const judgeWarnings: Notice[] = [];
  const judged = buildIncidents(drafts, {
    process: processName, runsUnder, unit, format, warnings: judgeWarnings, guardianPath: local.guardian?.files[0]?.path,
    hasApp: local.app !== null, hasGuardian: local.guardian !== null, hasKernel: kernel.sources.length > 0,
    kernelSpans: kernel.spans, boots: kernel.boots, crashLoopDeaths: CRASH_LOOP_DEATHS, crashLoopSeconds: CRASH_LOOP_SECONDS,
  });
  const judgedIncidents = judged.map((j) => j.incident);
  const deathTimes = new Map<JudgedIncident, TimeRange[]>(judged.map(({ incident, draft }) => [incident, deathTimesOf(draft)]));

  const oomKills = kernel.kills.map((k) => k.item);
  const linkedKills = new Set(judgedIncidents.map((i) => i.oomKill).filter((id): id is string => id !== null));
  const otherKills = oomKills.filter((k: OomKill) => !linkedKills.has(k.id) && !watched(k.name));
  const windowMs = reportWindow([local.earliestMs, local.latestMs, ...kernel.sources.flatMap((s) => [s.from, s.to].map((t) => (t ? Date.parse(t) : null)))]);
  const summary = buildSummary({
    incidents: judgedIncidents, deathTimes: (incident) => deathTimes.get(incident) ?? [],
    windowFromMs: windowMs.from, windowToMs: windowMs.to, otherKills, format,
    crashLoopDeaths: CRASH_LOOP_DEATHS, crashLoopSeconds: CRASH_LOOP_SECONDS,
  });
  const incidents = judgedIncidents.map((incident) => sayIncident(incident, lang));
  const notices: Notice[] = [...extraWarnings.filter((w) => w.key === 'discovered'), ...local.warnings, ...extraWarnings.filter((w) => w.key !== 'discovered'), ...kernel.warnings, ...judgeWarnings];
  if (local.guardian?.records.some((r) => r.kind === 'several-matches')) {
    notices.push({ key: 'guardian-several-matches', path: local.guardian.files[0]?.path, params: {} });
  }
  const warnings: Warning[] = notices.map((n) => sayWarning(n, lang));

  return {
    schemaVersion: 1,
    generator: `oomscope ${VERSION}`,
    sources: [...local.sources, ...kernel.sources],
    oomKills,
    // systemd's exit lines only join deaths (as evidence); they are not OOM events.
    oomEvents: kernel.events.filter((e) => e.item.kind !== 'unit-exit').map((e) => e.item),
    incidents,
    summary,
    warnings,
  };
}

/**
 * One file named twice (the same path, or two paths to one file) is read once: twice would count its deaths twice.
 * Standard input can be read only once in all.
 */
function dropDuplicateInputs(inputs: { check: string[]; app: string[]; kernel: string[] }): Notice[] {
  if ([...inputs.check, ...inputs.app, ...inputs.kernel].filter((p) => p === '-').length > 1) {
    throw UsageError.of('stdin.twice');
  }
  const warnings: Notice[] = [];
  for (const role of ['check', 'app', 'kernel'] as const) {
    const seen = new Map<string, string>();
    inputs[role] = inputs[role].filter((path) => {
      const key = fileKey(path);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, path);
        return true;
      }
      warnings.push(first === path ? { key: 'duplicate-input/twice', path, params: {} } : { key: 'duplicate-input/same-file', path, params: { first } });
      return false;
    });
  }
  return warnings;
}

/** The file behind a path (device and inode), or the path itself for stdin, live sources and paths that cannot be read. */
function fileKey(path: string): string {
  if (path === '-' || isLiveSource(path)) return `name:${path}`;
  try {
    const info = statSync(path);
    return info.isFile() ? `file:${info.dev}:${info.ino}` : `name:${path}`;
  } catch {
    return `name:${path}`;
  }
}

/** The inputs named by the options (--dir expanded), and the ones found on this machine for the roles not named. */
export function chooseInputs(options: DiagnoseOptions, processName: string): FoundInputs {
  return chooseNamedOrFound(options, processName);
}

function commOf(name: string): string {
  return Buffer.from(name, 'utf8').subarray(0, COMM_BYTES).toString('utf8');
}

/** When each death an incident stands for happened, as the interval it lies in (a kill's precision, or the window). */
function deathTimesOf(draft: DeathDraft): TimeRange[] {
  const sighting = draft.kill ?? draft.userspace;
  const { earliest, latest } = draft;
  const first = sighting ? rangeOf(sighting)
    : earliest !== null && latest !== null ? { at: (earliest + latest) / 2, from: earliest, to: latest }
    : earliest !== null || latest !== null ? pointRange((earliest ?? latest)!) : null;
  return [...(first === null ? [] : [first]), ...draft.foldedTimes.map(secondRange)];
}

/**
 * Pids the kernel's OOM reports show the watched process alive with, and when: task-table rows of other kills (a
 * kill's victim is dead after it, so it is not one). They tell which of stop.sh's glued PIDs was the watched one.
 */
function pidsSeenAlive(kills: Placed<OomKill>[], watched: (name: string | null) => boolean): { pid: number; atMs: number | null }[] {
  const out: { pid: number; atMs: number | null }[] = [];
  for (const { item, timeMs } of kills) {
    for (const row of [...(item.topConsumers ?? []), ...(item.topByBadness ?? []), ...(item.victimTask ? [item.victimTask] : [])]) {
      if (row.pid !== item.pid && watched(row.name)) out.push({ pid: row.pid, atMs: timeMs });
    }
  }
  return out;
}

function reportWindow(times: (number | null)[]): { from: number | null; to: number | null } {
  const known = times.filter((t): t is number => t !== null && !Number.isNaN(t));
  return known.length === 0 ? { from: null, to: null } : { from: Math.min(...known), to: Math.max(...known) };
}

/** `--boot-time` must name its zone: without one it would silently take the machine's. */
function parseBootTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    throw UsageError.of('boot-time.no-zone', { text });
  }
  const ms = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw UsageError.of('boot-time.invalid', { text });
  return ms;
}
