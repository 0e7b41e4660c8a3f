// diagnose() on the traps of formats.md §1–2: lines that look like deaths and are not, and old shapes of the logs.
// Fixtures in test/join/fixtures/trap-*/; times Asia/Shanghai; the kernel logs' boot began at 00:00:00 local.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { DiagnoseOptions, Incident, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

type Log = 'check' | 'app' | 'kernel';
const FILES: Record<Log, string> = { check: 'check.log', app: 'running.log', kernel: 'kern.log' };

async function run(scenario: string, extra: DiagnoseOptions = {}, logs: Log[] = ['check', 'app', 'kernel']): Promise<Report> {
  const options: DiagnoseOptions = { tz: 'Asia/Shanghai', lang: 'en', ...extra };
  for (const log of logs) options[log] = [fixture('test', 'join', 'fixtures', scenario, FILES[log])];
  return diagnose(options);
}

function only(report: Report): Incident {
  assert.equal(report.incidents.length, 1, `one incident expected, got ${JSON.stringify(report.incidents.map((i) => [i.verdict, i.diedAt]))}`);
  return report.incidents[0]!;
}

function bounds(incident: Incident): [number, number] {
  const mid = Date.parse(incident.diedAt!);
  const u = (incident.diedAtUncertaintySeconds ?? 0) * 1000;
  return [mid - u, mid + u];
}

function near(ms: number, iso: string, seconds: number, what: string): void {
  const diff = Math.abs(ms - Date.parse(iso)) / 1000;
  assert.ok(diff <= seconds, `${what}: ${new Date(ms).toISOString()} is ${diff} s from ${iso}`);
}

// trap-admin-restart/running.log: line 10 `重载模板` (templates reloaded, no restart), line 11 `监听到路由更改`,
// line 12 `2024/07/23 10:02:10 进程结束，开始重启`, lines 13–20 the same process's new banner (syscall.Exec, same PID).
// check.log says 1 every minute (09:58:01–10:09:01); kern.log covers it with no OOM record.
test('an admin restart (监听到路由更改, 进程结束，开始重启, same PID) is not a death', async () => {
  const report = await run('trap-admin-restart');
  assert.deepEqual(report.incidents.map((i) => [i.verdict, i.diedAt]), []);
  assert.equal(report.summary.deaths, 0);
  assert.equal(report.summary.downtimeSeconds, 0);
});

// trap-several-matches/check.log: `PID check: 2` on every line (the install dir anqicms.com matches the grep).
test('a count of 2 in check.log gives the warning guardian-several-matches', async () => {
  const report = await run('trap-several-matches');
  const warning = report.warnings.find((w) => w.code === 'guardian-several-matches');
  assert.ok(warning, `warnings: ${report.warnings.map((w) => w.code).join(', ')}`);
  assert.match(warning.path ?? '', /check\.log$/);
  assert.ok(warning.message.length > 0);
  assert.equal(report.incidents.length, 0);
});

// trap-goblog (2021): check.log `20210615 … goblog PID check: N`, line 7 `10:04:01 … 0`, line 8 `10:05:01 … 1`.
// running.log: goblog's start (line 1, `/www/wwwroot/goblog/`) with the old one-line Iris banner; line 5 the last
// words at 10:03:33; line 6 the restart at 10:04:02. kern.log: Ubuntu 18.04's 4.15 kernel: header with
// `nodemask=(null),` (line 3), `goblog cpuset=/ mems_allowed=0` (line 4), task table without `Tasks state` (lines
// 33–38), then two kill lines: line 39 `Out of memory: Kill process 3050 (goblog) score 802 or sacrifice child`,
// line 40 `Killed process 3050 (goblog) total-vm:4123456kB, anon-rss:1572864kB, file-rss:0kB, shmem-rss:0kB` at
// uptime 36217.002201; the reaper (line 41, 36217.043199) puts the boot at −0.043199 s → 10:03:36.959.
test('goblog-era names with --process goblog: kernel-oom of goblog, 2021 dates', async () => {
  const report = await run('trap-goblog', { process: 'goblog' });
  const incident = only(report);
  assert.equal(incident.process, 'goblog');
  assert.equal(incident.verdict, 'kernel-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.pid, 3050);
  assert.equal(incident.diedAt, '2021-06-15T10:03:36.959+08:00');
  assert.equal(incident.restartedAt, '2021-06-15T10:04:02.000+08:00');
  const kill = report.oomKills.find((k) => k.id === incident.oomKill);
  assert.equal(kill?.name, 'goblog');
  assert.ok(incident.evidence.some((e) => e.role === 'kernel' && e.path.endsWith('/kern.log') && e.line === 40), 'kern.log:40 in evidence');
  // 80 % of 1572864 kB (1536 MiB) = 1228.8 MiB.
  const gomemlimit = incident.advice.find((a) => a.code === 'set-gomemlimit');
  assert.ok(gomemlimit, `advice: ${incident.advice.map((a) => a.code).join(', ')}`);
  const m = /^(\d+)MiB$/.exec(String(gomemlimit.params.GOMEMLIMIT));
  assert.ok(m && Math.abs(Number(m[1]) - 1228.8) <= 1, `GOMEMLIMIT ${gomemlimit.params.GOMEMLIMIT}`);
});

// The same advice tells where to put GOMEMLIMIT in start.sh; for goblog the start command is `./goblog`.
test('goblog: the GOMEMLIMIT advice speaks of ./goblog, not ./anqicms', async () => {
  const report = await run('trap-goblog', { process: 'goblog' });
  const gomemlimit = only(report).advice.find((a) => a.code === 'set-gomemlimit');
  assert.ok(gomemlimit);
  assert.doesNotMatch(gomemlimit.text, /\.\/anqicms/, gomemlimit.text);
});

// trap-nohup/running.log: line 10 the last words (10:03:30); line 11 `nohup: ignoring input` (restarted by hand
// from a terminal), line 12 its ExecPath line at 10:03:52 — both begin ONE new life. check.log says 1 every
// minute (nobody saw it down); kern.log covers it with no OOM record → killed, between 10:03:30 and 10:03:52.
test('`nohup: ignoring input` starts a life: one death, restarted at the ExecPath line after it', async () => {
  const report = await run('trap-nohup');
  const incident = only(report);
  assert.equal(incident.verdict, 'killed');
  assert.equal(incident.restartedAt, '2024-07-23T10:03:52.000+08:00');
  const [lo, hi] = bounds(incident);
  near(lo, '2024-07-23T10:03:30+08:00', 1, 'window start');
  near(hi, '2024-07-23T10:03:52+08:00', 1, 'window end');
  // The last words are line 10, not the nohup line.
  const lastWords = incident.evidence.filter((e) => e.role === 'app' && Date.parse(e.time ?? '') < Date.parse(incident.restartedAt!));
  assert.deepEqual(lastWords.map((e) => e.line), [10]);
});

// trap-old-iris (2022): running.log starts with the old banner `Now listening on: http://localhost:8001` (line 1)
// and no ExecPath line; line 5 the last words (10:03:30); lines 6–7 the next banner, unstamped; line 8 the next
// stamped line (10:06:12). check.log:6 `10:03:01 … 1`, line 7 `10:04:01 … 0` (cron restarts it then), line 8
// `10:05:01 … 1`. The restart's own lines carry no time, so the first sign it was back is check.log:8 (10:05:01).
test('old Iris banner `Now listening on: http://localhost:8001` starts a life', async () => {
  const report = await run('trap-old-iris');
  const incident = only(report);
  assert.equal(incident.verdict, 'killed');
  const [lo, hi] = bounds(incident);
  near(lo, '2022-05-10T10:03:30+08:00', 1, 'window start');
  near(hi, '2022-05-10T10:04:01+08:00', 1, 'window end');
  assert.equal(incident.restartedAt, '2022-05-10T10:05:01.000+08:00');
});
