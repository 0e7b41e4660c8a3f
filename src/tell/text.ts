// The report for a person at a terminal: one block per kill, figures in MiB/GiB, where the proof is.
import type { OomEvent, OomKill, Report } from '../report.js';
import { escapeForTerminal } from './escape.js';
import { formatKb } from './sizes.js';

export interface TextOptions {
  color: boolean;
}

const CONSTRAINT_WORDS: Record<string, string> = {
  global: 'the whole machine ran out of memory',
  memcg: 'a cgroup hit its memory limit',
  cpuset: 'the cpuset’s memory nodes ran out',
  mempolicy: 'the NUMA memory policy’s nodes ran out',
};

export function renderText(report: Report, options: TextOptions): string {
  const bold = (s: string): string => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  const dim = (s: string): string => (options.color ? `\x1b[2m${s}\x1b[0m` : s);
  const out: string[] = [];
  const kills = report.oomKills;
  const sourceCount = report.sources.length;
  out.push(bold(`oomscope: ${kills.length} OOM kill${kills.length === 1 ? '' : 's'} found in ${sourceCount} kernel log${sourceCount === 1 ? '' : 's'}`));
  if (report.oomEvents.length > 0) out.push(`and ${report.oomEvents.length} other out-of-memory event${report.oomEvents.length === 1 ? '' : 's'}`);
  out.push('');
  kills.forEach((kill, index) => out.push(...killBlock(kill, index + 1, bold, dim), ''));
  for (const event of report.oomEvents) out.push(...eventBlock(event, dim), '');
  out.push(bold('Inputs'));
  for (const source of report.sources) {
    const span = source.from || source.to ? `${source.from ?? '?'} → ${source.to ?? '?'}` : 'no wall-clock times';
    out.push(`  ${escapeForTerminal(source.path)}  ${source.format}, ${source.lines} lines, ${span}${source.complete ? '' : ', CUT SHORT'}`);
  }
  if (report.warnings.length > 0) {
    out.push('', bold('Warnings'));
    for (const warning of report.warnings) {
      out.push(`  ! ${warning.path ? escapeForTerminal(warning.path) + ': ' : ''}${escapeForTerminal(warning.message)}`);
    }
  }
  return out.join('\n') + '\n';
}

function when(time: string | null, uptime: number | null): string {
  const parts: string[] = [];
  if (time) parts.push(time.replace('T', ' '));
  else parts.push('time unknown');
  if (uptime !== null) parts.push(`uptime ${uptime.toFixed(3)} s`);
  return parts.join(', ');
}

function killBlock(kill: OomKill, n: number, bold: (s: string) => string, dim: (s: string) => string): string[] {
  const lines: string[] = [];
  const who = kill.name !== null ? `${escapeForTerminal(kill.name)} (pid ${kill.pid ?? '?'}${kill.uid !== null ? `, uid ${kill.uid}` : ''})` : 'victim unknown';
  lines.push(bold(`Kill ${n}: ${who}`) + dim(`  ${when(kill.time, kill.uptimeSeconds)}`));
  if (kill.incomplete) lines.push('  ! the record was cut off: fields not seen are unknown');
  const why = kill.constraint ? CONSTRAINT_WORDS[kill.constraint] ?? kill.constraint : 'constraint unknown';
  lines.push(`  Why       ${why}${kill.trigger?.order === -1 ? ' (manual kill: SysRq-f, order=-1)' : ''}`);
  lines.push(`  Held      anon ${formatKb(kill.anonRssKb)} · file ${formatKb(kill.fileRssKb)} · shmem ${formatKb(kill.shmemRssKb)} · virtual ${formatKb(kill.totalVmKb)}`);
  if (kill.constraint === 'memcg') {
    lines.push(`  Cgroup    ${escapeForTerminal(kill.memcg ?? '?')}: usage ${formatKb(kill.usageKb)} of limit ${formatKb(kill.limitKb)}`);
  } else if (kill.ramKb !== null || kill.swapTotalKb !== null) {
    lines.push(`  Machine   RAM ${formatKb(kill.ramKb)} · swap ${formatKb(kill.swapFreeKb)} free of ${formatKb(kill.swapTotalKb)}`);
  }
  if (kill.selected) lines.push(`  Chosen    ${escapeForTerminal(kill.selected.name)} (pid ${kill.selected.pid}); its child was killed instead`);
  if (kill.trigger) {
    const flags = kill.trigger.gfpFlags ? `(${kill.trigger.gfpFlags.join('|')})` : '';
    lines.push(`  Trigger   ${escapeForTerminal(kill.trigger.name ?? '?')} (pid ${kill.trigger.pid ?? '?'}) asked for memory: gfp_mask=${kill.trigger.gfpMask ?? '?'}${flags}, order=${kill.trigger.order ?? '?'}`);
  }
  if (kill.topConsumers && kill.topConsumers.length > 0) {
    lines.push(`  Top       ${kill.topConsumers.map((c) => `${escapeForTerminal(c.name)} ${formatKb(c.rssKb)}`).join(' · ')}`);
  }
  if (kill.reaped !== null) lines.push(`  Reaped    ${kill.reaped ? 'yes, its memory was freed at once' : 'no, the reaper could not free it'}`);
  if (kill.kernelVersion) lines.push(`  Kernel    ${escapeForTerminal(kill.kernelVersion)}`);
  lines.push(`  Evidence  ${evidenceSummary(kill.evidence)}`);
  return lines;
}

function eventBlock(event: OomEvent, dim: (s: string) => string): string[] {
  const subject = [event.name && `${escapeForTerminal(event.name)} (pid ${event.pid ?? '?'})`, event.cgroup && escapeForTerminal(event.cgroup), event.unit && escapeForTerminal(event.unit)]
    .filter(Boolean)
    .join(' ');
  return [
    `Event: ${event.kind}${event.killer ? ` by ${event.killer}` : ''}${subject ? ` — ${subject}` : ''}` + dim(`  ${when(event.time, event.uptimeSeconds)}`),
    `  Evidence  ${evidenceSummary(event.evidence)}`,
  ];
}

function evidenceSummary(evidence: OomKill['evidence']): string {
  const byPath = new Map<string, number[]>();
  for (const e of evidence) {
    const list = byPath.get(e.path) ?? [];
    list.push(e.line);
    byPath.set(e.path, list);
  }
  return [...byPath].map(([path, lines]) => `${escapeForTerminal(path)}:${lines.join(',')}`).join('  ');
}
