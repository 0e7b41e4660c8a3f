// Behaviour pinned while the code is reorganised: every fixture's JSON report equals the one recorded before
// (scripts/record-golden.mjs records them anew when a change of behaviour is meant; its diff is read before commit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../src/index.js';
import { goldenCases, goldenDir, pinnedJson } from './support/golden-cases.js';
import { isCI } from './support/paths.js';

for (const c of goldenCases()) {
  test(`golden: ${c.name}`, async (t) => {
    const path = join(goldenDir, `${c.name}.json`);
    if (!existsSync(path)) {
      if (isCI) throw new Error(`${path} is missing: record it with node scripts/record-golden.mjs`);
      t.skip(`${path} not recorded`);
      return;
    }
    const report = await diagnose(c.options);
    assert.equal(pinnedJson(report), readFileSync(path, 'utf8'));
  });
}
