// Captures the Go stand-in's real crash output into test/fixtures/go/ (run by hand after changing the stand-in or the
// Go toolchain: `npx tsc -p tsconfig.test.json && node .build/test/support/capture-go-fixtures.js`). Each file is one
// life's whole output, as nohup would append it to running.log; its name carries the Go version, the build mode and
// the death (see test/fixtures/go/README.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { BUILD_MODES, buildGoStandin, captureDeath, fixturePath, GO_FIXTURES, goUnavailable, type GoDeath } from './go-standin.js';

export const CAPTURED: readonly GoDeath[] = ['panic', 'panic-value', 'repanic', 'map-writes', 'stack', 'oom-as', 'oom-data', 'db-down'];

async function main(): Promise<void> {
  const reason = goUnavailable();
  if (reason) throw new Error(reason);
  mkdirSync(GO_FIXTURES, { recursive: true });
  for (const mode of BUILD_MODES) {
    const build = buildGoStandin(mode);
    const deaths = mode === 'trimpath' ? [...CAPTURED, 'panic-system' as const] : CAPTURED;
    for (const death of deaths) {
      const run = await captureDeath(build, death);
      const path = fixturePath(build.goVersion, mode, death);
      writeFileSync(path, run.output);
      console.log(`${path}: exit ${run.code ?? run.signal}, ${run.output.split('\n').length} lines`);
    }
  }
}

// Only when run as the command above: `node --test .build/test/` runs every file under a `test` folder, and a test
// run must never rewrite the captured fixtures it compares with.
if (process.argv[1]?.endsWith('capture-go-fixtures.js') && process.env.NODE_TEST_CONTEXT === undefined) await main();
