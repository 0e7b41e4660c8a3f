// Assembles the OOM killer's lines into one record per kill, even when two blocks interleave.
// One class on purpose: its attribution rules share the open blocks and the recent kills.
import type { OomLine } from '../recognise/kernel/oom-lines.js';
import type { Constraint } from '../model/report.js';
import type { EventRecord, EvidenceLine, KernelRecord, KillRecord, LineStamp } from '../model/kernel-records.js';
import type { AssemblerLimits } from '../model/kernel-log-read.js';
import { clipText } from '../read/clip-text.js';
import { addEvidence, addMemcg, addMemInfo, newBlock, thinRows, victimPid, type Block, type OomLineOf } from './oom-block.js';
import { buildKill, deadlockEvent, noKillableEvent, oomGroupEvent, sysrqEvent, unfinishedEvent } from './oom-records.js';
/** A block whose kill line has not come after this many seconds of kernel time is over (cut off). */
const BLOCK_TIMEOUT_SECONDS = 30;
/** …or after this many lines, for logs without stamps. */
const BLOCK_TIMEOUT_LINES = 200_000;
/** Consecutive lines of one block are printed within moments; a jump this long on the kernel's clock means lines were lost. */
const LOST_LINES_GAP_SECONDS = 5;
/** Lines read after `no killable processes`, for 4.19+'s `System is deadlocked on memory` panic. */
const FOLLOW_UP_LINES = 3;
/** Kills remembered for the reaper's later line. */
const RECENT_KILLS = 32;
/** Blocks open at once: more than a machine's CPUs interleave in practice; beyond it the oldest is given up. */
export const MAX_OPEN_BLOCKS = 64;
/** Task-table rows kept per block: half the biggest by rss (top consumers), half the likeliest victims by badness. */
export const MAX_TASK_ROWS = 2048;
/** Records (kills and events) kept per source; later ones are counted, not kept. */
export const MAX_RECORDS = 10_000;
/** Longest evidence text kept from one line. */
const MAX_EVIDENCE_TEXT = 8192;

export interface OomLineInput {
  oom: OomLine;
  evidence: EvidenceLine;
  /** PRINTK_CALLER id, which ties a line to its block for certain. */
  caller: string | null;
}

/** Fields every block of one machine shares; safe to give to all open blocks. */
type MachineWide = 'ramPages' | 'swapTotalKb' | 'pageSizeKb' | 'kernelVersion';

export class OomBlockAssembler {
  private open: Block[] = [];
  private recentKills: KillRecord[] = [];
  private recentGroup: { memcg: string; stamp: LineStamp; lineNo: number } | null = null;
  /** The kernel version is a fact of the boot: later blocks of the same boot that lost their own line still know it. */
  private lastKernelVersion: { version: string; boot: number } | null = null;
  private lastUptime: number | null = null;
  /** The latest `sysrq: Manual OOM execution` line, so the order=-1 header after it is not a second event. */
  private lastSysrq: EvidenceLine | null = null;
  /** Lines still wanted after `no killable processes` (its panic line holds no needle of the scan). */
  private followUpLines = 0;
  /** The latest `no killable processes` event, which the `System is deadlocked on memory` panic after it completes. */
  private lastNoKillable: EventRecord | null = null;
  /** Blocks that ended without any kill line (victim already exiting, lines lost). */
  blocksWithoutKill = 0;
  /** How often a memory bound was reached: blocks given up early, blocks whose task table was thinned, records not kept. */
  readonly limits: AssemblerLimits = { openBlocks: 0, taskTables: 0, records: 0 };
  private keptRecords = 0;

  constructor(private readonly sink: (record: KernelRecord) => void) {}

  /** Hands a record on, up to MAX_RECORDS per source. */
  private emit(record: KernelRecord): void {
    if (this.keptRecords >= MAX_RECORDS) {
      this.limits.records++;
      return;
    }
    this.keptRecords++;
    this.sink(record);
  }

  /** Opens a block; with MAX_OPEN_BLOCKS open, the oldest is given up first. */
  private openBlock(block: Block): void {
    while (this.open.length >= MAX_OPEN_BLOCKS) {
      this.limits.openBlocks++;
      this.abandon(this.open[0]!);
    }
    this.open.push(block);
  }

  /** While a block is open every line may belong to it; right after `no killable processes` the panic may follow. */
  get wantsNextLines(): boolean {
    return this.open.length > 0 || this.followUpLines > 0;
  }

  /** Call for every kernel line, OOM or not, so blocks can time out. */
  tick(lineNo: number, uptime: number | null): void {
    if (this.followUpLines > 0) this.followUpLines--;
    const previous = this.lastUptime;
    if (uptime !== null) this.lastUptime = uptime;
    if (this.open.length === 0) return;
    if (uptime !== null && previous !== null && uptime - previous > LOST_LINES_GAP_SECONDS) {
      for (const block of [...this.open]) this.abandon(block);
      return;
    }
    for (const block of [...this.open]) {
      const byTime = uptime !== null && block.startUptime !== null && uptime - block.startUptime > BLOCK_TIMEOUT_SECONDS;
      // The kill line follows its selection within moments: seconds later it was lost (or grepped away).
      const victimLong = uptime !== null && block.victimUptime !== null && uptime - block.victimUptime > LOST_LINES_GAP_SECONDS;
      if (byTime || victimLong || lineNo - block.startLine > BLOCK_TIMEOUT_LINES) this.abandon(block);
    }
  }

  /** One OOM line: each kind goes to the block it belongs to, or becomes an event of its own. */
  push(input: OomLineInput): void {
    if (input.evidence.text.length > MAX_EVIDENCE_TEXT) {
      input = { ...input, evidence: { ...input.evidence, text: clipText(input.evidence.text, MAX_EVIDENCE_TEXT) } };
    }
    const { oom, evidence } = input;
    switch (oom.kind) {
      case 'header':
        return this.header(input, oom);
      case 'linux-version':
        this.lastKernelVersion = { version: oom.kernelVersion, boot: evidence.stamp.boot };
        return;
      case 'cpu':
        return this.cpu(input, oom);
      case 'cpuset':
        return;
      case 'pages-ram':
        return this.machineWide(input, 'ramPages', oom.pages);
      case 'swap-total':
        return this.machineWide(input, 'swapTotalKb', oom.kb);
      case 'buddy':
        return this.machineWide(input, 'pageSizeKb', oom.pageSizeKb);
      case 'swap-free':
      case 'mem-info':
      case 'mem-stats':
      case 'zone':
      case 'lowmem-reserve':
      case 'pagecache':
        return this.attribute(input, (b) => addMemInfo(b, oom));
      case 'task-in':
      case 'memcg-usage':
      case 'memcg-stats':
        return this.attribute(input, (b) => addMemcg(b, oom, evidence));
      case 'task-header':
        return this.taskHeader(input, oom);
      case 'task-row':
        return this.taskRow(input, oom);
      case 'summary':
        return this.summary(input, oom);
      case 'select':
        return this.select(input, oom);
      case 'killed':
        return this.killed(input, oom);
      case 'reaped':
      case 'unable-to-reap':
        return this.reaper(input, oom.pid, oom.name, oom.kind === 'reaped');
      case 'no-killable':
      case 'panic-on-oom':
        return this.noKillable(input, oom);
      case 'sysrq-oom':
        this.lastSysrq = evidence;
        this.emit(sysrqEvent(evidence, null));
        return;
      case 'oom-group':
        this.recentGroup = { memcg: oom.memcg, stamp: evidence.stamp, lineNo: evidence.lineNo };
        this.emit(oomGroupEvent(oom.memcg, evidence));
        return;
      case 'already-exiting': {
        const block = this.byCaller(input.caller) ?? this.oldestWithoutKill();
        if (block) this.close(block);
        return;
      }
      case 'deadlocked-panic':
        return this.deadlockedPanic(evidence);
    }
  }

  private header(input: OomLineInput, oom: OomLineOf<'header'>): void {
    const evidence = input.evidence;
    this.retireNamedVictims();
    const block = newBlock(evidence, input.caller);
    block.header = evidence;
    block.trigger = { pid: null, name: oom.comm, gfpMask: oom.gfpMask, gfpFlags: oom.gfpFlags, order: oom.order };
    block.kernelVersion = this.kernelVersionAt(evidence);
    block.evidence.push(evidence);
    this.openBlock(block);
    // order=-1 is the OOM killer started by hand; its `sysrq: Manual OOM execution` line may be missing (a paste).
    if (oom.order === -1 && !this.sysrqJustBefore(evidence)) this.emit(sysrqEvent(evidence, block.trigger));
  }

  /** `CPU: 1 PID: 4242 Comm: anqicms …`: the trigger's pid, and the kernel version of this boot. */
  private cpu(input: OomLineInput, oom: OomLineOf<'cpu'>): void {
    if (oom.kernelVersion) this.lastKernelVersion = { version: oom.kernelVersion, boot: input.evidence.stamp.boot };
    const block =
      this.byCaller(input.caller) ??
      this.open.find((b) => b.trigger.pid === null && b.trigger.name === oom.comm) ??
      this.single();
    if (!block || block.trigger.pid !== null) return;
    block.trigger.pid = oom.pid;
    block.trigger.name ??= oom.comm;
    if (oom.kernelVersion) block.kernelVersion = oom.kernelVersion;
  }

  private taskHeader(input: OomLineInput, oom: OomLineOf<'task-header'>): void {
    // The header is the same text for every block, so with two open it still tells each how to read its rows.
    const target = this.byCaller(input.caller);
    for (const block of target ? [target] : this.open.length > 0 ? this.open : [this.headless(input)]) {
      block.columns = oom.columns;
      block.rows.clear();
    }
  }

  /** `Out of memory and no killable processes...` or panic_on_oom: the block ends with an event, not a kill. */
  private noKillable(input: OomLineInput, oom: OomLineOf<'no-killable' | 'panic-on-oom'>): void {
    const block = this.byCaller(input.caller) ?? this.oldestWithoutKill();
    if (block) this.close(block);
    const event = noKillableEvent(oom, block, input.evidence);
    this.lastNoKillable = oom.kind === 'no-killable' ? event : null;
    if (oom.kind === 'no-killable') this.followUpLines = FOLLOW_UP_LINES;
    this.emit(event);
  }

  /** 4.19+: the panic that follows `Out of memory and no killable processes...`: one event, and the machine stopped. */
  private deadlockedPanic(evidence: EvidenceLine): void {
    const before = this.lastNoKillable;
    if (before !== null && evidence.lineNo - before.evidence.at(-1)!.lineNo <= 50) {
      before.detail = 'panic';
      before.evidence.push(evidence);
      return;
    }
    this.emit(deadlockEvent(evidence));
  }

  private sysrqJustBefore(header: EvidenceLine): boolean {
    const sysrq = this.lastSysrq;
    if (sysrq === null || header.lineNo - sysrq.lineNo > 50) return false;
    const a = sysrq.stamp.uptime;
    const b = header.stamp.uptime;
    return a === null || b === null || Math.abs(b - a) < 2;
  }

  /** End of input: blocks still open were cut off; one the OOM killer's header opened is a kill cut short (victim unknown unless named). */
  finish(): void {
    for (const block of [...this.open]) this.abandon(block, true);
  }

  private kernelVersionAt(evidence: EvidenceLine): string | null {
    const known = this.lastKernelVersion;
    return known !== null && known.boot === evidence.stamp.boot ? known.version : null;
  }

  /** A line from the middle of a block with no block open: its start was lost, so open one that knows it. */
  private headless(input: OomLineInput): Block {
    const block = newBlock(input.evidence, input.caller);
    block.kernelVersion = this.kernelVersionAt(input.evidence);
    block.startLost = true;
    this.openBlock(block);
    return block;
  }

  private single(): Block | null {
    return this.open.length === 1 ? this.open[0]! : null;
  }

  private byCaller(caller: string | null): Block | null {
    if (caller === null) return null;
    return this.open.find((b) => b.caller === caller) ?? null;
  }

  private oldestWithoutKill(): Block | null {
    return this.open[0] ?? null;
  }

  /** Gives a line to its block: by caller id, else the only open block; with two open, nobody (mark them). */
  private attribute(input: OomLineInput, apply: (block: Block) => void): void {
    const block = this.byCaller(input.caller) ?? this.single();
    if (block) {
      apply(block);
      return;
    }
    for (const open of this.open) open.ambiguous = true;
  }

  private machineWide(input: OomLineInput, field: MachineWide, value: number): void {
    const target = this.byCaller(input.caller);
    for (const block of target ? [target] : this.open) {
      if (field === 'kernelVersion') continue;
      block[field] = value;
    }
  }

  private taskRow(input: OomLineInput, oom: Extract<OomLine, { kind: 'task-row' }>): void {
    const block = this.byCaller(input.caller) ?? this.single() ?? (this.open.length === 0 ? this.headless(input) : null);
    const targets = block ? [block] : this.open;
    for (const b of targets) {
      if (!block) b.ambiguous = true;
      if (b.columns === null) b.lostLines = true;
      const columns = b.columns ?? [];
      const rssAt = columns.indexOf('rss');
      const adjAt = columns.indexOf('oom_score_adj');
      const valueAt = (index: number): number | null => (index >= 0 && index < oom.values.length ? oom.values[index]! : null);
      b.rows.set(oom.pid, {
        uid: oom.uid,
        rssPages: valueAt(rssAt),
        oomScoreAdj: valueAt(adjAt),
        swapPages: valueAt(columns.indexOf('swapents')),
        pgtablesBytes: valueAt(columns.indexOf('pgtables_bytes')),
        name: oom.name,
        evidence: input.evidence,
      });
      if (b.rows.size > 2 * MAX_TASK_ROWS) {
        if (!b.rowsThinned) this.limits.taskTables++;
        thinRows(b, MAX_TASK_ROWS);
      }
    }
  }

  private summary(input: OomLineInput, oom: Extract<OomLine, { kind: 'summary' }>): void {
    const block =
      this.byCaller(input.caller) ??
      this.open.find((b) => b.summary === null && b.trigger.pid !== null && b.trigger.pid === oom.pid) ??
      this.single() ??
      this.open.find((b) => b.summary === null) ??
      this.headless(input);
    block.summary = oom;
    block.victimUptime ??= input.evidence.stamp.uptime;
    block.constraint = oom.constraint as Constraint | null;
    if (oom.memcg !== null) block.memcg = oom.memcg;
    if (oom.taskMemcg !== null) block.taskMemcg = oom.taskMemcg;
    block.pastTaskTable = true;
    addEvidence(block.evidence, input.evidence);
  }

  private select(input: OomLineInput, oom: Extract<OomLine, { kind: 'select' }>): void {
    let block =
      this.byCaller(input.caller) ??
      this.open.find((b) => b.select === null && b.summary?.pid === oom.pid) ??
      this.open.find((b) => b.select === null && b.trigger.pid === oom.pid) ??
      this.single() ??
      this.open.find((b) => b.select === null) ??
      this.headless(input);
    if (block.select !== null) {
      // A second selection: the kernel prints one per kill, so the first one's kill line was lost (or grepped away).
      this.abandon(block);
      block = this.headless(input);
    }
    block.select = oom;
    block.victimUptime ??= input.evidence.stamp.uptime;
    block.memcgPrefix ||= oom.memcgPrefix;
    block.pastTaskTable = true;
    addEvidence(block.evidence, input.evidence);
  }

  private killed(input: OomLineInput, oom: Extract<OomLine, { kind: 'killed' }>): void {
    let block =
      this.byCaller(input.caller) ??
      this.open.find((b) => b.summary?.pid === oom.pid || b.select?.pid === oom.pid) ??
      this.open.find((b) => b.select !== null && b.select.pid !== oom.pid && b.summary === null) ??
      this.open.find((b) => b.trigger.pid === oom.pid) ??
      this.single() ??
      this.open[0] ??
      null;
    if (!block) {
      // A kill line with no block: one of a memory.oom.group's victims, or a log that lost the block.
      block = newBlock(input.evidence, input.caller);
      block.kernelVersion = this.kernelVersionAt(input.evidence);
      block.startLost = true;
      const group = this.recentGroup;
      if (group && input.evidence.lineNo - group.lineNo < 10_000) {
        block.memcg = group.memcg;
        block.constraint = 'memcg';
        block.startLost = false; // a memory.oom.group victim's kill line stands alone by design
      }
    }
    block.memcgPrefix ||= oom.memcgPrefix;
    block.evidence.push(input.evidence);
    const kill = buildKill(block, oom, input.evidence, false, this.open.length > 1);
    this.recentKills.unshift(kill);
    if (this.recentKills.length > RECENT_KILLS) this.recentKills.pop();
    this.close(block);
    this.emit(kill);
  }

  /** A new header ends blocks that already named their victim (selection, summary) but lost the kill line: each is a kill. */
  private retireNamedVictims(): void {
    for (const block of [...this.open]) {
      if (victimPid(block) !== null) this.abandon(block);
    }
  }

  /**
   * A block that ends without its kill line: a kill when the kernel named the victim (selection, summary, reaper),
   * else, when the OOM killer's header opened it, an `oom-unfinished` event; a headless fragment is only counted.
   */
  private abandon(block: Block, endOfInput = false): void {
    this.close(block);
    if (victimPid(block) !== null) {
      this.emit(buildKill(block, null, block.evidence.at(-1)!, true, false));
    } else if (block.header !== null) {
      this.emit(unfinishedEvent(block, endOfInput));
    } else {
      this.blocksWithoutKill++;
    }
  }

  /** The reaper's line: it follows its kill; without one, the kill line was lost and the reaper's pid is the victim. */
  private reaper(input: OomLineInput, pid: number, name: string, reaped: boolean): void {
    const kill = this.recentKills.find((k) => k.pid === pid);
    if (kill) {
      kill.reaped = reaped;
      addEvidence(kill.evidence, input.evidence);
      return;
    }
    const block =
      this.open.find((b) => victimPid(b) === pid) ??
      this.open.find((b) => victimPid(b) === null && b.trigger.pid === pid) ??
      this.single() ??
      this.headless(input);
    block.reapedPid = { pid, name, reaped };
    addEvidence(block.evidence, input.evidence);
    this.abandon(block);
  }

  private close(block: Block): void {
    const at = this.open.indexOf(block);
    if (at >= 0) this.open.splice(at, 1);
  }
}
