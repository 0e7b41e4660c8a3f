// The report for a person at a terminal: a one-screen summary with the table of deaths, then each death (the newest
// first, alike runs folded), then the kernel's kills (each told once) and the inputs.
import { message, type Lang, type MessageCode } from '../i18n/messages.js';
import type { Evidence, Incident, OomEvent, OomKill, Report, Verdict } from '../model/report.js';
import { escapeForTerminal } from './escape.js';
import { clipText } from '../read/clip-text.js';
import { formatDuration, formatKb, shortTime, diedAtText, timeOrUnknown } from './sizes.js';
import { headline } from './headline.js';
import { explainKill, explainLines } from './explain.js';
import { eventNote } from './event-notes.js';
import { foldRuns, incidentKey, killKey, killOf, numbered, pad, type ReadingOptions } from './digest.js';
import { crashLoopLines, deathTable, incidentRunBlock, killReference, killRunBlock, otherKillsList, type Painters } from './text-runs.js';
import { digestMessage } from '../i18n/digest-messages.js';

export interface TextOptions extends ReadingOptions {
  color: boolean;
  lang: Lang;
  /** Watched process, for the title when there are no incidents. */
  process: string;
  /** Whether --process was given (the headline says when the default one is in no input); absent: given. */
  processNamed?: boolean;
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
  const lang = options.lang;
  out.push(bold(headline(report, options, t, escapeForTerminal)));
  for (const warning of report.warnings.filter((w) => w.code === 'not-a-kernel-log')) {
    out.push(red(t('ui.not-a-kernel-log', { path: escapeForTerminal(warning.path ?? '?') })));
  }
  const verdicts = Object.entries(summary.byVerdict).map(([verdict, count]) => `${t(`verdict.${verdict as Verdict}`)} ${t('ui.times', { count: count ?? 0 })}`);
  const colon = lang === 'en' ? ': ' : '：';
  if (verdicts.length > 0) out.push(`${t('ui.by-verdict')}${colon}${verdicts.join(' · ')}`);
  if (summary.deaths > 0) {
    // Nothing seen coming back: no downtime to add up, only the line that says so.
    const downtime = formatDuration(summary.downtimeSeconds, lang);
    if (summary.downtimeUnknown < summary.deaths) {
      out.push(summary.availability === null ? t('ui.downtime-no-availability', { downtime })
        : t('ui.downtime', { downtime, availability: `${(summary.availability * 100).toFixed(3)}%` }));
    }
    if (summary.downtimeUnknown > 0) out.push(t('ui.downtime-unknown', { count: summary.downtimeUnknown }));
  }
  const painters: Painters = { t, bold, dim, red, lang };
  out.push(...crashLoopLines(report, options, painters));
  if (summary.otherKills.length > 0) {
    const byId = new Map(report.oomKills.map((k) => [k.id, k]));
    const runs = foldRuns(summary.otherKills, (k) => (byId.has(k.id) ? killKey(byId.get(k.id)!) : k.id), options);
    out.push(t('ui.other-kills', { list: otherKillsList(runs, t, lang) }));
  }
  out.push('');
  if (report.incidents.length > 0) out.push(...deathTable(report, options, painters), '');

  for (const run of foldRuns(report.incidents, incidentKey(report), options)) {
    out.push(...(run.items.length === 1 ? incidentBlock(run.items[0]!, run.first, report, painters) : incidentRunBlock(run, report, painters, (e) => evidenceLine(e, dim))), '');
  }

  if (report.oomKills.length > 0) {
    out.push(bold(lang === 'en' ? `${t('ui.kills')} (${report.oomKills.length})` : `${t('ui.kills')}（${report.oomKills.length}）`));
    for (const run of foldRuns(report.oomKills, killKey, options)) {
      const newest = run.items.at(-1)!;
      if (run.items.length === 1) out.push(...killBlock(newest, run.first, painters));
      else out.push(...killRunBlock(run, painters));
      if (options.explain) {
        if (run.items.length > 1) out.push(`    ${digestMessage(lang, 'run.explained', { n: run.first + run.items.length - 1 })}`);
        out.push(...explainLines(explainKill(newest, options.lang), '    ', escapeForTerminal, red));
      }
      out.push('');
    }
  }
  for (const { item } of numbered(report.oomEvents, options)) out.push(...eventBlock(item, painters), '');

  out.push(bold(t('ui.inputs')));
  for (const source of report.sources) {
    const when = source.from || source.to ? `${timeOrUnknown(source.from, t)} → ${timeOrUnknown(source.to, t)}` : t('ui.no-wall-time');
    const comma = lang === 'en' ? ', ' : '，';
    const cut = source.complete ? '' : `${comma}${red(t('ui.cut-short'))}`;
    out.push(`  ${pad(t(`role.${source.role}`), 9)}${escapeForTerminal(source.path)}  ${source.format}${comma}${t('ui.lines', { lines: source.lines })}${comma}${when}${cut}`);
  }
  if (report.warnings.length > 0) {
    out.push('', bold(t('ui.warnings')));
    for (const warning of report.warnings) {
      out.push(`  ! ${warning.path ? escapeForTerminal(warning.path) + colon : ''}${escapeForTerminal(warning.message)}`);
    }
  }
  return out.join('\n') + '\n';
}

function incidentBlock(incident: Incident, n: number, report: Report, { t, bold, dim, lang }: Painters): string[] {
  const lines: string[] = [];
  const count = incident.count > 1 ? ` ${t('ui.times', { count: incident.count })}` : '';
  const [open, close, colon] = lang === 'en' ? [' (', ')', ': '] : ['（', '）', '：'];
  lines.push(bold(`${t('ui.incident', { n })}${colon}${t(`verdict.${incident.verdict}`)}${count}`) + dim(`${open}${t(`confidence.${incident.confidence}`)}${close}`));
  const died = diedAtText(incident, t, lang);
  const back = incident.restartedAt
    ? `${t('ui.back')} ${shortTime(incident.restartedAt)}${open}${t('ui.down-for', { downtime: formatDuration(incident.downtimeSeconds ?? 0, lang) })}${close}`
    : t('ui.not-back');
  lines.push(`  ${pad(t('ui.died'))}${died}   ${back}`);
  if (incident.pid !== null) lines.push(`  ${pad(t('ui.pid'))}${incident.pid}`);
  lines.push(`  ${pad(t('ui.why'))}${escapeForTerminal(incident.reason)}`);
  // The kill is told once, under the kernel's kills: the death points at it.
  const kill = killOf(report, incident);
  if (kill) lines.push(`  ${pad(digestMessage(lang, 'ref.label'))}${killReference([kill], report, lang)}`);
  if (incident.crashSite) lines.push(`  ${pad(t('ui.crash-site'))}${escapeForTerminal(incident.crashSite)}`);
  if (incident.faultSite) lines.push(`  ${pad(t('ui.fault-site'))}${escapeForTerminal(incident.faultSite)}`);
  incident.advice.forEach((advice, i) => lines.push(`  ${pad(i === 0 ? t('ui.advice') : '')}${escapeForTerminal(advice.text)}`));
  incident.evidence.forEach((e, i) => lines.push(`  ${pad(i === 0 ? t('ui.evidence') : '')}${evidenceLine(e, dim)}`));
  return lines;
}

function evidenceLine(e: Evidence, dim: (s: string) => string): string {
  const where = `${baseName(e.path)}:${e.line}`;
  const text = e.text.length > EVIDENCE_TEXT_CHARS ? clipText(e.text, EVIDENCE_TEXT_CHARS) + '…' : e.text;
  return `${dim(where.padEnd(18))} ${escapeForTerminal(text)}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function killBlock(kill: OomKill, n: number, { t, dim, lang }: Painters): string[] {
  const lines: string[] = [];
  const label = (code: MessageCode): string => `    ${pad(t(code), 10)}`;
  const uid = kill.uid !== null ? kill.uid : '';
  const who = kill.name === null ? t('kill.victim-unknown')
    : kill.pid !== null ? t('kill.who', { name: escapeForTerminal(kill.name), pid: kill.pid, uid })
    : t('kill.who-no-pid', { name: escapeForTerminal(kill.name), uid });
  const comma = lang === 'en' ? ', ' : '，';
  const when = `${timeOrUnknown(kill.time, t)}${kill.uptimeSeconds !== null ? `${comma}${t('kill.uptime', { seconds: kill.uptimeSeconds.toFixed(3) })}` : ''}`;
  lines.push(`  ${t('kill.title', { n, who })}` + dim(`  ${when}`));
  if (kill.incomplete) lines.push(`    ${t('kill.cut-off')}`);
  const why = kill.constraint ? (isConstraint(kill.constraint) ? t(`constraint.${kill.constraint}`) : kill.constraint) : t('constraint.unknown');
  lines.push(`${label('kill.label-why')}${why}${kill.trigger?.order === -1 ? t('kill.manual') : ''}`);
  const sizes = { anon: formatKb(kill.anonRssKb), file: formatKb(kill.fileRssKb), shmem: formatKb(kill.shmemRssKb), virtual: formatKb(kill.totalVmKb) };
  lines.push(`${label('kill.label-held')}${t('kill.held', sizes)}`);
  if (kill.constraint === 'memcg') {
    const memcg = kill.memcg !== null ? escapeForTerminal(kill.memcg) : t('ui.cgroup-unknown');
    lines.push(`${label('kill.label-cgroup')}${t('kill.cgroup', { memcg, usage: formatKb(kill.usageKb), limit: formatKb(kill.limitKb) })}`);
  } else if (kill.ramKb !== null || kill.swapTotalKb !== null) {
    const machine = { ram: formatKb(kill.ramKb), free: formatKb(kill.swapFreeKb), total: formatKb(kill.swapTotalKb), totalKb: kill.swapTotalKb ?? '' };
    lines.push(`${label('kill.label-machine')}${t('kill.machine', machine)}`);
  }
  if (kill.selected) lines.push(`${label('kill.label-chosen')}${t('kill.chosen', { name: escapeForTerminal(kill.selected.name), pid: kill.selected.pid })}`);
  if (kill.trigger) lines.push(`${label('kill.label-trigger')}${triggerText(kill.trigger, t, lang)}`);
  if (kill.topConsumers && kill.topConsumers.length > 0) {
    lines.push(`${label('kill.label-top')}${kill.topConsumers.map((c) => `${escapeForTerminal(c.name)} ${formatKb(c.rssKb)}`).join(' · ')}`);
  }
  if (kill.reaped !== null) lines.push(`${label('kill.label-reaped')}${t(kill.reaped ? 'kill.reaped-yes' : 'kill.reaped-no')}`);
  if (kill.kernelVersion) lines.push(`${label('kill.label-kernel')}${escapeForTerminal(kill.kernelVersion)}`);
  lines.push(`${label('kill.label-evidence')}${evidenceSummary(kill.evidence)}`);
  return lines;
}

const CONSTRAINTS = ['global', 'memcg', 'cpuset', 'mempolicy'] as const;
function isConstraint(name: string): name is (typeof CONSTRAINTS)[number] {
  return (CONSTRAINTS as readonly string[]).includes(name);
}

/** `php-fpm (pid 812) asked for memory: gfp_mask=0x…(GFP_…), order=0`; what the block does not say is left out or said unknown. */
function triggerText(trigger: NonNullable<OomKill['trigger']>, t: Painters['t'], lang: Lang): string {
  const name = trigger.name !== null ? escapeForTerminal(trigger.name) : t('ui.name-unknown');
  const who = trigger.pid !== null ? t('kill.pid', { name, pid: trigger.pid }) : name;
  const flags = trigger.gfpFlags ? `(${trigger.gfpFlags.join('|')})` : '';
  const known = [trigger.gfpMask !== null ? `gfp_mask=${escapeForTerminal(trigger.gfpMask)}${escapeForTerminal(flags)}` : '', trigger.order !== null ? `order=${trigger.order}` : ''];
  return t('kill.trigger', { who, detail: known.filter((k) => k !== '').join(lang === 'en' ? ', ' : '，') });
}

function eventBlock(event: OomEvent, { t, dim, lang }: Painters): string[] {
  const who = event.name ? (event.pid !== null ? t('kill.pid', { name: escapeForTerminal(event.name), pid: event.pid }) : escapeForTerminal(event.name)) : null;
  const subject = [who, event.cgroup && escapeForTerminal(event.cgroup), event.unit && escapeForTerminal(event.unit)]
    .filter(Boolean)
    .join(' ');
  return [
    `  ${t('event.title', { kind: t(`event-kind.${event.kind}`), killer: event.killer === 'kernel' ? t('role.kernel') : (event.killer ?? ''), subject })}` + dim(`  ${timeOrUnknown(event.time, t)}`),
    ...noteLines(event, lang),
    `    ${pad(t('kill.label-evidence'), 10)}${evidenceSummary(event.evidence)}`,
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
