// One kill seen in two logs (syslog and kern.log, journal and dmesg) is one kill, with both places as evidence.
import type { OomEvent, OomKill } from '../model/report.js';
import { gapMs, pointRange, type TimeRange } from '../time/range.js';

/** Two kills of one pid this close on the kernel's clock are the same kill. */
const SAME_UPTIME_SECONDS = 1;
/** …or this close on the wall clock (between the intervals each log's precision allows), where one side lacks the uptime. */
const SAME_TIME_MS = 2000;

export interface Placed<T> {
  item: T;
  timeMs: number | null;
  /** timeMs with the interval its source's precision allows; absent: exact. */
  range?: TimeRange | null;
}

function rangeOf(placed: Placed<unknown>): TimeRange | null {
  return placed.range ?? (placed.timeMs === null ? null : pointRange(placed.timeMs));
}

function sameMoment(a: Placed<{ uptimeSeconds: number | null }>, b: Placed<{ uptimeSeconds: number | null }>): boolean {
  const ra = rangeOf(a);
  const rb = rangeOf(b);
  const timesClose = ra !== null && rb !== null && gapMs(ra, rb) <= SAME_TIME_MS;
  if (a.item.uptimeSeconds !== null && b.item.uptimeSeconds !== null) {
    const uptimesClose = Math.abs(a.item.uptimeSeconds - b.item.uptimeSeconds) <= SAME_UPTIME_SECONDS;
    // Same uptime on two different boots is not the same kill: where both have times, they must agree too.
    return uptimesClose && (a.timeMs === null || b.timeMs === null || timesClose);
  }
  return timesClose;
}

/** Merges kills that name the same process at the same moment; the result is sorted by time (unknown last, in input order). */
export function mergeDuplicateKills(kills: Placed<OomKill>[]): Placed<OomKill>[] {
  const merged: Placed<OomKill>[] = [];
  // Candidates by victim pid, so thousands of kills do not compare each with each.
  const byPid = new Map<number | null, Placed<OomKill>[]>();
  for (const candidate of kills) {
    const pid = candidate.item.pid;
    const same = byPid.get(pid) ?? [];
    const twin = same.find((seen) =>
      pid === null
        ? sameCutOffKill(seen, candidate)
        : seen.item.name === candidate.item.name && sameMoment(seen, candidate),
    );
    if (!twin) {
      const placed = { item: { ...candidate.item, evidence: [...candidate.item.evidence] }, timeMs: candidate.timeMs, range: candidate.range ?? null };
      merged.push(placed);
      same.push(placed);
      byPid.set(pid, same);
      continue;
    }
    twin.item = combine(twin.item, candidate.item);
    // The first log's time stands, with its own precision (a time and an interval from two logs would not match).
    if (twin.timeMs === null) {
      twin.timeMs = candidate.timeMs;
      twin.range = candidate.range ?? null;
    }
  }
  return sortByTime(merged);
}

export function mergeDuplicateEvents(events: Placed<OomEvent>[]): Placed<OomEvent>[] {
  const merged: Placed<OomEvent>[] = [];
  // Candidates by what must be equal, so thousands of events do not compare each with each.
  const byKey = new Map<string, Placed<OomEvent>[]>();
  for (const candidate of events) {
    const e = candidate.item;
    const key = JSON.stringify([e.kind, e.pid, e.name, e.cgroup ?? null, e.unit ?? null]);
    const same = byKey.get(key) ?? [];
    const twin = same.find((seen) => sameMoment(seen, candidate) && !otherLineOfSameFile(seen.item, e));
    if (twin) {
      twin.item = { ...twin.item, evidence: uniqueEvidence([...twin.item.evidence, ...e.evidence]) };
    } else {
      const placed = { item: { ...e, evidence: [...e.evidence] }, timeMs: candidate.timeMs, range: candidate.range ?? null };
      merged.push(placed);
      same.push(placed);
      byKey.set(key, same);
    }
  }
  return sortByTime(merged);
}

const KERNEL_EVENT_KINDS = new Set<OomEvent['kind']>(['oom-unfinished', 'no-killable', 'panic-on-oom', 'sysrq-oom', 'oom-group']);

/**
 * systemd reports one kernel kill for the unit and each slice above it (`user@1021.service`, `user-1021.slice`,
 * `user.slice`): a slice's notice at the moment of a notice below it is that one's, and is folded into it.
 */
export function foldParentSliceNotices(events: Placed<OomEvent>[]): Placed<OomEvent>[] {
  const notices = events.filter((e) => e.item.kind === 'unit-notice' && e.item.unit);
  const folded = new Set<Placed<OomEvent>>();
  for (const parent of notices) {
    const slice = sliceName(parent.item.unit!);
    if (slice === null) continue;
    const child = notices
      .filter((c) => c !== parent && !folded.has(c) && sameMoment(c, parent) && ancestorSlices(c.item.unit!).includes(slice))
      .sort((a, b) => ancestorSlices(b.item.unit!).length - ancestorSlices(a.item.unit!).length)[0];
    if (!child) continue;
    const evidence = uniqueEvidence([...child.item.evidence, ...parent.item.evidence]).sort((a, b) => (a.path === b.path ? a.line - b.line : a.path < b.path ? -1 : 1));
    child.item = { ...child.item, evidence };
    folded.add(parent);
  }
  return events.filter((e) => !folded.has(e));
}

function sliceName(unit: string): string | null {
  return unit.endsWith('.slice') && unit !== '-.slice' ? unit.slice(0, -'.slice'.length) : null;
}

/** The slices a unit sits in by systemd's naming: `a-b.slice` in `a.slice`, `user@N.service` in `user-N.slice`, services in `system.slice`. */
function ancestorSlices(unit: string): string[] {
  const slice = sliceName(unit);
  if (slice !== null) {
    const parts = slice.split('-');
    return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('-'));
  }
  const user = /^user@(\d+)\.service$/.exec(unit);
  if (user) return ['user', `user-${user[1]}`];
  return unit.endsWith('.service') ? ['system'] : [];
}

/**
 * Two of the kernel's OOM events whose first lines are different lines of one file are two events, however close in
 * time (systemd's several notices of one kill, in contrast, are one event).
 */
function otherLineOfSameFile(a: OomEvent, b: OomEvent): boolean {
  if (!KERNEL_EVENT_KINDS.has(a.kind)) return false;
  const x = a.evidence[0];
  const y = b.evidence[0];
  return x !== undefined && y !== undefined && x.path === y.path && x.line !== y.line;
}

/**
 * A kill cut off before its victim was named (pid null) is the same as another such record only at the very same
 * moment on the kernel's clock (or the wall clock, without one) and with the same trigger: the same log read twice,
 * or syslog and kern.log both cut at the same block.
 */
function sameCutOffKill(a: Placed<OomKill>, b: Placed<OomKill>): boolean {
  const x = a.item;
  const y = b.item;
  const sameInstant =
    x.uptimeSeconds !== null ? x.uptimeSeconds === y.uptimeSeconds && sameMoment(a, b)
    : y.uptimeSeconds === null && a.timeMs !== null && a.timeMs === b.timeMs;
  return sameInstant && x.name === y.name && x.trigger?.pid === y.trigger?.pid && x.trigger?.name === y.trigger?.name;
}

/** Evidence lines once each: the same file given twice cites each line once. */
function uniqueEvidence<E extends { path: string; line: number }>(evidence: E[]): E[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.line}\u0000${e.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The fuller record wins field by field; a field one log lacks is taken from the other. */
function combine(a: OomKill, b: OomKill): OomKill {
  const [main, other] = a.incomplete && !b.incomplete ? [b, a] : [a, b];
  const out: Record<string, unknown> = { ...main };
  for (const [key, value] of Object.entries(other)) {
    if (out[key] === null && value !== null) out[key] = value;
  }
  out.incomplete = a.incomplete && b.incomplete;
  out.reaped = a.reaped === true || b.reaped === true ? true : (main.reaped ?? other.reaped);
  out.evidence = uniqueEvidence([...main.evidence, ...other.evidence]);
  return out as unknown as OomKill;
}

function sortByTime<T>(items: Placed<T>[]): Placed<T>[] {
  return items
    .map((placed, index) => ({ placed, index }))
    .sort((x, y) => {
      const a = x.placed.timeMs;
      const b = y.placed.timeMs;
      if (a !== null && b !== null && a !== b) return a - b;
      if (a === null && b !== null) return 1;
      if (a !== null && b === null) return -1;
      return x.index - y.index;
    })
    .map(({ placed }) => placed);
}
