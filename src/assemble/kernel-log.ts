// Reads one kernel log source to its records: lines → envelopes → OOM lines → blocks, with what time placement needs.
import { createByteScanner } from '../read/byte-scanner.js';
import { scanLines } from '../read/scan-lines.js';
import type { KernelClock, KernelLogRead } from '../model/kernel-log-read.js';
import { createKernelLogReader, kernelLineMayMatter } from './kernel-log-reader.js';
import { isNewestFirst } from './newest-first.js';
import { readKernelLogInParallel } from './kernel-log-parallel.js';

export { createKernelLogReader, kernelLineMayMatter, type KernelLogReader } from './kernel-log-reader.js';
export { userspaceRecordsNotKept } from './userspace-records.js';

/**
 * Bytes that every line of interest holds: OOM block headers, summaries, reapers, panic_on_oom and the user-space
 * killers (`oom`), kill and selection lines of every era and systemd's `Main process exited` (` process `), and
 * systemd's OOM notice (`OOM`). The rest of a block is read line by line once its header opened it (and the lines
 * right after a `no killable processes`, where 4.19+ panics); boots show in the sampled lines as the uptime falling back.
 */
export const KERNEL_NEEDLES = ['oom', ' process ', 'OOM'];
/** Small inputs are read line by line; in big ones a line every 64 KiB keeps the clock, boots and years right. */
export const KERNEL_SCAN: KernelScan = { denseBytes: 1 << 20, gridBytes: 64 << 10 };

/** Which lines a read hands over unasked: the head's, and one per grid step (tests make both tiny). */
export interface KernelScan {
  denseBytes: number;
  gridBytes: number;
}

/** Reads the lines of a kernel log from byte chunks; memory holds open blocks and finished records only. */
export async function readKernelLog(chunks: AsyncIterable<Buffer>, clock: KernelClock, scan: KernelScan = KERNEL_SCAN): Promise<KernelLogRead> {
  const reader = createKernelLogReader(clock);
  const head = await readHead(chunks, scan.denseBytes);
  if (head.rest === null) {
    // A small input may be a paste from a viewer that shows the newest line first (GNOME Logs): read it oldest first.
    const lines = splitBuffer(Buffer.concat(head.chunks));
    if (isNewestFirst(lines)) {
      for (let i = lines.length - 1; i >= 0; i--) reader.line(lines[i]!, i + 1);
      reader.finish();
      reader.read.lines = lines.length;
      reader.read.newestFirst = true;
      return reader.read;
    }
  }
  // A scanner per read: its WebAssembly memory grows with the chunk size and is freed with the read.
  const split = await scanLines(concatChunks(head.chunks, head.rest), createByteScanner(KERNEL_NEEDLES), reader, { ...scan, keepNeedleLine: kernelLineMayMatter });
  reader.finish();
  reader.read.lines = split.lines;
  reader.read.overlongLines = split.overlongLines;
  return reader.read;
}

/** The first `limit` bytes (or all, when the input is shorter: then `rest` is null) and the rest of the stream. */
async function readHead(chunks: AsyncIterable<Buffer>, limit: number): Promise<{ chunks: Buffer[]; rest: AsyncIterator<Buffer> | null }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done) return { chunks: head, rest: null };
    // Copies: a stream may reuse its buffers.
    head.push(Buffer.from(next.value));
    size += next.value.length;
  }
  return { chunks: head, rest: iterator };
}

async function* concatChunks(head: Buffer[], rest: AsyncIterator<Buffer> | null): AsyncGenerator<Buffer> {
  yield* head;
  if (rest === null) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function splitBuffer(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, start)) {
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** Below this size a file is read serially: starting workers would cost more than they save. */
const PARALLEL_MIN_BYTES = 64 << 20;
/** Bytes per range of a parallel read: small enough to share out evenly, large enough to keep workers busy. */
const PARALLEL_RANGE_BYTES = 32 << 20;
/** Bytes a worker reads at a time. */
const PARALLEL_CHUNK_BYTES = 512 << 10;

/** How a read is split; tests force tiny ranges and chunks (and threads 0: ranges scanned in this thread). */
export interface KernelReadPlan {
  threads: number;
  rangeBytes?: number;
  chunkBytes?: number;
  /** Files at least this large are read in parallel. */
  minBytes?: number;
  scan?: KernelScan;
}

/** True when a plain file of `size` bytes is read in parallel under `plan` (never one a serial read takes whole). */
export function readsInParallel(size: number, plan: KernelReadPlan): boolean {
  return plan.threads !== 1 && size >= (plan.minBytes ?? PARALLEL_MIN_BYTES) && size > (plan.scan ?? KERNEL_SCAN).denseBytes;
}

/** Reads a plain file of `size` bytes with its ranges scanned on worker threads: the same read as readKernelLog. */
export function readKernelFileInParallel(path: string, size: number, clock: KernelClock, plan: KernelReadPlan): Promise<KernelLogRead> {
  return readKernelLogInParallel(path, size, clock, {
    threads: plan.threads,
    rangeBytes: plan.rangeBytes ?? PARALLEL_RANGE_BYTES,
    chunkBytes: plan.chunkBytes ?? PARALLEL_CHUNK_BYTES,
    needles: KERNEL_NEEDLES,
    workerScript: 'assemble/kernel-range-worker.js',
    keepNeedleLine: kernelLineMayMatter,
    gridBytes: (plan.scan ?? KERNEL_SCAN).gridBytes,
    denseBytes: (plan.scan ?? KERNEL_SCAN).denseBytes,
  });
}
