// The report as one self-contained HTML page: no script, no request, one hashed stylesheet and inline SVG charts.
// Everything that came from a log is inserted as text (escaped); the report's data rides along as inert JSON.
import { createHash } from 'node:crypto';
import { htmlMessage, type HtmlCode } from '../../i18n/html-messages.js';
import { message, type Lang, type MessageCode } from '../../i18n/messages.js';
import type { Evidence, Incident, OomEvent, OomKill, Report, Verdict } from '../../model/report.js';
import { explainKill, type ExplainItem } from '../explain.js';
import { formatDuration, formatKb, shortTime, diedAtText } from '../sizes.js';
import { headline } from '../headline.js';
import { eventNote } from '../event-notes.js';
import { escapeHtml, jsonForScript, logText } from './escape.js';
import { renderMemoryChart } from './memory-chart.js';
import { renderMemoryBars } from './memory-bars.js';
import { STYLES } from './styles.js';
import { renderDowntimeBars, renderTimeline, renderTimelineByDay } from './timeline.js';
import { verdictIcon } from './verdict-marks.js';

export interface HtmlOptions {
  lang: Lang;
  /** The watched process, for the title. */
  process: string;
  /** --process was given (else the headline may say the default process is in no input). */
  processNamed?: boolean;
}

/** The Content-Security-Policy of the page: nothing from anywhere, no script, only its own stylesheet (by hash). */
export function contentSecurityPolicy(styles: string = STYLES): string {
  const hash = createHash('sha256').update(styles, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
}

const isHtmlCode = (code: string): code is HtmlCode => code.startsWith('html.');

type T = (code: HtmlCode | MessageCode, params?: Record<string, string | number>) => string;

/**
 * The head of every page oomscope writes (the report, the fleet page): its language, the Content-Security-Policy,
 * the stylesheet. `titleHtml` is already escaped.
 */
export function pageHead(lang: Lang, titleHtml: string, generator?: string): string[] {
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang === 'zh-CN' ? 'zh-CN' : 'en'}">`,
    '<head>',
    '<meta charset="utf-8">',
    // Our own constant: only letters, digits, quotes ' and base64; nothing to escape inside "…".
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy()}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    ...(generator === undefined ? [] : [`<meta name="generator" content="${escapeHtml(generator)}">`]),
    `<title>${titleHtml}</title>`,
    `<style>${STYLES}</style>`,
    '</head>',
  ];
}

// (Over 80 lines: the page in reading order, section after section; each section is a short run of lines.)
export function renderHtml(report: Report, options: HtmlOptions): string {
  const lang = options.lang;
  const t: T = (code, params = {}) => (isHtmlCode(code) ? htmlMessage(lang, code, params) : message(lang, code, params));
  const verdict = (v: string): string => message(lang, `verdict.${v as Verdict}`);
  const s = report.summary;
  const out: string[] = [];
  const title = t('html.title', { process: options.process });
  out.push(
    ...pageHead(lang, `${logText(title)} — oomscope`, report.generator),
    '<body>',
    '<main>',
  );

  // Header.
  out.push('<header class="page">');
  out.push(`<h1>${logText(title)}</h1>`);
  out.push(`<div class="window">${escapeHtml(t('html.subtitle', { from: shortTime(s.window.from), to: shortTime(s.window.to) }))}</div>`);
  out.push(`<p class="muted">${escapeHtml(t('html.generated', { generator: report.generator, inputs: report.sources.length }))}</p>`);
  out.push('</header>');

  // Summary.
  out.push(`<section id="summary"><h2>${escapeHtml(t('html.summary'))}</h2>`);
  out.push(`<p><strong>${logText(headline(report, options, (code, params = {}) => message(lang, code, params)))}</strong></p>`);
  const availability = s.availability === null ? '—' : `${(s.availability * 100).toFixed(3)}%`;
  out.push('<div class="cards">');
  out.push(card(t('html.deaths'), String(s.deaths), s.deaths > 0, 'deaths'));
  out.push(card(t('html.downtime'), s.deaths > 0 ? formatDuration(s.downtimeSeconds, lang) : formatDuration(0, lang), false, 'downtime'));
  out.push(card(t('html.availability'), availability, s.availability !== null && s.availability < 0.999, 'availability'));
  out.push(card(t('html.crash-loops'), String(s.crashLoops.length), s.crashLoops.length > 0, 'crash-loops'));
  out.push(card(t('html.other-kills'), String(s.otherKills.length), false, 'other-kills'));
  out.push('</div>');
  const verdicts = Object.entries(s.byVerdict) as [Verdict, number][];
  if (verdicts.length > 0) {
    out.push(`<h3>${escapeHtml(t('html.by-verdict'))}</h3><ul class="verdicts">`);
    for (const [v, count] of verdicts) out.push(`<li data-verdict="${v}">${verdictIcon(v)}<span>${escapeHtml(verdict(v))}</span> <strong>×${count}</strong></li>`);
    out.push('</ul>');
  }
  for (const loop of s.crashLoops) {
    out.push(`<p class="cut">${escapeHtml(t('ui.crash-loop', { deaths: loop.deaths, from: shortTime(loop.from), to: shortTime(loop.to) }))}</p>`);
  }
  if (s.otherKills.length > 0) {
    out.push(`<p>${logText(t('ui.other-kills', { list: s.otherKills.map((k) => `${k.name ?? '?'} (pid ${k.pid ?? '?'}, ${shortTime(k.time)})`).join(', ') }))}</p>`);
  }
  out.push('</section>');

  // Timeline.
  out.push(`<section id="timeline"><h2>${escapeHtml(t('html.timeline'))}</h2>`);
  const timeline = renderTimeline(report, { t, verdict });
  if (timeline) {
    out.push(`<p class="muted">${escapeHtml(t('html.timeline-note'))}</p>`);
    out.push(`<div class="panel scroll wide-only">${timeline.svg}</div>`);
    const byDay = renderTimelineByDay(report, { t, verdict });
    if (byDay) out.push(`<div class="panel phone-only">${byDay}</div>`);
    if (timeline.undated > 0) out.push(`<p class="muted">${escapeHtml(t('html.undated', { count: timeline.undated }))}</p>`);
  } else {
    out.push(`<p class="muted">${escapeHtml(t('html.no-window'))}</p>`);
  }
  const downtime = renderDowntimeBars(report, { t, verdict });
  if (downtime) out.push(`<h3>${escapeHtml(t('html.downtime-per-death'))}</h3><div class="panel">${downtime}</div>`);
  const present = [...new Set(report.incidents.map((i) => i.verdict))];
  if (present.length > 0) {
    out.push(`<ul class="verdicts legend" aria-label="${escapeHtml(t('html.legend'))}">`);
    for (const v of present) out.push(`<li>${verdictIcon(v, 14)}<span>${escapeHtml(verdict(v))}</span></li>`);
    out.push('</ul>');
  }
  out.push('</section>');

  // Each death.
  out.push(`<section id="incidents"><h2>${escapeHtml(t('html.incidents'))}</h2>`);
  if (report.incidents.length === 0) out.push(`<p>${logText(t('html.no-incidents', { process: options.process }))}</p>`);
  report.incidents.forEach((incident, index) => out.push(incidentCard(incident, index + 1, report, t, verdict, lang)));
  out.push('</section>');

  // Each kill.
  if (report.oomKills.length > 0) {
    out.push(`<section id="kills"><h2>${escapeHtml(t('html.kills'))}</h2>`);
    report.oomKills.forEach((kill, index) => out.push(killCard(kill, index + 1, options.process, lang, t)));
    out.push('</section>');
  }
  if (report.oomEvents.length > 0) {
    out.push(`<section id="events"><h2>${escapeHtml(t('html.events'))}</h2><ul>`);
    for (const event of report.oomEvents) out.push(`<li>${eventLine(event, options.lang)}</li>`);
    out.push('</ul></section>');
  }

  // Inputs and warnings.
  out.push(`<section id="inputs"><h2>${escapeHtml(t('html.inputs'))}</h2><div class="scroll"><table class="inputs"><thead><tr>`);
  for (const h of ['html.role', 'html.file-path', 'html.format', 'html.lines', 'html.span'] as const) out.push(`<th>${escapeHtml(t(h))}</th>`);
  out.push('</tr></thead><tbody>');
  for (const source of report.sources) {
    const span = source.from || source.to ? `${shortTime(source.from)} → ${shortTime(source.to)}` : t('html.no-times');
    out.push(
      `<tr class="role-row-${source.role}"><td>${escapeHtml(t(`html.role-${source.role}`))}</td><td class="path mono">${logText(source.path)}</td>` +
        `<td class="mono">${escapeHtml(source.format)}</td><td>${source.lines}</td><td>${escapeHtml(span)}${source.complete ? '' : ` <span class="cut">${escapeHtml(t('html.cut-short'))}</span>`}</td></tr>`,
    );
  }
  out.push('</tbody></table></div>');
  out.push(`<h3>${escapeHtml(t('html.warnings'))}</h3>`);
  if (report.warnings.length === 0) out.push(`<p class="muted">${escapeHtml(t('html.no-warnings'))}</p>`);
  else {
    out.push('<ul class="warnings">');
    for (const w of report.warnings) out.push(`<li data-code="${escapeHtml(w.code)}">${w.path ? `<code>${logText(w.path)}</code>: ` : ''}${logText(w.message)}</li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  out.push(`<footer>${escapeHtml(t('html.footer'))}</footer>`);
  out.push('</main>');
  // The data, for anyone who wants it from the file: inert (not script), escaped so no log text can end the block.
  out.push(`<script type="application/json" id="oomscope-report">${jsonForScript(report)}</script>`);
  out.push('</body>', '</html>');
  return out.join('\n') + '\n';
}

function card(label: string, value: string, alert: boolean, key: string): string {
  return `<div class="card${alert ? ' alert' : ''}" data-card="${key}"><div class="label">${escapeHtml(label)}</div><div class="big">${escapeHtml(value)}</div></div>`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function evidenceList(evidence: Evidence[], t: T): string {
  if (evidence.length === 0) return '';
  const items = evidence.map((e) => {
    const where = `${baseName(e.path)}:${e.line}`;
    const role = e.role ? `<span class="role">${escapeHtml(t(`html.role-${e.role}`))}</span>` : '';
    return `<li><span class="where mono" title="${logText(e.path)}">${logText(where)}</span><span>${role}<code>${logText(e.text)}</code></span></li>`;
  });
  return `<ol class="evidence">${items.join('')}</ol>`;
}

function incidentCard(incident: Incident, n: number, report: Report, t: T, verdict: (v: string) => string, lang: Lang): string {
  const out: string[] = [];
  out.push(`<article class="incident v-${incident.verdict}" id="death-${n}" data-verdict="${incident.verdict}">`);
  const count = incident.count > 1 ? ` <span class="badge">${escapeHtml(t('html.count', { count: incident.count }))}</span>` : '';
  out.push(
    `<header>${verdictIcon(incident.verdict, 20)}<h3>${escapeHtml(t('ui.incident', { n }))}: ${escapeHtml(verdict(incident.verdict))}</h3>` +
      `<span class="badge ${incident.confidence}">${escapeHtml(t(`confidence.${incident.confidence}`))}</span>${count}</header>`,
  );
  const died = diedAtText(incident, t, lang);
  const back = incident.restartedAt
    ? `${shortTime(incident.restartedAt)} (${t('html.down-for', { downtime: formatDuration(incident.downtimeSeconds ?? 0, lang) })})`
    : t('html.not-back');
  out.push('<dl class="facts">');
  out.push(`<dt>${escapeHtml(t('html.died'))}</dt><dd>${escapeHtml(died)}</dd>`);
  out.push(`<dt>${escapeHtml(t('html.back'))}</dt><dd>${escapeHtml(back)}</dd>`);
  if (incident.pid !== null) out.push(`<dt>PID</dt><dd>${incident.pid}</dd>`);
  out.push(`<dt>${escapeHtml(t('html.reason'))}</dt><dd>${logText(incident.reason)}</dd>`);
  if (incident.crashSite) out.push(`<dt>${escapeHtml(t('html.crash-site'))}</dt><dd><code>${logText(incident.crashSite)}</code></dd>`);
  if (incident.faultSite) out.push(`<dt>${escapeHtml(t('html.fault-site'))}</dt><dd><code>${logText(incident.faultSite)}</code></dd>`);
  if (incident.missingInput) out.push(`<dt>?</dt><dd>${logText(incident.missingInput)}</dd>`);
  const killIndex = incident.oomKill ? report.oomKills.findIndex((k) => k.id === incident.oomKill) : -1;
  if (killIndex >= 0) out.push(`<dt></dt><dd><a href="#kill-${killIndex + 1}">${escapeHtml(t('html.kill-link', { n: killIndex + 1 }))}</a></dd>`);
  out.push('</dl>');
  if (incident.advice.length > 0) {
    out.push(`<strong>${escapeHtml(t('html.advice'))}</strong><ul class="advice">`);
    for (const advice of incident.advice) out.push(`<li>${adviceHtml(advice.text)}</li>`);
    out.push('</ul>');
  }
  if (incident.evidence.length > 0) out.push(`<strong>${escapeHtml(t('html.evidence'))}</strong>${evidenceList(incident.evidence, t)}`);
  out.push('</article>');
  return out.join('');
}

/** `comm` is the first 15 bytes of the name: a kill of the watched process matches on them. */
function isWatched(name: string | null, process: string): boolean {
  if (name === null) return false;
  const comm = Buffer.from(process, 'utf8').subarray(0, 15).toString('utf8');
  return name === process || name === comm;
}

function killCard(kill: OomKill, n: number, process: string, lang: Lang, t: T): string {
  const out: string[] = [];
  const watched = isWatched(kill.name, process);
  out.push(`<article class="kill-card" id="kill-${n}" data-kill="${n}">`);
  out.push(`<h3>${logText(t('html.kill', { n, name: kill.name ?? '?' }))} <span class="badge">${escapeHtml(t(watched ? 'html.kill-of-watched' : 'html.kill-of-other'))}</span></h3>`);
  const meta = [shortTime(kill.time), kill.pid !== null ? `pid ${kill.pid}` : null, kill.uid !== null ? `uid ${kill.uid}` : null, kill.kernelVersion ? `Linux ${kill.kernelVersion}` : null]
    .filter(Boolean)
    .join(' · ');
  out.push(`<p class="meta">${logText(meta)}</p>`);
  // The wide chart's figures would shrink below legibility on a phone: there the rows are stacked instead.
  out.push(`<div class="scroll wide-only">${renderMemoryChart(kill, n, { t })}</div>${renderMemoryBars(kill, n, { t })}`);
  out.push(
    `<div class="key"><span class="k-anon">${escapeHtml(t('html.anon'))}</span><span class="k-file">${escapeHtml(t('html.file'))}</span>` +
      `<span class="k-shmem">${escapeHtml(t('html.shmem'))}</span><span class="k-other">${escapeHtml(t('html.rss'))}</span></div>`,
  );
  if (kill.trigger) {
    const order = kill.trigger.order;
    const what =
      order === null ? '?'
      : order < 0 ? 'SysRq-f (order -1)'
      : `${formatKb(2 ** order * (kill.pageSizeKb ?? 4))} (order ${order})`;
    const flags = kill.trigger.gfpMask ? ` — gfp_mask=${kill.trigger.gfpMask}${kill.trigger.gfpFlags ? `(${kill.trigger.gfpFlags.join('|')})` : ''}` : '';
    out.push(`<p class="trigger"><strong>${escapeHtml(t('html.trigger'))}:</strong> ${logText(t('html.trigger-text', { name: kill.trigger.name ?? '?', pid: kill.trigger.pid ?? '?', what }))}<code>${logText(flags)}</code></p>`);
  }
  out.push(`<details open><summary>${escapeHtml(t('html.explained'))}</summary><div class="explain">`);
  for (const item of explainKill(kill, lang)) out.push(explainRow(item));
  out.push('</div></details>');
  if (kill.evidence.length > 0) {
    out.push(`<details open><summary>${escapeHtml(t('html.evidence'))} (${kill.evidence.length})</summary>${evidenceList(kill.evidence, t)}</details>`);
  }
  out.push('</article>');
  return out.join('');
}

function explainRow(item: ExplainItem): string {
  const sub = item.items && item.items.length > 0
    ? `<ul>${item.items.map((s) => `<li${s.tone ? ` class="tone-${s.tone}"` : ''}><code>${logText(s.field)}</code>${s.value ? ` = <code>${logText(s.value)}</code>` : ''} — ${logText(s.text)}</li>`).join('')}</ul>`
    : '';
  return (
    `<div class="x-row${item.tone ? ` tone-${item.tone}` : ''}" data-field="${escapeHtml(item.field)}">` +
    `<div class="field">${logText(item.field)}${item.value ? `<code>${logText(item.value)}</code>` : ''}</div>` +
    `<div class="text">${logText(item.text)}${sub}</div></div>`
  );
}

function eventLine(event: OomEvent, lang: Lang): string {
  const subject = [event.name && `${event.name} (pid ${event.pid ?? '?'})`, event.cgroup, event.unit].filter(Boolean).join(' ');
  const where = event.evidence[0] ? ` <span class="muted mono">${logText(`${baseName(event.evidence[0].path)}:${event.evidence[0].line}`)}</span>` : '';
  const note = eventNote(event, lang);
  return `<code>${escapeHtml(event.kind)}</code>${event.killer ? ` (${logText(event.killer)})` : ''} ${logText(subject)} <span class="muted">${escapeHtml(shortTime(event.time))}</span>${where}${note ? `<br>${logText(note)}` : ''}`;
}

/** Advice marks commands and file names with backticks: they show as code, escaped like any text, no backtick left. */
function adviceHtml(text: string): string {
  const parts = text.split('`');
  // An odd backtick (unclosed) stays text: only pairs make code.
  if (parts.length % 2 === 0) return logText(text);
  return parts.map((part, i) => (i % 2 === 1 ? `<code>${logText(part)}</code>` : logText(part))).join('');
}
