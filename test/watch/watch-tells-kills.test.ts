// `watch` as a command (issue 14, items 4-5): its start line names what it follows and what it will tell (--quiet
// silences it); with no kernel log it warns and says how to add one; another process's OOM kill is one line; a
// selection line without its kill line is told once the kernel log goes quiet, long before --settle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, waitFor } from '../support/real-kernel-proc.js';
import { kernelNoise, killAllChildren, killBlock, startWatcher } from '../support/watch-processes.js';

const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-kills-'));
after(() => {
  killAllChildren();
  rmSync(dir, { recursive: true, force: true });
});

const BOOT_MS = Date.now() - 3600_000;

test('start line names the inputs and what is told; an OOM kill of mysqld is one verdict-free notice', { timeout: 30_000 }, async () => {
  const kern = join(dir, 'kern.log');
  writeFileSync(kern, kernelNoise({ bootMs: BOOT_MS, atMs: Date.now() }));
  const w = startWatcher(['--kernel', kern, '--state', join(dir, 'a.json'), '--tz', 'UTC', '--poll', '100', '--format', 'ndjson']);
  await waitFor('the start line', 5000, () => /watching .*kern\.log: telling each death of anqicms and each OOM kill of another process/.test(w.stderr()) || undefined);
  await sleep(300);
  appendFileSync(kern, killBlock({ bootMs: BOOT_MS, atMs: Date.now(), pid: 4242, name: 'mysqld' }));
  const told = await w.waitForNotice('the kill of mysqld', 5000, (j) => j.notice === 'oom-kill');
  assert.equal(told.json.process, 'anqicms');
  assert.equal(told.json.processSurvived, true);
  assert.equal((told.json.kill as { name: string; pid: number }).name, 'mysqld');
  assert.equal((told.json.kill as { name: string; pid: number }).pid, 4242);
  assert.equal(told.json.verdict, undefined, 'no verdict for a kill of another process');
  await sleep(500);
  assert.equal(w.notices.length, 1, w.stdout());
  assert.equal((await w.stop()).code, 0);
});

test('text line in Chinese; --only-process tells nothing of it; --quiet has no start line', { timeout: 30_000 }, async () => {
  const kern = join(dir, 'kern-zh.log');
  writeFileSync(kern, kernelNoise({ bootMs: BOOT_MS, atMs: Date.now() }));
  const zh = startWatcher(['--kernel', kern, '--state', join(dir, 'b.json'), '--poll', '100', '--lang', 'zh-CN', '--quiet']);
  const only = startWatcher(['--kernel', kern, '--state', join(dir, 'c.json'), '--poll', '100', '--only-process', '--format', 'ndjson']);
  await waitFor('the --only-process start line', 5000, () => /watching .*: telling each death of anqicms$/m.test(only.stderr()) || undefined);
  await sleep(300);
  appendFileSync(kern, killBlock({ bootMs: BOOT_MS, atMs: Date.now(), pid: 4343, name: 'mysqld' }));
  await waitFor('the Chinese line', 5000, () => /mysqld（pid 4343）被 OOM killer 杀死；anqicms 未被杀死\n/.test(zh.stdout()) || undefined);
  await sleep(800);
  assert.equal(only.notices.length, 0, only.stdout());
  assert.equal(zh.stderr(), '', 'nothing on stderr with --quiet');
  assert.equal((await zh.stop()).code, 0);
  assert.equal((await only.stop()).code, 0);
});

test('no kernel log to follow: a warning at start says OOM kills cannot be seen and how to add one', { timeout: 30_000 }, async () => {
  const check = join(dir, 'check.log');
  writeFileSync(check, '');
  const w = startWatcher(['--check', check, '--state', join(dir, 'd.json'), '--poll', '100']);
  await waitFor('the warning', 5000, () => /no kernel log is followed.*add one: --kernel kmsg \(as root\), --kernel journal, or --kernel \/var\/log\/kern\.log/.test(w.stderr()) || undefined);
  assert.equal((await w.stop()).code, 0);
});

test('a selection line without its kill line: the death is told within seconds, not after --settle', { timeout: 30_000 }, async () => {
  const kern = join(dir, 'kern-sel.log');
  writeFileSync(kern, kernelNoise({ bootMs: BOOT_MS, atMs: Date.now() }));
  const w = startWatcher(['--kernel', kern, '--state', join(dir, 'e.json'), '--tz', 'UTC', '--poll', '100', '--settle', '600', '--format', 'ndjson']);
  await waitFor('the start line', 5000, () => /watching/.test(w.stderr()) || undefined);
  await sleep(300);
  // The block of the kill of anqicms pid 5151 without its `Killed process` line and the reaper's line after it.
  const block = killBlock({ bootMs: BOOT_MS, atMs: Date.now(), pid: 5151 }).split('\n').filter((line) => !/Killed process|oom_reaper/.test(line));
  assert.ok(block.some((line) => /oom-kill:.*task=anqicms,pid=5151/.test(line)), 'the selection (summary) line is there');
  appendFileSync(kern, block.join('\n'));
  const told = await w.waitForNotice('the death of pid 5151', 10_000, (j) => j.notice === 'incident');
  assert.equal(told.json.pid, 5151);
  assert.equal(told.json.verdict, 'kernel-oom');
  assert.equal((await w.stop()).code, 0);
});
