// A pass of `watch` costs what was appended since the last one (issue 17, item 3): the lines it parses are the new
// ones only, however much the files already hold, and lines that add no record (the kernel's chatter) do not make it
// judge everything again. Counts from the watcher's onPass hook, never times.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentNotice, KillNotice, Reporter } from '../../src/tell/reporters/reporter.js';
import { watch, type PassCost } from '../../src/watch/watcher.js';
import { waitFor } from '../support/real-kernel-proc.js';
import { checkLine, kernelNoise, killBlock } from '../support/watch-processes.js';

const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-cost-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('ten batches of 200 kernel lines: each pass parses its 200, judges nothing again; a kill block is judged', { timeout: 60_000 }, async () => {
  const now = Date.now();
  const bootMs = now - 86_400_000;
  const kern = join(dir, 'kern.log');
  const check = join(dir, 'check.log');
  const noise = (count: number, atMs: number): string => Array.from({ length: count }, (_, i) => kernelNoise({ bootMs, atMs: atMs + i })).join('');
  writeFileSync(kern, noise(5000, now - 60_000)); // read by the catch-up, before the first pass
  writeFileSync(check, checkLine(now - 30_000, 1));
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, since: 0, savedAt: 0, cursors: {}, told: {}, counters: null }));

  const passes: PassCost[] = [];
  const told: (IncidentNotice | KillNotice)[] = [];
  const reporter: Reporter = { name: 'test', report: async (n) => void told.push(n), reportKill: async (n) => void told.push(n), close: async () => {} };
  const abort = new AbortController();
  const running = watch({
    kernel: [join(dir, 'kern.log')], check: [check], app: [], tz: 'UTC', statePath: join(dir, 'state.json'), reporters: [reporter],
    pollMs: 20, settleSeconds: 3600, kernelQuietMs: 60_000, signal: abort.signal, host: 'web01', log: () => {}, onPass: (p) => passes.push(p),
  });
  const linesSoFar = (): number => passes.reduce((n, p) => n + p.lines, 0) - 1;
  try {
    await batches(passes, linesSoFar, kern, noise, bootMs, told);
  } finally {
    abort.abort();
    await running;
  }
});

async function batches(
  passes: PassCost[], linesSoFar: () => number, kern: string, noise: (count: number, atMs: number) => string, bootMs: number,
  told: (IncidentNotice | KillNotice)[],
): Promise<void> {
  await waitFor('the first pass', 10_000, () => passes.length > 0 || undefined, 10);
  assert.equal(passes[0]!.judged, true, 'the first pass judges what the catch-up read');
  // kern.log's 5000 lines were read by the catch-up; check.log (one line) is read by the follower from its start.
  assert.equal(passes[0]!.lines, 1);
  const recordsAtStart = passes[0]!.records;

  for (let batch = 1; batch <= 10; batch++) {
    const before = passes.length;
    appendFileSync(kern, noise(200, Date.now()));
    await waitFor(`batch ${batch} read`, 10_000, () => linesSoFar() === 200 * batch || undefined, 10);
    // One write per batch, and a pass runs between writes: exactly one pass reads it, whole.
    const reading = passes.slice(before).filter((p) => p.lines > 0);
    assert.deepEqual(reading.map((p) => p.lines), [200], `batch ${batch}: lines parsed per pass (5000 + ${200 * batch} in the file)`);
    assert.equal(reading[0]!.judged, false, `batch ${batch}: firewall lines add no record, so nothing is judged again`);
    assert.equal(reading[0]!.records, recordsAtStart);
  }

  // killBlock: the fixture's OOM kill block of anqicms (test/support/watch-processes.ts), 20-odd lines.
  const block = killBlock({ bootMs, atMs: Date.now(), pid: 31337 });
  const blockLines = block.split('\n').length - 1;
  const before = passes.length;
  appendFileSync(kern, block);
  await waitFor('the kill block read', 10_000, () => linesSoFar() === 2000 + blockLines || undefined, 10);
  const reading = passes.slice(before).filter((p) => p.lines > 0);
  assert.deepEqual(reading.map((p) => p.lines), [blockLines]);
  assert.equal(reading[0]!.judged, true, 'a kill record is new evidence');
  assert.ok(reading[0]!.records > recordsAtStart);
  await waitFor('the kill told', 10_000, () => told.some((n) => n.kind === 'incident' && n.incident.pid === 31337) || undefined, 10);
}
