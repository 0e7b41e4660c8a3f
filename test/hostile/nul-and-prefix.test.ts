// What a hard reset and a paste leave in front of a kill line never hides it: NUL runs (4 KiB, 1 MiB) glued before
// the line, invalid UTF-8 in its prefix, and the same in a file big enough to be read on the marker path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';

const KILL = 'Jul 23 10:03:37 web01 kernel: [273053.001500] Out of memory: Killed process 21880 (anqicms) total-vm:1562340kB, anon-rss:1462300kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:2980kB oom_score_adj:0';
const BEFORE = 'Jul 23 10:03:30 web01 rsyslogd: [origin software="rsyslogd"] rsyslogd was HUPed';
/** A syslog line of other programs, about 100 bytes, to make a file big enough for the marker path. */
const NOISE = 'Jul 23 10:03:31 web01 nginx[1902]: 2024/07/23 10:03:31 [error] 1902#1902: upstream timed out (110)';

async function killsOf(t: { after(fn: () => void): void }, bytes: Buffer): Promise<{ pid: number | null; anonRssKb: number | null }[]> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-nul-'));
  const path = join(dir, 'syslog');
  writeFileSync(path, bytes);
  t.after(() => {});
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2024, lang: 'en' });
  return report.oomKills.map((k) => ({ pid: k.pid, anonRssKb: k.anonRssKb }));
}

const expected = [{ pid: 21880, anonRssKb: 1462300 }];

for (const size of [4096, 1 << 20]) {
  test(`a run of ${size} NUL bytes glued before the kill line (no newline between): the kill, with its figures`, async (t) => {
    const bytes = Buffer.concat([Buffer.from(BEFORE + '\n'), Buffer.alloc(size), Buffer.from(KILL + '\n')]);
    assert.deepEqual(await killsOf(t, bytes), expected);
  });

  test(`a half-written line, ${size} NUL bytes, then the kill line: the kill`, async (t) => {
    const bytes = Buffer.concat([Buffer.from(BEFORE.slice(0, 40)), Buffer.alloc(size), Buffer.from(KILL + '\n')]);
    assert.deepEqual(await killsOf(t, bytes), expected);
  });
}

test('invalid UTF-8 in front of the kill line: the kill, with its figures', async (t) => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x80]), Buffer.from(KILL + '\n')]);
  assert.deepEqual(await killsOf(t, bytes), expected);
});

test('on the marker path (an input of several MiB): NUL run and bad bytes before the kill line still give the kill', async (t) => {
  const noise = Buffer.from((NOISE + '\n').repeat(40_000)); // about 4 MiB
  const bytes = Buffer.concat([noise, Buffer.alloc(1 << 20), Buffer.from([0xff, 0xfe]), Buffer.from(KILL + '\n'), noise]);
  assert.deepEqual(await killsOf(t, bytes), expected);
});

test('a selection line deep in a big input is found on the marker path: every selection is a kill', async (t) => {
  const select = 'Jul 23 10:03:37 web01 kernel: [273053.001400] Out of memory: Kill process 21880 (anqicms) score 951 or sacrifice child';
  const noise = Buffer.from((NOISE + '\n').repeat(40_000));
  assert.deepEqual(await killsOf(t, Buffer.concat([noise, Buffer.from(select + '\n'), noise])), [{ pid: 21880, anonRssKb: null }]);
});
