// `oomscope watch`'s first start: deaths already in the logs are history, but a death the guardian finds only after
// watching began is news, even when the app was last seen alive before (its time is a window across the start).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from '../support/real-kernel-proc.js';
import { appStart, checkLine, killAllChildren, startWatcher } from '../support/watch-processes.js';

const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-'));
after(() => {
  killAllChildren();
  rmSync(dir, { recursive: true, force: true });
});

test('a silent death whose window spans the first start is told; one wholly before it is not', { timeout: 20_000 }, async () => {
  const check = join(dir, 'check.log');
  const running = join(dir, 'running.log');
  const install = '/www/wwwroot/site.example';
  const now = Date.now();
  // History: died between 200 s and 170 s ago, back 165 s ago. Then alive at the checks 120 s and 60 s ago.
  writeFileSync(running, appStart(now - 300_000, install) + appStart(now - 165_000, install));
  writeFileSync(check, [checkLine(now - 290_000, 1), checkLine(now - 200_000, 1), checkLine(now - 170_000, 0), checkLine(now - 120_000, 1), checkLine(now - 60_000, 1)].join(''));
  const w = startWatcher(['--check', check, '--app', running, '--state', join(dir, 'state.json'), '--tz', 'UTC', '--poll', '100', '--settle', '2', '--format', 'ndjson']);
  await sleep(1500);
  // The next check finds it dead (the death lies between 60 s ago and now), and it is restarted.
  appendFileSync(check, checkLine(Date.now(), 0));
  await sleep(500);
  appendFileSync(running, appStart(Date.now(), install));
  appendFileSync(check, checkLine(Date.now() + 1000, 1));
  const told = await w.waitForNotice('the death found after the start', 8000, (j) => j.notice === 'incident');
  assert.ok(Date.parse(told.json.diedAt as string) > now - 61_000, `the recent death, not the old one: ${told.json.diedAt}`);
  await sleep(2500); // past --settle
  assert.equal(w.notices.filter((n) => n.json.notice === 'incident').length, 1, w.stdout());
  assert.equal((await w.stop()).code, 0);
});
