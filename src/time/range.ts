// Every time a log gives is known only to its source's precision: a whole-second stamp names a second, a boot time
// known to the second places every uptime ±1 s. Times that are compared are compared as these intervals (issue 20).

/** Where an instant lies, epoch ms: the point the log names (`at`) and the interval its precision allows. */
export interface TimeRange {
  at: number;
  from: number;
  to: number;
}

/** A whole-second stamp `s` names a moment in [s, s+1): the last millisecond of that second is s + 999. */
export const SECOND_TAIL_MS = 999;

/** An instant known exactly (to the millisecond). */
export function pointRange(at: number): TimeRange {
  return { at, from: at, to: at };
}

/** `at` ± `halfMs`. */
export function aroundRange(at: number, halfMs: number): TimeRange {
  return { at, from: at - halfMs, to: at + halfMs };
}

/** The moment a whole-second stamp names: any in [s, s+1), so `s` is up to a second early. */
export function secondRange(s: number): TimeRange {
  return { at: s, from: s, to: s + 1000 };
}

/** How far apart two intervals are: 0 when they overlap (their order is then undecided), else the gap in ms. */
export function gapMs(a: { from: number; to: number }, b: { from: number; to: number }): number {
  if (a.to < b.from) return b.from - a.to;
  if (b.to < a.from) return a.from - b.to;
  return 0;
}

/** True only when every moment of `a` comes before every moment of `b`: overlapping intervals are not ordered. */
export function surelyBefore(a: { to: number }, b: { from: number }): boolean {
  return a.to < b.from;
}

/** The half-width in seconds (ms rounding) of the widest side of the interval around its point. */
export function uncertaintySeconds(range: TimeRange): number {
  return Math.round(Math.max(range.at - range.from, range.to - range.at)) / 1000;
}
