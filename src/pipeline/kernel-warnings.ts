// What a kernel source's reading could not know or had to give up, as one warning per kind per source (never one
// per line or per kill): missing fields, missing kill lines, unplaced times, caps, prefixes, not a kernel log at all.
import type { KernelLogRead } from '../model/kernel-log-read.js';
import type { OomEvent, OomKill, Warning } from '../model/report.js';
import { MAX_OPEN_BLOCKS, MAX_RECORDS, MAX_TASK_ROWS } from '../assemble/oom-blocks.js';

/** What an input that holds no kernel line looks like, or null when it holds some (or nothing at all). */
function notKernelLog(read: KernelLogRead): string | null {
  const t = read.lookalike;
  if (read.kernelLines > 0 || read.records.length > 0 || t.lines === 0) return null;
  const most = (count: number): boolean => count * 2 >= t.lines;
  if (most(t.guardian)) return "a guardian's check.log";
  if (most(t.goLog)) return "an application's log (Go's log lines, like running.log)";
  if (most(t.accessLog)) return 'a web server access log';
  if (most(t.otherPrograms)) return 'a system log with no kernel lines (other programs only)';
  if (most(t.binary)) return 'binary data, not text';
  return 'text of another kind';
}

/** Says which kills lack their kill line, which lost lines inside their block, and which OOM invocations named no victim. */
function incompleteWarnings(path: string, kills: OomKill[], events: OomEvent[]): Warning[] {
  const out: Warning[] = [];
  const withoutKillLine = kills.filter((kill) => kill.incomplete && !kill.evidence.some((e) => e.text.includes('Killed process'))).length;
  const lostInside = kills.filter((kill) => kill.incomplete).length - withoutKillLine;
  if (withoutKillLine > 0) {
    out.push({ code: 'incomplete-kill', path, message: `${withoutKillLine} kill(s) are known from the line that named the victim (selection, summary or reaper) but their kill line is missing; the kill line's figures are null` });
  }
  if (lostInside > 0) {
    out.push({ code: 'incomplete-kill', path, message: `${lostInside} kill record(s) lost lines inside their OOM block (ring buffer overrun, or the paste starts mid-block); fields not seen are null` });
  }
  const unfinished = events.filter((e) => e.kind === 'oom-unfinished').length;
  if (unfinished > 0) {
    out.push({ code: 'oom-unfinished', path, message: `${unfinished} OOM invocation(s) show no victim (the input ends inside the block, the paste was cut, or the kernel found nothing to kill); they are listed as oom-unfinished events, not as kills` });
  }
  return out;
}

/** Fields checked for "missing from every kill of a source", which gets one warning, not one per kill. */
const REPORTED_FIELDS: (keyof OomKill)[] = ['uid', 'totalVmKb', 'anonRssKb', 'fileRssKb', 'shmemRssKb', 'pgtablesKb', 'oomScoreAdj', 'ramKb', 'swapTotalKb', 'kernelVersion', 'topConsumers'];

export interface SourceTally {
  kills: OomKill[];
  events: OomEvent[];
  /** Records with an uptime but no wall time, and records with neither. */
  unplaced: number;
  untimed: number;
}

export function sourceWarnings(source: { path: string; read: KernelLogRead }, { kills, events, unplaced, untimed }: SourceTally, notKept = 0): Warning[] {
  const path = source.path;
  const read = source.read;
  const out: Warning[] = [];
  if (kills.length > 0) {
    const missing = REPORTED_FIELDS.filter((field) => kills.every((kill) => kill[field] === null));
    if (missing.length > 0) {
      out.push({ code: 'fields-not-printed', path, message: `this log does not state ${missing.join(', ')} for any kill (the kernel that wrote it did not print them, or the lines are missing); they are null` });
    }
  }
  out.push(...incompleteWarnings(path, kills, events));
  if (unplaced > 0) {
    out.push({ code: 'no-wall-time', path, message: `${unplaced} record(s) carry only the kernel's uptime and no line ties it to the wall clock; their time is null (pass --boot-time, e.g. from \`uptime -s\` on that boot, with its zone)` });
  }
  if (untimed > 0) {
    out.push({ code: 'no-wall-time', path, message: `${untimed} record(s) carry no time at all (the lines have neither a wall-clock stamp nor the kernel's uptime); their time is null and they cannot be tied to a death by time` });
  }
  if (read.blocksWithoutKill > 0) {
    out.push({ code: 'oom-block-without-kill', path, message: `${read.blocksWithoutKill} OOM block(s) ended without naming a victim (the victim was already exiting, or lines were lost)` });
  }
  if (read.lines === 0) {
    const why = path === 'journal' ? 'the journal returned no kernel lines (does journald keep a journal here? try --kernel kmsg)'
      : path === 'kmsg' || path === 'dmesg' ? 'the kernel log returned no lines'
      : 'the input is empty';
    out.push({ code: 'empty-input', path, message: why });
  }
  const lookalike = notKernelLog(read);
  if (lookalike !== null) out.push({ code: 'not-a-kernel-log', path, message: `this input holds no kernel line at all: it looks like ${lookalike}. Was it meant for --check or --app, or is the kernel log elsewhere (/var/log/kern.log, /var/log/messages, journal)?` });
  if (read.prefixedLines > 0) {
    out.push({ code: 'prefixed-lines', path, message: `${read.prefixedLines} OOM line(s) had other text in front of the kernel's (a console's stamp, a mail quote, Markdown, a relay's envelope, NUL bytes); they were read from where the kernel's text begins, and the evidence keeps the whole line` });
  }
  if (read.newestFirst) out.push({ code: 'newest-first', path, message: 'the lines are newest first (a paste from a log viewer?); they were read oldest first' });
  if (read.overlongLines > 0) out.push({ code: 'overlong-line', path, message: `${read.overlongLines} line(s) longer than 1 MiB were read only up to 1 MiB` });
  const limits = read.limits;
  if (limits.openBlocks > 0) {
    out.push({ code: 'oom-blocks-capped', path, message: `more than ${MAX_OPEN_BLOCKS} OOM blocks were open at once; ${limits.openBlocks} of them were closed early (is this a kernel log?)` });
  }
  if (limits.taskTables > 0) {
    out.push({ code: 'task-table-capped', path, message: `${limits.taskTables} OOM block(s) had a task table of more than ${2 * MAX_TASK_ROWS} rows; only the biggest and the likeliest victims were kept, so a victim's row may be missing` });
  }
  if (limits.records + notKept > 0) {
    out.push({ code: 'records-capped', path, message: `only the first ${MAX_RECORDS} OOM kills and events of this log are reported; ${limits.records + notKept} later one(s) were counted but not kept (split the log to see them)` });
  }
  for (const [problem, count] of read.problems) {
    out.push({ code: problem, path, message: `${count} line(s) have a stamp that could not be read (${problem}); they are read without it` });
  }
  return out;
}
