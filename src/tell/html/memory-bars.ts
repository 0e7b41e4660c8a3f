// The memory at the moment of one kill for a narrow screen: the chart's rows stacked, each a name and its figure on
// one line in the page's own text, the bar below it across the whole width, RAM or the limit as a dashed mark in
// every bar. Nothing to scroll sideways, and the text does not shrink with the drawing.
import type { OomKill } from '../../model/report.js';
import { formatKb } from '../sizes.js';
import { chartFigures, type ChartText } from './memory-chart.js';
import { escapeHtml, logText } from './escape.js';

/** The track's length in the viewBox: bars are drawn in thousandths of the scale's end. */
const TRACK = 1000;

interface Segment {
  cls: string;
  kb: number;
  title: string;
}

export function renderMemoryBars(kill: OomKill, index: number, text: ChartText): string {
  const { t } = text;
  const { memcg, limitKb, victimRss, others, consumers, all, together, largest } = chartFigures(kill);
  const scale = (kb: number): number => (kb / (largest * 1.04)) * TRACK;
  const limitX = limitKb !== null ? scale(limitKb) : null;
  const limitName = limitKb !== null ? t(memcg ? 'html.chart-limit' : 'html.chart-ram', { size: formatKb(limitKb) }) : null;
  const row = (kind: string, name: string, kb: number, segments: Segment[]): string => {
    let x = 0;
    const rects = segments.map((s) => {
      const w = Math.max(scale(s.kb), 1.5);
      const rect = `<rect class="seg ${s.cls}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="10"><title>${logText(s.title)}</title></rect>`;
      x += w;
      return rect;
    });
    const mark = limitX !== null ? `<line class="limit-mark" x1="${limitX.toFixed(1)}" x2="${limitX.toFixed(1)}" y1="0" y2="10" vector-effect="non-scaling-stroke"/>` : '';
    return `<li data-row="${kind}"><span class="name ${kind}">${name}</span><span class="figure">${escapeHtml(formatKb(kb))}</span>` +
      `<svg class="track" viewBox="0 0 ${TRACK} 10" preserveAspectRatio="none" aria-hidden="true">${rects.join('')}${mark}</svg></li>`;
  };
  const rows: string[] = [];
  if (victimRss !== null) {
    const parts: ['anon' | 'file' | 'shmem', number | null][] = [['anon', kill.anonRssKb], ['file', kill.fileRssKb], ['shmem', kill.shmemRssKb]];
    const segments = parts.filter(([, kb]) => kb).map(([kind, kb]) => ({ cls: `seg-${kind}`, kb: kb!, title: `${t(`html.${kind}`)} ${formatKb(kb!)}` }));
    rows.push(row('victim', `${logText(kill.name ?? '?')} · ${escapeHtml(t('html.chart-victim'))}`, victimRss, segments));
  }
  for (const c of others) rows.push(row('consumer', logText(c.name), c.rssKb, [{ cls: 'seg-other', kb: c.rssKb, title: `${c.name} (pid ${c.pid}) ${formatKb(c.rssKb)}` }]));
  if (consumers.length > 1) {
    const segments = all.map((c, i) => ({ cls: c.pid === kill.pid ? 'seg-anon' : `seg-stack${i % 2}`, kb: c.rssKb, title: `${c.name} ${formatKb(c.rssKb)}` }));
    rows.push(row('together', escapeHtml(t('html.chart-together', { n: all.length })), together, segments));
  }
  if (rows.length === 0) return `<p class="phone-only muted">${escapeHtml(t('html.chart-no-data'))}</p>`;
  const limit = limitName !== null ? `<p class="limit-key">${escapeHtml(limitName)}</p>` : '';
  return `<div class="phone-only kill-bars-box" data-kill="${index}">${limit}<ol class="kill-bars">${rows.join('')}</ol></div>`;
}
