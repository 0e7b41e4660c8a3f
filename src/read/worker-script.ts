// Where a worker thread's script is: dist/<folder>/<name>.js beside the ES modules, found from the module build and
// from the bundle dist/oomscope.cjs alike (there import.meta.url is the bundle's own, one folder up).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The script `fromDist` (a path below dist/, such as `read/range-scan-worker.js`), or null where workers cannot
 * start from a file: inside the single executable the bundle has no file beside it (reads there stay in one thread).
 */
export function workerScript(fromDist: string): URL | null {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea(): boolean } | undefined;
  if (sea?.isSea()) return null;
  try {
    // This module is dist/read/worker-script.js, or inlined in dist/oomscope.cjs.
    const candidates = [new URL(`../${fromDist}`, import.meta.url), new URL(`./${fromDist}`, import.meta.url)];
    for (const url of candidates) if (existsSync(fileURLToPath(url))) return url;
  } catch {
    // No file URL to start from: stay in this thread.
  }
  return null;
}
