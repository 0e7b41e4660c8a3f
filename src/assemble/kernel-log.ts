// Reads one kernel log source to its records: lines → envelopes → OOM lines → blocks, with what time placement needs.
import { createByteScanner } from '../read/byte-scanner.js';
import { scanLines } from '../read/scan-lines.js';
import type { KernelClock, KernelLogRead } from '../model/kernel-log-read.js';
import { createKernelLogReader } from './kernel-log-reader.js';
import { isNewestFirst } from './newest-first.js';

export { createKernelLogReader, type KernelLogReader } from './kernel-log-reader.js';
export { userspaceRecordsNotKept } from './userspace-records.js';

/**
 * Bytes that every line of interest holds: OOM block headers, summaries, reapers, panic_on_oom and the user-space
 * killers (`oom`), kill and selection lines of every era and systemd's `Main process exited` (` process `), and
 * systemd's OOM notice (`OOM`). The rest of a block is read line by line once its header opened it (and the lines
 * right after a `no killable processes`, where 4.19+ panics); boots show in the sampled lines as the uptime falling back.
 */
export const KERNEL_NEEDLES = ['oom', ' process ', 'OOM'];
/** Small inputs are read line by line; in big ones a line every 64 KiB keeps the clock, boots and years right. */
export const KERNEL_SCAN = { denseBytes: 1 << 20, gridBytes: 64 << 10 };

/** Reads the lines of a kernel log from byte chunks; memory holds open blocks and finished records only. */
export async function readKernelLog(chunks: AsyncIterable<Buffer>, clock: KernelClock): Promise<KernelLogRead> {
  const reader = createKernelLogReader(clock);
  const head = await readHead(chunks, KERNEL_SCAN.denseBytes);
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
  const split = await scanLines(concatChunks(head.chunks, head.rest), createByteScanner(KERNEL_NEEDLES), reader, KERNEL_SCAN);
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
