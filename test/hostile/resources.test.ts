// Memory stays bounded on pathological inputs: the CLI's peak RSS (measured inside the process) stays under a
// generous bound, and every cap that was reached says so once per source. Memory, not time, is asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_OPEN_BLOCKS, MAX_RECORDS } from '../../src/assemble/oom-blocks.js';
import { MAX_INSTANCES } from '../../src/assemble/app-instances.js';
import { MAX_GUARDIAN_RECORDS } from '../../src/assemble/guardian-timeline.js';
import type { Report } from '../../src/model/report.js';
import { guardianStamp, oomBlockMessages, peakRss, tempDir } from './support.js';

const BOUND_MIB = 300;
const BASE = ['--tz', 'UTC', '--year', '2024', '--lang', 'en', '--format', 'json'];

/** Writes `repeat` copies of `chunk` (plus `head` before and `tail` after) without building the file in memory. */
function writeRepeated(path: string, chunk: string | Buffer, repeat: number, head = '', tail = ''): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    const block = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    // Batch copies into ~1 MiB writes.
    const batch = Math.max(1, Math.floor((1 << 20) / Math.max(1, block.length)));
    const big = Buffer.concat(Array.from({ length: Math.min(batch, repeat) }, () => block));
    let left = repeat;
    while (left >= batch) {
      writeSync(fd, big);
      left -= batch;
    }
    for (; left > 0; left--) writeSync(fd, block);
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

async function run(args: string[]): Promise<{ mib: number; report: Report; code: number | null }> {
  const { mib, result } = await peakRss(['diagnose', ...args, ...BASE]);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, result.stderr);
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`exit ${result.code}, no JSON: ${result.stderr.slice(0, 500)}`);
  }
  return { mib, report, code: result.code };
}

const warned = (report: Report, code: string): number => report.warnings.filter((w) => w.code === code).length;

// (The 64 MiB single line is in corpus.test.ts, with its peak RSS.)

test('a million OOM headers and no kill line: open blocks capped, one warning, memory bounded', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'headers.log');
  const header = '[ 1000.000000] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n';
  writeRepeated(path, header, 1_000_000);
  const { mib, report, code } = await run(['--kernel', path]);
  assert.equal(code, 0);
  assert.equal(report.sources[0]!.lines, 1_000_000);
  assert.equal(warned(report, 'oom-blocks-capped'), 1);
  assert.ok(report.oomKills.length <= MAX_OPEN_BLOCKS, `${report.oomKills.length} kills`);
  assert.ok(report.oomKills.every((k) => k.incomplete && k.pid === null), 'headers cut off at the end are kills without a victim');
  assert.ok(mib < BOUND_MIB, `peak RSS ${mib.toFixed(0)} MiB`);
  t.diagnostic(`1M headers: peak RSS ${mib.toFixed(0)} MiB`);
});

test('a task table of 100 000 rows: thinned with one warning, the top consumers and the victim\'s row still exact', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'table.log');
  const prefix = '[ 2000.000100] ';
  const workers = Array.from({ length: 100_000 }, (_, i) => ({ pid: 100_000 + i, name: `worker-${i}`, rssPages: 1000 + ((i * 7919) % 500_000) }));
  const messages = oomBlockMessages({ pid: 99999, name: 'anqicms', uptime: 2000, rssPages: 700_000 }, workers);
  const biggest = workers.map((w) => w.rssPages).sort((a, b) => b - a).slice(0, 4);
  writeRepeated(path, messages.map((m) => prefix + m).join('\n') + '\n', 1);
  const { mib, report, code } = await run(['--kernel', path]);
  assert.equal(code, 0);
  assert.equal(warned(report, 'task-table-capped'), 1);
  const kill = report.oomKills[0]!;
  assert.equal(kill.pid, 99999);
  assert.equal(kill.incomplete, false);
  assert.deepEqual(kill.topConsumers?.map((c) => c.rssKb), [700_000, ...biggest].map((pages) => pages * 4));
  // Every row has oom_score_adj 0 and the same page tables: the kernel's badness ranks them as rss does.
  const byBadness = (kill as unknown as { topByBadness?: { pid: number }[] | null }).topByBadness;
  if (byBadness !== undefined) assert.deepEqual(byBadness?.map((c) => c.pid), kill.topConsumers?.map((c) => c.pid));
  assert.ok(kill.evidence.some((e) => /\[\s*99999\]/.test(e.text)), 'the victim\'s row is evidence');
  assert.ok(mib < BOUND_MIB, `peak RSS ${mib.toFixed(0)} MiB`);
  t.diagnostic(`100k-row table: peak RSS ${mib.toFixed(0)} MiB`);
});

test('kill lines by the hundred thousand: the first MAX_RECORDS kept, the rest counted in one warning', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'kills.log');
  const lines: string[] = [];
  for (let i = 0; i < 120_000; i++) lines.push(`[${(3000 + i * 0.01).toFixed(6).padStart(12)}] Out of memory: Killed process ${10_000 + i} (worker) total-vm:1000kB, anon-rss:800kB, file-rss:0kB, shmem-rss:0kB`);
  writeRepeated(path, lines.join('\n') + '\n', 1);
  const { mib, report, code } = await run(['--kernel', path]);
  assert.equal(code, 0);
  assert.equal(report.oomKills.length, MAX_RECORDS);
  assert.equal(warned(report, 'records-capped'), 1);
  assert.match(report.warnings.find((w) => w.code === 'records-capped')!.message, /110000 later/);
  assert.ok(mib < BOUND_MIB, `peak RSS ${mib.toFixed(0)} MiB`);
  t.diagnostic(`120k kill lines: peak RSS ${mib.toFixed(0)} MiB`);
});

test('a flood of earlyoom kills (50 000 lines): linear time, the first MAX_RECORDS kept, one warning', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'syslog');
  const lines: string[] = [];
  for (let i = 0; i < 50_000; i++) {
    const s = i % 86400;
    const stamp = `Jul 23 ${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    lines.push(`${stamp} web01 earlyoom[812]: sending SIGTERM to process ${1000 + i} uid 0 "anqicms": oom_score 600, VmRSS 4962 MiB, cmdline "/x"`);
    lines.push(`${stamp} web01 earlyoom[812]: sending SIGKILL to process ${1000 + i} uid 0 "anqicms": oom_score 600, VmRSS 4962 MiB, cmdline "/x"`);
  }
  writeRepeated(path, lines.join('\n') + '\n', 1);
  const { mib, report, code } = await run(['--kernel', path]);
  assert.equal(code, 0);
  assert.equal(report.oomEvents.length, MAX_RECORDS, 'each SIGKILL after its SIGTERM is the same kill');
  assert.equal(warned(report, 'records-capped'), 1);
  assert.match(report.warnings.find((w) => w.code === 'records-capped')!.message, /40000 later/);
  assert.ok(mib < BOUND_MIB, `peak RSS ${mib.toFixed(0)} MiB`);
  t.diagnostic(`50k earlyoom kills: peak RSS ${mib.toFixed(0)} MiB`);
});

test('a running.log of a million panics: in one life, and each in a life of its own (capped, one warning)', async (t) => {
  const dir = tempDir(t);
  const oneLife = join(dir, 'running-one.log');
  // One life: the first panic ends it, the million after it are later reports (counted, not kept).
  writeRepeated(oneLife, 'panic: runtime error: index out of range [5] with length 3\n', 1_000_000,
    '2024/07/23 10:00:01 /www/wwwroot/anqicms.com/\n', '\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:10 +0x1d\n');
  // A life each: a start line and a panic, 100 000 times (ten times MAX_INSTANCES).
  const lives = join(dir, 'running-lives.log');
  writeRepeated(lives, '2024/07/23 10:00:01 /www/wwwroot/anqicms.com/\npanic: boom\n', 100_000);
  const [one, many] = await Promise.all([run(['--app', oneLife]), run(['--app', lives])]);
  assert.equal(one.code, 0);
  assert.deepEqual(one.report.incidents.map((i) => i.verdict), ['go-panic']);
  assert.ok(one.mib < BOUND_MIB, `one life: peak RSS ${one.mib.toFixed(0)} MiB`);
  assert.equal(many.code, 0);
  assert.equal(warned(many.report, 'records-capped'), 1);
  assert.ok(many.report.incidents.length <= MAX_INSTANCES);
  assert.ok(many.mib < BOUND_MIB, `a life each: peak RSS ${many.mib.toFixed(0)} MiB`);
  t.diagnostic(`1M panics: one life ${one.mib.toFixed(0)} MiB, a life each ${many.mib.toFixed(0)} MiB`);
});

test('a check.log flapping every minute for two months: records capped with one warning, memory bounded', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'check.log');
  const fd = openSync(path, 'w');
  const t0 = Date.UTC(2024, 0, 1);
  let batch = '';
  for (let i = 0; i < 100_000; i++) {
    batch += `${guardianStamp(t0 + i * 60_000)} anqicms PID check: ${i % 2}\n`;
    if (batch.length > 1 << 20) {
      writeSync(fd, batch);
      batch = '';
    }
  }
  writeSync(fd, batch);
  closeSync(fd);
  const { mib, report, code } = await run(['--check', path]);
  assert.equal(code, 0);
  assert.equal(warned(report, 'records-capped'), 1);
  assert.ok(report.incidents.length <= MAX_GUARDIAN_RECORDS);
  assert.ok(mib < BOUND_MIB, `peak RSS ${mib.toFixed(0)} MiB`);
  t.diagnostic(`100k flapping checks: peak RSS ${mib.toFixed(0)} MiB`);
});
