// Records the pinned JSON reports of test/golden.test.ts: run it only when a change of behaviour is meant, and read
// the diff of test/golden/ before committing it (the golden files pin behaviour while code is reorganised).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../.build/src/index.js';
import { goldenCases, goldenDir, pinnedJson } from '../.build/test/support/golden-cases.js';

mkdirSync(goldenDir, { recursive: true });
for (const c of goldenCases()) {
  const report = await diagnose(c.options);
  writeFileSync(join(goldenDir, `${c.name}.json`), pinnedJson(report));
}
console.log(`recorded ${goldenCases().length} reports in ${goldenDir}`);
