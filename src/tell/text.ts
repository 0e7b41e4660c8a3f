// The report for a person at a terminal: a one-screen summary, then each death, then the kernel's kills and the inputs.
import { message, type Lang, type MessageCode } from '../i18n/messages.js';
import type { Evidence, Incident, OomEvent, OomKill, Report, Verdict } from '../model/report.js';
import { escapeForTerminal } from './escape.js';
import { clipText } from '../read/clip-text.js';
import { formatDuration, formatKb, shortTime, diedAtText } from './sizes.js';
import { explainKill, explainLines } from './explain.js';
import { eventNote } from './event-notes.js';

export interface TextOptions {
  color: boolean;
  lang: Lang;
  /** Watched process, for the title when there are no incidents. */
  process: string;
  /** `--explain`: every field of each kill explained under it. */
  explain?: boolean;
}

const EVIDENCE_TEXT_CHARS = 140;

export function renderText(report: Report, options: TextOptions): string {
  const t = (code: MessageCode, params: Record<string, string | number> = {}): string => message(options.lang, code, params);
  const paint = (code: string) => (s: string): string => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const bold = paint('1');
  const dim = paint('2');
  const red = paint('31;1');
  const out: string[] = [];
  const summary = report.summary;
  const span = { process: options.process, from: shortTime(summary.window.from), to: shortTime(summary.window.to) };
  out.push(bold(summary.deaths > 0 ? t('ui.title', { ...span, deaths: summary.deaths }) : t('ui.title-none', span)));
  for (const warning of report.warnings.filter((w) => w.code === 'not-a-kernel-log')) {
    out.push(red(t('ui.not-a-kernel-log', { path: escapeForTerminal(warning.path ?? '?') })));
  }
  const verdicts = Object.entries(summary.byVerdict).map(([verdict, count]) => `${t(`verdict.${verdict as Verdict}`)} ${t('ui.times', { count: count ?? 0 })}`);
  if (verdicts.length > 0) out.push(`${t('ui.by-verdict')}: ${verdicts.join(' · ')}`);
  if (summary.deaths > 0) {
    const availability = summary.availability === null ? '?' : `${(summary.availability * 100).toFixed(3)}%`;
    out.push(t('ui.downtime', { downtime: formatDuration(summary.downtimeSeconds), availability }));
    if (summary.downtimeUnknown > 0) out.push(t('ui.downtime-unknown', { count: summary.downtimeUnknown }));
  }
  for (const loop of summary.crashLoops) out.push(red(t('ui.crash-loop', { deaths: loop.deaths, from: shortTime(loop.from), to: shortTime(loop.to) })));
  if (summary.otherKills.length > 0) {
    const list = summary.otherKills.map((k) => `${escapeForTerminal(k.name ?? '?')} (pid ${k.pid ?? '?'}, ${shortTime(k.time)})`).join(', ');
    out.push(t('ui.other-kills', { list }));
  }
  out.push('');

  report.incidents.forEach((incident, index) => out.push(...incidentBlock(incident, index + 1, report, { t, bold, dim, red }), ''));

  if (report.oomKills.length > 0) {
    out.push(bold(`${t('ui.kills')} (${report.oomKills.length})`));
    report.oomKills.forEach((kill, index) => {
      out.push(...killBlock(kill, index + 1, dim));
      if (options.explain) out.push(...explainLines(explainKill(kill, options.lang), '    ', escapeForTerminal, red));
      out.push('');
    });
  }
  for (const event of report.oomEvents) out.push(...eventBlock(event, dim, options.lang), '');

  out.push(bold(t('ui.inputs')));
  for (const source of report.sources) {
    const when = source.from || source.to ? `${shortTime(source.from)} → ${shortTime(source.to)}` : t('ui.no-wall-time');
    const cut = source.complete ? '' : `, ${red(t('ui.cut-short'))}`;
    out.push(`  ${source.role.padEnd(8)} ${escapeForTerminal(source.path)}  ${source.format}, ${t('ui.lines', { lines: source.lines })}, ${when}${cut}`);
  }
  if (report.warnings.length > 0) {
    out.push('', bold(t('ui.warnings')));
    for (const warning of report.warnings) {
      out.push(`  ! ${warning.path ? escapeForTerminal(warning.path) + ': ' : ''}${escapeForTerminal(warning.message)}`);
    }
  }
  return out.join('\n') + '\n';
}

interface Painters {
  t: (code: MessageCode, params?: Record<string, string | number>) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
  red: (s: string) => string;
}

function incidentBlock(incident: Incident, n: number, report: Report, { t, bold, dim }: Painters): string[] {
  const lines: string[] = [];
  const count = incident.count > 1 ? ` ${t('ui.times', { count: incident.count })}` : '';
  lines.push(bold(`${t('ui.incident', { n })}: ${t(`verdict.${incident.verdict}`)}${count}`) + dim(` (${t(`confidence.${incident.confidence}`)})`));
  const died = diedAtText(incident, t);
  const back = incident.restartedAt
    ? `${t('ui.back')} ${shortTime(incident.restartedAt)} (${t('ui.down-for', { downtime: formatDuration(incident.downtimeSeconds ?? 0) })})`
    : t('ui.not-back');
  lines.push(`  ${pad(t('ui.died'))}${died}   ${back}`);
  if (incident.pid !== null) lines.push(`  ${pad(t('ui.pid'))}${incident.pid}`);
  lines.push(`  ${pad(t('ui.why'))}${escapeForTerminal(incident.reason)}`);
  const kill = incident.oomKill ? report.oomKills.find((k) => k.id === incident.oomKill) : undefined;
  if (kill) lines.push(`  ${pad(t('ui.figures'))}${killFigures(kill)}`);
  if (incident.crashSite) lines.push(`  ${pad(t('ui.crash-site'))}${escapeForTerminal(incident.crashSite)}`);
  if (incident.faultSite) lines.push(`  ${pad(t('ui.fault-site'))}${escapeForTerminal(incident.faultSite)}`);
  incident.advice.forEach((advice, i) => lines.push(`  ${pad(i === 0 ? t('ui.advice') : '')}${escapeForTerminal(advice.text)}`));
  incident.evidence.forEach((e, i) => lines.push(`  ${pad(i === 0 ? t('ui.evidence') : '')}${evidenceLine(e, dim)}`));
  return lines;
}

function pad(label: string): string {
  // CJK labels are two columns wide per character.
  const width = [...label].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  return label + ' '.repeat(Math.max(1, 12 - width));
}

function evidenceLine(e: Evidence, dim: (s: string) => string): string {
  const where = `${baseName(e.path)}:${e.line}`;
  const text = e.text.length > EVIDENCE_TEXT_CHARS ? clipText(e.text, EVIDENCE_TEXT_CHARS) + '…' : e.text;
  return `${dim(where.padEnd(18))} ${escapeForTerminal(text)}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function killFigures(kill: OomKill): string {
  const parts = [`anon ${formatKb(kill.anonRssKb)}`, `file ${formatKb(kill.fileRssKb)}`];
  if (kill.shmemRssKb !== null) parts.push(`shmem ${formatKb(kill.shmemRssKb)}`);
  if (kill.constraint === 'memcg') parts.push(`cgroup limit ${formatKb(kill.limitKb)}`);
  else if (kill.ramKb !== null) parts.push(`RAM ${formatKb(kill.ramKb)}, swap ${formatKb(kill.swapTotalKb)}`);
  return parts.join(' · ');
}

const CONSTRAINT_WORDS: Record<string, string> = {
  global: 'the whole machine ran out of memory',
  memcg: 'a cgroup hit its memory limit',
  cpuset: 'the cpuset’s memory nodes ran out',
  mempolicy: 'the NUMA memory policy’s nodes ran out',
};

function killBlock(kill: OomKill, n: number, dim: (s: string) => string): string[] {
  const lines: string[] = [];
  const who = kill.name !== null ? `${escapeForTerminal(kill.name)} (pid ${kill.pid ?? '?'}${kill.uid !== null ? `, uid ${kill.uid}` : ''})` : 'victim unknown';
  const when = `${kill.time ? shortTime(kill.time) : 'time unknown'}${kill.uptimeSeconds !== null ? `, uptime ${kill.uptimeSeconds.toFixed(3)} s` : ''}`;
  lines.push(`  Kill ${n}: ${who}` + dim(`  ${when}`));
  if (kill.incomplete) lines.push('    ! the record was cut off: fields not seen are unknown');
  const why = kill.constraint ? CONSTRAINT_WORDS[kill.constraint] ?? kill.constraint : 'constraint unknown';
  lines.push(`    Why       ${why}${kill.trigger?.order === -1 ? ' (manual kill: SysRq-f, order=-1)' : ''}`);
  lines.push(`    Held      anon ${formatKb(kill.anonRssKb)} · file ${formatKb(kill.fileRssKb)} · shmem ${formatKb(kill.shmemRssKb)} · virtual ${formatKb(kill.totalVmKb)}`);
  if (kill.constraint === 'memcg') {
    lines.push(`    Cgroup    ${escapeForTerminal(kill.memcg ?? '?')}: usage ${formatKb(kill.usageKb)} of limit ${formatKb(kill.limitKb)}`);
  } else if (kill.ramKb !== null || kill.swapTotalKb !== null) {
    lines.push(`    Machine   RAM ${formatKb(kill.ramKb)} · swap ${formatKb(kill.swapFreeKb)} free of ${formatKb(kill.swapTotalKb)}`);
  }
  if (kill.selected) lines.push(`    Chosen    ${escapeForTerminal(kill.selected.name)} (pid ${kill.selected.pid}); its child was killed instead`);
  if (kill.trigger) {
    const flags = kill.trigger.gfpFlags ? `(${kill.trigger.gfpFlags.join('|')})` : '';
    lines.push(`    Trigger   ${escapeForTerminal(kill.trigger.name ?? '?')} (pid ${kill.trigger.pid ?? '?'}) asked for memory: gfp_mask=${escapeForTerminal(kill.trigger.gfpMask ?? '?')}${escapeForTerminal(flags)}, order=${kill.trigger.order ?? '?'}`);
  }
  if (kill.topConsumers && kill.topConsumers.length > 0) {
    lines.push(`    Top       ${kill.topConsumers.map((c) => `${escapeForTerminal(c.name)} ${formatKb(c.rssKb)}`).join(' · ')}`);
  }
  if (kill.reaped !== null) lines.push(`    Reaped    ${kill.reaped ? 'yes, its memory was freed at once' : 'no, the reaper could not free it'}`);
  if (kill.kernelVersion) lines.push(`    Kernel    ${escapeForTerminal(kill.kernelVersion)}`);
  lines.push(`    Evidence  ${evidenceSummary(kill.evidence)}`);
  return lines;
}

function eventBlock(event: OomEvent, dim: (s: string) => string, lang: Lang): string[] {
  const subject = [event.name && `${escapeForTerminal(event.name)} (pid ${event.pid ?? '?'})`, event.cgroup && escapeForTerminal(event.cgroup), event.unit && escapeForTerminal(event.unit)]
    .filter(Boolean)
    .join(' ');
  const when = event.time ? shortTime(event.time) : 'time unknown';
  return [
    `  Event: ${event.kind}${event.killer ? ` by ${event.killer}` : ''}${subject ? ` — ${subject}` : ''}` + dim(`  ${when}`),
    ...noteLines(event, lang),
    `    Evidence  ${evidenceSummary(event.evidence)}`,
  ];
}

function noteLines(event: OomEvent, lang: Lang): string[] {
  const note = eventNote(event, lang);
  return note === null ? [] : [`    ${escapeForTerminal(note)}`];
}

function evidenceSummary(evidence: Evidence[]): string {
  const byPath = new Map<string, number[]>();
  for (const e of evidence) {
    const list = byPath.get(e.path) ?? [];
    list.push(e.line);
    byPath.set(e.path, list);
  }
  return [...byPath].map(([path, lines]) => `${escapeForTerminal(path)}:${lines.join(',')}`).join('  ');
}
