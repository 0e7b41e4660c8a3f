// Times of the report (ISO with the --tz offset) on an axis: instants, the zone's offset, and readable ticks.

/** Milliseconds since the epoch of a report time, or null. */
export function instant(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** The offset of a report time in minutes east of UTC (`+08:00` → 480), 0 when it has none. */
export function offsetMinutes(iso: string | null | undefined): number {
  const m = iso ? /([+-])(\d{2}):(\d{2})$/.exec(iso) : null;
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];

export interface Tick {
  ms: number;
  label: string;
  /** A day boundary (drawn stronger). */
  major: boolean;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Ticks at round local times between from and to, at most about `max` of them. */
export function ticks(from: number, to: number, offsetMin: number, max = 8): Tick[] {
  const span = Math.max(to - from, MINUTE);
  const step = STEPS.find((s) => span / s <= max) ?? STEPS.at(-1)!;
  const shift = offsetMin * MINUTE;
  const out: Tick[] = [];
  // Align in local time: local = utc + shift.
  let local = Math.ceil((from + shift) / step) * step;
  if (step >= DAY) local = Math.ceil((from + shift) / DAY) * DAY;
  let lastDay = '';
  for (; local - shift <= to; local += step) {
    const d = new Date(local);
    const day = `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
    const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
    const major = d.getUTCHours() === 0 && d.getUTCMinutes() === 0;
    const label = step >= DAY ? day : day !== lastDay ? `${day} ${time}` : time;
    lastDay = day;
    out.push({ ms: local - shift, label, major });
  }
  return out;
}
