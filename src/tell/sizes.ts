// Memory figures for people: KiB in the data, the unit a person reads in the report.
import type { MessageCode } from '../i18n/messages.js';

export { formatKb } from '../i18n/units.js';


/** `2m 30s`, `1h 5m`, `27 s`: a duration for a person. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  return s > 0 ? `${m}m ${s}s` : `${m}m`;
}

/** `2024-07-23 10:03:37 +08:00` from the report's ISO time: seconds are enough for a person. */
export function shortTime(iso: string | null): string {
  if (!iso) return '?';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\.\d{3}(.*)$/.exec(iso);
  return m ? `${m[1]} ${m[2]} ${m[3] === 'Z' ? '+00:00' : m[3]}` : iso;
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
): string {
  const { diedAt, diedAtUncertaintySeconds: u } = incident;
  if (!diedAt) return '?';
  if (u !== null && 2 * u > WINDOW_SAID_AS_WINDOW_SECONDS) {
    return say('ui.between', { from: shortTime(shiftIso(diedAt, -u)), to: shortTime(shiftIso(diedAt, u)) });
  }
  return `${shortTime(diedAt)}${u ? ` ±${formatDuration(u)}` : ''}`;
}

/** The report's ISO time moved by `seconds` to the nearest second (a window's edges, said to the second), in the same offset. */
function shiftIso(iso: string, seconds: number): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(iso)?.[1] ?? 'Z';
  const minutes = offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const ms = Math.round((Date.parse(iso) + seconds * 1000) / 1000) * 1000;
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  return `${local}${offset === 'Z' ? 'Z' : offset}`;
}
