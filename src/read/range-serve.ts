// The body of a range-scanning worker thread: scans the ranges it is sent and sends back what each holds
// (range-scan.ts). Each kind of read has its own worker script that starts it with its filter.
import { parentPort } from 'node:worker_threads';
import { createByteScanner, type ByteScanner } from './byte-scanner.js';
import { scanRange, type RangeScanRequest } from './range-scan.js';
import type { ScanOptions } from './scan-lines.js';

/** Serves range scans on this worker thread's port, with `keep` as the needle lines' filter. */
export function serveRangeScans(keep?: ScanOptions['keepNeedleLine']): void {
  let scanner: { key: string; scanner: ByteScanner } | null = null;
  parentPort?.on('message', (message: { id: number; request: RangeScanRequest }) => {
    try {
      const key = JSON.stringify(message.request.needles.map((n) => Array.from(typeof n === 'string' ? Buffer.from(n, 'latin1') : n)));
      if (scanner?.key !== key) scanner = { key, scanner: createByteScanner(message.request.needles) };
      const result = scanRange(message.request, scanner.scanner, keep);
      const transfer = [result.starts.buffer, result.ends.buffer, result.lineIndex.buffer, result.bytes.buffer, result.byteLengths.buffer];
      parentPort?.postMessage({ id: message.id, result }, transfer as ArrayBuffer[]);
    } catch (error) {
      parentPort?.postMessage({ id: message.id, error: error instanceof Error ? { message: error.message, code: (error as NodeJS.ErrnoException).code } : { message: String(error) } });
    }
  });
}
