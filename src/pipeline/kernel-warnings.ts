// What a kernel source's reading could not know or had to give up, as one warning per kind per source (never one
// per line or per kill): missing fields, missing kill lines, unplaced times, caps, prefixes, not a kernel log at all.
import type { KernelLogRead } from '../model/kernel-log-read.js';
import type { OomEvent, OomKill } from '../model/report.js';
import type { Notice, WarningKey } from '../i18n/warning-messages.js';
import { MAX_OPEN_BLOCKS, MAX_RECORDS, MAX_TASK_ROWS } from '../assemble/oom-blocks.js';

/** What an input that holds no kernel line looks like (a key of the not-a-kernel-log sentence), or null when it holds some (or nothing at all). */
function notKernelLog(read: KernelLogRead): string | null {
  const t = read.lookalike;
  if (read.kernelLines > 0 || read.records.length > 0 || t.lines === 0) return null;
  const most = (count: number): boolean => count * 2 >= t.lines;
  if (most(t.guardian)) return 'guardian';
  if (most(t.goLog)) return 'go-log';
  if (most(t.accessLog)) return 'access-log';
  if (most(t.otherPrograms)) return 'other-programs';
  if (most(t.binary)) return 'binary';
  return 'other';
}

/** Says which kills lack their kill line, which lost lines inside their block, and which OOM invocations named no victim. */
function incompleteWarnings(path: string, kills: OomKill[], events: OomEvent[]): Notice[] {
  const out: Notice[] = [];
  const withoutKillLine = kills.filter((kill) => kill.incomplete && !kill.evidence.some((e) => e.text.includes('Killed process'))).length;
  const lostInside = kills.filter((kill) => kill.incomplete).length - withoutKillLine;
  if (withoutKillLine > 0) out.push({ key: 'incomplete-kill/no-kill-line', path, params: { count: withoutKillLine } });
  if (lostInside > 0) out.push({ key: 'incomplete-kill/lost-lines', path, params: { count: lostInside } });
  const unfinished = events.filter((e) => e.kind === 'oom-unfinished').length;
  if (unfinished > 0) out.push({ key: 'oom-unfinished', path, params: { count: unfinished } });
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

export function sourceWarnings(source: { path: string; read: KernelLogRead }, { kills, events, unplaced, untimed }: SourceTally, notKept = 0): Notice[] {
  const path = source.path;
  const read = source.read;
  const out: Notice[] = [];
  const say = (key: WarningKey, params: Notice['params'] = {}): void => {
    out.push({ key, path, params });
  };
  if (kills.length > 0) {
    const missing = REPORTED_FIELDS.filter((field) => kills.every((kill) => kill[field] === null));
    if (missing.length > 0) say('fields-not-printed', { fields: missing.join(', ') });
  }
  out.push(...incompleteWarnings(path, kills, events));
  if (unplaced > 0) say('no-wall-time/uptime-only', { count: unplaced });
  if (untimed > 0) say('no-wall-time/no-time', { count: untimed });
  if (read.blocksWithoutKill > 0) say('oom-block-without-kill', { count: read.blocksWithoutKill });
  if (read.lines === 0) say(path === 'journal' ? 'empty-input/journal' : path === 'kmsg' || path === 'dmesg' ? 'empty-input/live' : 'empty-input/file');
  const lookalike = notKernelLog(read);
  if (lookalike !== null) say('not-a-kernel-log', { like: lookalike });
  if (read.prefixedLines > 0) say('prefixed-lines', { count: read.prefixedLines });
  if (read.newestFirst) say('newest-first');
  if (read.overlongLines > 0) say('overlong-line', { count: read.overlongLines });
  const limits = read.limits;
  if (limits.openBlocks > 0) say('oom-blocks-capped', { max: MAX_OPEN_BLOCKS, count: limits.openBlocks });
  if (limits.taskTables > 0) say('task-table-capped', { count: limits.taskTables, rows: 2 * MAX_TASK_ROWS });
  if (limits.records + notKept > 0) say('records-capped/kernel', { max: MAX_RECORDS, count: limits.records + notKept });
  // The stamp problem's own code (unknown-month-name, invalid-date…) is the warning's code.
  for (const [problem, count] of read.problems) out.push({ key: 'stamp-problem', code: problem, path, params: { count, problem } });
  return out;
}
