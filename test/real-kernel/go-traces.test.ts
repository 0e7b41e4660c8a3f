// The drift check of test/fixtures/go: rebuilds the Go stand-in in both build modes with this machine's Go, makes it
// die every captured way again, and compares each crash report's shape (traceShape: the report to the end of the
// crashing goroutine, with addresses, goroutine ids and stamps masked) with the captured file. A difference means the
// stand-in, the toolchain or the runtime's formats changed: capture again (test/fixtures/go/README.md) and read the
// diff. Needs `go`; skips with the reason without it (under CI=true, fails).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { isCI } from '../support/paths.js';
import { BUILD_MODES, buildGoStandin, captureDeath, fixturePath, goUnavailable, goVersion, traceShape, type Captured, type GoDeath } from '../support/go-standin.js';
import { CAPTURED } from '../support/capture-go-fixtures.js';

function cannotRun(t: TestContext, reason: string): void {
  if (isCI) throw new Error(`CI=true, so this may not be skipped: ${reason}`);
  t.skip(reason);
}

const EXIT: Record<GoDeath, number> = {
  panic: 2, 'panic-value': 2, repanic: 2, 'map-writes': 2, stack: 2, 'oom-as': 2, 'oom-data': 2, 'db-down': 1, 'panic-system': 2,
};

for (const mode of BUILD_MODES) {
  test(`Go stand-in (${mode} build): the real runtime's traces match test/fixtures/go`, { timeout: 150_000 }, async (t) => {
    const reason = goUnavailable();
    if (reason) return cannotRun(t, reason);
    const version = goVersion();
    if (!existsSync(fixturePath(version, mode, 'panic'))) return cannotRun(t, `no fixtures for ${version} (capture them: test/fixtures/go/README.md)`);
    const build = buildGoStandin(mode);
    const deaths: GoDeath[] = mode === 'trimpath' ? [...CAPTURED, 'panic-system'] : [...CAPTURED];
    // all at once but the stack overflow (about 800 MB resident on its way), which runs alone afterwards
    const light = deaths.filter((d) => d !== 'stack');
    const runs = new Map<GoDeath, Captured>(await Promise.all(light.map(async (d) => [d, await captureDeath(build, d)] as const)));
    if (deaths.includes('stack')) runs.set('stack', await captureDeath(build, 'stack'));
    for (const death of deaths) {
      const run = runs.get(death)!;
      assert.equal(run.code, EXIT[death], `${death}: exit ${run.code ?? run.signal}\n${run.output.slice(-2000)}`);
      const captured = traceShape(readFileSync(fixturePath(version, mode, death), 'utf8'));
      assert.ok(captured.length > 0, `${death}: the fixture holds a report`);
      assert.deepEqual(traceShape(run.output), captured, `${death} (${mode}) drifted from ${fixturePath(version, mode, death)}`);
    }
  });
}
