// The page a person needs first (issue 14, item 3), for the text and Markdown reports: the newest first, and a run
// of alike deaths or kills (same victim, verdict and cgroup, one after another) said once, with its count, first and
// last time and the range of its figures. The JSON keeps every kill and incident: this is presentation only.
import type { Incident, OomKill, Report } from '../model/report.js';
import { formatKb } from './sizes.js';

export interface ReadingOptions {
  /** As the logs run, the oldest first (default: the newest first). */
  oldestFirst?: boolean | undefined;
  /** Every death and kill on its own: no run is folded. */
  all?: boolean | undefined;
}

/** Alike items next to each other in the report; `first` is the number (1-based, the report's order) of the first. */
export interface Run<T> {
  items: T[];
  first: number;
}

/** The runs of `items` (one item each with `all`), in reading order: the newest run first unless `oldestFirst`. */
export function foldRuns<T>(items: readonly T[], key: (item: T) => string, options: ReadingOptions): Run<T>[] {
  const runs: Run<T>[] = [];
  items.forEach((item, index) => {
    const last = runs.at(-1);
    if (!options.all && last !== undefined && key(last.items[0]!) === key(item)) last.items.push(item);
    else runs.push({ items: [item], first: index + 1 });
  });
  return options.oldestFirst ? runs : runs.reverse();
}

/** Rows of the table of deaths, and crash-loop lines, shown before the older ones are left to `--all`: the answer fits a first screen. */
export const FIRST_PAGE_DEATHS = 12;
export const FIRST_PAGE_CRASH_LOOPS = 3;

/** The newest `limit` items (all with `all`) with their numbers, in reading order, and how many older ones are left out. */
export function newestFirstPage<T>(items: readonly T[], limit: number, options: ReadingOptions): { shown: { item: T; n: number }[]; hidden: number } {
  const hidden = options.all ? 0 : Math.max(0, items.length - limit);
  const shown = items.slice(hidden).map((item, index) => ({ item, n: hidden + index + 1 }));
  return { shown: options.oldestFirst ? shown : shown.reverse(), hidden };
}

/** The items with their numbers (1-based, the report's order), in reading order. */
export function numbered<T>(items: readonly T[], options: ReadingOptions): { item: T; n: number }[] {
  const list = items.map((item, index) => ({ item, n: index + 1 }));
  return options.oldestFirst ? list : list.reverse();
}

export function killOf(report: Report, incident: Incident): OomKill | undefined {
  return incident.oomKill === null ? undefined : report.oomKills.find((k) => k.id === incident.oomKill);
}

/** Deaths are alike when the same process died of the same verdict in the same cgroup (none when no kill says one). */
export function incidentKey(report: Report): (incident: Incident) => string {
  return (incident) => JSON.stringify([incident.process, incident.verdict, killOf(report, incident)?.memcg ?? null]);
}

/** Kills are alike when the same name was killed for the same constraint in the same cgroup. */
export function killKey(kill: OomKill): string {
  return JSON.stringify([kill.name, kill.constraint, kill.memcg]);
}

/** The kill numbers (1-based, the report's order) of each kill id. */
export function killNumbers(report: Report): Map<string, number> {
  return new Map(report.oomKills.map((k, index) => [k.id, index + 1]));
}

/** `3`, `3–10`, `1–3, 5`: numbers said as ranges; past six ranges, the first three, `…` and the last. */
export function numberList(numbers: readonly number[], separator = ', '): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j;
  }
  return parts.length <= 6 ? parts.join(separator) : `${parts.slice(0, 3).join(separator)}${separator}… ${parts.at(-1)}`;
}

/** `90.0–96.0 MiB` (or `920 KiB–1.2 MiB`), one figure when all are alike, `—` when none is known. */
export function sizeRange(values: readonly (number | null | undefined)[]): string {
  const known = values.filter((v): v is number => v !== null && v !== undefined);
  if (known.length === 0) return formatKb(null);
  const low = formatKb(Math.min(...known));
  const high = formatKb(Math.max(...known));
  if (low === high) return low;
  const [lowFigure, lowUnit] = low.split(' ');
  const [highFigure, highUnit] = high.split(' ');
  return lowUnit === highUnit ? `${lowFigure}–${highFigure} ${highUnit}` : `${low}–${high}`;
}

/** The value all items share, else null (a field said once for a run only when it does not vary). */
export function shared<T, V>(items: readonly T[], value: (item: T) => V): V | null {
  const first = value(items[0]!);
  return items.every((item) => value(item) === first) ? first : null;
}

/** `21880`, `21880, 21950`, `13929, 14278, … 14421`: the pids of a run, the first two and the last when many. */
export function pidList(pids: readonly (number | null)[], separator: string): string {
  const known = pids.filter((p): p is number => p !== null);
  if (known.length <= 4) return known.join(separator);
  return `${known.slice(0, 2).join(separator)}${separator}… ${known.at(-1)}`;
}

/** `kern.log:4…812`: where a run's evidence lies, the first and last line in each file. */
export function evidenceSpan(evidence: readonly { path: string; line: number }[], escape: (text: string) => string): string {
  const byPath = new Map<string, { low: number; high: number }>();
  for (const e of evidence) {
    const span = byPath.get(e.path);
    byPath.set(e.path, span ? { low: Math.min(span.low, e.line), high: Math.max(span.high, e.line) } : { low: e.line, high: e.line });
  }
  return [...byPath].map(([path, { low, high }]) => `${escape(path)}:${low === high ? low : `${low}…${high}`}`).join('  ');
}

/** Columns a terminal gives the text: a CJK character (or a full-width form) takes two. */
export function displayWidth(text: string): number {
  return [...text].reduce((width, c) => width + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
}

/** The text and spaces to fill `columns` (at least one space). */
export function pad(label: string, columns = 12): string {
  return label + ' '.repeat(Math.max(1, columns - displayWidth(label)));
}
