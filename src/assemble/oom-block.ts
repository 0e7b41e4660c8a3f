// One OOM block while it is read: what its lines said so far, and the rules that read a victim and a badness from it.
import type { OomLine } from '../recognise/kernel/oom-lines.js';
import type { Constraint, MemInfoZone } from '../model/report.js';
import type { EvidenceLine } from '../model/kernel-records.js';

/** One task-table row, in the table's own units (pages, bytes). */
export interface TaskRow {
  uid: number;
  rssPages: number | null;
  oomScoreAdj: number | null;
  swapPages: number | null;
  pgtablesBytes: number | null;
  name: string;
  evidence: EvidenceLine;
}

/** What one block's lines said so far. */
export interface Block {
  startLine: number;
  startUptime: number | null;
  caller: string | null;
  header: EvidenceLine | null;
  trigger: { pid: number | null; name: string | null; gfpMask: string | null; gfpFlags: string[] | null; order: number | null };
  kernelVersion: string | null;
  memcgPrefix: boolean;
  memcg: string | null;
  taskMemcg: string | null;
  constraint: Constraint | null;
  usageKb: number | null;
  limitKb: number | null;
  ramPages: number | null;
  swapTotalKb: number | null;
  swapFreeKb: number | null;
  pageSizeKb: number | null;
  columns: string[] | null;
  rows: Map<number, TaskRow>;
  /** Set once lines that could belong to either of two open blocks were seen: those values stay unknown. */
  ambiguous: boolean;
  /** The task table was longer than MAX_TASK_ROWS allows and was thinned. */
  rowsThinned: boolean;
  pastTaskTable: boolean;
  /** Some of the block's lines never reached the log (ring buffer overrun, rate limit): what is missing stays unknown. */
  lostLines: boolean;
  /** The block's first line is not its header: the input (a paste, a grep) starts inside it. */
  startLost: boolean;
  summary: Extract<OomLine, { kind: 'summary' }> | null;
  select: Extract<OomLine, { kind: 'select' }> | null;
  /** The reaper named this pid while the block's kill line was missing: the kill happened, its line was lost. */
  reapedPid: { pid: number; name: string; reaped: boolean } | null;
  /** Kernel time of the line that named the victim (selection or summary): its kill line follows within moments. */
  victimUptime: number | null;
  evidence: EvidenceLine[];
  /** Mem-Info's page counts (by the kernel's key), zone lines and page cache, converted once the page size is known. */
  memInfo: { pages: Record<string, number>; zones: MemInfoZone[]; pagecachePages: number | null } | null;
}

export function newBlock(evidence: EvidenceLine, caller: string | null): Block {
  return {
    startLine: evidence.lineNo,
    startUptime: evidence.stamp.uptime,
    caller,
    header: null,
    trigger: { pid: null, name: null, gfpMask: null, gfpFlags: null, order: null },
    kernelVersion: null,
    memcgPrefix: false,
    memcg: null,
    taskMemcg: null,
    constraint: null,
    usageKb: null,
    limitKb: null,
    ramPages: null,
    swapTotalKb: null,
    swapFreeKb: null,
    pageSizeKb: null,
    columns: null,
    rows: new Map(),
    ambiguous: false,
    rowsThinned: false,
    pastTaskTable: false,
    lostLines: false,
    startLost: false,
    summary: null,
    select: null,
    reapedPid: null,
    victimUptime: null,
    evidence: [],
    memInfo: null,
  };
}

export function memInfoOf(block: Block): NonNullable<Block['memInfo']> {
  return (block.memInfo ??= { pages: {}, zones: [], pagecachePages: null });
}

/** The victim the block named before (or without) its kill line: summary, selection, or the reaper's pid. */
export function victimPid(block: Block): number | null {
  return block.summary?.pid ?? block.select?.pid ?? block.reapedPid?.pid ?? null;
}

/**
 * The kernel's badness of a task-table row (mm/oom_kill.c oom_badness): rss + swap entries + page-table pages, plus
 * oom_score_adj × the total pages the OOM killer weighs / 1000 (the cgroup's limit, else RAM + swap); without a known
 * total, badness alone. `-1000` rows are never chosen.
 */
export function badness(block: Block, row: TaskRow, constraint: Constraint | null): number {
  const pageSizeKb = block.pageSizeKb ?? 4;
  if ((row.oomScoreAdj ?? 0) <= -1000) return Number.NEGATIVE_INFINITY;
  const total =
    constraint === 'memcg' ? (block.limitKb !== null ? block.limitKb / pageSizeKb : null)
    : block.ramPages !== null ? block.ramPages + (block.swapTotalKb ?? 0) / pageSizeKb
    : null;
  const points = (row.rssPages ?? 0) + (row.swapPages ?? 0) + (row.pgtablesBytes ?? 0) / (pageSizeKb * 1024);
  return points + (total !== null ? ((row.oomScoreAdj ?? 0) * total) / 1000 : 0);
}
