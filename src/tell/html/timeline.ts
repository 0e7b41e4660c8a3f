// The whole window as one SVG: each death marked by its verdict (shape and colour) with its downtime as a bar and the
// restart as a tick, the kernel's OOM kills, crash loops, and the span each input covers. Plain SVG, no script.
import type { HtmlCode } from '../../i18n/html-messages.js';
import type { MessageCode } from '../../i18n/messages.js';
import type { Incident, Report } from '../../model/report.js';
import { formatDuration, shortTime } from '../sizes.js';
import { escapeHtml, logText } from './escape.js';
import { instant, offsetMinutes, ticks } from './time-axis.js';
import { verdictIcon, verdictMark } from './verdict-marks.js';

export interface TimelineText {
  t: (code: HtmlCode | MessageCode, params?: Record<string, string | number>) => string;
  verdict: (verdict: string) => string;
}

const WIDTH = 1000;
const LEFT = 118;
const RIGHT = 16;
const ROW = 26;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

function clip(text: string, chars: number): string {
  return [...text].length > chars ? [...text].slice(0, chars - 1).join('') + '…' : text;
}

// (Over 80 lines: one SVG drawn in order — axis, days, deaths, downtime bars, legend.)
/** The timeline SVG, or null when the report has no wall-clock window. */
export function renderTimeline(report: Report, text: TimelineText): { svg: string; undated: number } | null {
  const { t } = text;
  const from = instant(report.summary.window.from);
  const to = instant(report.summary.window.to);
  const undated = report.incidents.filter((i) => instant(i.diedAt) === null).length;
  if (from === null || to === null || to <= from) return null;
  const offset = offsetMinutes(report.summary.window.from);
  const span = to - from;
  const x = (ms: number): number => LEFT + ((Math.min(Math.max(ms, from), to) - from) / span) * (WIDTH - LEFT - RIGHT);

  // Deaths are stacked into rows where their marks would overlap.
  const placed: { incident: Incident; n: number; x: number; row: number }[] = [];
  const rowEnds: number[] = [];
  report.incidents.forEach((incident, index) => {
    const died = instant(incident.diedAt);
    if (died === null) return;
    const mx = x(died);
    let row = rowEnds.findIndex((end) => end < mx - 22);
    if (row === -1) {
      row = rowEnds.length < 5 ? rowEnds.length : rowEnds.indexOf(Math.min(...rowEnds));
    }
    const back = instant(incident.restartedAt);
    rowEnds[row] = Math.max(mx, back !== null ? x(back) : mx) + 2;
    placed.push({ incident, n: index + 1, x: mx, row });
  });
  const deathRows = Math.max(1, rowEnds.length);
  const rowOffset = (row: number): number => (row % 2 === 1 ? -1 : 1) * Math.ceil(row / 2) * ROW;
  const deathsTop = 40;
  const deathsMid = deathsTop + Math.ceil((deathRows - 1) / 2) * ROW + 16;
  const deathsBottom = deathsMid + Math.floor((deathRows - 1) / 2) * ROW + 22;
  const killsMid = deathsBottom + 16;
  const inputsTop = killsMid + 22;
  const inputRows = report.sources.length;
  const axisY = inputsTop + inputRows * 14 + 8;
  const height = axisY + 26;

  const out: string[] = [];
  out.push(`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(t('html.timeline'))}" data-deaths="${placed.length}">`);
  // Background grid and axis.
  for (const tick of ticks(from, to, offset, 9)) {
    const tx = x(tick.ms);
    out.push(`<line class="grid${tick.major ? ' major' : ''}" x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="14" y2="${axisY}"/>`);
    out.push(`<text class="tick" x="${tx.toFixed(1)}" y="${axisY + 16}" text-anchor="middle">${escapeHtml(tick.label)}</text>`);
  }
  out.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${axisY}" y2="${axisY}"/>`);
  // Crash loops, behind everything.
  for (const loop of report.summary.crashLoops) {
    const a = instant(loop.from);
    const b = instant(loop.to);
    if (a === null || b === null) continue;
    const lx = x(a) - 6;
    const w = Math.max(x(b) - x(a) + 12, 12);
    out.push(
      `<g class="loop"><rect x="${lx.toFixed(1)}" y="14" width="${w.toFixed(1)}" height="${axisY - 14}"/>` +
        `<text class="loop-label" x="${(lx + w / 2).toFixed(1)}" y="11" text-anchor="middle">${escapeHtml(t('html.crash-loop-band'))}</text>` +
        `<title>${escapeHtml(t('html.crash-loop', { deaths: loop.deaths, from: shortTime(loop.from), to: shortTime(loop.to) }))}</title></g>`,
    );
  }
  // Lane labels.
  out.push(`<text class="lane" x="${LEFT - 10}" y="${deathsMid + 4}" text-anchor="end">${escapeHtml(t('html.lane-deaths'))}</text>`);
  out.push(`<text class="lane" x="${LEFT - 10}" y="${killsMid + 4}" text-anchor="end">${escapeHtml(t('html.lane-kills'))}</text>`);
  out.push(`<line class="lane-rule" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${deathsMid}" y2="${deathsMid}"/>`);
  out.push(`<line class="lane-rule" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${killsMid}" y2="${killsMid}"/>`);

  // Deaths: downtime bars and restart ticks first, marks on top.
  const marks: string[] = [];
  out.push('<g class="lane-deaths">');
  for (const { incident, n, x: mx, row } of placed) {
    const y = deathsMid + rowOffset(row);
    const back = instant(incident.restartedAt);
    const downtime = incident.downtimeSeconds !== null ? formatDuration(incident.downtimeSeconds) : null;
    if (back !== null) {
      const bx = x(back);
      const w = Math.max(bx - mx, 3);
      out.push(`<rect class="down" data-incident="${n}" x="${mx.toFixed(1)}" y="${(y - 4).toFixed(1)}" width="${w.toFixed(1)}" height="8" rx="2"><title>${escapeHtml(t('html.down-for', { downtime: downtime ?? '?' }))}</title></rect>`);
      const rx = mx + w;
      out.push(`<path class="restart" data-incident="${n}" d="M${rx.toFixed(1)},${(y + 8).toFixed(1)}V${(y - 9).toFixed(1)}M${(rx - 3.5).toFixed(1)},${(y - 5).toFixed(1)}L${rx.toFixed(1)},${(y - 9).toFixed(1)}L${(rx + 3.5).toFixed(1)},${(y - 5).toFixed(1)}"><title>${escapeHtml(t('html.restarted', { time: shortTime(incident.restartedAt) }))}</title></path>`);
    }
    const title = `${t('html.died')} ${shortTime(incident.diedAt)} — ${text.verdict(incident.verdict)}${incident.count > 1 ? ` ×${incident.count}` : ''}${downtime ? `, ${t('html.down-for', { downtime })}` : ''}`;
    marks.push(`<a href="#death-${n}">${verdictMark(incident.verdict, mx, y, logText(title), 'death', 9)}<text class="mark-n" x="${mx.toFixed(1)}" y="${(row % 2 === 1 ? y - 14 : y + 22).toFixed(1)}" text-anchor="middle">${n}</text></a>`);
  }
  out.push(...marks, '</g>');

  // The kernel's OOM kills, of any process.
  out.push('<g class="lane-kills">');
  report.oomKills.forEach((kill, index) => {
    const at = instant(kill.time);
    if (at === null) return;
    const kx = x(at);
    const title = `${kill.name ?? '?'} (pid ${kill.pid ?? '?'}) — ${shortTime(kill.time)}`;
    out.push(`<a href="#kill-${index + 1}"><path class="kill" data-kill="${index + 1}" transform="translate(${kx.toFixed(1)} ${killsMid})" d="M0,6L-5,-5L5,-5Z"><title>${logText(title)}</title></path></a>`);
  });
  out.push('</g>');

  // What each input covers.
  out.push('<g class="lane-inputs">');
  report.sources.forEach((source, index) => {
    const y = inputsTop + index * 14;
    out.push(`<text class="input-name" x="${LEFT - 10}" y="${y + 4}" text-anchor="end">${logText(clip(baseName(source.path), 18))}</text>`);
    const a = instant(source.from);
    const b = instant(source.to);
    if (a === null || b === null) return;
    const w = Math.max(x(b) - x(a), 2);
    out.push(`<rect class="span role-${source.role}" x="${x(a).toFixed(1)}" y="${y - 3}" width="${w.toFixed(1)}" height="6" rx="3"><title>${logText(`${source.path}: ${shortTime(source.from)} → ${shortTime(source.to)}`)}</title></rect>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return { svg: out.join(''), undated };
}

/**
 * One row per death that came back, as HTML (fits any width; text at the page's size): its mark, number and verdict,
 * when it died, a bar as long as it was down (never thinner than a few pixels) and the exact figure as text.
 */
export function renderDowntimeBars(report: Report, text: TimelineText): string | null {
  const rows = report.incidents.map((incident, index) => ({ incident, n: index + 1 })).filter((r) => r.incident.downtimeSeconds !== null);
  if (rows.length === 0) return null;
  const longest = Math.max(...rows.map((r) => r.incident.downtimeSeconds!), 1);
  const out: string[] = [`<ol class="downtime" aria-label="${escapeHtml(text.t('html.lane-down'))}">`];
  for (const { incident, n } of rows) {
    // The bar's length in hundredths of the track; at least 1.5 so a 2-second stop beside a 2-hour one still shows.
    const share = Math.max((incident.downtimeSeconds! / longest) * 100, 1.5);
    const figure = formatDuration(incident.downtimeSeconds!);
    out.push(
      `<li data-incident="${n}"><a class="what" href="#death-${n}">${verdictIcon(incident.verdict, 14)} ${logText(`${n}. ${text.verdict(incident.verdict)}${incident.count > 1 ? ` ×${incident.count}` : ''}`)}</a>` +
        `<span class="when">${escapeHtml(`${text.t('html.died')} ${shortTime(incident.diedAt).slice(5, 16)}`)}</span>` +
        `<svg class="track" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="bar v-${incident.verdict}" x="0" y="0" width="${share.toFixed(2)}" height="10" rx="1"/></svg>` +
        `<span class="figure">${escapeHtml(figure)}</span></li>`,
    );
  }
  out.push('</ol>');
  return out.join('');
}

/**
 * The timeline for a phone: one row per day that had a death or an OOM kill, each death as its mark, time and verdict
 * (with its downtime), and the day's OOM kills counted. The wide SVG shows instead on a wider screen.
 */
export function renderTimelineByDay(report: Report, text: TimelineText): string | null {
  const days = new Map<string, { at: string; html: string }[]>();
  const add = (iso: string | null, html: string): void => {
    if (!iso) return;
    const day = iso.slice(0, 10);
    days.set(day, [...(days.get(day) ?? []), { at: iso, html }]);
  };
  report.incidents.forEach((incident, index) => {
    const down = incident.downtimeSeconds !== null ? `, ${text.t('html.down-for', { downtime: formatDuration(incident.downtimeSeconds) })}` : '';
    add(incident.diedAt, `<li><a href="#death-${index + 1}">${verdictIcon(incident.verdict, 14)} <span class="mono">${escapeHtml(shortTime(incident.diedAt).slice(11, 16))}</span> ${logText(`${index + 1}. ${text.verdict(incident.verdict)}${incident.count > 1 ? ` ×${incident.count}` : ''}${down}`)}</a></li>`);
  });
  report.oomKills.forEach((kill, index) => {
    add(kill.time, `<li><a href="#kill-${index + 1}"><span class="kill-mark">▼</span> <span class="mono">${escapeHtml(shortTime(kill.time).slice(11, 16))}</span> ${logText(`${text.t('html.lane-kills')}: ${kill.name ?? '?'}`)}</a></li>`);
  });
  if (days.size === 0) return null;
  const out = ['<ol class="by-day">'];
  for (const day of [...days.keys()].sort()) out.push(`<li><strong>${escapeHtml(day)}</strong><ul>${days.get(day)!.sort((a, b) => a.at.localeCompare(b.at)).map((item) => item.html).join('')}</ul></li>`);
  out.push('</ol>');
  return out.join('');
}
