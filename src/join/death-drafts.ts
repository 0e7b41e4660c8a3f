// Joins what the three logs say into one draft per death of the watched process, before any verdict (the draft's
// shape is in draft.ts). Each attach step narrows the same draft windows with emptyDraft/narrow: they stay together.
import { attachOomPanics, attachUnfinishedOoms } from './machine-oom.js';
import type { InstanceEndRecord, InstanceStart } from '../assemble/app-records.js';
import type { GuardianRecord, GuardianRef } from '../assemble/guardian-timeline.js';
import { gapMs, SECOND_TAIL_MS, secondRange, type TimeRange } from '../time/range.js';
import { JOIN_TOLERANCE_MS, pairByDistance } from './pairing.js';
import { rangeOf, type DeathDraft, type JoinInputs, type KillSighting, type StopSighting, type TimedEvidence, type UserspaceSighting } from './draft.js';

export { rangeOf, type BootSighting, type DeathDraft, type ExitFacts, type KillSighting, type TimedEvidence, type UserspaceSighting } from './draft.js';

/** The process runs a moment before its first line: a kill this much before that line's second may still be of this life. */
const START_SLACK_MS = 1000;
/**
 * The guardian's clock is trusted to a minute (contract: "a minute of clock skew"): its windows are widened by this
 * much wherever they decide something (a kill inside the window, the kernel log covering the death, a boot).
 */
const GUARDIAN_CLOCK_MS = 60_000;
/** Builds one draft per death: the app's lives first, then the guardian's downs, then kernel-only kills and reboots. */
export function draftDeaths(inputs: JoinInputs): DeathDraft[] {
  const drafts = appDrafts(inputs);
  attachGuardian(drafts, inputs);
  attachKills(drafts, inputs);
  attachUserspace(drafts, inputs);
  attachUnitExits(drafts, inputs);
  attachBoots(drafts, inputs);
  attachOomPanics(drafts, inputs.oomPanics ?? []);
  attachUnfinishedOoms(drafts, inputs.unfinishedOoms ?? []);
  // A life that simply reached the end of running.log is only a death if another log saw it die.
  return drafts
    .filter((d) => !(d.app?.ending.kind === 'silent' && d.app.ending.until === 'end-of-input' && !d.guardianDown && !d.kill && !d.userspace && !d.guardianSilence))
    .sort((a, b) => (anchor(a) ?? 0) - (anchor(b) ?? 0));
}

function anchor(draft: DeathDraft): number | null {
  return draft.kill?.timeMs ?? draft.userspace?.timeMs ?? draft.earliest ?? draft.latest;
}

/** The window that decides (see DeathDraft.loose). */
export function looseWindow(draft: DeathDraft): { from: number | null; to: number | null } {
  return draft.loose ?? { from: draft.earliest, to: draft.latest };
}

function emptyDraft(): DeathDraft {
  return {
    earliest: null, latest: null, app: null, appStartMs: null, count: 1, foldedTimes: [], appRestartMs: null, appRestartEvidence: null,
    guardianDown: null, guardianBack: null, guardianBackMs: null, guardianSilence: null, kill: null, killInsideWindow: false,
    loose: { from: null, to: null }, stop: null, userspace: null, unitExit: null, boot: null, evidence: [],
  };
}

function appDrafts(inputs: JoinInputs): DeathDraft[] {
  const records = inputs.appRecords;
  if (!records) return [];
  const ends = records.filter((r): r is InstanceEndRecord => r.kind === 'instance-end');
  // The next life's start: from its end record, or — while it still runs (watch) — from its start record.
  const starts = new Map<number, InstanceStart>();
  for (const r of records) if (r.kind === 'instance-start' || r.kind === 'instance-end') starts.set(r.index, r.start);
  const drafts: DeathDraft[] = [];
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const nextStart = starts.get(end.index + 1) ?? null;
    const next = nextStart ? { start: nextStart } : null;
    const nextStartMs = next ? inputs.appTime(next.start.stamp?.stamp ?? null) : null;
    const ending = end.ending;
    const previous = drafts.at(-1);
    if (
      ending.kind === 'startup-failure' && ending.repeat > 1 && previous?.app?.ending.kind === 'startup-failure' &&
      previous.app.ending.cause === ending.cause
    ) {
      // The same start-up failure again: one incident with a count.
      previous.count++;
      const failedAt = inputs.appTime(end.start.stamp?.stamp ?? end.lastStamp?.stamp ?? null);
      if (failedAt !== null) previous.foldedTimes.push(failedAt);
      previous.appRestartMs = nextStartMs;
      previous.appRestartEvidence = next ? inputs.appEvidence(next.start.line, next.start.text, nextStartMs) : null;
      previous.evidence.push(...appEndingEvidence(end, inputs));
      continue;
    }
    const draft = emptyDraft();
    draft.app = end;
    draft.appStartMs = inputs.appTime(end.start.stamp?.stamp ?? end.firstStamp?.stamp ?? null);
    const lastSeen = inputs.appTime(end.lastStamp?.stamp ?? end.firstStamp?.stamp ?? end.start.stamp?.stamp ?? null);
    const lastPrecisionMs = end.lastStamp?.stamp.precision === 'minute' ? 60_000 : 1000;
    draft.earliest = lastSeen;
    const nextPrecisionMs = next?.start.stamp?.stamp.precision === 'minute' ? 60_000 : SECOND_TAIL_MS;
    draft.latest = nextStartMs === null ? null : nextStartMs + nextPrecisionMs;
    if (lastSeen !== null && nextStartMs !== null && nextStartMs < lastSeen) draft.latest = lastSeen + lastPrecisionMs;
    draft.loose = { from: draft.earliest, to: draft.latest };
    draft.appRestartMs = nextStartMs;
    draft.appRestartEvidence = next ? inputs.appEvidence(next.start.line, next.start.text, nextStartMs) : null;
    draft.evidence.push(...appEndingEvidence(end, inputs));
    drafts.push(draft);
  }
  return drafts;
}

function appEndingEvidence(end: InstanceEndRecord, inputs: JoinInputs): TimedEvidence[] {
  const ending = end.ending;
  const lastMs = inputs.appTime(end.lastStamp?.stamp ?? null);
  switch (ending.kind) {
    case 'goodbye':
      return [inputs.appEvidence(ending.at.line, ending.at.text, inputs.appTime(ending.at.stamp) ?? lastMs)];
    case 'startup-failure':
      return [inputs.appEvidence(ending.at.line, ending.at.text, inputs.appTime(ending.at.stamp) ?? lastMs)];
    case 'go-panic':
    case 'go-fatal':
    case 'go-runtime-oom':
    case 'go-signal': {
      const trace = ending.trace;
      const out = [inputs.appEvidence(trace.header.line, trace.header.text, lastMs)];
      const site = trace.crashSite;
      if (site) out.push(inputs.appEvidence(site.line, `${site.function}${site.file ? ` at ${site.file}:${site.sourceLine ?? '?'}` : ''}`, lastMs));
      return out;
    }
    case 'silent':
      return ending.lastWords ? [inputs.appEvidence(ending.lastWords.line, ending.lastWords.text, inputs.appTime(ending.lastWords.lastStamp?.stamp ?? null))] : [];
  }
}

type Down = Extract<GuardianRecord, { kind: 'went-down' }>;
type Silence = Extract<GuardianRecord, { kind: 'silence' }>;

function attachGuardian(drafts: DeathDraft[], inputs: JoinInputs): void {
  const records = inputs.guardianRecords;
  if (!records) return;
  // A down period is named by its first check with N = 0 (or its last check up): came-back and silence records find it by that line.
  const byDownLine = new Map<number, DeathDraft>();
  const byUpLine = new Map<number, DeathDraft>();
  attachDowns(drafts, inputs, records, byDownLine, byUpLine);
  for (const record of records) {
    if (record.kind === 'came-back') {
      const draft = record.firstDown ? byDownLine.get(record.firstDown.line) : undefined;
      if (draft && draft.guardianBack === null) {
        draft.guardianBack = record;
        draft.guardianBackMs = inputs.guardianTime(record.firstUp);
        draft.evidence.push(inputs.guardianEvidence(record.firstUp));
      }
    }
  }
  attachSilences(drafts, inputs, records, byUpLine);
}

function attachDowns(drafts: DeathDraft[], inputs: JoinInputs, records: GuardianRecord[], byDownLine: Map<number, DeathDraft>, byUpLine: Map<number, DeathDraft>): void {
  const downs = records.filter((r): r is Down => r.kind === 'went-down');
  const windowOf = (record: Down): [number | null, number | null] => {
    const from = record.stop ? inputs.guardianTime(record.stop) : record.lastUp ? inputs.guardianTime(record.lastUp) : null;
    const firstDownMs = record.firstDown ? inputs.guardianTime(record.firstDown) : null;
    return [from, firstDownMs === null ? null : firstDownMs + SECOND_TAIL_MS];
  };
  const stops = stopLines(records);
  const pairs = pairByDistance(downs, drafts, windowOf, (d) => d.guardianDown === null);
  for (const record of downs) {
    const [from, to] = windowOf(record);
    let draft = pairs.get(record);
    if (!draft) {
      draft = emptyDraft();
      drafts.push(draft);
    }
    narrow(draft, from, to, GUARDIAN_CLOCK_MS);
    draft.guardianDown = record;
    if (record.stop) draft.stop = stopSighting(record.stop, draft, stops, inputs);
    if (record.firstDown) byDownLine.set(record.firstDown.line, draft);
    if (record.lastUp) byUpLine.set(record.lastUp.line, draft);
    for (const ref of [record.lastUp, record.stop, record.firstDown]) if (ref) draft.evidence.push(inputs.guardianEvidence(ref));
  }
}

/** Nobody looked for a while and the process was up before: a death may hide in it (host down). */
function attachSilences(drafts: DeathDraft[], inputs: JoinInputs, records: GuardianRecord[], byUpLine: Map<number, DeathDraft>): void {
  const silences: Silence[] = [];
  for (const record of records) {
    if (record.kind !== 'silence' || record.stateBefore !== 'up') continue;
    const known = byUpLine.get(record.from.line);
    if (known) known.guardianSilence = record;
    else silences.push(record);
  }
  const windowOfSilence = (s: Silence): [number | null, number | null] => [inputs.guardianTime(s.from), inputs.guardianTime(s.to)];
  const silencePairs = pairByDistance(silences, drafts, windowOfSilence, (d) => d.guardianDown === null && d.guardianSilence === null);
  for (const record of silences) {
    let draft = silencePairs.get(record);
    if (!draft) {
      draft = emptyDraft();
      const [from, to] = windowOfSilence(record);
      narrow(draft, from, to, GUARDIAN_CLOCK_MS);
      drafts.push(draft);
    }
    draft.guardianSilence = record;
    draft.evidence.push(inputs.guardianEvidence(record.from), inputs.guardianEvidence(record.to));
  }
}

/** Each stop.sh line, by its line number. */
function stopLines(records: GuardianRecord[]): Map<number, { at: GuardianRef; pidDigits: string }> {
  const out = new Map<number, { at: GuardianRef; pidDigits: string }>();
  for (const r of records) if (r.kind === 'stop') out.set(r.at.line, r);
  return out;
}

function stopSighting(ref: GuardianRef, draft: DeathDraft, stops: Map<number, { at: GuardianRef; pidDigits: string }>, inputs: JoinInputs): StopSighting | null {
  const atMs = inputs.guardianTime(ref);
  if (atMs === null) return null;
  // Pids seen alive in this life (after its start, before the stop): a kernel task table's row, or an earlier stop
  // line naming one pid only. Pids of earlier lives would split the digits wrongly.
  const earlier = [...stops.values()]
    .filter((s) => s.at.line < ref.line && s.pidDigits.length > 0 && s.pidDigits.length <= 7)
    .map((s) => ({ pid: Number(s.pidDigits), atMs: inputs.guardianTime(s.at) }));
  const lifeStart = draft.appStartMs === null ? null : draft.appStartMs - START_SLACK_MS;
  const seen = [...(inputs.knownPids ?? []), ...earlier]
    .filter((k) => k.atMs !== null && k.atMs <= atMs + SECOND_TAIL_MS && (lifeStart === null || k.atMs >= lifeStart))
    .map((k) => k.pid);
  // stop.sh writes its line, then kill -9: the death is in the second the line names.
  return { at: secondRange(atMs), pidDigits: stops.get(ref.line)?.pidDigits ?? '', knownPids: [...new Set(seen)] };
}

/**
 * Keeps the tighter window where two logs agree; where they do not overlap, the first log's window stands. The loose
 * window (what decides) takes the same bounds widened by `slackMs`: a minute for the guardian's clock, 0 for the rest.
 */
function narrow(draft: DeathDraft, from: number | null, to: number | null, slackMs = 0): void {
  const estimate = narrowed({ from: draft.earliest, to: draft.latest }, from, to, draft.appRestartMs);
  draft.earliest = estimate.from;
  draft.latest = estimate.to;
  const loose = looseWindow(draft);
  draft.loose = narrowed(loose, from === null ? null : from - slackMs, to === null ? null : to + slackMs, draft.appRestartMs);
}

function narrowed(window: { from: number | null; to: number | null }, from: number | null, to: number | null, restartMs: number | null): { from: number | null; to: number | null } {
  const earliest = window.from === null ? from : from === null ? window.from : Math.max(window.from, from);
  const latest = window.to === null ? to : to === null ? window.to : Math.min(window.to, to);
  if (earliest !== null && latest !== null && earliest > latest) return window;
  // The two clocks disagree (a log a minute off): the app's own restart bounds its death, keep its window.
  if (earliest !== null && restartMs !== null && earliest >= restartMs) return window;
  return { from: earliest, to: latest };
}

/** True unless the interval lies wholly outside the draft's loose window: overlapping is agreeing. */
function insideLoose(draft: DeathDraft, range: TimeRange): boolean {
  const { from, to } = looseWindow(draft);
  if (from === null && to === null) return true;
  return gapMs({ from: from ?? -Infinity, to: to ?? Infinity }, range) === 0;
}

function attachKills(drafts: DeathDraft[], inputs: JoinInputs): void {
  const windowOf = (k: KillSighting): [number, number] => [rangeOf(k).from, rangeOf(k).to];
  const usable = (d: DeathDraft, k: KillSighting): boolean => d.kill === null && d.userspace === null && canBeKilled(d) && !diedBeforeItStarted(d, rangeOf(k));
  const pairs = pairByDistance(inputs.kills, drafts, windowOf, usable);
  for (const sighting of inputs.kills) {
    const range = rangeOf(sighting);
    let draft = pairs.get(sighting);
    if (draft) {
      draft.killInsideWindow = insideLoose(draft, range);
    } else {
      draft = emptyDraft();
      draft.killInsideWindow = true;
      drafts.push(draft);
    }
    draft.kill = sighting;
    // The kill record is the death: its own interval replaces the window.
    draft.earliest = range.from;
    draft.latest = range.to;
    draft.loose = { from: range.from, to: range.to };
  }
}

/** A process cannot die before its life began: a kill surely before its first line (and the moment before) is another death's. */
function diedBeforeItStarted(draft: DeathDraft, range: TimeRange): boolean {
  return draft.appStartMs !== null && range.to < draft.appStartMs - START_SLACK_MS;
}

/** A life that ended with its own words (a trace, a goodbye, a failed start) was not killed by the kernel. */
function canBeKilled(draft: DeathDraft): boolean {
  const kind = draft.app?.ending.kind;
  return kind === undefined || kind === 'silent';
}

function attachUserspace(drafts: DeathDraft[], inputs: JoinInputs): void {
  // A user-space killer sends SIGTERM first: a goodbye printed on it does not make the death `stopped`.
  const windowOf = (u: UserspaceSighting): [number, number] => [rangeOf(u).from, rangeOf(u).to + JOIN_TOLERANCE_MS];
  const pairs = pairByDistance(inputs.userspaceKills, drafts, windowOf, (d, u) => d.kill === null && d.userspace === null &&
    (d.app === null || d.app.ending.kind === 'silent' || d.app.ending.kind === 'goodbye') && !diedBeforeItStarted(d, rangeOf(u)));
  for (const sighting of inputs.userspaceKills) {
    const range = rangeOf(sighting);
    const draft = pairs.get(sighting);
    if (draft) {
      draft.userspace = sighting;
      narrow(draft, range.from, null);
    } else {
      const alone = emptyDraft();
      alone.userspace = sighting;
      narrow(alone, range.from, null);
      drafts.push(alone);
    }
  }
}

function attachUnitExits(drafts: DeathDraft[], inputs: JoinInputs): void {
  const exits = inputs.unitExits ?? [];
  // systemd writes the line the moment the process is gone: it lies at the end of the death's window.
  const windowOf = (u: UserspaceSighting): [number, number] => [rangeOf(u).from - JOIN_TOLERANCE_MS, rangeOf(u).to];
  const pairs = pairByDistance(exits, drafts, windowOf, (d, u) => d.unitExit === null && !diedBeforeItStarted(d, rangeOf(u)));
  for (const sighting of exits) {
    const range = rangeOf(sighting);
    const evidence = sighting.event.evidence.map((e) => ({ ...e, timeMs: sighting.timeMs }));
    const draft = pairs.get(sighting);
    if (draft) {
      draft.unitExit = sighting;
      if (!draft.kill && !draft.userspace) narrow(draft, null, range.to);
      draft.evidence.push(...evidence);
    } else {
      const alone = emptyDraft();
      alone.unitExit = sighting;
      narrow(alone, range.from, range.to);
      alone.evidence.push(...evidence);
      drafts.push(alone);
    }
  }
}

function attachBoots(drafts: DeathDraft[], inputs: JoinInputs): void {
  for (const boot of inputs.boots) {
    for (const draft of drafts) {
      if (draft.kill || draft.userspace || draft.boot) continue;
      const loose = looseWindow(draft);
      const from = loose.from;
      const to = loose.to ?? draft.appRestartMs;
      // The machine came up again inside the window: it went down between the last sign of life and the boot.
      if (from !== null && to !== null && boot.timeMs > from && boot.timeMs <= to + JOIN_TOLERANCE_MS) {
        draft.boot = boot;
        // It died before the machine came up again.
        draft.latest = draft.latest === null ? boot.timeMs : Math.min(draft.latest, boot.timeMs);
        draft.loose = { from, to: loose.to === null ? boot.timeMs : Math.min(loose.to, boot.timeMs) };
        if (boot.evidence) draft.evidence.push(boot.evidence);
        break;
      }
    }
  }
}
