// Reading a kernel log as it was pasted: newest first without stamps is told from the blocks' own order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readKernelLog } from '../../src/assemble/kernel-log.js';
import { KernelLogClock } from '../../src/time/kernel-clock.js';
import type { KillRecord } from '../../src/model/kernel-records.js';
import { fixture } from '../support/paths.js';

async function readText(text: string) {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(text);
  }
  return readKernelLog(chunks(), new KernelLogClock());
}

/** The 5.15 sample's kernel messages without any stamp, as `journalctl -o cat` prints them. */
function messagesOnly(): string[] {
  return readFileSync(fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log'), 'utf8')
    .trimEnd()
    .split('\n')
    .filter((line) => line.includes(' kernel: '))
    .map((line) => line.replace(/^.* kernel: \[ *[\d.]+\] /, ''));
}

test('a paste newest first with no stamps (journalctl -r -o cat): read oldest first, because the kill comes before its header', async () => {
  const forward = messagesOnly();
  const backward = [...forward].reverse();
  const read = await readText(backward.join('\n') + '\n');
  assert.equal(read.newestFirst, true);
  const kills = read.records.filter((r): r is KillRecord => r.kind === 'kill');
  // Sample lines 4 (header, anqicms), 60 (summary pid 21880), 61 (kill, anon-rss 1462300 kB), 62 (reaper).
  assert.deepEqual(kills.map((k) => [k.pid, k.name, k.anonRssKb, k.reaped, k.incomplete, k.trigger?.name]), [[21880, 'anqicms', 1462300, true, false, 'anqicms']]);
});

test('the same messages in their own order are not taken for newest first', async () => {
  const read = await readText(messagesOnly().join('\n') + '\n');
  assert.notEqual(read.newestFirst, true);
  assert.equal(read.records.filter((r) => r.kind === 'kill').length, 1);
});

test('a line pasted twice is no sign of newest first (the ranges property test found it)', async () => {
  // Two copies of one reaper line, same stamp: the stamps do not decide, and a repeated reap of pid 1 used to count as
  // a reap seen before its kill, so the two lines were read bottom up.
  const reaper = 'Jul 23 10:04:01 web01 kernel: [    1.000000] oom_reaper: reaped process 1 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB';
  const read = await readText(`${reaper}\n${reaper}\n`);
  assert.notEqual(read.newestFirst, true);
  assert.deepEqual(read.records.map((r) => r.evidence[0]?.lineNo), [1, 2]);
});
