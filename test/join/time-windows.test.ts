// diagnose() placing one death from logs that disagree about time, or that are missing: midnight, a new year,
// clocks a minute apart, and every pair of the three logs. Times Asia/Shanghai (+08:00).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { DiagnoseOptions, Incident, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

type Log = 'check' | 'app' | 'kernel';
const FILES: Record<Log, string> = { check: 'check.log', app: 'running.log', kernel: 'kern.log' };

async function run(scenario: string, logs: Log[] = ['check', 'app', 'kernel']): Promise<Report> {
  const options: DiagnoseOptions = { tz: 'Asia/Shanghai', lang: 'en' };
  for (const log of logs) options[log] = [fixture('test', 'join', 'fixtures', scenario, FILES[log])];
  return diagnose(options);
}

function only(report: Report): Incident {
  assert.equal(report.incidents.length, 1, `one incident expected, got ${JSON.stringify(report.incidents.map((i) => [i.verdict, i.diedAt, i.diedAtUncertaintySeconds]))}`);
  return report.incidents[0]!;
}

const t = (hms: string): number => Date.parse(`2024-07-23T${hms}+08:00`);

// midnight/check.log: line 5 `20240723 23:59:01 … 1`, line 6 `20240724 00:00:01 … 0`, line 7 `00:01:01 … 1`.
// midnight/running.log: line 10 last words `2024/07/23 23:59:38`, line 11 the restart `2024/07/24 00:00:02`.
// midnight/kern.log: `Jul 23 23:59:40` block (lines 4–40) killing 21880 at uptime 86380.002179 (boot at midnight
// Jul 23); the reaper (line 40, 86380.043199) puts the boot at −0.043199 s → 23:59:39.959; lines 41–45 are `Jul 24`.
test('a death at 23:59:40 with the guardian at 00:00:01 next day: each time on its own date', async () => {
  const report = await run('midnight');
  const incident = only(report);
  assert.equal(incident.verdict, 'kernel-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.diedAt, '2024-07-23T23:59:39.959+08:00');
  assert.equal(incident.restartedAt, '2024-07-24T00:00:02.000+08:00');
  // 00:00:02.000 − 23:59:39.959 = 22.041 s.
  assert.ok(Math.abs(incident.downtimeSeconds! - 22.041) <= 0.1, `downtime ${incident.downtimeSeconds}`);
  const firstDown = incident.evidence.find((e) => e.role === 'guardian' && e.line === 6);
  assert.equal(firstDown?.time, '2024-07-24T00:00:01.000+08:00');
});

// midnight-new-year: the same story on 2024-12-31 → 2025-01-01; kern.log says `Dec 31` then `Jan  1` (no year).
test('the same death at New Year: the kernel log rolls into 2025 with the other logs', async () => {
  const report = await run('midnight-new-year');
  const incident = only(report);
  assert.equal(incident.verdict, 'kernel-oom');
  assert.equal(incident.diedAt, '2024-12-31T23:59:39.959+08:00');
  assert.equal(incident.restartedAt, '2025-01-01T00:00:02.000+08:00');
  const firstDown = incident.evidence.find((e) => e.role === 'guardian' && e.line === 6);
  assert.equal(firstDown?.time, '2025-01-01T00:00:01.000+08:00');
});

// clock-skew: running.log and kern.log are the killed scenario's (last words running.log:11 at 10:03:30, restart
// running.log:12 at 10:04:01). The guardian's clock is 60 s slow: check.log:6 `10:02:01 … 1`, check.log:7
// `10:03:01 … 0`, check.log:8 `10:04:01 … 1` (true 10:03:01, 10:04:01, 10:05:01). Its window [10:02:01, 10:03:01]
// misses the app's [10:03:30, 10:04:01] by 29 s: still the same death.
test('clocks a minute apart (guardian slow) still join into ONE incident', async () => {
  const report = await run('clock-skew');
  const incident = only(report);
  assert.equal(incident.verdict, 'killed');
  const died = Date.parse(incident.diedAt!);
  assert.ok(died >= t('10:03:30') && died <= t('10:04:01'), `diedAt ${incident.diedAt} outside running.log's own window`);
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  assert.ok(incident.evidence.some((e) => e.role === 'guardian' && e.line === 7), 'check.log:7 joined');
});

// clock-skew-ahead: the guardian's clock is 60 s fast: check.log:6 `10:04:01 … 1`, check.log:7 `10:05:01 … 0`,
// check.log:8 `10:06:01 … 1`. running.log's own lines bound the death: after 10:03:30 (line 11), before its
// restart at 10:04:01 (line 12). A death cannot come after the restart that followed it.
test('clocks a minute apart (guardian fast) still join into ONE incident, dying before the restart', async () => {
  const report = await run('clock-skew-ahead');
  const incident = only(report);
  assert.equal(incident.verdict, 'killed');
  const died = Date.parse(incident.diedAt!);
  assert.ok(died >= t('10:03:30') && died <= t('10:04:01'), `diedAt ${incident.diedAt} outside running.log's own window [10:03:30, 10:04:01]`);
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  assert.ok(died < Date.parse(incident.restartedAt!), `died ${incident.diedAt} after the restart ${incident.restartedAt}`);
  assert.ok(incident.downtimeSeconds! > 0, `downtime ${incident.downtimeSeconds}`);
});

// Two of the three logs, on the killed scenario (a silent death at 10:03:30–10:04:01, kernel log without OOM):
// - check+app: silent, nothing to tell the OOM killer from kill -9 → unknown, the kernel log is missing;
// - app+kernel: silent inside the kernel log's span → killed (likely);
// - check+kernel: the guardian saw it go down but running.log would show a panic or a goodbye → unknown, running.log.
test('two of three logs, silent death: check+app → unknown (kernel), app+kernel → killed, check+kernel → unknown (running.log)', async () => {
  const checkApp = only(await run('killed', ['check', 'app']));
  assert.equal(checkApp.verdict, 'unknown');
  assert.match(checkApp.missingInput ?? '', /kernel/i);

  const appKernel = only(await run('killed', ['app', 'kernel']));
  assert.equal(appKernel.verdict, 'killed');
  assert.equal(appKernel.confidence, 'likely');
  assert.equal(appKernel.restartedAt, '2024-07-23T10:04:01.000+08:00'); // running.log:12

  const checkKernel = only(await run('killed', ['check', 'kernel']));
  assert.equal(checkKernel.verdict, 'unknown');
  assert.match(checkKernel.missingInput ?? '', /running\.log/);
  assert.equal(checkKernel.restartedAt, '2024-07-23T10:05:01.000+08:00'); // check.log:8
});

// Two of the three logs, on the kernel-oom scenario (kill at 10:03:36.959, kern.log:43):
// - check+app: silent, no kernel log → unknown, the kernel log is missing;
// - app+kernel: kernel-oom confirmed, back at running.log:14 (10:04:02);
// - check+kernel: kernel-oom confirmed (the kill lies between check.log:6 10:03:01 and check.log:7 10:04:01), back at
//   check.log:8 (10:05:01): 10:05:01 − 10:03:36.959 = 84.041 s down.
test('two of three logs, OOM kill: check+app → unknown, app+kernel and check+kernel → kernel-oom', async () => {
  const checkApp = only(await run('kernel-oom', ['check', 'app']));
  assert.equal(checkApp.verdict, 'unknown');
  assert.match(checkApp.missingInput ?? '', /kernel/i);

  const appKernel = only(await run('kernel-oom', ['app', 'kernel']));
  assert.equal(appKernel.verdict, 'kernel-oom');
  assert.equal(appKernel.confidence, 'confirmed');
  assert.equal(appKernel.pid, 21880);
  assert.equal(appKernel.restartedAt, '2024-07-23T10:04:02.000+08:00');

  const checkKernel = only(await run('kernel-oom', ['check', 'kernel']));
  assert.equal(checkKernel.verdict, 'kernel-oom');
  assert.equal(checkKernel.confidence, 'confirmed');
  assert.equal(checkKernel.diedAt, '2024-07-23T10:03:36.959+08:00');
  assert.equal(checkKernel.restartedAt, '2024-07-23T10:05:01.000+08:00');
  assert.ok(Math.abs(checkKernel.downtimeSeconds! - 84.041) <= 0.1, `downtime ${checkKernel.downtimeSeconds}`);
});

// Issue 20, from a real staging (test/join/fixtures/real-leak-dmesg, captured from test/real-kernel's leak scenario):
// running.log:11 `2026/12/05 00:46:50 正在生成标题图片缓存` (the last words: the leak began), running.log:12 the
// restart at 00:46:51; check.log:2 `00:46:49 … 1`, :3 `00:46:50 … 0`, :4 `00:46:51 … 1`; dmesg.txt:79
// `[ 5745.526462] Memory cgroup out of memory: Killed process 1522 (anqicms)`, uptime only. /proc/stat's btime was
// 2026-12-04 23:11:05 +08:00: a boot time to the whole second, so the true boot lies within a second of it and the
// kill is placed ±1 s. 5745.526462 s = 1:35:45.526462.
async function realLeak(bootTime: string): Promise<Report> {
  const dir = (f: string): string => fixture('test', 'join', 'fixtures', 'real-leak-dmesg', f);
  return diagnose({ check: [dir('check.log')], app: [dir('running.log')], kernel: [dir('dmesg.txt')], bootTime, tz: 'Asia/Shanghai', lang: 'en' });
}

test('a kill placed by a whole-second boot time in the second of the app\'s last line: confirmed (issue 20)', async () => {
  // btime as read: 23:11:05 + 1:35:45.526 = 00:46:50.526, inside the second running.log:11 names.
  const report = await realLeak('2026-12-04T23:11:05+08:00');
  const incident = only(report);
  assert.deepEqual([incident.verdict, incident.confidence, incident.pid], ['cgroup-oom', 'confirmed', 1522]);
  assert.equal(incident.diedAt, '2026-12-05T00:46:50.526+08:00');
  assert.equal(incident.diedAtUncertaintySeconds, 1);
  assert.equal(report.oomKills[0]!.timeUncertaintySeconds, 1);
});

test('the same kill placed a second earlier (the boot time one second low, within its precision): still confirmed', async () => {
  // 23:11:04 + 1:35:45.526 = 00:46:49.526: before 00:46:50, the second of the app's last line. As points the kill
  // came before the app's last words (so `likely`); as intervals [00:46:48.526, 00:46:50.526] overlaps the app's
  // window [00:46:50, 00:46:51.999] (running.log:11 to :12's second): the order is undecided, the evidence agrees.
  const report = await realLeak('2026-12-04T23:11:04+08:00');
  const incident = only(report);
  assert.deepEqual([incident.verdict, incident.confidence, incident.pid], ['cgroup-oom', 'confirmed', 1522]);
  assert.equal(incident.diedAt, '2026-12-05T00:46:49.526+08:00');
  // Back at 00:46:51: running.log:12 and check.log:4 both say so.
  assert.equal(incident.restartedAt, '2026-12-05T00:46:51.000+08:00');
});
