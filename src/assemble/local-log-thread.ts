// running.log read on a worker thread: a big one takes as long to read as the kernel log beside it, and the two
// then share the cores instead of taking turns on one. The worker runs readAppLog itself, so the read is the same.
import { statSync } from 'node:fs';
import type { Notice } from '../i18n/warning-messages.js';
import { LineMap } from '../read/line-map.js';
import { workerScript } from '../read/worker-script.js';
import { readAppLog, type AppLogRead } from './local-log.js';

export interface LocalLogRequest {
  paths: string[];
}

/** What the worker sends back: the read with its line map as plain data, or why it failed. */
export type LocalLogReply =
  | { read: Omit<AppLogRead, 'lineMap'> & { lineMap: { path: string; offset: number }[] }; warnings: Notice[] }
  | { error: string };

/** Below this many bytes in all, running.log is read in this thread: a worker's start would cost more than it saves. */
const APP_WORKER_MIN_BYTES = 16 << 20;

/** True when these running.log paths are worth a worker of their own (plain or gzip files, together this large). */
export function appLogWantsWorker(paths: readonly string[], minBytes = APP_WORKER_MIN_BYTES): boolean {
  if (paths.length === 0 || paths.includes('-')) return false;
  let total = 0;
  for (const path of paths) {
    try {
      const info = statSync(path);
      if (!info.isFile()) return false;
      total += info.size;
    } catch {
      return false; // the read in this thread says why
    }
  }
  return total >= minBytes;
}

/** readAppLog on a worker thread; in this thread where no worker can start (the single executable). */
export async function readAppLogOnWorker(paths: string[], warnings: Notice[]): Promise<AppLogRead> {
  const script = workerScript('assemble/local-log-worker.js');
  if (script === null) return readAppLog(paths, warnings);
  // Loaded here, not on start: a small running.log never pays for node:worker_threads.
  const { Worker } = await import('node:worker_threads');
  const reply = await new Promise<LocalLogReply>((resolve, reject) => {
    const request: LocalLogRequest = { paths };
    // A small young generation: the worker holds one chunk and the lives it keeps.
    const worker = new Worker(script, { workerData: request, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    worker.once('message', (message: LocalLogReply) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`running.log worker stopped (exit code ${code}) before it answered`)));
  });
  if ('error' in reply) throw new Error(`running.log worker: ${reply.error}`);
  warnings.push(...reply.warnings);
  return { ...reply.read, lineMap: LineMap.fromPlain(reply.read.lineMap) };
}
