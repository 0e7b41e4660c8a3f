// Failed starts right after a reboot, while the database was still coming up, are the app starting before its
// database, not a crash loop (issue 14 item 8). Scenarios in test/join/fixtures (they are golden cases too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { DiagnoseOptions, Incident, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

const scenario = (name: string, file: string): string => fixture('test', 'join', 'fixtures', name, file);

async function run(name: string, extra: DiagnoseOptions = {}, files: readonly ('check' | 'app' | 'kernel')[] = ['check', 'app', 'kernel']): Promise<Report> {
  const options: DiagnoseOptions = { tz: 'Asia/Shanghai', year: 2024, lang: 'en', ...extra };
  const names = { check: 'check.log', app: 'running.log', kernel: 'kern.log' };
  for (const log of files) options[log] = [scenario(name, names[log])];
  return diagnose(options);
}

function byVerdict(report: Report, verdict: string): Incident {
  const found = report.incidents.find((i) => i.verdict === verdict);
  assert.ok(found, `no ${verdict}; have ${report.incidents.map((i) => i.verdict).join(', ')}`);
  return found;
}

// database-after-reboot: kern.log as host-reboot's — line 9 `[    0.000000] Linux version …`, and line 14
// (10:07:55, [15.8]) puts the boot at 10:07:39.2. running.log: lines 1–10 the life before (last sign 10:03:20), then
// start.sh's starts at 10:08:01 (line 11) and 10:09:01 (line 13) each end in line 12/14 `Failed To Connect Database:
// dial tcp 127.0.0.1:3306: connect: connection refused`; line 15 the start at 10:10:01 that works. check.log:7–9 say 0
// (10:08:01…10:10:01), line 10 says 1. Three deaths (the reboot, two failed starts) within 10 minutes used to be
// called a crash loop; the failed starts lie within 1 min 22 s of the boot (10:09:01 − 10:07:39.2) and the good start
// came 2 min 22 s after it, inside the database's settling time.
test('failed starts while MySQL comes up after a reboot: not a crash loop; the advice is to wait for the database in start.sh', async () => {
  const report = await run('database-after-reboot');
  assert.deepEqual(report.incidents.map((i) => [i.verdict, i.count]), [['host-reboot', 1], ['startup-failure', 2]]);
  assert.deepEqual(report.summary.crashLoops, []);
  const failed = byVerdict(report, 'startup-failure');
  assert.equal(failed.advice.some((a) => a.code === 'crash-loop'), false);
  assert.deepEqual(failed.advice.map((a) => a.code), ['start-after-database']);
  const advice = failed.advice[0]!;
  assert.equal(advice.params.count, 2);
  assert.equal(advice.params.minutes, 2); // 81.8 s from the boot to the last failed start, in whole minutes
  assert.equal(advice.params.db, 'MySQL');
  assert.equal(advice.params.address, '127.0.0.1:3306');
  // check.log makes it start.sh's: the wait goes there, for the address the line names.
  assert.match(advice.text, /not a crash loop/);
  assert.match(advice.text, /start\.sh/);
  assert.ok(advice.text.includes('until (echo > /dev/tcp/127.0.0.1/3306) 2>/dev/null; do sleep 2; done'), advice.text);
  // The boot is evidence of the story: kern.log:9.
  assert.ok(failed.evidence.some((e) => e.path.endsWith('/kern.log') && e.line === 9), 'the boot line is evidence');
  assert.equal(failed.restartedAt, '2024-07-23T10:10:01.000+08:00'); // running.log:15
});

test('without check.log (not known to be start.sh): the advice names systemd After=/Wants= for MySQL and the start.sh wait', async () => {
  const report = await run('database-after-reboot', {}, ['app', 'kernel']);
  assert.deepEqual(report.summary.crashLoops, []);
  const advice = byVerdict(report, 'startup-failure').advice;
  assert.deepEqual(advice.map((a) => a.code), ['start-after-database']);
  assert.match(advice[0]!.text, /`After=mysqld\.service` and `Wants=mysqld\.service`/);
  assert.match(advice[0]!.text, /\/dev\/tcp\/127\.0\.0\.1\/3306/);
});

test('zh-CN: the advice says it is not a crash loop, in the glossary terms', async () => {
  const report = await run('database-after-reboot', { lang: 'zh-CN' });
  const text = byVerdict(report, 'startup-failure').advice[0]!.text;
  assert.match(text, /^这 2 次启动失败都发生在机器开机后的2分钟内，当时 MySQL 还没有启动完成（连不上 127\.0\.0\.1:3306）/);
  assert.match(text, /不是崩溃循环/);
  assert.match(text, /请让 start\.sh 先等数据库就绪再启动 anqicms/);
  assert.ok(text.endsWith('`。'), text);
});

// database-down-loop: startup-failure's check.log and kern.log (one boot, uptime about 10 h: no `Linux version` line),
// running.log lines 2, 4, 6, 8 the same `Failed To Connect Database:` at 10:00:01…10:03:01, line 9 a good start at
// 10:04:01. No reboot before them: four deaths in 3 minutes are a crash loop, and the advice is the database's.
test('the same failures with no reboot before them are still a crash loop', async () => {
  const report = await run('database-down-loop');
  const failed = byVerdict(report, 'startup-failure');
  assert.equal(failed.count, 4);
  assert.deepEqual(failed.advice.map((a) => a.code), ['database-unreachable', 'crash-loop']);
  assert.equal(report.summary.crashLoops.length, 1);
  assert.equal(report.summary.crashLoops[0]!.deaths, 4);
});

// database-after-reboot's logs with the database down for longer: start.sh fails every minute from 10:08:01 to
// 10:19:01 (12 starts) and the good start comes at 10:20:01, 12 min 22 s after the boot at 10:07:39.2 — past the
// 10 minutes a database takes to come up: a crash loop again.
test('failed starts that go on past the settling time after a boot are a crash loop', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-boot-order-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = readFileSync(scenario('database-after-reboot', 'running.log'), 'utf8').split('\n').slice(0, 10);
  const starts: string[] = [];
  for (let minute = 8; minute <= 19; minute++) {
    starts.push(`2024/07/23 10:${String(minute).padStart(2, '0')}:01 /www/wwwroot/anqicms.com/`, 'Failed To Connect Database:  dial tcp 127.0.0.1:3306: connect: connection refused');
  }
  const good = ['2024/07/23 10:20:01 /www/wwwroot/anqicms.com/', 'Application started. Press CTRL+C to shut down.', '2024/07/23 10:20:02 请手动在浏览器输入访问地址： http://10.0.0.5:8001'];
  writeFileSync(join(dir, 'running.log'), [...before, ...starts, ...good, ''].join('\n'));
  const report = await diagnose({ tz: 'Asia/Shanghai', year: 2024, lang: 'en', app: [join(dir, 'running.log')], kernel: [scenario('database-after-reboot', 'kern.log')] });
  const failed = byVerdict(report, 'startup-failure');
  assert.equal(failed.count, 12);
  assert.equal(failed.advice.some((a) => a.code === 'start-after-database'), false);
  // One loop: the reboot's death (10:03:20…10:07:39.2) and the 12 failed starts; its advice goes on its first incident.
  assert.equal(report.summary.crashLoops.length, 1);
  assert.ok(report.summary.crashLoops[0]!.incidents.includes(failed.id));
  assert.equal(report.summary.crashLoops[0]!.deaths, 13);
});
