// Data flows one way: read → recognise → assemble → time → join → judge → tell, commands on top, the model below all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upwardImports } from '../support/layers.js';
import { fixture } from '../support/paths.js';

test('no import in src/ runs up the pipeline', () => {
  assert.deepEqual(upwardImports(fixture('src')), []);
});

test('the check finds a planted upward import (recognise importing judge)', () => {
  const src = mkdtempSync(join(tmpdir(), 'oomscope-layers-'));
  mkdirSync(join(src, 'recognise'));
  mkdirSync(join(src, 'judge'));
  writeFileSync(join(src, 'judge', 'verdict.ts'), 'export const x = 1;\n');
  writeFileSync(join(src, 'recognise', 'app.ts'), "import { x } from '../judge/verdict.js';\nexport const y = x;\n");
  assert.deepEqual(upwardImports(src), ['recognise/app.ts -> judge/verdict.ts']);
});
