// The report as Markdown, for pasting into a ticket: log text is escaped so it can never become markup. Like the text
// report, the table of deaths comes first, the newest first, alike runs folded, each kill told once (in the kills' table).
import { message, type Lang, type MessageCode } from '../i18n/messages.js';
import type { Evidence, Incident, OomKill, Report, Verdict } from '../model/report.js';
import { formatDuration, formatKb, shortTime, diedAtText, timeOrUnknown } from './sizes.js';
import { headline } from './headline.js';
import { clipText } from '../read/clip-text.js';
import { digestMessage } from '../i18n/digest-messages.js';
import { foldRuns, incidentKey, killKey, killOf, numberList, pidList, shared, sizeRange, type ReadingOptions, type Run } from './digest.js';
import { crashLoopSentences, deathRows, deathTableHead, killReference, otherKillsList } from './text-runs.js';

export interface MarkdownOptions extends ReadingOptions {
  lang: Lang;
  process: string;
  /** Whether --process was given (the headline says when the default one is in no input); absent: given. */
  processNamed?: boolean;
}

/** Backslash-escapes Markdown's punctuation and HTML's `<`, `>` and `&`, and shows control characters (and bidi overrides) as escapes. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

export function renderMarkdown(report: Report, options: MarkdownOptions): string {
  const t = (code: MessageCode, params: Record<string, string | number> = {}): string => message(options.lang, code, params);
  const s = report.summary;
  const out: string[] = [];
  const lang = options.lang;
  const comma = lang === 'en' ? ', ' : '，';
  out.push(`# ${escapeMarkdown(headline(report, options, t))}`, '');
  for (const warning of report.warnings.filter((w) => w.code === 'not-a-kernel-log')) {
    out.push(`**${escapeMarkdown(t('ui.not-a-kernel-log', { path: warning.path ?? '?' }))}**`, '');
  }
  if (s.deaths > 0) {
    out.push(`| ${t('ui.by-verdict')} | ${t('ui.count')} |`, '|---|---|');
    for (const [verdict, count] of Object.entries(s.byVerdict)) out.push(`| ${t(`verdict.${verdict as Verdict}`)} | ${count} |`);
    out.push('');
    const downtime = formatDuration(s.downtimeSeconds, lang);
    if (s.downtimeUnknown < s.deaths) {
      out.push(s.availability === null ? t('ui.downtime-no-availability', { downtime }) : t('ui.downtime', { downtime, availability: `${(s.availability * 100).toFixed(3)}%` }), '');
    }
    if (s.downtimeUnknown > 0) out.push(t('ui.downtime-unknown', { count: s.downtimeUnknown }), '');
  }
  const loops = crashLoopSentences(report, options, t, lang);
  const loopLines = loops.loops.map((loop) => `**${loop}**`);
  const moreLoops = loops.more === null ? [] : [escapeMarkdown(loops.more)];
  for (const line of options.oldestFirst ? [...moreLoops, ...loopLines] : [...loopLines, ...moreLoops]) out.push(line, '');
  if (s.otherKills.length > 0) {
    const byId = new Map(report.oomKills.map((k) => [k.id, k]));
    const runs = foldRuns(s.otherKills, (k) => (byId.has(k.id) ? killKey(byId.get(k.id)!) : k.id), options);
    out.push(t('ui.other-kills', { list: otherKillsList(runs, t, lang, escapeMarkdown) }), '');
  }
  if (report.incidents.length > 0) out.push(...deathTable(report, options, t, lang), '');
  for (const run of foldRuns(report.incidents, incidentKey(report), options)) out.push(...incidentSection(run, report, t, lang));
  if (report.oomKills.length > 0) {
    out.push(`## ${t('ui.kills')}`, '', `| # ${t('md.kill-columns')}`, '|---|---|---|---|---|---|---|');
    for (const run of foldRuns(report.oomKills, killKey, options)) out.push(killRow(run, t));
    out.push('');
  }
  out.push(`## ${t('ui.inputs')}`, '');
  for (const source of report.sources) {
    const span = source.from || source.to ? `${timeOrUnknown(source.from, t)} → ${timeOrUnknown(source.to, t)}` : t('ui.no-wall-time');
    const cut = source.complete ? '' : `${comma}${t('ui.cut-short')}`;
    out.push(`- ${t('md.source', { role: t(`role.${source.role}`), path: escapeMarkdown(source.path), format: source.format, lines: t('ui.lines', { lines: source.lines }), span, cut })}`);
  }
  if (report.warnings.length > 0) {
    out.push('', `## ${t('ui.warnings')}`, '');
    for (const w of report.warnings) out.push(`- ${w.path ? `${escapeMarkdown(w.path)}${colonOf(lang)}` : ''}${escapeMarkdown(w.message)}`);
  }
  return out.join('\n') + '\n';
}

type Say = (code: MessageCode, params?: Record<string, string | number>) => string;

/** The table of every death, in reading order. */
function deathTable(report: Report, options: ReadingOptions, t: Say, lang: Lang): string[] {
  const { rows, hidden } = deathRows(report, options, t, lang);
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const title = digestMessage(lang, options.oldestFirst ? 'table.title-oldest' : 'table.title');
  const more = hidden > 0 ? [escapeMarkdown(digestMessage(lang, 'table.more', { count: hidden }))] : [];
  const table = [row(deathTableHead(lang)), '|---|---|---|---|---|', ...rows.map(row)];
  // The older deaths left out are said where they would be: below the newest-first table, above the oldest-first one.
  return [`**${escapeMarkdown(title)}**`, '', ...(options.oldestFirst ? [...more, ...more.map(() => ''), ...table] : [...table, ...more.map(() => ''), ...more])];
}

/** One death's section, or a run of alike deaths said once (count, first and last time, the newest's why and advice). */
function incidentSection(run: Run<Incident>, report: Report, t: Say, lang: Lang): string[] {
  const [open, close, colon] = lang === 'en' ? [' (', ')', ': '] : ['（', '）', '：'];
  const field = (label: string, value: string): string => `- **${label}**${colon}${value}`;
  const items = run.items;
  const newest = items.at(-1)!;
  const out: string[] = [];
  if (items.length === 1) {
    const count = newest.count > 1 ? ` ${t('ui.times', { count: newest.count })}` : '';
    out.push(`## ${t('ui.incident', { n: run.first })}${colon}${t(`verdict.${newest.verdict}`)}${count}${open}${t(`confidence.${newest.confidence}`)}${close}`, '');
    out.push(field(t('ui.died'), diedAtText(newest, t, lang)));
    out.push(field(t('ui.back'), newest.restartedAt ? `${shortTime(newest.restartedAt)}${open}${t('ui.down-for', { downtime: formatDuration(newest.downtimeSeconds ?? 0, lang) })}${close}` : t('ui.not-back')));
    if (newest.pid !== null) out.push(field(t('ui.pid'), String(newest.pid)));
  } else {
    const count = items.reduce((sum, incident) => sum + incident.count, 0);
    const confidences = [...new Set(items.map((i) => t(`confidence.${i.confidence}`)))].join(t('ui.list-separator'));
    const numbers = `${run.first}–${run.first + items.length - 1}`;
    out.push(`## ${digestMessage(lang, 'run.deaths', { numbers })}${colon}${t(`verdict.${newest.verdict}`)} ${t('ui.times', { count })}${open}${confidences}${close}`, '');
    out.push(field(t('ui.died'), digestMessage(lang, 'run.died', { count, span: span(items.map((i) => i.diedAt), t) })));
    const back = items.filter((i) => i.restartedAt !== null);
    const downtime = formatDuration(back.reduce((sum, i) => sum + (i.downtimeSeconds ?? 0), 0), lang);
    out.push(field(t('ui.back'), back.length === 0 ? t('ui.not-back') : digestMessage(lang, 'run.back', { back: back.length, count: items.length, downtime })));
    const pids = pidList(items.map((i) => i.pid), t('ui.list-separator'));
    if (pids !== '') out.push(field(digestMessage(lang, 'run.label-pids'), pids));
  }
  const kills = items.map((i) => killOf(report, i)).filter((k): k is OomKill => k !== undefined);
  if (kills.length > 0) out.push(field(digestMessage(lang, 'ref.label'), killReference(kills, report, lang)));
  out.push(field(t('ui.why'), escapeMarkdown(newest.reason)));
  if (newest.crashSite) out.push(field(t('ui.crash-site'), escapeMarkdown(newest.crashSite)));
  if (newest.faultSite) out.push(field(t('ui.fault-site'), escapeMarkdown(newest.faultSite)));
  for (const advice of newest.advice) out.push(field(t('ui.advice'), escapeMarkdown(advice.text)));
  out.push('', `**${t('ui.evidence')}**`, '', ...newest.evidence.map(evidenceItem), '');
  if (items.length > 1) out.push(`*${escapeMarkdown(digestMessage(lang, 'run.newest-shown', { n: run.first + items.length - 1 }))}*`, '');
  return out;
}

/** `between A and B` for the first and last time of a run. */
function span(times: readonly (string | null)[], t: Say): string {
  const known = times.filter((time): time is string => time !== null);
  if (known.length === 0) return t('ui.time-unknown');
  return t('ui.between', { from: shortTime(known[0]!), to: shortTime(known.at(-1)!) });
}

/** One kill's row, or one row for a run of alike kills: its numbers, first and last time, pids, and the anon range. */
function killRow(run: Run<OomKill>, t: Say): string {
  const items = run.items;
  const k = items[0]!;
  const constraint = k.constraint === null ? '—' : isConstraint(k.constraint) ? t(`constraint.short-${k.constraint}`) : escapeMarkdown(k.constraint);
  const name = k.name === null ? t('ui.name-unknown') : escapeMarkdown(k.name);
  const whole = (kill: OomKill): number | null => (kill.constraint === 'memcg' ? kill.limitKb : kill.ramKb);
  if (items.length === 1) {
    return `| ${run.first} | ${timeOrUnknown(k.time, t)} | ${k.pid ?? '—'} | ${name} | ${constraint} | ${formatKb(k.anonRssKb)} | ${formatKb(whole(k))} |`;
  }
  const numbers = numberList(items.map((_, i) => run.first + i));
  const pids = items.map((kill) => kill.pid).filter((p): p is number => p !== null);
  const pidCell = pids.length === 0 ? '—' : pids.length <= 2 ? pids.join(t('ui.list-separator')) : `${pids[0]} … ${pids.at(-1)}`;
  const sameWhole = shared(items, whole);
  return `| ${numbers} | ${span(items.map((kill) => kill.time), t)} | ${pidCell} | ${name} ${t('ui.times', { count: items.length })} | ${constraint} | ${sizeRange(items.map((kill) => kill.anonRssKb))} | ${sameWhole === null ? sizeRange(items.map(whole)) : formatKb(sameWhole)} |`;
}

function evidenceItem(e: Evidence): string {
  const where = `${e.path.slice(e.path.lastIndexOf('/') + 1)}:${e.line}`;
  return `- ${escapeMarkdown(where)} ${escapeMarkdown(e.text.length > 200 ? clipText(e.text, 200) + '…' : e.text)}`;
}

const CONSTRAINTS = ['global', 'memcg', 'cpuset', 'mempolicy'] as const;
function isConstraint(name: string): name is (typeof CONSTRAINTS)[number] {
  return (CONSTRAINTS as readonly string[]).includes(name);
}

function colonOf(lang: Lang): string {
  return lang === 'en' ? ': ' : '：';
}
