import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Notice } from '../../src/i18n/warning-messages.js';
import { readAppLog } from '../../src/assemble/local-log.js';
import { appLogWantsWorker, readAppLogOnWorker } from '../../src/assemble/local-log-thread.js';
import { workerScript } from '../../src/read/worker-script.js';
import { projectRoot } from '../support/paths.js';

const fixture = (name: string): string => join(projectRoot, 'test', 'assemble', 'fixtures', name);

test('the worker script is found beside the compiled modules (no silent fall-back to this thread)', () => {
  assert.ok(workerScript('assemble/local-log-worker.js'));
  assert.ok(workerScript('assemble/kernel-range-worker.js'));
  assert.equal(workerScript('assemble/no-such-worker.js'), null);
});

test('running.log read on a worker thread is the read of this thread: records, stats, files, line map, warnings', async () => {
  const cases = [
    ['running-go-oom.log'], ['running-map-writes.log'], ['running-panic-ansi.log'], ['running-gbk.log'],
    ['running-startup-failure.log', 'running-silent-deaths.log'], // two files read as one stream: the line map matters
    ['running-threads.log', join('no-such-dir', 'running.log')], // an unreadable file becomes a warning
  ];
  for (const names of cases) {
    const paths = names.map(fixture);
    const here: Notice[] = [];
    const there: Notice[] = [];
    const expected = await readAppLog(paths, here);
    const actual = await readAppLogOnWorker(paths, there);
    assert.deepStrictEqual(actual, expected, names.join(' + '));
    assert.deepStrictEqual(there, here, names.join(' + '));
    assert.equal(actual.lineMap.locate(1).path, paths[0]);
  }
});

test('a worker is worth it for plain files that are large together, never for stdin or what is not a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-app-worker-'));
  try {
    const a = join(dir, 'running.log.1');
    const b = join(dir, 'running.log');
    writeFileSync(a, 'x'.repeat(600));
    writeFileSync(b, 'y'.repeat(500));
    assert.equal(appLogWantsWorker([a, b], 1000), true); // 1100 bytes together
    assert.equal(appLogWantsWorker([b], 1000), false);
    assert.equal(appLogWantsWorker([a, '-'], 1000), false);
    assert.equal(appLogWantsWorker([a, dir], 10), false);
    assert.equal(appLogWantsWorker([a, join(dir, 'missing')], 10), false);
    assert.equal(appLogWantsWorker([], 0), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
