// Finds the few lines that matter in byte chunks without visiting the others: a native search for marker
// bytes, then only those lines (and, while the reader asks for it, every line) are handed over.
import type { ByteScanner } from './byte-scanner.js';
import { MAX_FILTERED_LINE_BYTES, MAX_LINE_BYTES, type SplitResult } from './split-lines.js';

export interface ScanSink {
  /** One line without its `\n`; `lineNo` is 1-based. */
  line(bytes: Buffer, lineNo: number): void;
  /** True while every line matters (an OOM block is open): then lines are handed over one by one. */
  wantsEveryLine(): boolean;
}

export interface ScanOptions {
  /** Every line of the input's first bytes is handed over (small inputs are read in full). */
  denseBytes: number;
  /**
   * Beyond that, the line holding each multiple of this offset is handed over too, so the reader keeps
   * its bearings in time (boots, calibration, years). Offsets, not chunks, choose them: the same input
   * gives the same lines however it is cut into chunks.
   */
  gridBytes: number;
  /**
   * Each line holding a needle comes with up to this many lines before it that were not handed over yet, and
   * the input's last lines come at its end: a reader learns what preceded a marker (the last words before a
   * restart, the start line above a banner) without reading every line. Grid lines come alone: they only keep
   * the reader's bearings.
   */
  lookBack?: number;
  /**
   * A needle's line (its text without leading NULs) is handed over only if this says yes: it weeds out a needle's
   * false alarms. Lines handed over for another reason (head, grid, an open block) and lines longer than
   * MAX_FILTERED_LINE_BYTES are not asked. Pure: the same line gets the same answer wherever it is read.
   */
  keepNeedleLine?: (text: Buffer) => boolean;
}

/** True unless `keep` turns down the needle line `text`, whose raw bytes (leading NULs included) are `rawBytes` long. */
export function keepsNeedleLine(keep: ScanOptions['keepNeedleLine'], text: Buffer, rawBytes: number): boolean {
  return keep === undefined || rawBytes > MAX_FILTERED_LINE_BYTES || keep(text);
}

interface TailLine {
  bytes: Buffer;
  lineNo: number;
}

const NEWLINE = 10;

// (Over 80 lines: the hot path of every read; carried lines and offsets stay in locals of one function, for speed.)
/**
 * Hands the sink, in order: every line holding one of `needles`, the lines `options` ask for, every line
 * while `wantsEveryLine()`, and the last line. Counts all lines. Lines are cut at MAX_LINE_BYTES.
 */
export async function scanLines(chunks: AsyncIterable<Buffer>, scanner: ByteScanner, sink: ScanSink, options: ScanOptions): Promise<SplitResult> {
  const state: ScanState = { lineNo: 0, overlongLines: 0, lastLine: null, lastLineNo: 0, lastEmitted: false, tail: [], lookBack: options.lookBack ?? 0 };
  const { denseBytes, gridBytes } = options;
  const wanted = (start: number, end: number): boolean =>
    start < denseBytes || Math.floor(end / gridBytes) * gridBytes >= start || sink.wantsEveryLine();
  const hasNeedle = (line: Buffer): boolean => scanner.lineStartsWithNeedles(line, 0, line.length).length > 0;
  const deliver = (bytes: Buffer, lineNo: number, overlong: boolean): void => {
    if (overlong) state.overlongLines++;
    sink.line(bytes, lineNo);
  };

  let offset = 0; // absolute offset of the current chunk's first byte
  let carry: Buffer | null = null; // the unfinished line, at most MAX_LINE_BYTES
  let carryStart = 0;
  let carryOverlong = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue; // a stream may send an empty chunk: it is no line
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline === -1) {
      if (carry === null) {
        const kept = withoutLeadingNul(chunk);
        carry = Buffer.from(kept.subarray(0, MAX_LINE_BYTES));
        carryStart = offset;
        carryOverlong = kept.length > MAX_LINE_BYTES;
      } else {
        const add: Buffer = carry.length === 0 ? withoutLeadingNul(chunk) : chunk;
        const room = MAX_LINE_BYTES - carry.length;
        if (add.length > room) {
          carryOverlong = true;
          const nul = add.lastIndexOf(0);
          // Too long with a NUL run inside: the text after the run is the next line, glued on by a hard reset.
          if (nul !== -1) carry = Buffer.from(add.subarray(nul + 1, nul + 1 + MAX_LINE_BYTES));
          else if (room > 0) carry = Buffer.concat([carry, add.subarray(0, room)]);
        } else {
          carry = Buffer.concat([carry, add]);
        }
      }
      offset += chunk.length;
      continue;
    }
    let start = 0;
    if (carry !== null) {
      // The line that began in an earlier chunk ends at this chunk's first newline.
      const end = chunk.indexOf(NEWLINE);
      const room = Math.max(0, MAX_LINE_BYTES - carry.length);
      const rest = carry.length === 0 ? withoutLeadingNul(chunk.subarray(0, end)) : chunk.subarray(0, end);
      const overlong = carryOverlong || rest.length > room;
      const nul = overlong ? rest.lastIndexOf(0) : -1;
      const line = nul !== -1 ? rest.subarray(nul + 1, nul + 1 + MAX_LINE_BYTES) : room > 0 ? Buffer.concat([carry, rest.subarray(0, room)]) : carry;
      state.lineNo++;
      state.lastLine = line;
      state.lastLineNo = state.lineNo;
      const needle = hasNeedle(line) && keepsNeedleLine(options.keepNeedleLine, line, offset + end - carryStart);
      state.lastEmitted = needle || wanted(carryStart, offset + end);
      if (state.lastEmitted) {
        // Only a needle's line brings the lines before it (see ScanOptions.lookBack).
        if (needle || sink.wantsEveryLine() || carryStart < denseBytes) flushTail(state, sink);
        else state.tail = [];
        deliver(line, state.lineNo, overlong);
      } else {
        if (overlong) state.overlongLines++;
        keepInTail(state, [{ bytes: line, lineNo: state.lineNo }]);
      }
      carry = null;
      start = end + 1;
    }
    if (start <= lastNewline) scanRegion(chunk, start, lastNewline + 1, offset, scanner, options, sink, state);
    if (lastNewline + 1 < chunk.length) {
      const rest = withoutLeadingNul(chunk.subarray(lastNewline + 1));
      carry = Buffer.from(rest.subarray(0, MAX_LINE_BYTES));
      carryStart = offset + lastNewline + 1;
      carryOverlong = rest.length > MAX_LINE_BYTES;
    }
    offset += chunk.length;
  }
  if (carry !== null) {
    state.lineNo++;
    flushTail(state, sink);
    deliver(carry, state.lineNo, carryOverlong);
  } else if (state.lookBack > 0) {
    // The input's last lines: what the reader saw last of it.
    flushTail(state, sink);
  } else if (state.lastLine !== null && !state.lastEmitted) {
    // The last line closes the input's span in time.
    sink.line(state.lastLine, state.lastLineNo);
  }
  return { lines: state.lineNo, overlongLines: state.overlongLines };
}

/**
 * A hard reset leaves runs of NUL bytes, often with the next line glued behind them: a line's leading NULs are no
 * part of it, so a megabyte of them cannot push the line's text past MAX_LINE_BYTES.
 */
function withoutLeadingNul(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[0] === 0 ? bytes.subarray(nulRunEnd(bytes, 0, bytes.length)) : bytes;
}

function nulRunEnd(bytes: Buffer, from: number, to: number): number {
  let at = from;
  while (at < to && bytes[at] === 0) at++;
  return at;
}

interface ScanState {
  lineNo: number;
  overlongLines: number;
  lastLine: Buffer | null;
  lastLineNo: number;
  lastEmitted: boolean;
  /** Up to `lookBack` lines just before the current position that were not handed over (copies). */
  tail: TailLine[];
  lookBack: number;
}

function keepInTail(state: ScanState, lines: TailLine[]): void {
  if (state.lookBack === 0) return;
  state.tail.push(...lines.map((l) => ({ bytes: Buffer.from(l.bytes), lineNo: l.lineNo })));
  if (state.tail.length > state.lookBack) state.tail.splice(0, state.tail.length - state.lookBack);
}

function flushTail(state: ScanState, sink: ScanSink): void {
  for (const line of state.tail) sink.line(line.bytes, line.lineNo);
  state.tail = [];
}

// (Over 80 lines: the hot path of every read; its state stays in locals of one function, for speed.)
/** The lines of chunk[from, to) (`to` just past a `\n`): candidates by needle and by offset, in order. */
function scanRegion(
  chunk: Buffer,
  from: number,
  to: number,
  chunkOffset: number,
  scanner: ByteScanner,
  options: ScanOptions,
  sink: ScanSink,
  state: ScanState,
): void {
  // One pass over the region finds the needles' lines and counts its newlines; counts below read from that pass.
  const { starts: candidates, marked } = candidateStarts(chunk, from, to, chunkOffset, scanner, options, state.lookBack > 0);
  const keep = options.keepNeedleLine;
  let counted = from; // newlines before `counted` are in state.lineNo
  const countTo = (target: number): void => {
    if (target > counted) state.lineNo += scanner.countNewlines(chunk, counted, target);
    counted = target;
  };
  const emit = (lineStart: number): number => {
    countTo(lineStart);
    const lineEnd = chunk.indexOf(NEWLINE, lineStart);
    let textStart = chunk[lineStart] === 0 ? nulRunEnd(chunk, lineStart, lineEnd) : lineStart;
    if (lineEnd - textStart > MAX_LINE_BYTES) {
      // Too long with a NUL run inside: the text after the run is the next line, glued on by a hard reset.
      const nul = chunk.lastIndexOf(0, lineEnd - 1);
      if (nul >= textStart) textStart = nul + 1;
    }
    const overlong = lineEnd - textStart > MAX_LINE_BYTES;
    const bytes = chunk.subarray(textStart, overlong ? textStart + MAX_LINE_BYTES : lineEnd);
    if (overlong) state.overlongLines++;
    state.lineNo++;
    counted = lineEnd + 1;
    sink.line(bytes, state.lineNo);
    return lineEnd + 1;
  };

  // The lines just before `lineStart` not yet handed over, oldest first (at most lookBack, none before `pos`).
  const linesBefore = (lineStart: number, pos: number): number[] => {
    const starts: number[] = [];
    let start = lineStart;
    while (starts.length < state.lookBack && start > pos) {
      start = start - 1 <= pos ? pos : chunk.lastIndexOf(NEWLINE, start - 2) + 1;
      if (start < pos) start = pos;
      starts.unshift(start);
    }
    return starts;
  };
  const emitWithLookBack = (lineStart: number, pos: number): number => {
    if (state.lookBack > 0 && marked !== null && !marked.has(lineStart)) {
      // A grid line: the lines before it stay unread.
      state.tail = [];
    } else if (state.lookBack > 0) {
      const before = linesBefore(lineStart, pos);
      // Only when the walk reached the region's start did the lines kept from before it come just before this one.
      if (pos === from && (before[0] ?? lineStart) === from) {
        const room = state.lookBack - before.length;
        state.tail = room > 0 ? state.tail.slice(-room) : [];
        flushTail(state, sink);
      } else {
        state.tail = [];
      }
      for (const start of before) emit(start);
    }
    return emit(lineStart);
  };

  let pos = from;
  let next = 0;
  let emittedLast = false;
  while (pos < to) {
    if (sink.wantsEveryLine() || chunkOffset + pos < options.denseBytes) {
      if (pos === from) flushTail(state, sink);
      pos = emit(pos);
      emittedLast = pos >= to;
      continue;
    }
    while (next < candidates.length && candidates[next]! < pos) next++;
    if (next === candidates.length) break;
    if (keep !== undefined && !keepsCandidate(chunk, candidates[next]!, chunkOffset, options.gridBytes, keep)) {
      next++;
      continue;
    }
    pos = emitWithLookBack(candidates[next]!, pos);
    emittedLast = pos >= to;
  }
  countTo(to);
  if (state.lookBack > 0 && !emittedLast) {
    // Keep the region's last lines for a marker early in the next chunk, or for the end of the input.
    const starts = linesBefore(to, pos);
    const lines: TailLine[] = [];
    let lineNo = state.lineNo - starts.length;
    for (const start of starts) {
      const end = chunk.indexOf(NEWLINE, start);
      lines.push({ bytes: withoutLeadingNul(chunk.subarray(start, end)).subarray(0, MAX_LINE_BYTES), lineNo: ++lineNo });
    }
    if (pos !== from) state.tail = [];
    keepInTail(state, lines);
  }
  // Remember the region's last line: if it is the input's last, it is handed over at the end.
  const lastStart = to - 2 < from ? from : chunk.lastIndexOf(NEWLINE, to - 2) + 1;
  const lastFrom = Math.max(lastStart, from);
  // Leading NULs are no part of it, as in emit(): the line is the same wherever the chunks fall.
  state.lastLine = emittedLast ? null : Buffer.from(withoutLeadingNul(chunk.subarray(lastFrom, to - 1)).subarray(0, MAX_LINE_BYTES));
  state.lastLineNo = state.lineNo;
  state.lastEmitted = emittedLast;
}

/** A candidate line is handed over when it holds a multiple of the grid, else (a needle's line) when its filter keeps it. */
function keepsCandidate(chunk: Buffer, start: number, chunkOffset: number, gridBytes: number, keep: NonNullable<ScanOptions['keepNeedleLine']>): boolean {
  const end = chunk.indexOf(NEWLINE, start);
  if (Math.floor((chunkOffset + end) / gridBytes) * gridBytes >= chunkOffset + start) return true;
  const textStart = chunk[start] === 0 ? nulRunEnd(chunk, start, end) : start;
  return keepsNeedleLine(keep, chunk.subarray(textStart, end), end - start);
}

/**
 * Start offsets (in the chunk) of the lines holding a needle or a multiple of the grid, sorted and unique; with
 * `markNeedles`, also which of them hold a needle (null when all do).
 */
function candidateStarts(
  chunk: Buffer,
  from: number,
  to: number,
  chunkOffset: number,
  scanner: ByteScanner,
  options: ScanOptions,
  markNeedles: boolean,
): { starts: number[]; marked: Set<number> | null } {
  const starts = scanner.lineStartsWithNeedles(chunk, from, to);
  const marked = markNeedles ? new Set(starts) : null;
  // (lastIndexOf with a negative offset would count from the end: never call it below `from`.)
  const lineStartOf = (at: number): number => (at <= from ? from : Math.max(from, chunk.lastIndexOf(NEWLINE, at - 1) + 1));
  const grid = options.gridBytes;
  let added = false;
  for (let k = Math.ceil((chunkOffset + from) / grid); k * grid < chunkOffset + to; k++) {
    starts.push(lineStartOf(k * grid - chunkOffset));
    added = true;
  }
  if (!added) return { starts, marked: null };
  starts.sort((a, b) => a - b);
  return { starts: starts.filter((start, i) => i === 0 || start !== starts[i - 1]), marked };
}
