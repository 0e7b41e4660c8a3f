// The report's first line names what was found (issue 14, item 2): deaths of the watched process, else OOM kills of
// other processes, else that the logs show neither; unknown times are said as unknown, with how to learn them.
import type { MessageCode } from '../i18n/messages.js';
import type { OomKill, Report } from '../model/report.js';
import { shortTime } from './sizes.js';

type Say = (code: MessageCode, params?: Record<string, string | number>) => string;

export interface HeadlineOptions {
  /** The watched process. */
  process: string;
  /** Whether --process was given; when false and the process is in no input, the headline says so. Absent: given. */
  processNamed?: boolean | undefined;
}

/** The kernel keeps 15 bytes of a process name (comm): a longer --process matches its first 15. */
function sameProcess(name: string | null | undefined, process: string): boolean {
  if (!name) return false;
  const comm = (text: string): string => Buffer.from(text, 'utf8').subarray(0, 15).toString('utf8');
  return comm(name) === comm(process);
}

/** Whether any input names the process: its own logs, or a kernel record or task-table row. */
function processAppears(report: Report, process: string): boolean {
  if (report.incidents.length > 0 || report.sources.some((s) => s.role !== 'kernel')) return true;
  const named = (name: string | null | undefined): boolean => sameProcess(name, process);
  const killNames = (k: OomKill): (string | null | undefined)[] => [
    k.name, k.selected?.name, k.trigger?.name, k.victimTask?.name, ...(k.topConsumers ?? []).map((c) => c.name), ...(k.topByBadness ?? []).map((c) => c.name),
  ];
  return report.oomKills.some((k) => killNames(k).some(named)) || report.oomEvents.some((e) => named(e.name) || named(e.trigger?.name));
}

/** `mysqld ×3, php-fpm`: the killed processes by name, in the order first killed; one name alone is said without a count. */
function killedNames(kills: OomKill[], say: Say, escape: (text: string) => string): string {
  const counts = new Map<string, number>();
  for (const kill of kills) {
    const name = kill.name === null ? say('ui.name-unknown') : escape(kill.name);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  if (counts.size === 1) return [...counts.keys()][0]!;
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ${say('ui.times', { count: n })}` : name)).join(say('ui.list-separator'));
}

/** The headline; `escape` makes names from the logs safe for the output (identity where the caller escapes the whole line). */
export function headline(report: Report, options: HeadlineOptions, say: Say, escape: (text: string) => string = (s) => s): string {
  const { summary, oomKills } = report;
  const process = escape(options.process);
  const windowKnown = summary.window.from !== null && summary.window.to !== null;
  const span = { process, from: shortTime(summary.window.from), to: shortTime(summary.window.to) };
  if (summary.deaths > 0) return windowKnown ? say('ui.title', { ...span, deaths: summary.deaths }) : say('ui.title-untimed', { process, deaths: summary.deaths });
  if (options.processNamed === false && report.sources.length > 0 && !processAppears(report, options.process)) {
    return oomKills.length > 0 ? say('ui.title-absent', { process, list: killedNames(oomKills, say, escape) }) : say('ui.title-absent-no-kills', { process });
  }
  if (oomKills.length === 0) return windowKnown ? say('ui.title-none', span) : say('ui.title-none-untimed', { process });
  // Kills with no wall time join no death: when the watched process is among them, or no kill has a time, that is the news.
  const untimed = oomKills.filter((k) => k.time === null);
  if (untimed.length === oomKills.length || untimed.some((k) => sameProcess(k.name, options.process))) {
    return say('ui.title-kills-untimed', { count: untimed.length, list: killedNames(untimed, say, escape) });
  }
  return say('ui.title-other-kills', { ...span, count: oomKills.length, list: killedNames(oomKills, say, escape) });
}
