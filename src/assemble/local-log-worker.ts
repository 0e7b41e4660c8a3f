// A worker thread that reads running.log files while the main thread reads the kernel log (local-log-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { Notice } from '../i18n/warning-messages.js';
import { readAppLog } from './local-log.js';
import type { LocalLogReply, LocalLogRequest } from './local-log-thread.js';

async function answer(request: LocalLogRequest): Promise<LocalLogReply> {
  try {
    const warnings: Notice[] = [];
    const read = await readAppLog(request.paths, warnings);
    return { read: { ...read, lineMap: read.lineMap.toPlain() }, warnings };
  } catch (error) {
    return { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}

if (parentPort) {
  const port = parentPort;
  void answer(workerData as LocalLogRequest).then((reply) => port.postMessage(reply));
}
