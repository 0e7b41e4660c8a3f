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

function memInfoOf(block: Block): NonNullable<Block['memInfo']> {
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

/**
 * Keeps a huge task table bounded: the `maxRows / 2` biggest by rss (so the top consumers stay exact), the
 * `maxRows / 2` likeliest victims by the kernel's badness (rss + swap + page tables + oom_score_adj's share),
 * and the trigger's row. A victim outside them is still reported from its kill line, without its row.
 */
export function thinRows(block: Block, maxRows: number): void {
  block.rowsThinned = true;
  const half = maxRows / 2;
  const score = (row: TaskRow): number => badness(block, row, block.constraint);
  const entries = [...block.rows];
  const keep = new Set<number>();
  entries.sort((a, b) => (b[1].rssPages ?? -1) - (a[1].rssPages ?? -1) || a[0] - b[0]);
  for (const [pid] of entries.slice(0, half)) keep.add(pid);
  entries.sort((a, b) => score(b[1]) - score(a[1]) || a[0] - b[0]);
  for (const [pid] of entries.slice(0, half)) keep.add(pid);
  if (block.trigger.pid !== null) keep.add(block.trigger.pid);
  for (const [pid] of entries) if (!keep.has(pid)) block.rows.delete(pid);
}

/** Evidence lines kept per block or kill (its kill line and the victim's row are always kept). */
const MAX_BLOCK_EVIDENCE = 64;

export type OomLineOf<K extends OomLine['kind']> = Extract<OomLine, { kind: K }>;

export function addEvidence(list: EvidenceLine[], line: EvidenceLine): void {
  if (list.length < MAX_BLOCK_EVIDENCE) list.push(line);
}

/** A line of Mem-Info (the machine's memory when the OOM killer ran) into its block. */
export function addMemInfo(block: Block, oom: OomLineOf<'swap-free' | 'mem-info' | 'mem-stats' | 'zone' | 'lowmem-reserve' | 'pagecache'>): void {
  switch (oom.kind) {
    case 'swap-free':
      block.swapFreeKb = oom.kb;
      return;
    case 'mem-stats':
      Object.assign(memInfoOf(block).pages, oom.values);
      return;
    case 'zone': {
      const { kind: _kind, ...zone } = oom;
      memInfoOf(block).zones.push({ ...zone, lowmemReserveKb: null });
      return;
    }
    case 'lowmem-reserve': {
      const zone = block.memInfo?.zones.at(-1);
      if (zone && zone.lowmemReserveKb === null) zone.lowmemReserveKb = oom.pages;
      return;
    }
    case 'pagecache':
      memInfoOf(block).pagecachePages = oom.pages;
      return;
    case 'mem-info':
      return;
  }
}

/** A memory cgroup's line (the task's cgroup, its usage and limit, its stats) into its block. */
export function addMemcg(block: Block, oom: OomLineOf<'task-in' | 'memcg-usage' | 'memcg-stats'>, evidence: EvidenceLine): void {
  switch (oom.kind) {
    case 'task-in':
      block.taskMemcg = oom.taskMemcg;
      block.memcg = oom.memcg;
      block.constraint = 'memcg';
      addEvidence(block.evidence, evidence);
      return;
    case 'memcg-usage':
      if (block.usageKb !== null) return;
      block.usageKb = oom.usageKb;
      block.limitKb = oom.limitKb;
      block.constraint ??= 'memcg';
      addEvidence(block.evidence, evidence);
      return;
    case 'memcg-stats':
      block.constraint ??= 'memcg';
      block.memcg ??= oom.memcg;
      return;
  }
}
