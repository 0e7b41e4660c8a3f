// The OOM block assembler: a kill is a line that names the victim; every selection is a kill; no victim, no kill.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readKernelLog } from '../../src/assemble/kernel-log.js';
import { KernelLogClock } from '../../src/time/kernel-clock.js';
import type { EventRecord, KillRecord } from '../../src/model/kernel-records.js';

async function records(text: string): Promise<{ kills: KillRecord[]; events: EventRecord[] }> {
  async function* chunks(): AsyncGenerator<Buffer> {
    yield Buffer.from(text);
  }
  const read = await readKernelLog(chunks(), new KernelLogClock());
  return {
    kills: read.records.filter((r): r is KillRecord => r.kind === 'kill'),
    events: read.records.filter((r): r is EventRecord => r.kind === 'event'),
  };
}

const lines = (...l: string[]): string => l.join('\n') + '\n';

test('a log grepped for the selection lines: each selection is one kill of the process it names', async () => {
  // Three selections (2.6.32-era wording), no `Killed process` lines: three kills, kill lines missing.
  const { kills, events } = await records(lines(
    '[ 1000.100000] Out of memory: Kill process 2074 (anqicms) score 901 or sacrifice child',
    '[ 1061.200000] Out of memory: Kill process 2191 (anqicms) score 899 or sacrifice child',
    '[ 1122.300000] Memory cgroup out of memory: Kill process 2305 (anqicms) score 950 or sacrifice child',
  ));
  assert.deepEqual(kills.map((k) => [k.pid, k.name, k.incomplete]), [[2074, 'anqicms', true], [2191, 'anqicms', true], [2305, 'anqicms', true]]);
  assert.equal(kills[2]!.constraint, 'memcg', 'line 3 says Memory cgroup');
  assert.equal(events.length, 0);
});

test('two selections within one second are two kills (the first one\'s kill line was lost)', async () => {
  const { kills } = await records(lines(
    '[ 1000.100000] Out of memory: Kill process 2074 (anqicms) score 901 or sacrifice child',
    '[ 1000.100400] Out of memory: Kill process 1771 (mysqld) score 120 or sacrifice child',
    '[ 1000.100500] Killed process 1771 (mysqld) total-vm:1200000kB, anon-rss:400000kB, file-rss:0kB',
  ));
  // Line 1 names 2074 without its kill line; lines 2–3 are the kill of 1771 with its figures.
  assert.deepEqual(kills.map((k) => [k.pid, k.name, k.anonRssKb, k.incomplete]), [[2074, 'anqicms', null, true], [1771, 'mysqld', 400000, false]]);
});

test('the sacrificed child stays one kill: of the child, with the parent as selected', async () => {
  const { kills } = await records(lines(
    '[ 500.000000] php-fpm invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
    '[ 500.000100] Out of memory: Kill process 900 (php-fpm) score 700 or sacrifice child',
    '[ 500.000200] Killed process 901 (php-fpm) total-vm:300000kB, anon-rss:200000kB, file-rss:100kB',
  ));
  assert.equal(kills.length, 1);
  assert.deepEqual([kills[0]!.pid, kills[0]!.selected?.pid, kills[0]!.incomplete], [901, 900, false]);
});

test('a selection whose kill line never comes is closed by kernel time: later lines belong to no block', async () => {
  const { kills } = await records(lines(
    '[ 500.000000] anqicms invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0',
    '[ 500.000100] Out of memory: Kill process 2074 (anqicms) score 901 or sacrifice child',
    '[ 509.000000] Killed process 3000 (other) total-vm:1000kB, anon-rss:500kB, file-rss:0kB',
  ));
  // Line 3 is 9 s later on the kernel's clock: not the kill of line 2's block, a kill of its own.
  assert.deepEqual(kills.map((k) => [k.pid, k.incomplete]), [[2074, true], [3000, true]]);
  assert.equal(kills[1]!.selected, null);
});

test('a reaper line naming a pid whose kill line was lost is the kill', async () => {
  const { kills, events } = await records(lines(
    '[ 700.000000] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    '[ 700.000100] CPU: 0 PID: 2074 Comm: anqicms Not tainted 5.15.0-113-generic #123-Ubuntu',
    '[ 700.050000] oom_reaper: reaped process 2074 (anqicms), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
  ));
  assert.deepEqual(kills.map((k) => [k.pid, k.name, k.reaped, k.incomplete]), [[2074, 'anqicms', true, true]]);
  assert.equal(events.length, 0);
});

test('a block with header, summary, kill and reaper but no head of paste is complete', async () => {
  const { kills } = await records(lines(
    '[ 800.000000] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=anqicms,pid=2074,uid=0',
    '[ 800.000100] Out of memory: Killed process 2074 (anqicms) total-vm:2000000kB, anon-rss:1500000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:3100kB oom_score_adj:0',
    '[ 800.050000] oom_reaper: reaped process 2074 (anqicms), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
  ));
  assert.deepEqual(kills.map((k) => [k.pid, k.incomplete, k.reaped]), [[2074, false, true]]);
});

test('an OOM invocation with no victim is an oom-unfinished event with its trigger, never a kill', async () => {
  const { kills, events } = await records(lines(
    '[ 900.000000] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[ 900.000100] CPU: 0 PID: 2074 Comm: anqicms Not tainted 5.15.0-113-generic #123-Ubuntu',
    '[ 900.000200] memory: usage 65536kB, limit 65536kB, failcnt 3960',
  ));
  assert.equal(kills.length, 0);
  assert.equal(events.length, 1);
  const event = events[0]!;
  assert.equal(event.eventKind, 'oom-unfinished');
  assert.deepEqual([event.trigger?.name, event.trigger?.pid, event.figures?.limitKb, event.figures?.constraint], ['anqicms', 2074, 65536, 'memcg']);
});

test('"Out of memory and no killable processes" is its own event and the block it ends is no kill', async () => {
  const { kills, events } = await records(lines(
    '[ 950.000000] anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '[ 950.000300] Memory cgroup out of memory and no killable processes...',
  ));
  assert.equal(kills.length, 0);
  assert.deepEqual(events.map((e) => e.eventKind), ['no-killable']);
});
