// The report as Markdown, for pasting into a ticket: log text is escaped so it can never become markup.
import { message, type Lang, type MessageCode } from '../i18n/messages.js';
import type { Evidence, Report, Verdict } from '../model/report.js';
import { formatDuration, formatKb, shortTime, diedAtText, timeOrUnknown } from './sizes.js';
import { headline } from './headline.js';
import { clipText } from '../read/clip-text.js';

export interface MarkdownOptions {
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
  const [open, close, comma] = lang === 'en' ? [' (', ')', ', '] : ['（', '）', '，'];
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
  for (const loop of s.crashLoops) out.push(`**${t('ui.crash-loop', { deaths: loop.deaths, from: shortTime(loop.from), to: shortTime(loop.to) })}**`, '');
  if (s.otherKills.length > 0) {
    const item = (k: (typeof s.otherKills)[number]): string =>
      t('ui.kill-item', { name: k.name === null ? t('ui.name-unknown') : escapeMarkdown(k.name), pid: k.pid ?? '', time: timeOrUnknown(k.time, t) });
    out.push(t('ui.other-kills', { list: s.otherKills.map(item).join(t('ui.list-separator')) }), '');
  }
  report.incidents.forEach((incident, index) => {
    const count = incident.count > 1 ? ` ${t('ui.times', { count: incident.count })}` : '';
    const colon = lang === 'en' ? ': ' : '：';
    out.push(`## ${t('ui.incident', { n: index + 1 })}${colon}${t(`verdict.${incident.verdict}`)}${count}${open}${t(`confidence.${incident.confidence}`)}${close}`, '');
    const field = (label: string, value: string): string => `- **${label}**${colon}${value}`;
    out.push(field(t('ui.died'), diedAtText(incident, t, lang)));
    out.push(field(t('ui.back'), incident.restartedAt ? `${shortTime(incident.restartedAt)}${open}${t('ui.down-for', { downtime: formatDuration(incident.downtimeSeconds ?? 0, lang) })}${close}` : t('ui.not-back')));
    if (incident.pid !== null) out.push(field(t('ui.pid'), String(incident.pid)));
    out.push(field(t('ui.why'), escapeMarkdown(incident.reason)));
    const kill = incident.oomKill ? report.oomKills.find((k) => k.id === incident.oomKill) : undefined;
    if (kill) {
      const whole = kill.limitKb ? t('fig.limit', { size: formatKb(kill.limitKb) }) : kill.ramKb ? t('fig.ram', { size: formatKb(kill.ramKb) }) : '';
      const figures = [t('fig.anon', { size: formatKb(kill.anonRssKb) }), t('fig.file', { size: formatKb(kill.fileRssKb) }), ...(whole ? [whole] : [])];
      out.push(field(t('ui.figures'), figures.join(comma)));
    }
    if (incident.crashSite) out.push(field(t('ui.crash-site'), escapeMarkdown(incident.crashSite)));
    if (incident.faultSite) out.push(field(t('ui.fault-site'), escapeMarkdown(incident.faultSite)));
    for (const advice of incident.advice) out.push(field(t('ui.advice'), escapeMarkdown(advice.text)));
    out.push('', `**${t('ui.evidence')}**`, '', ...incident.evidence.map(evidenceItem), '');
  });
  if (report.oomKills.length > 0) {
    out.push(`## ${t('ui.kills')}`, '', t('md.kill-columns'), '|---|---|---|---|---|---|');
    for (const k of report.oomKills) {
      const constraint = k.constraint === null ? '—' : isConstraint(k.constraint) ? t(`constraint.short-${k.constraint}`) : escapeMarkdown(k.constraint);
      out.push(`| ${timeOrUnknown(k.time, t)} | ${k.pid ?? '—'} | ${k.name === null ? t('ui.name-unknown') : escapeMarkdown(k.name)} | ${constraint} | ${formatKb(k.anonRssKb)} | ${formatKb(k.constraint === 'memcg' ? k.limitKb : k.ramKb)} |`);
    }
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
