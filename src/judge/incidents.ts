// Turns death drafts into the report's incidents and summary: verdict, times, evidence, advice, crash loops. Reasons
// and advice are codes and values here; the tellers say them in --lang (src/tell/say-incident.ts).
import { shortId } from '../model/short-id.js';
import { rangeOf, type BootSighting, type DeathDraft, type TimedEvidence } from '../join/death-drafts.js';
import type { CrashLoop, Evidence, Incident, OomKill, Summary, Verdict } from '../model/report.js';
import type { Phrase } from '../i18n/catalog.js';
import type { Notice } from '../i18n/warning-messages.js';
import { gapMs, uncertaintySeconds, type TimeRange } from '../time/range.js';
import { pidFromGluedDigits } from './stop-pid.js';
import { adviseOn, crashSite, faultSite, type AdviceContext, type AdvicePhrase } from './advice.js';
import { adviseStartAfterDatabase, databaseAfterBoot } from './boot-order.js';
import { judge, type JudgeContext, type Judgement, type MissingInput, type ReasonCode } from './verdict.js';

/** An incident as judged: the report's keys, with its reason, missing input and advice not said yet. */
export interface JudgedIncident extends Omit<Incident, 'reason' | 'missingInput' | 'advice'> {
  reason: Phrase<ReasonCode>;
  missingInput: MissingInput | null;
  advice: AdvicePhrase[];
}

export interface IncidentContext extends JudgeContext {
  process: string;
  runsUnder: AdviceContext['runsUnder'];
  unit: string | null;
  format: (timeMs: number | null) => string | null;
  /** Crash loop: this many deaths… */
  crashLoopDeaths: number;
  /** …within this many seconds. */
  crashLoopSeconds: number;
  /** Where the judge says why a figure it could not tell is null (stop.sh's glued PIDs). */
  warnings?: Notice[];
  /** The guardian log's path, for those warnings. */
  guardianPath?: string;
  /** The boots the kernel inputs show: failed starts right after one may be the app waiting for its database. */
  boots: readonly BootSighting[];
}

/** An incident with the draft it was judged from (what the summary needs of it: the times of its deaths). */
export interface JudgedDeath {
  incident: JudgedIncident;
  draft: DeathDraft;
}

export function buildIncidents(drafts: DeathDraft[], context: IncidentContext): JudgedDeath[] {
  return drafts.map((draft) => ({ incident: buildIncident(draft, context), draft }));
}

function buildIncident(draft: DeathDraft, context: IncidentContext): JudgedIncident {
  const judgement = judge(draft, context);
  const { diedAtMs, uncertainty, range } = deathTime(draft, judgement);
  const restartMs = restartTime(draft, diedAtMs, range);
  const diedAt = context.format(diedAtMs);
  const kill = draft.kill?.kill ?? null;
  const pid = kill?.pid ?? draft.userspace?.event.pid ?? (judgement.reasonCode === 'stop-script' ? stoppedPid(draft, context) : null);
  const adviceContext = { process: context.process, runsUnder: context.runsUnder, unit: context.unit, diedAt };
  const afterBoot = judgement.verdict === 'startup-failure' ? databaseAfterBoot(draft, context.boots) : null;
  // Started before its database after a boot: the order is the advice (and no crash loop is called, see crashLoops).
  const advice = afterBoot ? [adviseStartAfterDatabase(draft, afterBoot, adviceContext)] : adviseOn(draft, judgement, adviceContext);
  const evidence = orderedEvidence(draft, context, afterBoot?.boot.evidence ?? null);
  const reasonParams: Record<string, string | number> = {
    name: kill?.name ?? draft.userspace?.event.name ?? context.process,
    pid: pid ?? '?',
    memcg: kill?.memcg ?? '', // unknown: the phrase says the log does not name it
    killer: draft.userspace?.event.killer ?? '?',
    message: traceMessage(draft),
    count: draft.count,
    detail: draft.unitExit?.event.detail ?? '',
    site: crashSite(draft) ?? faultSite(draft) ?? '',
  };
  const id = shortId('i-', `${context.process}|${anchorOf(draft)}`);
  return {
    id,
    process: context.process,
    verdict: judgement.verdict,
    confidence: judgement.confidence,
    reason: { code: judgement.reasonCode, params: reasonParams },
    diedAt,
    diedAtUncertaintySeconds: diedAtMs === null ? null : uncertainty,
    restartedAt: context.format(restartMs),
    downtimeSeconds: restartMs !== null && diedAtMs !== null ? Math.max(0, Math.round((restartMs - diedAtMs) / 100) / 10) : null,
    pid,
    oomKill: kill?.id ?? null,
    count: draft.count,
    missingInput: judgement.missingInput,
    crashSite: crashSite(draft),
    ...(faultSite(draft) !== null ? { faultSite: faultSite(draft) } : {}),
    evidence,
    advice,
  };
}

/**
 * What names a death for good, whatever evidence joins it later (so `watch` can update the same incident):
 * the kill record, then the user-space killer's line, the guardian's first 0, the app's life, the silence.
 */
function anchorOf(draft: DeathDraft): string {
  if (draft.kill) return `k:${draft.kill.kill.id}`;
  const userspace = draft.userspace?.event.evidence[0];
  // The killer's own line, not where it was read: the same id from any copy of the log, at any path.
  if (userspace) return `u:${userspace.text}`;
  const down = draft.guardianDown?.firstDown ?? draft.guardianDown?.stop ?? draft.guardianDown?.lastUp;
  if (down) return `g:${down.line}`;
  if (draft.app) return `a:${draft.app.start.line}`;
  if (draft.guardianSilence) return `s:${draft.guardianSilence.from.line}`;
  return `t:${draft.earliest ?? draft.latest ?? ''}`;
}

function traceMessage(draft: DeathDraft): string {
  const ending = draft.app?.ending;
  if (!ending) return '';
  if ('trace' in ending) return ending.trace.message.split('\n')[0] ?? '';
  if (ending.kind === 'startup-failure') return ending.message;
  return '';
}

/** The best estimate of the moment of death, the half-width of the window it lies in, and that window. */
function deathTime(draft: DeathDraft, judgement: Judgement): { diedAtMs: number | null; uncertainty: number | null; range: TimeRange | null } {
  const sighting = draft.kill ?? draft.userspace;
  if (sighting) {
    const range = rangeOf(sighting);
    return { diedAtMs: range.at, uncertainty: uncertaintySeconds(range), range };
  }
  // stop.sh writes its line, then kill -9: the line's stamp is the moment (contract: uncertainty ≤ 1 s).
  if (judgement.reasonCode === 'stop-script' && draft.stop) return { diedAtMs: draft.stop.at.at, uncertainty: uncertaintySeconds(draft.stop.at), range: draft.stop.at };
  const { earliest, latest } = draft;
  if (earliest !== null && latest !== null) {
    const at = (earliest + latest) / 2;
    return { diedAtMs: at, uncertainty: Math.round((latest - earliest) / 2) / 1000, range: { at, from: earliest, to: latest } };
  }
  // One side open: the death is only known to be after the last sign of life (or before the first sign of death).
  return { diedAtMs: earliest ?? latest, uncertainty: null, range: null };
}

/** The watched process's pid in stop.sh's glued digits; null, with a warning saying why, when it cannot be told. */
function stoppedPid(draft: DeathDraft, context: IncidentContext): number | null {
  const stop = draft.stop;
  if (!stop) return null;
  const found = pidFromGluedDigits(stop.pidDigits, stop.knownPids);
  if (found.pid !== null) return found.pid;
  const line = draft.guardianDown?.stop?.line ?? '?';
  const key = found.why === 'ambiguous' ? 'stop-pid-ambiguous' : 'stop-pid-unreadable';
  const params = { line, digits: stop.pidDigits, examples: found.examples.join(', ') };
  context.warnings?.push({ key, ...(context.guardianPath ? { path: context.guardianPath } : {}), params });
  return null;
}

/**
 * The first sign the process was back: its start line in running.log or the guardian seeing it, whichever is earlier,
 * unless it surely came before the death (a sign inside the death's window is not before it: it is after, at the least).
 */
function restartTime(draft: DeathDraft, diedAtMs: number | null, death: TimeRange | null): number | null {
  const candidates: number[] = [];
  if (draft.appRestartMs !== null) candidates.push(draft.appRestartMs);
  if (draft.guardianBackMs !== null) candidates.push(draft.guardianBackMs);
  const earliestDeath = death?.from ?? (diedAtMs === null ? null : diedAtMs - 1000);
  // A whole-second stamp names the second it was written in: [t, t + 1 s).
  const after = candidates.filter((t) => earliestDeath === null || t + 1000 >= earliestDeath);
  if (after.length === 0) return null;
  // A restart stamped in the second of the death came after it.
  const first = Math.min(...after);
  return diedAtMs !== null && first < diedAtMs ? diedAtMs : first;
}

function orderedEvidence(draft: DeathDraft, context: IncidentContext, bootLine: TimedEvidence | null): Evidence[] {
  const lines: TimedEvidence[] = [...draft.evidence, ...(bootLine ? [bootLine] : [])];
  if (draft.kill) lines.push(...killEvidence(draft.kill.kill, draft.kill.timeMs));
  if (draft.userspace) lines.push(...draft.userspace.event.evidence.map((e) => ({ ...e, timeMs: draft.userspace!.timeMs })));

  if (draft.appRestartEvidence) lines.push(draft.appRestartEvidence);
  const seen = new Set<string>();
  return lines
    .filter((e) => {
      const key = `${e.path}:${e.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.timeMs ?? Infinity) - (b.timeMs ?? Infinity) || a.line - b.line)
    .map(({ timeMs, ...evidence }) => ({ ...evidence, time: evidence.time ?? context.format(timeMs) }));
}

/** The kill's own lines: the kill line and the summary, not the whole block. */
function killEvidence(kill: OomKill, timeMs: number): TimedEvidence[] {
  const strong = kill.evidence.filter((e) => /Killed process|oom-kill:|invoked oom-killer/.test(e.text));
  return (strong.length > 0 ? strong : kill.evidence).map((e) => ({ ...e, timeMs }));
}

export interface SummaryInputs {
  incidents: JudgedIncident[];
  /** Every death an incident stands for (a folded run of failed starts has several), as the interval it lies in. */
  deathTimes: (incident: JudgedIncident) => TimeRange[];
  windowFromMs: number | null;
  windowToMs: number | null;
  otherKills: OomKill[];
  format: (timeMs: number | null) => string | null;
  crashLoopDeaths: number;
  crashLoopSeconds: number;
}

/** The totals, and the crash loops judged here too: each loop's first incident gets the crash-loop advice. */
export function buildSummary(inputs: SummaryInputs): Summary {
  const byVerdict: Partial<Record<Verdict, number>> = {};
  let deaths = 0;
  let downtime = 0;
  let downtimeUnknown = 0;
  for (const incident of inputs.incidents) {
    byVerdict[incident.verdict] = (byVerdict[incident.verdict] ?? 0) + incident.count;
    deaths += incident.count;
    downtime += incident.downtimeSeconds ?? 0;
    if (incident.downtimeSeconds === null) downtimeUnknown++;
  }
  const windowSeconds = inputs.windowFromMs !== null && inputs.windowToMs !== null ? (inputs.windowToMs - inputs.windowFromMs) / 1000 : null;
  const availability = windowSeconds !== null && windowSeconds > 0 && downtimeUnknown === 0 ? Math.max(0, Math.round((1 - downtime / windowSeconds) * 100000) / 100000) : null;
  return {
    window: { from: inputs.format(inputs.windowFromMs), to: inputs.format(inputs.windowToMs) },
    deaths,
    byVerdict,
    downtimeSeconds: Math.round(downtime * 10) / 10,
    downtimeUnknown,
    availability,
    crashLoops: adviseOnCrashLoops(crashLoops(inputs), inputs),
    otherKills: inputs.otherKills.map((k) => ({ id: k.id, pid: k.pid, name: k.name, time: k.time })),
  };
}

function adviseOnCrashLoops(loops: CrashLoop[], inputs: SummaryInputs): CrashLoop[] {
  for (const loop of loops) {
    const first = inputs.incidents.find((i) => i.id === loop.incidents[0]);
    const minutes = Math.max(1, Math.round((Date.parse(loop.to) - Date.parse(loop.from)) / 60_000));
    const params = { deaths: loop.deaths, minutes };
    first?.advice.push({ code: 'crash-loop', params });
  }
  return loops;
}

/**
 * Runs of at least N deaths each within the window of the run's first; a run is reported once. Deaths are intervals:
 * two are within the window when the nearest moments they can be are (a window's own width is no loop evidence).
 */
function crashLoops(inputs: SummaryInputs): CrashLoop[] {
  const deaths = inputs.incidents
    // Failed starts while the database came up after a boot are an order to fix, not the app looping.
    .filter((incident) => !incident.advice.some((a) => a.code === 'start-after-database'))
    .flatMap((incident) => inputs.deathTimes(incident).map((range) => ({ incident, range })))
    .sort((a, b) => a.range.at - b.range.at);
  const windowMs = inputs.crashLoopSeconds * 1000;
  const within = (a: TimeRange, b: TimeRange): boolean => gapMs(a, b) <= windowMs;
  const loops: CrashLoop[] = [];
  let i = 0;
  while (i < deaths.length) {
    let j = i;
    while (j < deaths.length && within(deaths[i]!.range, deaths[j]!.range)) j++;
    if (j - i >= inputs.crashLoopDeaths) {
      // Extend while the next death is still within the window of the one before it.
      while (j < deaths.length && within(deaths[j - 1]!.range, deaths[j]!.range)) j++;
      const run = deaths.slice(i, j);
      loops.push({
        from: inputs.format(run[0]!.range.at)!,
        to: inputs.format(run.at(-1)!.range.at)!,
        deaths: run.length,
        incidents: [...new Set(run.map((x) => x.incident.id))],
      });
      i = j;
    } else {
      i++;
    }
  }
  return loops;
}
