// `oomscope fleet --format html`: the fleet's table as one self-contained page in the report's style (same
// stylesheet, same Content-Security-Policy: no script, nothing loaded). Every label value is escaped.
import type { FleetData } from '../fleet/prometheus-fleet.js';
import { fleetMessage } from '../i18n/fleet-messages.js';
import { isMessageCode, message, type Lang } from '../i18n/messages.js';
import { escapeHtml } from './html/escape.js';
import { pageHead } from './html/render-html.js';
import { formatDuration, shortTime } from './sizes.js';

export function fleetHtml(data: FleetData, lang: Lang): string {
  const say = (code: Parameters<typeof fleetMessage>[1], p: Record<string, string | number> = {}): string => escapeHtml(fleetMessage(lang, code, p));
  const verdict = (v: string): string => {
    const code = `verdict.${v}`;
    return escapeHtml(isMessageCode(code) ? message(lang, code) : v);
  };
  const out = [
    ...pageHead(lang, say('page.heading')),
    '<body><main>',
    `<header class="page"><h1>${say('page.heading')}</h1>`,
    `<p class="muted">${say('page.window', { window: formatDuration(data.windowSeconds, lang), prometheus: data.prometheus, at: shortTime(data.at) })}</p></header>`,
  ];
  if (data.servers.length === 0) {
    out.push(`<p>${say('page.none')}</p>`);
  } else {
    out.push('<section id="fleet"><div class="scroll"><table class="inputs fleet"><thead><tr>');
    for (const c of ['col.server', 'col.deaths', 'col.causes', 'col.kills', 'col.last', 'col.watcher'] as const) out.push(`<th>${say(c)}</th>`);
    out.push('</tr></thead><tbody>');
    for (const s of data.servers) {
      const causes = s.verdicts.map((v) => `<span class="v-${escapeHtml(v.verdict)}">${escapeHtml(v.process)} ${verdict(v.verdict)} ×${v.count}</span>`).join('<br>') || '—';
      const kills = s.victims.map((v) => `${escapeHtml(v.victim)} ×${v.count}`).join('<br>');
      const watcher = s.up === true ? say('page.up') : s.up === false ? `<strong>${say('page.silent')}</strong>` : say('page.gone');
      out.push(
        `<tr data-instance="${escapeHtml(s.instance)}"><td class="path">${escapeHtml(s.instance)}</td><td>${s.deaths}</td><td>${causes}</td>`,
        `<td>${s.oomKills}${kills ? `<br>${kills}` : ''}</td><td>${s.lastDeath ? escapeHtml(shortTime(s.lastDeath)) : say('page.never')}</td><td>${watcher}</td></tr>`,
      );
    }
    out.push('</tbody></table></div></section>');
    const silent = data.servers.filter((s) => s.up !== true).length;
    if (silent > 0) out.push(`<p><strong>${say('page.silent-count', { count: silent })}</strong></p>`);
  }
  out.push('</main></body></html>', '');
  return out.join('\n');
}
