// `watch` tells what `diagnose` reports (issue 14, item 5): over every scenario fixture and golden case, the deaths
// watch announces are diagnose's incidents, and the OOM kills of other processes it announces are diagnose's
// `summary.otherKills` — a selection line without its kill line included, told once the kernel log goes quiet.
// The library's watch() runs in this process on the fixture files, with a state that makes all of them news.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { DiagnoseOptions } from '../../src/options.js';
import { diagnose } from '../../src/diagnose.js';
import type { IncidentNotice, KillNotice, Reporter } from '../../src/tell/reporters/reporter.js';
import { watch } from '../../src/watch/watcher.js';
import { goldenCases } from '../support/golden-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-same-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What watch announced until it had nothing more to say (two quiet spells after the last announcement). */
async function announced(options: Parameters<typeof watch>[0] extends infer W ? Omit<W & object, 'statePath' | 'reporters'> : never, name: string) {
  const statePath = join(dir, `${name}.state.json`);
  // Saved long ago: everything in the fixtures is after the horizon, so it is all news.
  writeFileSync(statePath, JSON.stringify({ version: 1, since: 0, savedAt: 0, cursors: {}, told: {}, counters: null }));
  const incidents: IncidentNotice[] = [];
  const kills: KillNotice[] = [];
  const reporter: Reporter = {
    name: 'test',
    report: async (n) => void incidents.push(n),
    reportKill: async (n) => void kills.push(n),
    close: async () => {},
  };
  const abort = new AbortController();
  const lines: string[] = [];
  const running = watch({ ...options, statePath, reporters: [reporter], pollMs: 20, settleSeconds: 0.05, kernelQuietMs: 60, signal: abort.signal, host: 'web01', log: (l) => lines.push(l) });
  let count = -1;
  let still = 0;
  while (still < 8) {
    await new Promise((r) => setTimeout(r, 50));
    const now = incidents.length + kills.length;
    still = now === count ? still + 1 : 0;
    count = now;
  }
  abort.abort();
  await running;
  return { incidents, kills, lines };
}

/**
 * The case's inputs copied, each ending with a newline: a log being written has its last line finished (watch reads
 * whole lines only, and a few fixtures end without one). Both commands read the copies.
 */
function finishedCopies(options: DiagnoseOptions, name: string): DiagnoseOptions {
  const caseDir = join(dir, name);
  mkdirSync(caseDir, { recursive: true });
  const copy = (paths: string[] | undefined): string[] | undefined =>
    paths?.map((path, i) => {
      const to = join(caseDir, `${i}-${basename(path)}`);
      const bytes = readFileSync(path);
      writeFileSync(to, bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? Buffer.concat([bytes, Buffer.from('\n')]) : bytes);
      return to;
    });
  return { ...options, check: copy(options.check), app: copy(options.app), kernel: copy(options.kernel) };
}

const sorted = (ids: string[]): string[] => [...new Set(ids)].sort();

for (const c of goldenCases()) {
  test(`${c.name}: watch announces diagnose's incidents and other processes' OOM kills`, { timeout: 60_000 }, async () => {
    const options = finishedCopies(c.options, c.name);
    const report = await diagnose(options);
    const told = await announced(options, c.name);
    const firstTold = told.incidents.filter((n) => n.kind === 'incident');
    assert.deepEqual(sorted(firstTold.map((n) => n.incident.id)), sorted(report.incidents.map((i) => i.id)), `incidents; watch said:\n${told.lines.join('\n')}`);
    // A set: a kill quoted twice in a paste is one kill (diagnose may list it twice).
    assert.deepEqual(sorted(told.kills.map((n) => n.kill.id)), sorted(report.summary.otherKills.map((k) => k.id)), 'kills of other processes');
    // Each told once.
    assert.equal(new Set(firstTold.map((n) => n.incident.id)).size, firstTold.length);
    assert.equal(new Set(told.kills.map((n) => n.kill.id)).size, told.kills.length);
  });
}

test('--only-process: no kill of another process is announced, the deaths still are', { timeout: 30_000 }, async () => {
  const mysqld = goldenCases().find((c) => c.name === 'join-mysqld-killed');
  assert.ok(mysqld);
  const report = await diagnose(mysqld.options);
  // mysqld-killed/kern.log: the OOM killer kills mysqld, not anqicms (test/join/verdicts.test.ts).
  assert.ok(report.summary.otherKills.some((k) => k.name === 'mysqld'));
  const told = await announced({ ...mysqld.options, onlyProcess: true }, 'only-process');
  assert.deepEqual(told.kills, []);
  assert.deepEqual(told.incidents.map((n) => n.incident.id).sort(), report.incidents.map((i) => i.id).sort());
});
