// A file given as a kernel log that holds no kernel line says so, naming what it looks like; a kernel log never does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { fixture } from '../support/paths.js';

const ACCESS_LOG = [
  '203.0.113.9 - - [23/Jul/2024:10:04:01 +0800] "GET /index.html HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
  '203.0.113.9 - - [23/Jul/2024:10:04:02 +0800] "POST /api/login HTTP/1.1" 302 0 "-" "curl/8.0"',
].join('\n') + '\n';

async function notKernel(path: string): Promise<string | undefined> {
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2024, lang: 'en' });
  return report.warnings.find((w) => w.code === 'not-a-kernel-log')?.message;
}

test('check.log, running.log, an access log and binary bytes given as --kernel: not-a-kernel-log, saying what each looks like', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-notkernel-'));
  const access = join(dir, 'access.log');
  writeFileSync(access, ACCESS_LOG);
  const random = join(dir, 'random.bin');
  writeFileSync(random, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256 || 1)));
  assert.match((await notKernel(fixture('test', 'assemble', 'fixtures', 'check-stop.log'))) ?? '', /guardian's check\.log/);
  assert.match((await notKernel(fixture('test', 'assemble', 'fixtures', 'running-startup-failure.log'))) ?? '', /application's log/);
  assert.match((await notKernel(access)) ?? '', /web server access log/);
  assert.match((await notKernel(random)) ?? '', /binary data|text of another kind/);
});

test('a kernel log, even one with no OOM kill, is never called not-a-kernel-log', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-kernel-'));
  const quiet = join(dir, 'kern.log');
  writeFileSync(quiet, 'Jul 23 10:02:44 web01 kernel: [273000.114512] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.5 PROTO=TCP\n');
  assert.equal(await notKernel(quiet), undefined);
  assert.equal(await notKernel(fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log')), undefined);
});

test('the text report says it in its headline, in both languages', async () => {
  const path = fixture('test', 'assemble', 'fixtures', 'check-stop.log');
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2024, lang: 'en' });
  const en = renderText(report, { color: false, lang: 'en', process: 'anqicms' }).split('\n');
  assert.match(en[1]!, /holds no kernel line: it is not a kernel log/);
  const zh = renderText(report, { color: false, lang: 'zh-CN', process: 'anqicms' }).split('\n');
  assert.match(zh[1]!, /中没有任何内核日志行/);
});
