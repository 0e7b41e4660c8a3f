// Memory figures for people: KiB in the data, the unit a person reads in the report.
import type { Lang, MessageCode } from '../i18n/messages.js';
import { formatDuration } from '../i18n/units.js';

export { formatDuration, formatKb } from '../i18n/units.js';

/** `2024-07-23 10:03:37 +08:00` from the report's ISO time: seconds are enough for a person. */
export function shortTime(iso: string | null): string {
  if (!iso) return '?';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\.\d{3}(.*)$/.exec(iso);
  return m ? `${m[1]} ${m[2]} ${m[3] === 'Z' ? '+00:00' : m[3]}` : iso;
}

/** A time for a sentence: the short time, or `time unknown` in `say`'s language rather than `?`. */
export function timeOrUnknown(iso: string | null, say: (code: MessageCode) => string): string {
  return iso ? shortTime(iso) : say('ui.time-unknown');
}

/** A death window wider than this is said as a window: its midpoint would read like a moment (issue 12 item 10). */
const WINDOW_SAID_AS_WINDOW_SECONDS = 60;

/**
 * When the death happened, for a person: `2024-07-23 10:03:37 +08:00 ±1 s`, or `between A and B` (in `say`'s
 * language) when it is only known to lie in a window wider than a minute.
 */
export function diedAtText(
  incident: { diedAt: string | null; diedAtUncertaintySeconds: number | null },
  say: (code: MessageCode, params: Record<string, string | number>) => string,
  lang: Lang = 'en',
): string {
  const { diedAt, diedAtUncertaintySeconds: u } = incident;
  if (!diedAt) return say('ui.time-unknown', {});
  if (u !== null && 2 * u > WINDOW_SAID_AS_WINDOW_SECONDS) {
    return say('ui.between', { from: shortTime(shiftIso(diedAt, -u)), to: shortTime(shiftIso(diedAt, u)) });
  }
  return `${shortTime(diedAt)}${u ? ` ±${formatDuration(u, lang)}` : ''}`;
}

/** The report's ISO time moved by `seconds` to the nearest second (a window's edges, said to the second), in the same offset. */
function shiftIso(iso: string, seconds: number): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(iso)?.[1] ?? 'Z';
  const minutes = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const ms = Math.round((Date.parse(iso) + seconds * 1000) / 1000) * 1000;
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  return `${local}${offset === 'Z' ? 'Z' : offset}`;
}
