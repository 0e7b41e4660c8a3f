// Scans a plain file's byte ranges on worker threads (one per core by default) and yields their results in file
// order, so the caller can replay them while later ranges are still being scanned.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { createByteScanner, type ByteScanner, type Needle } from './byte-scanner.js';
import { scanRange, type RangeScan, type RangeScanRequest } from './range-scan.js';
import type { ScanOptions } from './scan-lines.js';
import { workerScript } from './worker-script.js';

export interface ParallelScanOptions {
  /** Worker threads; 0 scans the ranges in this thread, one after another (tests). */
  threads: number;
  /** Bytes per range (tests make it tiny so that ranges cut lines and blocks every way). */
  rangeBytes: number;
  /** Bytes a scan reads at a time. */
  chunkBytes: number;
  needles: readonly Needle[];
  gridBytes: number;
  /** The workers' script, below dist/ (it serves range-serve.ts with the same filter as `keepNeedleLine`). */
  workerScript: string;
  /** The needle lines' filter of ranges scanned in this thread. */
  keepNeedleLine?: ScanOptions['keepNeedleLine'];
}

/**
 * Threads by default: one per core. A big running.log takes one (assemble/local-log-thread.ts), and a kernel log of
 * 64 MiB or more has its ranges scanned on the rest while this thread parses what they find.
 */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Threads a kernel log's ranges get by default out of `available`: all of them from 3 up, else 1. With one worker
 * beside this thread, which parses what the workers find, a 1 GiB read took as long as a serial one and peaked at
 * 101 MiB instead of 72-74 (bench/RESULTS.md); `--threads 2` still asks for it.
 */
export function defaultKernelThreads(available: number): number {
  return available >= 3 ? available : 1;
}

/** The ranges' results in file order; `size` is the file's size when opened (bytes after it are not read). */
export async function* scanRanges(path: string, size: number, options: ParallelScanOptions): AsyncGenerator<RangeScan> {
  const requests: RangeScanRequest[] = [];
  for (let from = 0; from < size; from += options.rangeBytes) {
    requests.push({ path, from, to: Math.min(size, from + options.rangeBytes), needles: options.needles, gridBytes: options.gridBytes, chunkBytes: options.chunkBytes });
  }
  const script = options.threads > 0 ? workerScript(options.workerScript) : null;
  const here = (request: RangeScanRequest, scanner: ByteScanner): RangeScan => scanRange(request, scanner, options.keepNeedleLine);
  if (script === null) {
    const scanner = createByteScanner(options.needles);
    for (const request of requests) yield here(request, scanner);
    return;
  }
  // This thread scans too (while it waits for a range no worker has taken), so `threads` counts it.
  yield* scanOnWorkers(script, requests, Math.min(options.threads - 1, requests.length), createByteScanner(options.needles), here);
}

interface Reply {
  id: number;
  result?: RangeScan;
  error?: { message: string; code?: string };
}

/** Ranges a worker is given ahead, so that it never waits for this thread between two. */
const QUEUED_PER_WORKER = 2;

// (Over 80 lines: the pool's bookkeeping and its clean-up share one set of locals.)
async function* scanOnWorkers(
  script: URL,
  requests: RangeScanRequest[],
  threads: number,
  scanner: ByteScanner,
  here: (request: RangeScanRequest, scanner: ByteScanner) => RangeScan,
): AsyncGenerator<RangeScan> {
  const results = new Map<number, Reply>();
  let wake: (() => void) | null = null;
  let next = 0;
  let failure: Error | null = null;
  const workers: Worker[] = [];
  // Loaded here, not on start: a small input, read in this thread, never pays for node:worker_threads.
  const { Worker: WorkerThread } = await import('node:worker_threads');
  const send = (worker: Worker): void => {
    if (next < requests.length) worker.postMessage({ id: next, request: requests[next++] });
  };
  for (let i = 0; i < threads; i++) {
    // Small heaps: a worker holds one chunk and a range's candidates.
    const worker = new WorkerThread(script, { resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 } });
    worker.on('message', (reply: Reply) => {
      results.set(reply.id, reply);
      send(worker);
      wake?.();
    });
    worker.on('error', (error) => {
      failure ??= error;
      wake?.();
    });
    workers.push(worker);
  }
  // The first range is this thread's: it starts at once while the workers start up with the next ones.
  next = 1;
  for (let k = 0; k < QUEUED_PER_WORKER; k++) for (const worker of workers) send(worker);
  try {
    for (let id = 0; id < requests.length; id++) {
      if (id === 0 || (!results.has(id) && id >= next)) {
        // No worker has this range yet: scan it here (the workers go on with theirs meanwhile).
        next = Math.max(next, id + 1);
        yield here(requests[id]!, scanner);
        continue;
      }
      while (!results.has(id)) {
        if (failure) throw failure;
        if (next < requests.length) {
          // While a worker scans this one, scan a later range no worker has taken: this thread is a core too.
          const ahead = next++;
          results.set(ahead, { id: ahead, result: here(requests[ahead]!, scanner) });
          // Let the workers' replies in (each brings the worker its next range) before looking again.
          await new Promise<void>((resolve) => setImmediate(resolve));
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      const reply = results.get(id)!;
      results.delete(id);
      if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
      yield reply.result!;
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
