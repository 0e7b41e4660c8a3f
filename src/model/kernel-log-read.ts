// What reading one kernel log gives the stages above it: its records, its boots and stamps, and what could not be read.
import type { EvidenceLine, KernelRecord, LineStamp } from './kernel-records.js';
import type { LocalStamp } from './stamps.js';

/** A calibration sample: the line's own wall stamp, placed in time once the year and zone are known. */
export interface WallStamp {
  local: LocalStamp | null;
  yearIndex: number;
  fold: boolean;
  epochMs: number | null;
}

/** One boot as seen in a kernel log: its first and last stamped lines, and the line where it started if the log has it. */
export interface BootSpan {
  boot: number;
  first: LineStamp;
  last: LineStamp;
  start: EvidenceLine | null;
}

/** How often a memory bound of the OOM block assembler was reached: each > 0 gets one warning per source. */
export interface AssemblerLimits {
  /** Blocks closed early because too many were open at once. */
  openBlocks: number;
  /** Blocks whose task table was thinned. */
  taskTables: number;
  /** Kills and events beyond the per-source cap, counted but not kept. */
  records: number;
}

/** Counts of what the first lines of an input look like, while none of them is the kernel's. */
export interface LookalikeTally {
  lines: number;
  guardian: number;
  goLog: number;
  accessLog: number;
  otherPrograms: number;
  binary: number;
}

/**
 * The kernel's clock as the reader meets it, line by line: the time stage implements it (years, DST folds, each
 * boot's start), the reader only feeds it, so reading never reaches up into placing.
 */
export interface KernelClock {
  /** The 0-based boot a line belongs to: a boot starts where uptime falls back, `Linux version` follows, or the journal's boot id changes. */
  boot(line: { uptime: number | null; bootId: string | null; linuxVersion: boolean }): number;
  /** The year index (rollovers so far) and DST fold of a line's wall stamp, in file order. */
  wallStamp(local: LocalStamp): { yearIndex: number; fold: boolean };
  /** A kernel line that carries both the kernel's uptime and a wall stamp: a sample of its boot's start. */
  sample(boot: number, uptime: number, wall: WallStamp): void;
}

export interface KernelLogRead {
  records: KernelRecord[];
  lines: number;
  /** Shape counts, to name the source's format. */
  shapes: Map<string, number>;
  unparsedLines: number;
  overlongLines: number;
  blocksWithoutKill: number;
  /** Memory bounds the OOM block assembler reached (see AssemblerLimits); live, filled while reading. */
  limits: AssemblerLimits;
  boots: number;
  /** First and last lines with a wall stamp, and the last line's uptime per boot for `--boot-time`. */
  firstWall: WallStamp | null;
  lastWall: WallStamp | null;
  firstUptime: { boot: number; uptime: number } | null;
  lastUptime: { boot: number; uptime: number } | null;
  /** Whether any wall stamp lacked a year (then the year must come from --year or elsewhere). */
  yearless: boolean;
  /** Lines that are the kernel's for sure: its uptime stamp, a kernel tag or transport, or an OOM record. */
  kernelLines: number;
  /** What the first lines look like, to name an input that holds no kernel line at all. */
  lookalike: LookalikeTally;
  /** OOM lines whose kernel text stood behind something else (console stamp, quote, markdown, relay, NUL run). */
  prefixedLines: number;
  /** Codes of envelope problems, each counted. */
  problems: Map<string, number>;
  /** The input was newest first (a paste) and was read in reverse. */
  newestFirst?: boolean;
  bootSpans: BootSpan[];
}
