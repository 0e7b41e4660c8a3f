// Converts between zone-less wall stamps and instants in an IANA zone, following the time rules for DST (README, "Time").
import { readlinkSync } from 'node:fs';
import type { LocalStamp } from '../model/stamps.js';

type ZoneNote = 'ok' | 'dst-repeated' | 'dst-skipped';

export interface ZonedInstant {
  epochMs: number;
  /** dst-repeated: the stamp was in a repeated hour and the first occurrence was taken; dst-skipped: moved forward by the gap. */
  note: ZoneNote;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** True when the runtime knows the zone name. */
export function isValidZone(zone: string): boolean {
  if (zone === 'UTC') return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone the system runs in (TZ, else /etc/localtime), as Intl sees it. A system on UTC (TZ unset, /etc/localtime
 * a link to zoneinfo's UTC, as Intl then also answers) is told without Intl: its first use loads ICU's data, a fifth
 * of Node's start-up, which a diagnosis in UTC never needs.
 */
export function systemZone(): string {
  if (process.env.TZ === undefined && /\/zoneinfo\/(?:Etc\/)?UTC$/.test(localtimeLink())) return 'UTC';
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function localtimeLink(): string {
  try {
    return readlinkSync('/etc/localtime');
  } catch {
    return '';
  }
}

// Offsets change at most a few times a year, always on a quarter hour of UTC: cache them per zone and quarter hour.
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC in minutes at an instant. */
export function offsetMinutesAt(epochMs: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const quarterKey = Math.floor(epochMs / 900_000);
  const key = zone + '|' + quarterKey;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts = formatterFor(zone).formatToParts(new Date(quarterKey * 900_000));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const offset = Math.round((asUtc - quarterKey * 900_000) / 60_000);
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** Milliseconds of a zone-less stamp as if it were UTC (the wall clock's own count). */
export function wallClockMs(stamp: LocalStamp, year: number): number {
  return Date.UTC(year, stamp.month - 1, stamp.day, stamp.hour, stamp.minute, stamp.second) + stamp.micros / 1000;
}

/** The instant a zone-less stamp names in `zone`; `fold` picks the second of a repeated hour's two instants. */
export function localToEpoch(stamp: LocalStamp, year: number, zone: string, fold = false): ZonedInstant {
  const wall = wallClockMs(stamp, year);
  // Try the offsets in force a day either side: a stamp matches an offset when converting back gives the same wall time.
  const before = offsetMinutesAt(wall - 86_400_000, zone);
  const after = offsetMinutesAt(wall + 86_400_000, zone);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const epoch = wall - offset * 60_000;
    if (offsetMinutesAt(epoch, zone) === offset) candidates.push(epoch);
  }
  if (candidates.length === 1) return { epochMs: candidates[0]!, note: 'ok' };
  if (candidates.length === 2) {
    const [a, b] = [Math.min(candidates[0]!, candidates[1]!), Math.max(candidates[0]!, candidates[1]!)];
    return { epochMs: fold ? b : a, note: 'dst-repeated' };
  }
  // In the skipped hour: read it with the offset from before the gap, which moves it forward by the gap.
  return { epochMs: wall - before * 60_000, note: 'dst-skipped' };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** ISO-8601 with milliseconds and the zone's offset: `2024-07-23T10:03:37.000+08:00`. */
export function formatInstant(epochMs: number, zone: string): string {
  const millis = Math.round(epochMs);
  const offset = offsetMinutesAt(millis, zone);
  const shifted = new Date(millis + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}` +
    `T${pad(shifted.getUTCHours())}:${pad(shifted.getUTCMinutes())}:${pad(shifted.getUTCSeconds())}` +
    `.${pad(shifted.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
