// Every `formats.md §N` a comment cites is a section of docs/formats.md, the field guide kept in this repository.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../support/paths.js';

function filesUnder(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|sh|md)$/.test(entry.name) && !entry.parentPath.includes('fixtures'))
    .map((entry) => join(entry.parentPath, entry.name));
}

test('every formats.md § reference names a section of docs/formats.md', () => {
  const guide = readFileSync(join(projectRoot, 'docs', 'formats.md'), 'utf8');
  const sections = new Set([...guide.matchAll(/^## (\d+)\. /gm)].map((m) => Number(m[1])));
  assert.deepEqual([...sections].sort(), [1, 2, 3, 4, 5]);
  const cited: string[] = [];
  for (const file of ['src', 'test', 'bench', 'scripts'].flatMap(filesUnder)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/formats\.md §(\d+)(?:[–-](\d+))?/g)) {
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      for (let n = from; n <= to; n++) {
        cited.push(`${file.slice(projectRoot.length + 1)} §${n}`);
        assert.ok(sections.has(n), `${file} cites formats.md §${n}, which docs/formats.md does not have`);
      }
    }
  }
  assert.ok(cited.length >= 10, `only ${cited.length} citations found: is the search still looking in the right places?`);
});
