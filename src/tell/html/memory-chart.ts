// The memory at the moment of one kill, as SVG bars: the victim's anon/file/shmem, the other top consumers, all of
// them together, against RAM or the cgroup limit drawn as a line.
import type { HtmlCode } from '../../i18n/html-messages.js';
import type { MessageCode } from '../../i18n/messages.js';
import type { Consumer, OomKill } from '../../model/report.js';
import { formatKb } from '../sizes.js';
import { escapeHtml, logText } from './escape.js';

export interface ChartText {
  t: (code: HtmlCode | MessageCode, params?: Record<string, string | number>) => string;
}

const WIDTH = 640;
const LEFT = 150;
const RIGHT = 92;
const ROW = 26;
/** Width of one character of an 11.5 px figure (digits, a space, `MiB`), a little generous. */
const LABEL_CHAR_WIDTH = 7;
/** Room kept on each side of the RAM or limit line. */
const LINE_CLEARANCE = 5;

function clip(text: string, chars: number): string {
  return [...text].length > chars ? [...text].slice(0, chars - 1).join('') + '…' : text;
}

/** A step for gridlines: 1, 2 or 5 × a power of two in KiB units people read (MiB, GiB). */
function gridStep(maxKb: number): number {
  const target = maxKb / 5;
  const steps = [64, 128, 256, 512].map((m) => m * 1024).concat([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024].map((g) => g * 1024 * 1024));
  const small = [1, 2, 4, 8, 16, 32].map((m) => m * 1024);
  return [...small, ...steps].find((s) => s >= target) ?? steps.at(-1)!;
}

/** What both drawings of a kill's memory show: the victim's resident memory, the others, all of them together. */
export interface ChartFigures {
  memcg: boolean;
  /** RAM, or the cgroup's limit: the line the bars are held against. */
  limitKb: number | null;
  victimRss: number | null;
  consumers: Consumer[];
  others: Consumer[];
  /** The rows summed in "together": the top consumers, with the victim when the table does not list it. */
  all: Consumer[];
  together: number;
  /** The longest bar or line, the scale's end. */
  largest: number;
}

export function chartFigures(kill: OomKill): ChartFigures {
  const memcg = kill.constraint === 'memcg';
  const limitKb = memcg ? kill.limitKb : kill.ramKb;
  const victimRss = kill.anonRssKb !== null ? kill.anonRssKb + (kill.fileRssKb ?? 0) + (kill.shmemRssKb ?? 0) : null;
  const consumers: Consumer[] = kill.topConsumers ?? [];
  const others = consumers.filter((c) => c.pid !== kill.pid);
  const listed = consumers.some((c) => c.pid === kill.pid) || victimRss === null;
  const all = listed ? consumers : [{ pid: kill.pid ?? -1, name: kill.name ?? '?', rssKb: victimRss ?? 0 }, ...consumers];
  const together = all.reduce((sum, c) => sum + c.rssKb, 0);
  const largest = Math.max(limitKb ?? 0, together, victimRss ?? 0, ...others.map((c) => c.rssKb), 1);
  return { memcg, limitKb, victimRss, consumers, others, all, together, largest };
}

export function renderMemoryChart(kill: OomKill, index: number, text: ChartText): string {
  const { t } = text;
  const { memcg, limitKb, victimRss, consumers, others, all, together, largest } = chartFigures(kill);
  const scale = (kb: number): number => (kb / (largest * 1.04)) * (WIDTH - LEFT - RIGHT);
  const rows = (victimRss !== null ? 1 : 0) + others.length + (consumers.length > 1 ? 1 : 0);
  const top = 26;
  const height = top + Math.max(rows, 1) * ROW + 30;
  const label = escapeHtml(t('html.chart-title', { what: limitKb !== null ? t(memcg ? 'html.chart-limit' : 'html.chart-ram', { size: formatKb(limitKb) }) : '—' }));
  const out: string[] = [];
  out.push(`<svg class="kill-chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${label}" data-kill="${index}" data-consumers="${others.length}">`);
  if (rows === 0) {
    out.push(`<text class="empty" x="${WIDTH / 2}" y="${top + 16}" text-anchor="middle">${escapeHtml(t('html.chart-no-data'))}</text></svg>`);
    return out.join('');
  }
  // Gridlines.
  const step = gridStep(largest);
  const bottom = top + rows * ROW;
  for (let kb = 0; kb <= largest * 1.04; kb += step) {
    const gx = LEFT + scale(kb);
    out.push(`<line class="grid" x1="${gx.toFixed(1)}" x2="${gx.toFixed(1)}" y1="${top - 4}" y2="${bottom}"/>`);
    out.push(`<text class="tick" x="${gx.toFixed(1)}" y="${bottom + 14}" text-anchor="middle">${escapeHtml(kb === 0 ? '0' : formatKb(kb).replace('.0 ', ' '))}</text>`);
  }
  let y = top;
  const limitX = limitKb !== null ? LEFT + scale(limitKb) : null;
  // A figure that would cross the RAM or limit line moves past it (or, with no room there, before the bar's end).
  const value = (x: number, yy: number, kb: number): string => {
    const label = formatKb(kb);
    const width = label.length * LABEL_CHAR_WIDTH;
    let at = x + 6;
    if (limitX !== null && at < limitX + LINE_CLEARANCE && at + width > limitX - LINE_CLEARANCE) {
      at = limitX + LINE_CLEARANCE + width <= WIDTH ? limitX + LINE_CLEARANCE : limitX - LINE_CLEARANCE - width;
    }
    return `<text class="bar-value" x="${at.toFixed(1)}" y="${yy + 17}">${escapeHtml(label)}</text>`;
  };
  if (victimRss !== null) {
    let x = LEFT;
    const segments: ['anon' | 'file' | 'shmem', number | null][] = [['anon', kill.anonRssKb], ['file', kill.fileRssKb], ['shmem', kill.shmemRssKb]];
    const parts: string[] = [];
    for (const [kind, kb] of segments) {
      if (!kb) continue;
      const w = Math.max(scale(kb), 1);
      parts.push(`<rect class="seg seg-${kind}" x="${x.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="16"><title>${escapeHtml(`${t(`html.${kind}`)} ${formatKb(kb)}`)}</title></rect>`);
      x += w;
    }
    out.push(`<g class="row" data-row="victim"><text class="row-label victim" x="${LEFT - 8}" y="${y + 17}" text-anchor="end">${logText(clip(kill.name ?? '?', 16))} · ${escapeHtml(t('html.chart-victim'))}</text>${parts.join('')}${value(x, y, victimRss)}</g>`);
    y += ROW;
  }
  for (const c of others) {
    const w = Math.max(scale(c.rssKb), 1);
    out.push(`<g class="row" data-row="consumer"><text class="row-label" x="${LEFT - 8}" y="${y + 17}" text-anchor="end">${logText(clip(c.name, 18))}</text><rect class="seg seg-other" x="${LEFT}" y="${y + 5}" width="${w.toFixed(1)}" height="16"><title>${logText(`${c.name} (pid ${c.pid}) ${formatKb(c.rssKb)}`)}</title></rect>${value(LEFT + w, y, c.rssKb)}</g>`);
    y += ROW;
  }
  if (consumers.length > 1) {
    let x = LEFT;
    const parts: string[] = [];
    all.forEach((c, i) => {
      const w = Math.max(scale(c.rssKb), 0.5);
      parts.push(`<rect class="seg ${c.pid === kill.pid ? 'seg-anon' : `seg-stack${i % 2}`}" x="${x.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="16"><title>${logText(`${c.name} ${formatKb(c.rssKb)}`)}</title></rect>`);
      x += w;
    });
    out.push(`<g class="row" data-row="together"><text class="row-label together" x="${LEFT - 8}" y="${y + 17}" text-anchor="end">${escapeHtml(t('html.chart-together', { n: all.length }))}</text>${parts.join('')}${value(x, y, together)}</g>`);
    y += ROW;
  }
  if (limitKb !== null) {
    const lx = LEFT + scale(limitKb);
    const name = t(memcg ? 'html.chart-limit' : 'html.chart-ram', { size: formatKb(limitKb) });
    out.push(`<g class="limit" data-row="limit"><line x1="${lx.toFixed(1)}" x2="${lx.toFixed(1)}" y1="${top - 8}" y2="${bottom + 2}"/><text x="${Math.min(lx, WIDTH - 4).toFixed(1)}" y="${top - 10}" text-anchor="${lx > WIDTH - RIGHT ? 'end' : 'middle'}">${escapeHtml(name)}</text></g>`);
  }
  out.push('</svg>');
  return out.join('');
}
