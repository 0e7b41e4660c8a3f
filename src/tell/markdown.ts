// The report as Markdown, for pasting into a ticket: log text is escaped so it can never become markup.
import { message, type Lang, type MessageCode } from '../i18n/messages.js';
import type { Evidence, Report, Verdict } from '../model/report.js';
import { formatDuration, formatKb, shortTime, diedAtText } from './sizes.js';
import { clipText } from '../read/clip-text.js';

export interface MarkdownOptions {
  lang: Lang;
  process: string;
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
  const span = { process: options.process, from: shortTime(s.window.from), to: shortTime(s.window.to) };
  out.push(`# ${escapeMarkdown(s.deaths > 0 ? t('ui.title', { ...span, deaths: s.deaths }) : t('ui.title-none', span))}`, '');
  for (const warning of report.warnings.filter((w) => w.code === 'not-a-kernel-log')) {
    out.push(`**${escapeMarkdown(t('ui.not-a-kernel-log', { path: warning.path ?? '?' }))}**`, '');
  }
  if (s.deaths > 0) {
    out.push(`| ${t('ui.by-verdict')} | n |`, '|---|---|');
    for (const [verdict, count] of Object.entries(s.byVerdict)) out.push(`| ${t(`verdict.${verdict as Verdict}`)} | ${count} |`);
    out.push('');
    const availability = s.availability === null ? '?' : `${(s.availability * 100).toFixed(3)}%`;
    out.push(t('ui.downtime', { downtime: formatDuration(s.downtimeSeconds), availability }), '');
  }
  for (const loop of s.crashLoops) out.push(`**${t('ui.crash-loop', { deaths: loop.deaths, from: shortTime(loop.from), to: shortTime(loop.to) })}**`, '');
  if (s.otherKills.length > 0) {
    out.push(t('ui.other-kills', { list: s.otherKills.map((k) => `${escapeMarkdown(k.name ?? '?')} (pid ${k.pid ?? '?'}, ${shortTime(k.time)})`).join(', ') }), '');
  }
  report.incidents.forEach((incident, index) => {
    const count = incident.count > 1 ? ` ${t('ui.times', { count: incident.count })}` : '';
    out.push(`## ${t('ui.incident', { n: index + 1 })}: ${t(`verdict.${incident.verdict}`)}${count} (${t(`confidence.${incident.confidence}`)})`, '');
    const died = diedAtText(incident, t);
    out.push(`- **${t('ui.died')}**: ${died}`);
    out.push(`- **${t('ui.back')}**: ${incident.restartedAt ? `${shortTime(incident.restartedAt)} (${t('ui.down-for', { downtime: formatDuration(incident.downtimeSeconds ?? 0) })})` : t('ui.not-back')}`);
    if (incident.pid !== null) out.push(`- **PID**: ${incident.pid}`);
    out.push(`- **${t('ui.why')}**: ${escapeMarkdown(incident.reason)}`);
    const kill = incident.oomKill ? report.oomKills.find((k) => k.id === incident.oomKill) : undefined;
    if (kill) out.push(`- **${t('ui.figures')}**: anon ${formatKb(kill.anonRssKb)}, file ${formatKb(kill.fileRssKb)}${kill.limitKb ? `, limit ${formatKb(kill.limitKb)}` : kill.ramKb ? `, RAM ${formatKb(kill.ramKb)}` : ''}`);
    if (incident.crashSite) out.push(`- **${t('ui.crash-site')}**: ${escapeMarkdown(incident.crashSite)}`);
    if (incident.faultSite) out.push(`- **${t('ui.fault-site')}**: ${escapeMarkdown(incident.faultSite)}`);
    for (const advice of incident.advice) out.push(`- **${t('ui.advice')}**: ${escapeMarkdown(advice.text)}`);
    out.push('', `**${t('ui.evidence')}**`, '', ...incident.evidence.map(evidenceItem), '');
  });
  if (report.oomKills.length > 0) {
    out.push(`## ${t('ui.kills')}`, '', '| time | pid | name | constraint | anon | limit / RAM |', '|---|---|---|---|---|---|');
    for (const k of report.oomKills) {
      out.push(`| ${shortTime(k.time)} | ${k.pid ?? '?'} | ${escapeMarkdown(k.name ?? '?')} | ${k.constraint ?? '?'} | ${formatKb(k.anonRssKb)} | ${formatKb(k.constraint === 'memcg' ? k.limitKb : k.ramKb)} |`);
    }
    out.push('');
  }
  out.push(`## ${t('ui.inputs')}`, '');
  for (const source of report.sources) {
    out.push(`- ${source.role}: ${escapeMarkdown(source.path)} (${source.format}, ${t('ui.lines', { lines: source.lines })}, ${shortTime(source.from)} → ${shortTime(source.to)}${source.complete ? '' : `, ${t('ui.cut-short')}`})`);
  }
  if (report.warnings.length > 0) {
    out.push('', `## ${t('ui.warnings')}`, '');
    for (const w of report.warnings) out.push(`- ${w.path ? `${escapeMarkdown(w.path)}: ` : ''}${escapeMarkdown(w.message)}`);
  }
  return out.join('\n') + '\n';
}

function evidenceItem(e: Evidence): string {
  const where = `${e.path.slice(e.path.lastIndexOf('/') + 1)}:${e.line}`;
  return `- ${escapeMarkdown(where)} ${escapeMarkdown(e.text.length > 200 ? clipText(e.text, 200) + '…' : e.text)}`;
}
