// Scans a plain file's byte ranges on worker threads (one per core by default) and yields their results in file
// order, so the caller can replay them while later ranges are still being scanned.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createByteScanner, type Needle } from './byte-scanner.js';
import { scanRange, type RangeScan, type RangeScanRequest } from './range-scan.js';

export interface ParallelScanOptions {
  /** Worker threads; 0 scans the ranges in this thread, one after another (tests). */
  threads: number;
  /** Bytes per range (tests make it tiny so that ranges cut lines and blocks every way). */
  rangeBytes: number;
  /** Bytes a scan reads at a time. */
  chunkBytes: number;
  needles: readonly Needle[];
  gridBytes: number;
}

/** Threads by default: one per core the process may use. */
export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * Where the worker's script is, or null where workers cannot start from a file: inside the single executable the
 * bundle has no file beside it (reads there stay serial).
 */
function workerScript(): URL | null {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea(): boolean } | undefined;
  if (sea?.isSea()) return null;
  try {
    return new URL('./range-scan-worker.js', import.meta.url);
  } catch {
    return null;
  }
}

/** The ranges' results in file order; `size` is the file's size when opened (bytes after it are not read). */
export async function* scanRanges(path: string, size: number, options: ParallelScanOptions): AsyncGenerator<RangeScan> {
  const requests: RangeScanRequest[] = [];
  for (let from = 0; from < size; from += options.rangeBytes) {
    requests.push({ path, from, to: Math.min(size, from + options.rangeBytes), needles: options.needles, gridBytes: options.gridBytes, chunkBytes: options.chunkBytes });
  }
  const script = options.threads > 0 ? workerScript() : null;
  if (script === null) {
    const scanner = createByteScanner(options.needles);
    for (const request of requests) yield scanRange(request, scanner);
    return;
  }
  yield* scanOnWorkers(script, requests, Math.min(options.threads, requests.length));
}

interface Reply {
  id: number;
  result?: RangeScan;
  error?: { message: string; code?: string };
}

async function* scanOnWorkers(script: URL, requests: RangeScanRequest[], threads: number): AsyncGenerator<RangeScan> {
  const results = new Map<number, Reply>();
  let wake: (() => void) | null = null;
  let next = 0;
  let failure: Error | null = null;
  const workers: Worker[] = [];
  const send = (worker: Worker): void => {
    if (next < requests.length) worker.postMessage({ id: next, request: requests[next++] });
  };
  for (let i = 0; i < threads; i++) {
    // Small heaps: a worker holds one chunk and a range's candidates.
    const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } });
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
    send(worker);
  }
  try {
    for (let id = 0; id < requests.length; id++) {
      while (!results.has(id)) {
        if (failure) throw failure;
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
