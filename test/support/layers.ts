// The pipeline's floors, bottom up: a file may import its own floor or lower ones, never a higher one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Floors by the path of a file or folder under src/ (the longest matching prefix decides). */
const FLOORS: [string, number][] = [
  ['model/', 0], ['usage-error.ts', 0], ['version.ts', 0], ['i18n/', 0],
  ['read/', 1], ['fleet/', 1],
  ['recognise/', 2],
  ['assemble/', 3],
  ['time/', 4],
  ['join/', 5],
  ['judge/', 6],
  ['tell/', 7],
  ['options.ts', 8], ['pipeline/', 8], ['diagnose.ts', 8], ['index.ts', 8],
  ['watch/', 9], ['supervise/', 9], ['setup/', 9],
  ['commands/', 10],
  ['cli.ts', 11],
];

function floorOf(path: string): number {
  const match = FLOORS.filter(([prefix]) => path === prefix || path.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0];
  if (!match) throw new Error(`src/${path} has no floor in test/support/layers.ts`);
  return match[1];
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'|import\('(\.[^']+)'\)/gm;

/** Every relative import in src/ that climbs to a higher floor: `file -> imported`. */
export function upwardImports(srcDir: string): string[] {
  const out: string[] = [];
  for (const file of sources(srcDir)) {
    const from = relative(srcDir, file);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = relative(srcDir, resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!)).replace(/\.js$/, '.ts');
      if (floorOf(target) > floorOf(from)) out.push(`${from} -> ${target}`);
    }
  }
  return out.sort();
}
