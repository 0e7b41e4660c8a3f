// A kernel log read in parallel: worker threads scan byte ranges for the lines a serial read would hand over
// unasked (markers, one line per grid step), and this thread replays the reader over them in file order, reading
// the lines an open block asks for by offset. The reader sees exactly the lines, numbers and bytes of a serial read.
import { closeSync, openSync } from 'node:fs';
import type { KernelClock, KernelLogRead } from '../model/kernel-log-read.js';
import { LineFetcher, lineText } from '../read/line-fetch.js';
import { scanRanges, type ParallelScanOptions } from '../read/range-pool.js';
import type { RangeScan } from '../read/range-scan.js';
import { createKernelLogReader, type KernelLogReader } from './kernel-log-reader.js';

export interface ParallelReadOptions {
  threads: number;
  rangeBytes: number;
  chunkBytes: number;
  needles: ParallelScanOptions['needles'];
  workerScript: ParallelScanOptions['workerScript'];
  keepNeedleLine: ParallelScanOptions['keepNeedleLine'];
  gridBytes: number;
  /** Every line that starts below this offset is read (as a serial read reads a small input's head). */
  denseBytes: number;
}

/** Reads a plain file of `size` bytes (its size when opened) with the ranges scanned in parallel. */
export async function readKernelLogInParallel(path: string, size: number, clock: KernelClock, options: ParallelReadOptions): Promise<KernelLogRead> {
  const reader = createKernelLogReader(clock);
  const fd = openSync(path, 'r');
  try {
    const replay = new Replay(reader, new LineFetcher(fd, size), size, options.denseBytes);
    if (size > 0) replay.runFrom(0, 1, null);
    for await (const scan of scanRanges(path, size, options)) replay.range(scan);
    replay.end();
    reader.finish();
    reader.read.lines = replay.lines;
    reader.read.overlongLines = replay.overlongLines;
    return reader.read;
  } finally {
    closeSync(fd);
  }
}

class Replay {
  /** Lines of the ranges replayed so far. */
  lines = 0;
  overlongLines = 0;
  /** Offset just past the last line handed over. */
  private next = 0;
  private lastLineStart = -1;

  constructor(
    private readonly reader: KernelLogReader,
    private readonly fetcher: LineFetcher,
    private readonly size: number,
    private readonly denseBytes: number,
  ) {}

  range(scan: RangeScan): void {
    let byteAt = 0;
    for (let i = 0; i < scan.starts.length; i++) {
      const start = scan.starts[i]!;
      const length = scan.byteLengths[i]!;
      const shipped = length >= 0 ? Buffer.from(scan.bytes.buffer, scan.bytes.byteOffset + byteAt, length) : null;
      if (length > 0) byteAt += length;
      if (start < this.next) continue; // already handed over with an open block
      const raw = shipped === null ? null : { bytes: lineText(shipped), end: scan.ends[i]! };
      this.runFrom(start, this.lines + scan.lineIndex[i]! + 1, raw);
    }
    this.lines += scan.lines;
    if (scan.lastLineStart >= 0) this.lastLineStart = scan.lastLineStart;
  }

  /** The input's last line closes its span in time: handed over if nothing did yet. */
  end(): void {
    if (this.lastLineStart >= this.next && this.lines > 0) this.runFrom(this.lastLineStart, this.lines, null, false);
  }

  /** Hands over the line at `start`, then every next line while the head is read densely or the reader asks. */
  runFrom(start: number, lineNo: number, first: { bytes: Buffer; end: number } | null, follow = true): void {
    let at = start;
    let no = lineNo;
    let line = first;
    for (;;) {
      if (line === null) {
        const fetched = this.fetcher.lineAt(at);
        if (fetched.overlong) this.overlongLines++;
        line = fetched;
      }
      this.reader.line(line.bytes, no);
      at = line.end + 1;
      no++;
      line = null;
      if (!follow || at >= this.size || !(at < this.denseBytes || this.reader.wantsEveryLine())) break;
    }
    this.next = at;
  }
}
