// The stateless half of a parallel read: one byte range of a plain file scanned for the lines a reader may want
// (lines holding a needle, lines holding a multiple of the grid), with their line numbers within the range and
// their bytes. Runs in a worker thread (range-scan-worker.ts) or in-process (tests); the caller replays the
// stateful part in file order, so a parallel read hands the reader exactly the lines a serial read does.
import { openSync, readSync, closeSync } from 'node:fs';
import { createByteScanner, type ByteScanner, type Needle } from './byte-scanner.js';
import { lineText } from './line-fetch.js';
import { keepsNeedleLine, type ScanOptions } from './scan-lines.js';
import { MAX_LINE_BYTES } from './split-lines.js';

export interface RangeScanRequest {
  path: string;
  /** The range owns the lines that start in [from, to). */
  from: number;
  to: number;
  needles: readonly Needle[];
  gridBytes: number;
  /** Bytes read at a time (tests make it tiny to cut lines every way). */
  chunkBytes: number;
}

/** What one range holds; offsets are absolute in the file. */
export interface RangeScan {
  /** Lines that start in the range. */
  lines: number;
  /** The start of the range's last line, or -1 when no line starts in it. */
  lastLineStart: number;
  /** Candidate lines, in order: start offset, offset of the line's end (its `\n`, or the end of the file). */
  starts: Float64Array;
  ends: Float64Array;
  /** 0-based index of each candidate among the range's lines. */
  lineIndex: Float64Array;
  /** Each candidate's raw bytes [start, end) back to back, or none (length -1 in `byteLengths`) when long. */
  bytes: Uint8Array;
  byteLengths: Float64Array;
}

/** Candidate lines longer than this travel as offsets only; the replay reads them itself. */
const MAX_SHIPPED_LINE_BYTES = 64 << 10;
const NEWLINE = 10;

/** Scans one range of a plain file; reads it by positional reads, never more than one chunk at a time. */
export function scanRange(request: RangeScanRequest, scanner: ByteScanner = createByteScanner(request.needles), keep?: ScanOptions['keepNeedleLine']): RangeScan {
  const fd = openSync(request.path, 'r');
  try {
    return scanOpenRange(fd, request, scanner, keep);
  } finally {
    closeSync(fd);
  }
}

// (Over 80 lines: one pass with its offsets in locals; the cases of a line longer than a chunk sit inline.)
function scanOpenRange(fd: number, request: RangeScanRequest, scanner: ByteScanner, keep: ScanOptions['keepNeedleLine']): RangeScan {
  const { from, to, gridBytes } = request;
  const chunkBytes = Math.max(request.chunkBytes, 2);
  const chunk = chunkBuffer(chunkBytes);
  const out = new CandidateList();
  let pos = firstLineStart(fd, from, to, chunk);
  let lines = 0;
  let lastLineStart = -1;
  while (pos < to) {
    const got = readSync(fd, chunk, 0, chunkBytes, pos);
    if (got === 0) break;
    const lastNewline = chunk.lastIndexOf(NEWLINE, got - 1);
    if (lastNewline === -1) {
      // A line longer than a chunk (or the file's last line without `\n`): read whole unless overlong, which is
      // judged by its first chunk.
      let hasNeedle = scanner.lineStartsWithNeedles(chunk, 0, got).length > 0;
      const end = lineEnd(fd, pos + got, chunk);
      let bytes: Buffer | null = null;
      if (end - pos <= MAX_LINE_BYTES) {
        bytes = Buffer.allocUnsafe(end - pos);
        readSync(fd, bytes, 0, bytes.length, pos);
        hasNeedle = scanner.lineStartsWithNeedles(bytes, 0, bytes.length).length > 0 && keepsNeedleLine(keep, lineText(bytes), bytes.length);
      }
      if (hasNeedle || holdsGridMultiple(pos, end, gridBytes)) out.push(pos, end, lines, bytes);
      lastLineStart = pos;
      lines++;
      pos = end + 1;
      continue;
    }
    // Whole lines only, and only those that start before `to`.
    const limit = to - pos;
    const regionEnd = limit - 1 <= lastNewline ? chunk.indexOf(NEWLINE, limit - 1) + 1 : lastNewline + 1;
    const needles = scanner.lineStartsWithNeedles(chunk, 0, regionEnd);
    const candidates = mergeGrid(keep === undefined ? needles : needles.filter((start) => keepsNeedleAt(chunk, start, keep)), chunk, pos, regionEnd, gridBytes);
    let counted = 0;
    let index = lines;
    for (const start of candidates) {
      index += scanner.countNewlines(chunk, counted, start);
      counted = start;
      const end = chunk.indexOf(NEWLINE, start);
      out.push(pos + start, pos + end, index, chunk.subarray(start, end));
    }
    lines += scanner.countNewlines(chunk, 0, regionEnd);
    lastLineStart = pos + (regionEnd >= 2 ? chunk.lastIndexOf(NEWLINE, regionEnd - 2) + 1 : 0);
    pos += regionEnd;
  }
  return { lines, lastLineStart, ...out.finish() };
}

let spare: Buffer | null = null;

/** One chunk buffer per thread, reused from range to range (a range's chunk would otherwise wait for the collector). */
function chunkBuffer(size: number): Buffer {
  if (spare === null || spare.length !== size) spare = Buffer.allocUnsafe(size);
  return spare;
}

/** The first line that starts at or after `from` (a line starts at 0 or after a `\n`); `to` when none does before it. */
function firstLineStart(fd: number, from: number, to: number, chunk: Buffer): number {
  if (from === 0) return 0;
  let at = from - 1;
  while (at < to) {
    const got = readSync(fd, chunk, 0, chunk.length, at);
    if (got === 0) return to;
    const newline = chunk.indexOf(NEWLINE);
    if (newline !== -1 && newline < got) return Math.min(to, at + newline + 1);
    at += got;
  }
  return to;
}

/** The offset of the `\n` that ends the line still open at `at`, or the file's end. */
function lineEnd(fd: number, at: number, chunk: Buffer): number {
  let pos = at;
  for (;;) {
    const got = readSync(fd, chunk, 0, chunk.length, pos);
    if (got === 0) return pos;
    const newline = chunk.indexOf(NEWLINE);
    if (newline !== -1 && newline < got) return pos + newline;
    pos += got;
  }
}

/** True unless `keep` turns down the needle line that starts at `start` in the chunk (see ScanOptions.keepNeedleLine). */
function keepsNeedleAt(chunk: Buffer, start: number, keep: NonNullable<ScanOptions['keepNeedleLine']>): boolean {
  const end = chunk.indexOf(NEWLINE, start);
  return keepsNeedleLine(keep, lineText(chunk.subarray(start, end)), end - start);
}

/** True when the line [start, end] (its `\n` included) holds a multiple of the grid: serial reads hand it over. */
function holdsGridMultiple(start: number, end: number, gridBytes: number): boolean {
  return Math.floor(end / gridBytes) * gridBytes >= start;
}

/** The needles' line starts with those of the lines holding a multiple of the grid, sorted and unique. */
function mergeGrid(starts: number[], chunk: Buffer, chunkOffset: number, regionEnd: number, gridBytes: number): number[] {
  let added = false;
  for (let k = Math.ceil(chunkOffset / gridBytes); k * gridBytes < chunkOffset + regionEnd; k++) {
    const at = k * gridBytes - chunkOffset;
    starts.push(at === 0 ? 0 : chunk.lastIndexOf(NEWLINE, at - 1) + 1);
    added = true;
  }
  if (!added) return starts;
  starts.sort((a, b) => a - b);
  return starts.filter((start, i) => i === 0 || start !== starts[i - 1]);
}

/** Candidates gathered into growing typed arrays (a range's result travels to the main thread without copies). */
class CandidateList {
  private starts: number[] = [];
  private ends: number[] = [];
  private index: number[] = [];
  private lengths: number[] = [];
  private pieces: Buffer[] = [];
  private size = 0;

  push(start: number, end: number, index: number, bytes: Buffer | null): void {
    this.starts.push(start);
    this.ends.push(end);
    this.index.push(index);
    if (bytes === null || bytes.length > MAX_SHIPPED_LINE_BYTES) {
      this.lengths.push(-1);
      return;
    }
    this.lengths.push(bytes.length);
    this.pieces.push(Buffer.from(bytes));
    this.size += bytes.length;
  }

  finish(): Omit<RangeScan, 'lines' | 'lastLineStart'> {
    const bytes = new Uint8Array(this.size);
    let at = 0;
    for (const piece of this.pieces) {
      bytes.set(piece, at);
      at += piece.length;
    }
    return {
      starts: Float64Array.from(this.starts),
      ends: Float64Array.from(this.ends),
      lineIndex: Float64Array.from(this.index),
      bytes,
      byteLengths: Float64Array.from(this.lengths),
    };
  }
}
