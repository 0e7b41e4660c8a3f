// `oomscope fleet --format text`: the fleet's deaths as one table, servers that died most first. Instance, process
// and victim names come from Prometheus labels (ultimately from logs): shown through the terminal escape.
import type { FleetData } from '../fleet/prometheus-fleet.js';
import { fleetMessage } from '../i18n/fleet-messages.js';
import { isMessageCode, message, type Lang } from '../i18n/messages.js';
import { escapeForTerminal } from './escape.js';
import { formatDuration, shortTime } from './sizes.js';

function verdictName(lang: Lang, verdict: string): string {
  const code = `verdict.${verdict}`;
  return isMessageCode(code) ? message(lang, code) : escapeForTerminal(verdict);
}

export function fleetText(data: FleetData, lang: Lang): string {
  const say = (code: Parameters<typeof fleetMessage>[1], p: Record<string, string | number> = {}): string => fleetMessage(lang, code, p);
  const sep = lang === 'zh-CN' ? '，' : ', ';
  const lines = [say('page.title', { window: formatDuration(data.windowSeconds, lang), prometheus: escapeForTerminal(data.prometheus) }), ''];
  if (data.servers.length === 0) return `${lines.join('\n')}${say('page.none')}\n`;
  lines.push(say('page.head'));
  for (const s of data.servers) {
    const causes = s.verdicts.map((v) => `${escapeForTerminal(v.process)} ${verdictName(lang, v.verdict)} ×${v.count}`).join(sep) || '-';
    const [open, close] = lang === 'zh-CN' ? ['（', '）'] : [' (', ')'];
    const kills = s.oomKills === 0 ? '0' : `${s.oomKills}${open}${s.victims.map((v) => `${escapeForTerminal(v.victim)} ×${v.count}`).join(sep)}${close}`;
    const last = s.lastDeath ? shortTime(s.lastDeath) : say('page.never');
    const watcher = s.up === true ? say('page.up') : s.up === false ? say('page.silent') : say('page.gone');
    lines.push([escapeForTerminal(s.instance), String(s.deaths), causes, kills, last, watcher].join(' | '));
  }
  const silent = data.servers.filter((s) => s.up !== true).length;
  if (silent > 0) lines.push('', say('page.silent-count', { count: silent }));
  return `${lines.join('\n')}\n`;
}
