// Where `oomscope demo` finds its sample: the samples folder of the installation, or, in the single executable
// (which has no folder of its own to read from), the copy embedded in it as assets.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The sample's files, by the name each has in samples/anqicms/ and under which the executable embeds it. */
const DEMO_SAMPLE_FILES = ['check.log', 'running.log', 'kern.log'] as const;

/** The SEA asset key of one sample file (scripts/build-exe.mjs embeds them under these keys). */
function demoAssetKey(name: string): string {
  return `samples/anqicms/${name}`;
}

/** The folder holding the sample's three files; in the executable, a private temporary copy removed at exit. */
export function demoSamplesDir(): string {
  // Not import(): the executable's one script has no module loader. Node 20 before 20.16 has neither, nor an executable.
  const sea = process.getBuiltinModule?.('node:sea');
  if (sea?.isSea()) return extractEmbedded(sea.getAsset);
  // The samples folder shipped beside dist/ (and beside src/ when run from a checkout).
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'samples', 'anqicms'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the bundled samples folder is missing from this installation');
    dir = parent;
  }
  return join(dir, 'samples', 'anqicms');
}

/** Writes the embedded files to a fresh 0700 folder: the readers take paths, and the executable has no others. */
function extractEmbedded(getAsset: (key: string) => ArrayBuffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-demo-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  for (const name of DEMO_SAMPLE_FILES) writeFileSync(join(dir, name), Buffer.from(getAsset(demoAssetKey(name))), { mode: 0o600 });
  return dir;
}
