// What a finished OOM block becomes: a kill record (with the victim's figures, top consumers and badness list), or an
// event when it named no victim (oom-unfinished) or was started by hand (sysrq-oom).
import type { OomLine } from '../recognise/kernel/oom-lines.js';
import type { Constraint, Consumer, MemInfo } from '../model/report.js';
import type { EventRecord, EvidenceLine, KillRecord } from '../model/kernel-records.js';
import { badness, victimPid, type Block, type TaskRow } from './oom-block.js';

const TOP_CONSUMERS = 5;

/** The OOM killer started by hand (SysRq-f): the `sysrq:` line, or the order=-1 header when that line is missing. */
export function sysrqEvent(evidence: EvidenceLine, trigger: Block['trigger'] | null): EventRecord {
  return {
    kind: 'event', eventKind: 'sysrq-oom', at: evidence.stamp, killer: 'sysrq', pid: null, name: null, rssKb: null,
    cgroup: null, unit: null, detail: null, trigger: trigger ? { ...trigger } : null, evidence: [evidence],
  };
}

/**
 * A kill's record is incomplete when its kill line is missing, or lines were lost inside a block whose header is
 * there; a paste that starts after the header is complete when the kill line has its summary (5.0+) or its
 * selection (before 5.0) beside it: together they state the victim's facts.
 */
/** `Out of memory and no killable processes...` (detail `panic` when the kernel panics after it) or panic_on_oom's panic. */
export function noKillableEvent(oom: Extract<OomLine, { kind: 'no-killable' | 'panic-on-oom' }>, block: Block | null, evidence: EvidenceLine): EventRecord {
  return {
    kind: 'event',
    eventKind: oom.kind,
    at: evidence.stamp,
    killer: 'kernel',
    pid: null,
    name: null,
    rssKb: null,
    cgroup: block?.memcg ?? null,
    unit: null,
    // `panic`: the machine stopped here (the line is the kernel's panic message).
    detail: oom.kind === 'panic-on-oom' ? oom.mode : oom.panic ? 'panic' : null,
    trigger: block?.header ? { ...block.trigger } : null,
    evidence: [...(block?.header ? [block.header] : []), evidence],
  };
}

/** 4.19+'s `System is deadlocked on memory` panic with no `no killable processes` line before it. */
export function deadlockEvent(evidence: EvidenceLine): EventRecord {
  return {
    kind: 'event', eventKind: 'no-killable', at: evidence.stamp, killer: 'kernel', pid: null, name: null,
    rssKb: null, cgroup: null, unit: null, detail: 'panic', evidence: [evidence],
  };
}

/** `Tasks in /x are going to be killed due to memory.oom.group set`: the kills that follow stand alone. */
export function oomGroupEvent(memcg: string, evidence: EvidenceLine): EventRecord {
  return {
    kind: 'event', eventKind: 'oom-group', at: evidence.stamp, killer: 'kernel', pid: null, name: null,
    rssKb: null, cgroup: memcg, unit: null, detail: null, evidence: [evidence],
  };
}

function isIncomplete(block: Block, killed: Extract<OomLine, { kind: 'killed' }> | null): boolean {
  if (killed === null || block.lostLines) return true;
  return block.startLost && block.summary === null && block.select === null;
}

/** An OOM invocation that showed no victim: its trigger, time, figures and lines, as an `oom-unfinished` event. */
export function unfinishedEvent(block: Block, endOfInput: boolean): EventRecord {
  const ambiguous = block.ambiguous;
  return {
    kind: 'event',
    eventKind: 'oom-unfinished',
    at: block.header!.stamp,
    killer: 'kernel',
    pid: null,
    name: null,
    rssKb: null,
    cgroup: block.memcg,
    unit: null,
    detail: endOfInput ? 'input-ended' : 'no-victim',
    trigger: ambiguous ? null : { ...block.trigger },
    figures: {
      constraint: block.constraint ?? (block.memcgPrefix ? 'memcg' : null),
      memcg: block.memcg,
      ...memoryFigures(block),
      pageSizeKb: block.pageSizeKb,
      kernelVersion: block.kernelVersion,
    },
    evidence: blockEvidence(block),
  };
}

/** The cgroup's and the machine's memory as the block printed them; what could be either of two open blocks' is null. */
function memoryFigures(block: Block): Pick<KillRecord, 'limitKb' | 'usageKb' | 'ramKb' | 'swapTotalKb' | 'swapFreeKb'> {
  const ambiguous = block.ambiguous;
  return {
    limitKb: ambiguous ? null : block.limitKb,
    usageKb: ambiguous ? null : block.usageKb,
    ramKb: block.ramPages !== null ? block.ramPages * (block.pageSizeKb ?? 4) : null,
    swapTotalKb: block.swapTotalKb,
    swapFreeKb: ambiguous ? null : block.swapFreeKb,
  };
}

/** The block's lines, each once, in file order. */
function blockEvidence(block: Block): EvidenceLine[] {
  return [...new Map(block.evidence.map((e) => [e.lineNo, e])).values()].sort((a, b) => a.lineNo - b.lineNo);
}

export function buildKill(
  block: Block,
  killed: Extract<OomLine, { kind: 'killed' }> | null,
  at: EvidenceLine,
  incomplete: boolean,
  otherBlocksOpen: boolean,
): KillRecord {
  const pid = killed?.pid ?? victimPid(block);
  const name = killed?.name ?? block.summary?.name ?? block.select?.name ?? block.reapedPid?.name ?? null;
  const pageSizeKb = block.pageSizeKb ?? 4;
  const row = pid !== null ? block.rows.get(pid) : undefined;
  if (row) block.evidence.push(row.evidence);
  const figures = killed?.figures;
  const ambiguous = block.ambiguous;
  // A block cut off before any victim was named has not shown whether a cgroup's limit was hit: only a memcg line says so.
  const victimNamed = killed !== null || victimPid(block) !== null;
  const constraint: Constraint | null =
    block.constraint ?? (block.memcgPrefix ? 'memcg' : victimNamed && (block.header !== null || block.select !== null || killed?.prefix) ? 'global' : null);
  const triggerKnown = block.header !== null && !(ambiguous && otherBlocksOpen && block.trigger.pid !== pid);
  const selected =
    block.select !== null && pid !== null && block.select.pid !== pid
      ? { pid: block.select.pid, name: block.select.name, score: block.select.score }
      : null;
  const evidence = blockEvidence(block);
  return {
    kind: 'kill',
    at: at.stamp,
    pid,
    name,
    uid: figures?.uid ?? block.summary?.uid ?? row?.uid ?? null,
    totalVmKb: figures?.totalVmKb ?? null,
    anonRssKb: figures?.anonRssKb ?? null,
    fileRssKb: figures?.fileRssKb ?? null,
    shmemRssKb: figures?.shmemRssKb ?? null,
    pgtablesKb: figures?.pgtablesKb ?? null,
    oomScoreAdj: figures?.oomScoreAdj ?? row?.oomScoreAdj ?? null,
    constraint,
    memcg: constraint === 'memcg' ? block.memcg : null,
    taskMemcg: block.taskMemcg,
    ...memoryFigures(block),
    pageSizeKb,
    trigger: triggerKnown ? { ...block.trigger } : null,
    selected,
    // A table the input ended inside (no victim named after it yet) may lack its biggest rows: not a top list.
    topConsumers: ambiguous || block.columns === null || !victimNamed ? null : topConsumers(block.rows, pageSizeKb),
    reaped: block.reapedPid?.reaped ?? null,
    kernelVersion: block.kernelVersion,
    incomplete: incomplete || isIncomplete(block, killed),
    evidence,
    memInfo: ambiguous || block.memInfo === null ? null : memInfoKb(block.memInfo, pageSizeKb),
    victimTask: ambiguous || !row || pid === null || row.rssPages === null ? null : consumerOf(pid, row, pageSizeKb),
    topByBadness: ambiguous || block.columns === null ? null : topByBadness(block, pageSizeKb, constraint),
  };
}

function memInfoKb(info: NonNullable<Block['memInfo']>, pageSizeKb: number): MemInfo {
  const kb = (key: string): number | null => (info.pages[key] === undefined ? null : info.pages[key]! * pageSizeKb);
  return {
    freeKb: kb('free'),
    activeAnonKb: kb('active_anon'),
    inactiveAnonKb: kb('inactive_anon'),
    activeFileKb: kb('active_file'),
    inactiveFileKb: kb('inactive_file'),
    unevictableKb: kb('unevictable'),
    shmemKb: kb('shmem'),
    slabReclaimableKb: kb('slab_reclaimable'),
    slabUnreclaimableKb: kb('slab_unreclaimable'),
    pagecacheKb: info.pagecachePages === null ? null : info.pagecachePages * pageSizeKb,
    // lowmem_reserve was kept in pages until the page size was known.
    zones: info.zones.map((z) => ({ ...z, lowmemReserveKb: z.lowmemReserveKb?.map((pages) => pages * pageSizeKb) ?? null })),
  };
}

/** A task-table row as a consumer; swap and page tables only where the table had those columns. */
function consumerOf(pid: number, row: TaskRow, pageSizeKb: number): Consumer {
  return {
    pid,
    name: row.name,
    rssKb: (row.rssPages ?? 0) * pageSizeKb,
    swapKb: row.swapPages === null ? null : row.swapPages * pageSizeKb,
    pgtablesKb: row.pgtablesBytes === null ? null : Math.round(row.pgtablesBytes / 1024),
    oomScoreAdj: row.oomScoreAdj,
  };
}

function topConsumers(rows: Map<number, TaskRow>, pageSizeKb: number): Consumer[] {
  const list: Consumer[] = [];
  for (const [pid, row] of rows) {
    if (row.rssPages !== null) list.push({ pid, name: row.name, rssKb: row.rssPages * pageSizeKb });
  }
  list.sort((a, b) => b.rssKb - a.rssKb || a.pid - b.pid);
  return list.slice(0, TOP_CONSUMERS);
}

/** The rows the kernel would score highest (see badness); ties by pid. */
function topByBadness(block: Block, pageSizeKb: number, constraint: Constraint | null): Consumer[] {
  const scored: { score: number; consumer: Consumer }[] = [];
  for (const [pid, row] of block.rows) {
    if (row.rssPages === null) continue;
    const score = badness(block, row, constraint);
    if (score === Number.NEGATIVE_INFINITY) continue;
    scored.push({ score, consumer: consumerOf(pid, row, pageSizeKb) });
  }
  scored.sort((a, b) => b.score - a.score || a.consumer.pid - b.consumer.pid);
  return scored.slice(0, TOP_CONSUMERS).map((s) => s.consumer);
}
