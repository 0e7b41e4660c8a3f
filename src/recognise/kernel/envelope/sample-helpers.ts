// Shorthand for the sample tables beside each parser (`*.samples.ts`).

import type { LocalStamp } from './envelope-types.js';

/** A wall-clock stamp as a sample expects it; `year` null when the line has none. */
export function wallClock(year: number | null, month: number, day: number, hour: number, minute: number, second: number, micros = 0): LocalStamp {
  return { year, month, day, hour, minute, second, micros };
}
