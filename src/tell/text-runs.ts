// The text report's first page (issue 14, item 3): the table of every death, and a run of alike deaths or kills
// said once (count, first and last time, the range of each figure), for `text.ts`.
import { digestMessage, type DigestCode } from '../i18n/digest-messages.js';
import type { Lang, MessageCode } from '../i18n/messages.js';
import type { Evidence, Incident, OomKill, Report } from '../model/report.js';
import { escapeForTerminal } from './escape.js';
import { diedAtText, formatDuration, shortTime, timeOrUnknown } from './sizes.js';
import { displayWidth, evidenceSpan, FIRST_PAGE_CRASH_LOOPS, FIRST_PAGE_DEATHS, killNumbers, killOf, newestFirstPage, numberList, pad, pidList, shared, sizeRange, type ReadingOptions, type Run } from './digest.js';

export interface Painters {
  t: (code: MessageCode, params?: Record<string, string | number>) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
  lang: Lang;
}

/** The Painters' language for this catalogue. */
function digest(lang: Lang): (code: DigestCode, params?: Record<string, string | number>) => string {
  return (code, params = {}) => digestMessage(lang, code, params);
}

/** The cells of the table of deaths in reading order (#, died, verdict, confidence, down), and how many older it leaves out. */
export function deathRows(report: Report, options: ReadingOptions, t: Painters['t'], lang: Lang): { rows: string[][]; hidden: number } {
  const d = digest(lang);
  const { shown, hidden } = newestFirstPage(report.incidents, FIRST_PAGE_DEATHS, options);
  const rows = shown.map(({ item: incident, n }) => [
    String(n),
    diedAtText(incident, t, lang),
    `${t(`verdict.${incident.verdict}`)}${incident.count > 1 ? ` ${t('ui.times', { count: incident.count })}` : ''}`,
    t(`confidence.${incident.confidence}`),
    incident.restartedAt === null ? d('table.not-back') : formatDuration(incident.downtimeSeconds ?? 0, lang),
  ]);
  return { rows, hidden };
}

/** The table's head cells, in the report's language. */
export function deathTableHead(lang: Lang): string[] {
  const d = digest(lang);
  return [d('table.number'), d('table.died'), d('table.verdict'), d('table.confidence'), d('table.down')];
}

/** One row per death, in reading order: its number, when, the verdict, how sure, and how long it was down. */
export function deathTable(report: Report, options: ReadingOptions, { t, bold, dim, lang }: Painters): string[] {
  const d = digest(lang);
  const { rows, hidden } = deathRows(report, options, t, lang);
  const head = deathTableHead(lang);
  const widths = head.map((cell, column) => Math.max(displayWidth(cell), ...rows.map((row) => displayWidth(row[column]!))));
  const line = (cells: string[]): string => `  ${cells.map((cell, column) => (column === cells.length - 1 ? cell : pad(cell, widths[column]! + 2))).join('')}`;
  // The older deaths left out are said where they would be: below the newest-first table, above the oldest-first one.
  const more = hidden > 0 ? [dim(`  ${d('table.more', { count: hidden })}`)] : [];
  const body = options.oldestFirst ? [...more, ...rows.map(line)] : [...rows.map(line), ...more];
  return [bold(d(options.oldestFirst ? 'table.title-oldest' : 'table.title')), line(head), ...body];
}

/** The newest crash loops (all with `--all`), a sentence each, and the line for the earlier ones (null: none left out). */
export function crashLoopSentences(report: Report, options: ReadingOptions, t: Painters['t'], lang: Lang): { loops: string[]; more: string | null } {
  const { shown, hidden } = newestFirstPage(report.summary.crashLoops, FIRST_PAGE_CRASH_LOOPS, options);
  const loops = shown.map(({ item: loop }) => t('ui.crash-loop', { deaths: loop.deaths, from: shortTime(loop.from), to: shortTime(loop.to) }));
  return { loops, more: hidden > 0 ? digest(lang)('loops.more', { count: hidden }) : null };
}

/** The crash-loop lines of the text report: the earlier ones' line where they would be. */
export function crashLoopLines(report: Report, options: ReadingOptions, { t, red, dim, lang }: Painters): string[] {
  const { loops, more } = crashLoopSentences(report, options, t, lang);
  const lines = loops.map(red);
  if (more === null) return lines;
  return options.oldestFirst ? [dim(more), ...lines] : [...lines, dim(more)];
}

/** `kill 3 below`, `kills 3–10 below`: where a death's kills are told. */
export function killReference(kills: readonly OomKill[], report: Report, lang: Lang): string {
  const numbers = killNumbers(report);
  const list = kills.map((k) => numbers.get(k.id)!);
  return digestMessage(lang, list.length === 1 ? 'ref.kill' : 'ref.kills', { numbers: numberList(list, lang === 'en' ? ', ' : '、') });
}

/** `between A and B` for the first and last time of a run. */
function span(times: readonly (string | null)[], t: Painters['t']): string {
  const known = times.filter((time): time is string => time !== null);
  if (known.length === 0) return t('ui.time-unknown');
  return t('ui.between', { from: shortTime(known[0]!), to: shortTime(known.at(-1)!) });
}

/** A run of alike deaths said once: how many and when, how long down, their pids and kills; the newest's why and advice. */
export function incidentRunBlock(run: Run<Incident>, report: Report, painters: Painters, evidenceLine: (e: Evidence) => string): string[] {
  const { t, bold, dim, lang } = painters;
  const d = digest(lang);
  const [open, close, colon] = lang === 'en' ? [' (', ')', ': '] : ['（', '）', '：'];
  const items = run.items;
  const newest = items.at(-1)!;
  const count = items.reduce((sum, incident) => sum + incident.count, 0);
  const numbers = `${run.first}–${run.first + items.length - 1}`;
  const confidences = [...new Set(items.map((i) => t(`confidence.${i.confidence}`)))].join(t('ui.list-separator'));
  const lines = [bold(`${d('run.deaths', { numbers })}${colon}${t(`verdict.${newest.verdict}`)} ${t('ui.times', { count })}`) + dim(`${open}${confidences}${close}`)];
  lines.push(`  ${pad(t('ui.died'))}${d('run.died', { count, span: span(items.map((i) => i.diedAt), t) })}`);
  const back = items.filter((i) => i.restartedAt !== null);
  const downtime = formatDuration(back.reduce((sum, i) => sum + (i.downtimeSeconds ?? 0), 0), lang);
  lines.push(`  ${pad(t('ui.back'))}${back.length === 0 ? t('ui.not-back') : d('run.back', { back: back.length, count: items.length, downtime })}`);
  const pids = pidList(items.map((i) => i.pid), t('ui.list-separator'));
  if (pids !== '') lines.push(`  ${pad(d('run.label-pids'))}${pids}`);
  const kills = items.map((i) => killOf(report, i)).filter((k): k is OomKill => k !== undefined);
  if (kills.length > 0) lines.push(`  ${pad(d('ref.label'))}${killReference(kills, report, lang)}`);
  lines.push(`  ${pad(t('ui.why'))}${escapeForTerminal(newest.reason)}`);
  if (newest.crashSite) lines.push(`  ${pad(t('ui.crash-site'))}${escapeForTerminal(newest.crashSite)}`);
  if (newest.faultSite) lines.push(`  ${pad(t('ui.fault-site'))}${escapeForTerminal(newest.faultSite)}`);
  newest.advice.forEach((advice, i) => lines.push(`  ${pad(i === 0 ? t('ui.advice') : '')}${escapeForTerminal(advice.text)}`));
  newest.evidence.forEach((e, i) => lines.push(`  ${pad(i === 0 ? t('ui.evidence') : '')}${evidenceLine(e)}`));
  lines.push(`  ${dim(d('run.newest-shown', { n: run.first + items.length - 1 }))}`);
  return lines;
}

/** A run of alike kills said once: how many, when, and each figure's range over them. */
export function killRunBlock(run: Run<OomKill>, { t, dim, lang }: Painters): string[] {
  const d = digest(lang);
  const items = run.items;
  const label = (text: string): string => `    ${pad(text, 10)}`;
  const numbers = `${run.first}–${run.first + items.length - 1}`;
  const name = items[0]!.name === null ? t('kill.victim-unknown') : escapeForTerminal(items[0]!.name);
  const uid = shared(items, (k) => k.uid);
  const who = t('kill.who-no-pid', { name: `${name} ${t('ui.times', { count: items.length })}`, uid: uid ?? '' });
  const lines = [`  ${d('run.kills', { numbers })}${lang === 'en' ? ': ' : '：'}${who}` + dim(`  ${span(items.map((k) => k.time), t)}`)];
  const cut = items.filter((k) => k.incomplete).length;
  if (cut > 0) lines.push(`    ${d('run.cut-off', { count: cut })}`);
  lines.push(`${label(d('run.label-pids'))}${pidList(items.map((k) => k.pid), t('ui.list-separator'))}`);
  const constraint = items[0]!.constraint;
  const why = constraint === null ? t('constraint.unknown') : isConstraint(constraint) ? t(`constraint.${constraint}`) : escapeForTerminal(constraint);
  lines.push(`${label(t('kill.label-why'))}${why}`);
  const range = (field: (k: OomKill) => number | null): string => sizeRange(items.map(field));
  lines.push(`${label(t('kill.label-held'))}${t('kill.held', { anon: range((k) => k.anonRssKb), file: range((k) => k.fileRssKb), shmem: range((k) => k.shmemRssKb), virtual: range((k) => k.totalVmKb) })}`);
  if (constraint === 'memcg') {
    const memcg = items[0]!.memcg !== null ? escapeForTerminal(items[0]!.memcg) : t('ui.cgroup-unknown');
    lines.push(`${label(t('kill.label-cgroup'))}${t('kill.cgroup', { memcg, usage: range((k) => k.usageKb), limit: range((k) => k.limitKb) })}`);
  } else if (items.some((k) => k.ramKb !== null || k.swapTotalKb !== null)) {
    const totalKb = shared(items, (k) => k.swapTotalKb);
    const machine = { ram: range((k) => k.ramKb), free: range((k) => k.swapFreeKb), total: range((k) => k.swapTotalKb), totalKb: totalKb ?? '' };
    lines.push(`${label(t('kill.label-machine'))}${t('kill.machine', machine)}`);
  }
  const kernel = shared(items, (k) => k.kernelVersion);
  if (kernel) lines.push(`${label(t('kill.label-kernel'))}${escapeForTerminal(kernel)}`);
  lines.push(`${label(t('kill.label-evidence'))}${evidenceSpan(items.flatMap((k) => k.evidence), escapeForTerminal)}`);
  lines.push(`    ${dim(d('run.all-hint'))}`);
  return lines;
}

/** `mysqld (pid 4242, …), php-fpm ×19 (between A and B)`: the other processes killed, in reading order, alike runs once. */
export function otherKillsList(runs: Run<Report['summary']['otherKills'][number]>[], t: Painters['t'], lang: Lang, escape = escapeForTerminal): string {
  return runs.map(({ items }) => {
    const first = items[0]!;
    const name = first.name === null ? t('ui.name-unknown') : escape(first.name);
    if (items.length === 1) return t('ui.kill-item', { name, pid: first.pid ?? '', time: timeOrUnknown(first.time, t) });
    return digestMessage(lang, 'run.kill-item', { name, count: items.length, span: span(items.map((k) => k.time), t) });
  }).join(t('ui.list-separator'));
}

const CONSTRAINTS = ['global', 'memcg', 'cpuset', 'mempolicy'] as const;
function isConstraint(name: string): name is (typeof CONSTRAINTS)[number] {
  return (CONSTRAINTS as readonly string[]).includes(name);
}
