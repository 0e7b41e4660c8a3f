// Joins what the three logs say into one draft per death of the watched process, before any verdict.
import type { AppRecord, InstanceEndRecord, InstanceStart } from '../assemble/app-instances.js';
import type { GuardianRecord, GuardianRef } from '../assemble/guardian-timeline.js';
import type { Evidence, OomEvent, OomKill } from '../report.js';

/** Cron looks once a minute and two logs' clocks may differ by about a minute: windows are widened by this much. */
export const JOIN_TOLERANCE_MS = 120_000;
/** The kernel's clock and the app's log are one machine's clock; this covers whole-second stamps and rounding. */
const START_SLACK_MS = 2000;
/** A stamp with whole seconds names the second that followed it: a line stamped 10:00:38 was written before 10:00:39. */
const SECOND_MS = 999;

/** An instant with what the log line said. */
export interface TimedEvidence extends Evidence {
  timeMs: number | null;
}

export interface KillSighting {
  kill: OomKill;
  timeMs: number;
}

export interface UserspaceSighting {
  event: OomEvent;
  timeMs: number;
}

/** A boot of the machine seen in a kernel input: it came up at `timeMs`. */
export interface BootSighting {
  timeMs: number;
  evidence: TimedEvidence | null;
}

/** One death, as the logs that saw it describe it. Times are epoch ms; a window is where the death lies. */
export interface DeathDraft {
  /** Earliest and latest moments the death can be (null: unbounded on that side). */
  earliest: number | null;
  latest: number | null;
  app: InstanceEndRecord | null;
  /** When that life began (its start line's stamp). */
  appStartMs: number | null;
  /** Consecutive start-up failures folded in (1 = one death). */
  count: number;
  /** When each folded start-up failure happened (its start line), for crash loops. */
  foldedTimes: number[];
  /** The app's next start (its restart), from running.log. */
  appRestartMs: number | null;
  appRestartEvidence: TimedEvidence | null;
  guardianDown: Extract<GuardianRecord, { kind: 'went-down' }> | null;
  guardianBack: Extract<GuardianRecord, { kind: 'came-back' }> | null;
  guardianBackMs: number | null;
  guardianSilence: Extract<GuardianRecord, { kind: 'silence' }> | null;
  kill: KillSighting | null;
  /** True when the kill's time lies inside the window the other logs give (not only within the tolerance). */
  killInsideWindow: boolean;
  userspace: UserspaceSighting | null;
  /** systemd's word on how the unit's main process ended (exit status or signal). */
  unitExit: UserspaceSighting | null;
  boot: BootSighting | null;
  evidence: TimedEvidence[];
}

export interface JoinInputs {
  appRecords: AppRecord[] | null;
  guardianRecords: GuardianRecord[] | null;
  /** Kills whose victim is the watched process. */
  kills: KillSighting[];
  userspaceKills: UserspaceSighting[];
  /** systemd `Main process exited` lines of the watched process's unit. */
  unitExits?: UserspaceSighting[];
  boots: BootSighting[];
  /** Places app and guardian stamps and names their lines. */
  appTime: (stamp: { local: import('../recognise/kernel/envelope-types.js').LocalStamp } | null) => number | null;
  guardianTime: (ref: GuardianRef) => number | null;
  appEvidence: (line: number, text: string, timeMs: number | null) => TimedEvidence;
  guardianEvidence: (ref: GuardianRef) => TimedEvidence;
}

/** Builds one draft per death: the app's lives first, then the guardian's downs, then kernel-only kills and reboots. */
export function draftDeaths(inputs: JoinInputs): DeathDraft[] {
  const drafts = appDrafts(inputs);
  attachGuardian(drafts, inputs);
  attachKills(drafts, inputs);
  attachUserspace(drafts, inputs);
  attachUnitExits(drafts, inputs);
  attachBoots(drafts, inputs);
  // A life that simply reached the end of running.log is only a death if another log saw it die.
  return drafts
    .filter((d) => !(d.app?.ending.kind === 'silent' && d.app.ending.until === 'end-of-input' && !d.guardianDown && !d.kill && !d.userspace && !d.guardianSilence))
    .sort((a, b) => (anchor(a) ?? 0) - (anchor(b) ?? 0));
}

function anchor(draft: DeathDraft): number | null {
  return draft.kill?.timeMs ?? draft.userspace?.timeMs ?? draft.earliest ?? draft.latest;
}

function emptyDraft(): DeathDraft {
  return {
    earliest: null, latest: null, app: null, appStartMs: null, count: 1, foldedTimes: [], appRestartMs: null, appRestartEvidence: null,
    guardianDown: null, guardianBack: null, guardianBackMs: null, guardianSilence: null, kill: null, killInsideWindow: false,
    userspace: null, unitExit: null, boot: null, evidence: [],
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
    const nextPrecisionMs = next?.start.stamp?.stamp.precision === 'minute' ? 60_000 : SECOND_MS;
    draft.latest = nextStartMs === null ? null : nextStartMs + nextPrecisionMs;
    if (lastSeen !== null && nextStartMs !== null && nextStartMs < lastSeen) draft.latest = lastSeen + lastPrecisionMs;
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

function overlaps(draft: DeathDraft, from: number | null, to: number | null): number | null {
  // Distance between the draft's window and [from, to], 0 when they overlap; null when either side is unknown.
  const a0 = draft.earliest ?? draft.latest;
  const a1 = draft.latest ?? draft.earliest;
  const b0 = from ?? to;
  const b1 = to ?? from;
  if (a0 === null || a1 === null || b0 === null || b1 === null) return null;
  if (b1 < a0) return a0 - b1;
  if (b0 > a1) return b0 - a1;
  return 0;
}


function attachGuardian(drafts: DeathDraft[], inputs: JoinInputs): void {
  const records = inputs.guardianRecords;
  if (!records) return;
  // A down period is named by its first check with N = 0 (or its last check up): came-back and silence records find it by that line.
  const byDownLine = new Map<number, DeathDraft>();
  const byUpLine = new Map<number, DeathDraft>();
  const downs = records.filter((r): r is Extract<GuardianRecord, { kind: 'went-down' }> => r.kind === 'went-down');
  const windowOf = (record: Extract<GuardianRecord, { kind: 'went-down' }>): [number | null, number | null] => {
    const from = record.stop ? inputs.guardianTime(record.stop) : record.lastUp ? inputs.guardianTime(record.lastUp) : null;
    const firstDownMs = record.firstDown ? inputs.guardianTime(record.firstDown) : null;
    return [from, firstDownMs === null ? null : firstDownMs + SECOND_MS];
  };
  const pairs = pairByDistance(downs, drafts, windowOf, (d) => d.guardianDown === null);
  for (const record of downs) {
    const [from, to] = windowOf(record);
    let draft = pairs.get(record);
    if (!draft) {
      draft = emptyDraft();
      draft.earliest = from;
      draft.latest = to;
      drafts.push(draft);
    } else {
      narrow(draft, from, to);
    }
    draft.guardianDown = record;
    if (record.firstDown) byDownLine.set(record.firstDown.line, draft);
    if (record.lastUp) byUpLine.set(record.lastUp.line, draft);
    for (const ref of [record.lastUp, record.stop, record.firstDown]) if (ref) draft.evidence.push(inputs.guardianEvidence(ref));
  }
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
  // Nobody looked for a while and the process was up before: a death may hide in it (host down).
  const silences: Extract<GuardianRecord, { kind: 'silence' }>[] = [];
  for (const record of records) {
    if (record.kind !== 'silence' || record.stateBefore !== 'up') continue;
    const known = byUpLine.get(record.from.line);
    if (known) known.guardianSilence = record;
    else silences.push(record);
  }
  const windowOfSilence = (s: Extract<GuardianRecord, { kind: 'silence' }>): [number | null, number | null] => [inputs.guardianTime(s.from), inputs.guardianTime(s.to)];
  const silencePairs = pairByDistance(silences, drafts, windowOfSilence, (d) => d.guardianDown === null && d.guardianSilence === null);
  for (const record of silences) {
    let draft = silencePairs.get(record);
    if (!draft) {
      draft = emptyDraft();
      [draft.earliest, draft.latest] = windowOfSilence(record);
      drafts.push(draft);
    }
    draft.guardianSilence = record;
    draft.evidence.push(inputs.guardianEvidence(record.from), inputs.guardianEvidence(record.to));
  }
}

/** Keeps the tighter window where two logs agree; where they do not overlap, the first log's window stands. */
function narrow(draft: DeathDraft, from: number | null, to: number | null): void {
  const earliest = draft.earliest === null ? from : from === null ? draft.earliest : Math.max(draft.earliest, from);
  const latest = draft.latest === null ? to : to === null ? draft.latest : Math.min(draft.latest, to);
  if (earliest !== null && latest !== null && earliest > latest) return;
  // The two clocks disagree (a log a minute off): the app's own restart bounds its death, keep its window.
  if (earliest !== null && draft.appRestartMs !== null && earliest >= draft.appRestartMs) return;
  draft.earliest = earliest;
  draft.latest = latest;
}

function attachKills(drafts: DeathDraft[], inputs: JoinInputs): void {
  const pairs = pairByDistance(inputs.kills, drafts, (k) => [k.timeMs, k.timeMs], (d, k) => d.kill === null && d.userspace === null && canBeKilled(d) && !diedBeforeItStarted(d, k.timeMs));
  for (const sighting of inputs.kills) {
    const draft = pairs.get(sighting);
    if (draft) {
      draft.killInsideWindow = overlaps(draft, sighting.timeMs, sighting.timeMs) === 0;
      draft.kill = sighting;
      draft.earliest = sighting.timeMs;
      draft.latest = sighting.timeMs;
    } else {
      const alone = emptyDraft();
      alone.kill = sighting;
      alone.killInsideWindow = true;
      alone.earliest = alone.latest = sighting.timeMs;
      drafts.push(alone);
    }
  }
}

/**
 * Pairs each sighting with at most one draft and each draft with at most one sighting, nearest pairs first,
 * so an old kill of another process of the same name cannot take the death a later kill explains.
 */
function pairByDistance<T>(
  sightings: T[],
  drafts: DeathDraft[],
  windowOf: (sighting: T) => [number | null, number | null],
  usable: (draft: DeathDraft, sighting: T) => boolean,
): Map<T, DeathDraft> {
  // A life that merely reached the end of running.log may still be running: any draft that really ended comes first.
  const tentative = (d: DeathDraft): number => (d.app?.ending.kind === 'silent' && d.app.ending.until === 'end-of-input' ? 1 : 0);
  const candidates: { sighting: T; draft: DeathDraft; distance: number; offCentre: number; rank: number }[] = [];
  // Drafts sorted by where their window starts: a sighting only looks at those that can be near it.
  const placed = drafts
    .map((draft) => ({ draft, lo: draft.earliest ?? draft.latest, hi: draft.latest ?? draft.earliest }))
    .filter((d): d is { draft: DeathDraft; lo: number; hi: number } => d.lo !== null && d.hi !== null)
    .sort((a, b) => a.lo - b.lo);
  const longest = placed.reduce((max, d) => Math.max(max, d.hi - d.lo), 0);
  for (const sighting of sightings) {
    const [from, to] = windowOf(sighting);
    const start = from ?? to;
    const end = to ?? from;
    if (start === null || end === null) continue;
    // The first draft whose window could start late enough to reach the sighting, then on until past it.
    let i = lowerBound(placed, start - JOIN_TOLERANCE_MS - longest);
    for (; i < placed.length && placed[i]!.lo <= end + JOIN_TOLERANCE_MS; i++) {
      const draft = placed[i]!.draft;
      if (!usable(draft, sighting)) continue;
      const distance = overlaps(draft, from, to);
      if (distance === null || distance > JOIN_TOLERANCE_MS) continue;
      const centre = ((draft.earliest ?? draft.latest ?? 0) + (draft.latest ?? draft.earliest ?? 0)) / 2;
      candidates.push({ sighting, draft, distance, offCentre: Math.abs((from ?? to ?? 0) - centre), rank: tentative(draft) });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.offCentre - b.offCentre);
  const pairs = new Map<T, DeathDraft>();
  const taken = new Set<DeathDraft>();
  for (const { sighting, draft } of candidates) {
    if (pairs.has(sighting) || taken.has(draft)) continue;
    pairs.set(sighting, draft);
    taken.add(draft);
  }
  return pairs;
}

/** The index of the first placed draft whose window starts at or after `at`. */
function lowerBound(placed: { lo: number }[], at: number): number {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (placed[mid]!.lo < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A process cannot die before its life began: a kill of an earlier process of the same name is another death. */
function diedBeforeItStarted(draft: DeathDraft, atMs: number): boolean {
  return draft.appStartMs !== null && atMs < draft.appStartMs - START_SLACK_MS;
}

/** A life that ended with its own words (a trace, a goodbye, a failed start) was not killed by the kernel. */
function canBeKilled(draft: DeathDraft): boolean {
  const kind = draft.app?.ending.kind;
  return kind === undefined || kind === 'silent';
}

function attachUserspace(drafts: DeathDraft[], inputs: JoinInputs): void {
  // A user-space killer sends SIGTERM first: a goodbye printed on it does not make the death `stopped`.
  const pairs = pairByDistance(inputs.userspaceKills, drafts, (u) => [u.timeMs, u.timeMs + JOIN_TOLERANCE_MS], (d, u) => d.kill === null && d.userspace === null &&
    (d.app === null || d.app.ending.kind === 'silent' || d.app.ending.kind === 'goodbye') && !diedBeforeItStarted(d, u.timeMs));
  for (const sighting of inputs.userspaceKills) {
    const draft = pairs.get(sighting);
    if (draft) {
      draft.userspace = sighting;
      narrow(draft, sighting.timeMs, null);
    } else {
      const alone = emptyDraft();
      alone.userspace = sighting;
      alone.earliest = sighting.timeMs;
      drafts.push(alone);
    }
  }
}

function attachUnitExits(drafts: DeathDraft[], inputs: JoinInputs): void {
  const exits = inputs.unitExits ?? [];
  // systemd writes the line the moment the process is gone: it lies at the end of the death's window.
  const pairs = pairByDistance(exits, drafts, (u) => [u.timeMs - JOIN_TOLERANCE_MS, u.timeMs], (d, u) => d.unitExit === null && !diedBeforeItStarted(d, u.timeMs));
  for (const sighting of exits) {
    const draft = pairs.get(sighting);
    if (draft) {
      draft.unitExit = sighting;
      if (!draft.kill && !draft.userspace) narrow(draft, null, sighting.timeMs);
      draft.evidence.push(...sighting.event.evidence.map((e) => ({ ...e, timeMs: sighting.timeMs })));
    } else {
      const alone = emptyDraft();
      alone.unitExit = sighting;
      alone.earliest = alone.latest = sighting.timeMs;
      alone.evidence.push(...sighting.event.evidence.map((e) => ({ ...e, timeMs: sighting.timeMs })));
      drafts.push(alone);
    }
  }
}

function attachBoots(drafts: DeathDraft[], inputs: JoinInputs): void {
  for (const boot of inputs.boots) {
    for (const draft of drafts) {
      if (draft.kill || draft.userspace || draft.boot) continue;
      const from = draft.earliest;
      const to = draft.latest ?? draft.appRestartMs;
      // The machine came up again inside the window: it went down between the last sign of life and the boot.
      if (from !== null && to !== null && boot.timeMs > from && boot.timeMs <= to + JOIN_TOLERANCE_MS) {
        draft.boot = boot;
        // It died before the machine came up again.
        draft.latest = draft.latest === null ? boot.timeMs : Math.min(draft.latest, boot.timeMs);
        if (boot.evidence) draft.evidence.push(boot.evidence);
        break;
      }
    }
  }
}
