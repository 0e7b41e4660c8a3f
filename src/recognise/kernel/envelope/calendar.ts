// Calendar arithmetic for wall-clock stamps, done by hand so no Date quirk or machine zone leaks in.

import type { LocalStamp } from './envelope-types.js';

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in a month; February of an unknown year may have 29. */
function daysInMonth(month: number, year: number | null): number {
  if (month === 2) return year === null || isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether a stamp names a real moment (a leap second allowed). */
export function validLocal(s: LocalStamp): boolean {
  return (
    s.month >= 1 &&
    s.month <= 12 &&
    s.day >= 1 &&
    s.day <= daysInMonth(s.month, s.year) &&
    s.hour <= 23 &&
    s.minute <= 59 &&
    s.second <= 60
  );
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (no Date quirks). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `Z`, `+0800`, `+08:00`, `+08` → minutes east of UTC, or null when out of range. */
export function offsetMinutes(zone: string): number | null {
  if (zone === 'Z') return 0;
  const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (h > 23 || m > 59) return null;
  return sign * (h * 60 + m);
}
