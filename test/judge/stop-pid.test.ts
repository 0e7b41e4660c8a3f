// stop.sh's glued PIDs (issue 12 item 8): the watched pid is told only where a split is forced or another log names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { pidFromGluedDigits, splitPids } from '../../src/judge/stop-pid.js';
import { fixture } from '../support/paths.js';

test('glued digits: a known pid decides, several readings without one are said, not guessed', () => {
  // 2881128812 reads as 28811+28812 (among others): the one known pid held by a reading is the answer.
  assert.deepEqual(pidFromGluedDigits('2881128812', [28811]).pid, 28811);
  assert.deepEqual(pidFromGluedDigits('2881128812', [28812]).pid, 28812);
  // Both known: nothing tells which was the watched one.
  assert.equal(pidFromGluedDigits('2881128812', [28811, 28812]).pid, null);
  // A known pid that is not in the digits decides nothing.
  assert.equal(pidFromGluedDigits('2881128812', [99999]).pid, null);
  // 8811 is in the digits, and 2+8811+28812 is a reading (2 is a pid): held. 1128 is in them too, but "288" + "1128"
  // + "812" is also a reading, so with both known nothing is told.
  assert.equal(pidFromGluedDigits('2881128812', [8811]).pid, 8811);
  assert.equal(pidFromGluedDigits('2881128812', [8811, 1128]).pid, null);
  // 100101200201: 100101+200201 and 10010+1200201 (1200201 ≤ 4194304) are both readings.
  const fixtureDigits = pidFromGluedDigits('100101200201', []);
  assert.equal(fixtureDigits.pid, null);
  assert.ok(fixtureDigits.pid === null && fixtureDigits.why === 'ambiguous');
  assert.ok(splitPids('100101200201').some((r) => r.join('+') === '100101+200201'));
  assert.ok(splitPids('100101200201').some((r) => r.join('+') === '10010+1200201'));
  // "10": "1"+"0" is no reading (0 is no pid), so 10 is forced.
  assert.equal(pidFromGluedDigits('10', []).pid, 10);
  // A leading zero starts no pid: no reading at all.
  const none = pidFromGluedDigits('0123', []);
  assert.ok(none.pid === null && none.why === 'no-reading');
  // Eight digits above 4194304 as a whole: 99999999 must be split; several ways → ambiguous.
  assert.equal(pidFromGluedDigits('99999999', []).pid, null);
});

// A check.log and running.log built on the mysqld-killed scenario: its kern.log:38 is the task-table row
// `[  21880] … anqicms` of the OOM report at 10:03:37 (MySQL was the victim), so anqicms ran as 21880 then.
// running.log: fixture lines 1–15 (the life from 09:30:02 to its last line at 10:05:30), then a restart at 10:06:05.
// check.log: fixture lines 1–8 (all 1, to 10:05:01), stop.sh's `10:05:31 … PID check: 2188021904` (21880 and
// 21904 glued), `10:06:01 … 0`, `10:07:01 … 1`.
test('a stop whose glued digits hold the pid a kernel task table showed in that life: that pid, at the line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-stop-'));
  const scenario = (f: string): string[] => readFileSync(fixture('test', 'join', 'fixtures', 'mysqld-killed', f), 'utf8').split('\n');
  const running = [...scenario('running.log').slice(0, 15), '2024/07/23 10:06:05 /www/wwwroot/anqicms.com/', 'Iris Version: 12.2.11', ''];
  const check = [
    ...scenario('check.log').slice(0, 8),
    '20240723 10:05:31 anqicms PID check: 2188021904',
    '20240723 10:06:01 anqicms PID check: 0',
    '20240723 10:07:01 anqicms PID check: 1',
    '',
  ];
  writeFileSync(join(dir, 'running.log'), running.join('\n'));
  writeFileSync(join(dir, 'check.log'), check.join('\n'));
  const report = await diagnose({
    check: [join(dir, 'check.log')], app: [join(dir, 'running.log')],
    kernel: [fixture('test', 'join', 'fixtures', 'mysqld-killed', 'kern.log')], tz: 'Asia/Shanghai', lang: 'en',
  });
  assert.equal(report.incidents.length, 1, JSON.stringify(report.incidents.map((i) => [i.verdict, i.diedAt])));
  const incident = report.incidents[0]!;
  assert.equal(incident.verdict, 'stopped');
  assert.equal(incident.diedAt, '2024-07-23T10:05:31.000+08:00');
  assert.ok(incident.diedAtUncertaintySeconds !== null && incident.diedAtUncertaintySeconds <= 1);
  assert.equal(incident.pid, 21880);
  assert.equal(report.warnings.filter((w) => w.code.startsWith('stop-pid')).length, 0);
});
