// diagnose() joining check.log, running.log and the kernel log: one small hand-written scenario per verdict.
// Every fixture lives in test/join/fixtures/<scenario>/; times are Asia/Shanghai (+08:00). The kernel logs are
// rsyslog traditional with `[uptime]`, and the boot before them started at 00:00:00 local, so uptime is simply
// the seconds since midnight (10:03:37 ↔ 36217). By contract.md §Time the boot is placed at the minimum of
// (wall − uptime) over its lines: with whole-second wall stamps that is the line with the largest fraction,
// the reaper line `[36217.043199]` stamped 10:03:37, so boot = 00:00:00 − 0.043199 s and a kill line at
// uptime 36217.002179 lands at 10:03:36.958980 → `10:03:36.959` (0.043 s before its true time, within the 1 s
// the contract allows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { DiagnoseOptions, Incident, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

type Log = 'check' | 'app' | 'kernel';
const FILES: Record<Log, string> = { check: 'check.log', app: 'running.log', kernel: 'kern.log' };
const ALL: Log[] = ['check', 'app', 'kernel'];

function path(scenario: string, log: Log): string {
  return fixture('test', 'join', 'fixtures', scenario, FILES[log]);
}

async function run(scenario: string, logs: Log[] = ALL, extra: DiagnoseOptions = {}): Promise<Report> {
  const options: DiagnoseOptions = { tz: 'Asia/Shanghai', lang: 'en', ...extra };
  for (const log of logs) options[log] = [path(scenario, log)];
  return diagnose(options);
}

function only(report: Report): Incident {
  assert.equal(report.incidents.length, 1, `one incident expected, got ${JSON.stringify(report.incidents.map((i) => [i.verdict, i.diedAt]))}`);
  return report.incidents[0]!;
}

/** Epoch ms of a local time on 2024-07-23 (+08:00) given as `HH:MM:SS(.mmm)`, or of a full ISO string. */
function at(time: string): number {
  return Date.parse(time.includes('T') ? time : `2024-07-23T${time}+08:00`);
}

function near(actual: string | null, expected: string, seconds: number, what: string): void {
  assert.ok(actual !== null, `${what}: null`);
  const diff = Math.abs(Date.parse(actual) - at(expected)) / 1000;
  assert.ok(diff <= seconds, `${what}: ${actual} is ${diff} s from ${expected} (allowed ${seconds} s)`);
}

/**
 * The window the death is said to lie in, [diedAt − u, diedAt + u], against the one worked out from the logs.
 * `slack` absorbs whole-second stamps (a line stamped 10:04:01 was written before 10:04:02).
 */
function window(incident: Incident, from: string, to: string, slack = 1): void {
  assert.ok(incident.diedAt !== null && incident.diedAtUncertaintySeconds !== null, `window unknown: ${incident.diedAt} ±${incident.diedAtUncertaintySeconds}`);
  const mid = Date.parse(incident.diedAt);
  const lo = mid - incident.diedAtUncertaintySeconds * 1000;
  const hi = mid + incident.diedAtUncertaintySeconds * 1000;
  const shown = `[${new Date(lo).toISOString()}, ${new Date(hi).toISOString()}]`;
  assert.ok(Math.abs(lo - at(from)) <= slack * 1000, `death window ${shown} should start at ${from}`);
  assert.ok(Math.abs(hi - at(to)) <= slack * 1000, `death window ${shown} should end at ${to}`);
}

function hasEvidence(incident: Incident, file: string, line: number, role: string): void {
  const found = incident.evidence.some((e) => e.path.endsWith(`/${file}`) && e.line === line && e.role === role);
  assert.ok(found, `evidence ${file}:${line} (${role}) missing; have ${incident.evidence.map((e) => `${e.path.split('/').pop()}:${e.line}/${e.role}`).join(', ')}`);
}

function advice(incident: Incident, code: string) {
  const found = incident.advice.find((a) => a.code === code);
  assert.ok(found, `advice ${code} missing; have ${incident.advice.map((a) => a.code).join(', ')}`);
  return found;
}

/** `2048MiB`, `2GiB`, `1.5 GiB` → MiB. */
function mib(size: string | number | undefined): number {
  const m = /^([\d.]+)\s*(KiB|MiB|GiB)$/.exec(String(size));
  assert.ok(m, `not a size: ${size}`);
  return Number(m[1]) * { KiB: 1 / 1024, MiB: 1, GiB: 1024 }[m[2] as 'KiB' | 'MiB' | 'GiB'];
}

// ── 1. kernel-oom ──────────────────────────────────────────────────────────────────────────────────
// kernel-oom/check.log: 1 every minute, line 7 `10:04:01 … 0`, line 8 `10:05:01 … 1`.
// kernel-oom/running.log: lines 12–13 the last words (GORM SLOW SQL stamped 10:03:35, colour codes and \r),
//   line 14 the next start `2024/07/23 10:04:02 /www/wwwroot/anqicms.com/`.
// kernel-oom/kern.log: global 5.15 block, lines 8–44; line 41 task row anqicms 655360 pages; line 42 summary;
//   line 43 `Out of memory: Killed process 21880 (anqicms) … anon-rss:2000000kB, file-rss:600000kB,
//   shmem-rss:21440kB` at uptime 36217.002179; line 44 reaper at 36217.043199.
test('kernel-oom: the kill record names the pid, the time comes from the kernel clock, the restart from running.log', async () => {
  const report = await run('kernel-oom');
  const incident = only(report);
  assert.equal(incident.verdict, 'kernel-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.pid, 21880); // kern.log:43
  const kill = report.oomKills.find((k) => k.id === incident.oomKill);
  assert.ok(kill, `oomKill ${incident.oomKill} names no entry of oomKills`);
  assert.equal(kill.pid, 21880);
  assert.equal(kill.name, 'anqicms');
  assert.equal(kill.constraint, 'global');
  // The kill at uptime 36217.002179 (true 10:03:37.002); boot from the reaper line → 10:03:36.959.
  near(incident.diedAt, '10:03:37.002', 1, 'diedAt');
  assert.equal(incident.diedAt, '2024-07-23T10:03:36.959+08:00');
  assert.equal(kill.time, incident.diedAt);
  assert.ok(incident.diedAtUncertaintySeconds !== null && incident.diedAtUncertaintySeconds <= 1, `±${incident.diedAtUncertaintySeconds}`);
  // running.log:14 (10:04:02) is earlier than the guardian seeing it back (check.log:8, 10:05:01).
  assert.equal(incident.restartedAt, '2024-07-23T10:04:02.000+08:00');
  // 10:04:02.000 − 10:03:36.959 = 25.041 s.
  assert.ok(Math.abs(incident.downtimeSeconds! - 25.041) <= 0.1, `downtime ${incident.downtimeSeconds}`);
  // anon 2000000 + file 600000 + shmem 21440 = 2621440 kB = 2560 MiB; 80 % = 2048 MiB.
  const gomemlimit = advice(incident, 'set-gomemlimit');
  assert.ok(Math.abs(mib(gomemlimit.params.GOMEMLIMIT) - 2048) <= 1, `GOMEMLIMIT ${gomemlimit.params.GOMEMLIMIT}`);
  hasEvidence(incident, 'kern.log', 43, 'kernel');
  hasEvidence(incident, 'check.log', 7, 'guardian');
  hasEvidence(incident, 'running.log', 14, 'app');
  for (const e of incident.evidence) assert.match(e.time ?? '', /^2024-07-23T10:0\d:\d\d\.\d{3}\+08:00$/, `evidence time of ${e.path}:${e.line}`);
  // Summary: window running.log:1 (09:30:02) → running.log:22 (10:12:44) = 2562 s; 1 − 25.041/2562 = 0.99023.
  assert.equal(report.summary.deaths, 1);
  assert.deepEqual(report.summary.byVerdict, { 'kernel-oom': 1 });
  assert.ok(Math.abs(report.summary.downtimeSeconds - 25.041) <= 0.1, `summary downtime ${report.summary.downtimeSeconds}`);
  assert.ok(Math.abs(report.summary.availability! - (1 - 25.041 / 2562)) <= 1e-4, `availability ${report.summary.availability}`);
  assert.deepEqual(report.summary.crashLoops, []);
  assert.deepEqual(report.summary.otherKills, []);
});

// ── 2. the OOM killer took another process ─────────────────────────────────────────────────────────
// mysqld-killed/kern.log:36 mysqld 600000 pages (2.3 GiB) is the biggest; line 40 kills pid 1771 (mysqld) at
// uptime 36217.002179 → 10:03:36.959. The header (line 8) and CPU line (line 9) name anqicms as the one asking
// for memory. check.log says 1 throughout; running.log goes on (lines 12–14 are MySQL errors, line 16 10:12:44).
test('the OOM killer took mysqld and anqicms lived on: no incident, mysqld listed among other kills', async () => {
  const report = await run('mysqld-killed');
  assert.deepEqual(report.incidents.map((i) => [i.verdict, i.diedAt]), []);
  assert.equal(report.summary.deaths, 0);
  assert.equal(report.summary.otherKills.length, 1);
  const other = report.summary.otherKills[0]!;
  assert.equal(other.name, 'mysqld');
  assert.equal(other.pid, 1771);
  near(other.time, '10:03:37.002', 1, 'mysqld kill time');
});

// mysqld-biggest/kern.log:39 mysqld 1048576 pages = 4194304 kB (4.0 GiB, oom_score_adj −800), line 41 anqicms
// 262144 pages; line 43 kills anqicms 21880 holding anon 1048000 + file 576 = 1048576 kB (1.0 GiB).
// check.log and running.log are kernel-oom's.
test('anqicms killed while mysqld was the biggest consumer: advice other-process-biggest names mysqld', async () => {
  const report = await run('mysqld-biggest');
  const incident = only(report);
  assert.equal(incident.verdict, 'kernel-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.pid, 21880);
  const biggest = advice(incident, 'other-process-biggest');
  assert.equal(biggest.params.name, 'mysqld');
  assert.equal(biggest.params.pid, 1771);
  assert.equal(biggest.params.victim, 'anqicms');
  assert.ok(Math.abs(mib(biggest.params.size) - 4096) <= 1, `size ${biggest.params.size}`);
  assert.match(biggest.text, /mysqld/);
});

// ── 3. cgroup-oom ──────────────────────────────────────────────────────────────────────────────────
// cgroup-oom: a systemd unit with MemoryMax=1G, so no check.log. kern.log:17 `memory: usage 1048576kB, limit
// 1048576kB, failcnt 12`; line 28 `oom-kill:constraint=CONSTRAINT_MEMCG,…,oom_memcg=/system.slice/anqicms.service`;
// line 29 `Memory cgroup out of memory: Killed process 21880 (anqicms)` at 36217.002179 → 10:03:36.959;
// lines 31–37 systemd's notices and restart. running.log:11 last words 10:03:35, line 12 restart 10:03:38.
test('cgroup-oom: the memcg kill record, and advice cgroup-limit with 80 % of the limit', async () => {
  const report = await run('cgroup-oom', ['app', 'kernel']);
  const incident = only(report);
  assert.equal(incident.verdict, 'cgroup-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.pid, 21880);
  const kill = report.oomKills.find((k) => k.id === incident.oomKill);
  assert.ok(kill, 'oomKill links no kill');
  assert.equal(kill.constraint, 'memcg');
  assert.equal(kill.memcg, '/system.slice/anqicms.service');
  assert.equal(kill.limitKb, 1048576);
  assert.equal(incident.diedAt, '2024-07-23T10:03:36.959+08:00');
  assert.equal(incident.restartedAt, '2024-07-23T10:03:38.000+08:00'); // running.log:12
  assert.ok(Math.abs(incident.downtimeSeconds! - 1.041) <= 0.1, `downtime ${incident.downtimeSeconds}`);
  const limit = advice(incident, 'cgroup-limit');
  assert.equal(limit.params.memcg, '/system.slice/anqicms.service');
  // 80 % of 1048576 kB (1024 MiB) = 819.2 MiB.
  assert.ok(Math.abs(mib(limit.params.GOMEMLIMIT) - 819.2) <= 1, `GOMEMLIMIT ${limit.params.GOMEMLIMIT}`);
  hasEvidence(incident, 'kern.log', 29, 'kernel');
});

// ── 4. userspace-oom ───────────────────────────────────────────────────────────────────────────────
// userspace-oom/kern.log is the syslog: line 10 `10:03:20 earlyoom[812]: sending SIGTERM to process 7378 uid 0
// "anqicms": … VmRSS 3210 MiB`, line 11 `process 7378 exited after 0.4 seconds`. running.log:12–13 are the
// goodbye it printed on that SIGTERM (`退出 terminated`, `监听到退出信号`), line 14 the restart at 10:04:01;
// check.log:7 `10:04:01 … 0`, check.log:8 `10:05:01 … 1`.
test('userspace-oom: earlyoom killed it; the goodbye printed on its SIGTERM does not make it stopped', async () => {
  const report = await run('userspace-oom');
  const incident = only(report);
  assert.equal(incident.verdict, 'userspace-oom');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.pid, 7378);
  near(incident.diedAt, '10:03:20.4', 1, 'diedAt');
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  assert.equal(advice(incident, 'userspace-killer').params.killer, 'earlyoom');
  hasEvidence(incident, 'kern.log', 10, 'kernel');
  assert.deepEqual(report.summary.byVerdict, { 'userspace-oom': 1 });
});

// ── 5. the Go runtime's own deaths ─────────────────────────────────────────────────────────────────
// go-runtime-oom/running.log: line 10 (10:03:18) then line 11 `fatal error: runtime: out of memory`, `runtime stack:`
// and frames; line 28 the restart at 10:04:01. Line 37 (10:20:38), line 38 `runtime: out of memory: cannot allocate
// 4194304-byte block (1234567 in use)`, line 39 `fatal error: out of memory`; line 48 the restart at 10:21:01.
// check.log:5 `10:04:01 … 0` and check.log:22 `10:21:01 … 0`. No kernel log: the trace alone decides.
test('go-runtime-oom: both shapes of the runtime running out of memory', async () => {
  const report = await run('go-runtime-oom', ['check', 'app']);
  assert.equal(report.incidents.length, 2);
  const [first, second] = report.incidents as [Incident, Incident];
  for (const incident of [first, second]) {
    assert.equal(incident.verdict, 'go-runtime-oom');
    assert.equal(incident.confidence, 'confirmed');
    assert.equal(incident.oomKill, null);
  }
  window(first, '10:03:18', '10:04:01');
  assert.equal(first.restartedAt, '2024-07-23T10:04:01.000+08:00');
  hasEvidence(first, 'running.log', 11, 'app');
  window(second, '10:20:38', '10:21:01');
  assert.equal(second.restartedAt, '2024-07-23T10:21:01.000+08:00');
  hasEvidence(second, 'running.log', 39, 'app');
  // 4194304 bytes = 4.0 MiB asked for.
  const asked = advice(second, 'go-runtime-oom');
  assert.ok(Math.abs(mib(asked.params.size) - 4) < 0.01, `size ${asked.params.size}`);
  assert.deepEqual(report.summary.byVerdict, { 'go-runtime-oom': 2 });
});

// go-panic/running.log: line 10 (10:03:24), line 11 `panic: runtime error: invalid memory address…`, line 12
// `[signal SIGSEGV …]`, line 14 `goroutine 132 [running]:`, lines 15–16 `runtime.memmove()` (runtime: skipped),
// lines 17–18 `kandaoni.com/anqicms/library.ParseDescription(…)` / `content.go:118`; line 27 the restart 10:04:01.
test('go-panic: crashSite is the first frame outside the runtime, with file:line', async () => {
  const report = await run('go-panic', ['check', 'app']);
  const incident = only(report);
  assert.equal(incident.verdict, 'go-panic');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.crashSite, 'kandaoni.com/anqicms/library.ParseDescription at /www/go/anqicms/library/content.go:118');
  assert.match(incident.reason, /invalid memory address or nil pointer dereference/);
  window(incident, '10:03:24', '10:04:01');
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  assert.equal(advice(incident, 'fix-panic').params.site, incident.crashSite);
  hasEvidence(incident, 'running.log', 11, 'app');
});

// go-fatal/running.log: line 10 (10:03:27), line 11 `fatal error: concurrent map writes`, runtime.throw and
// runtime.mapassign_faststr frames (lines 14–17), line 18 `…provider.(*Website).SetVisitCache(...)`, line 19
// `statistic.go:55`; then the other goroutines; line 32 the restart 10:04:01.
test('go-fatal: concurrent map writes', async () => {
  const report = await run('go-fatal', ['check', 'app']);
  const incident = only(report);
  assert.equal(incident.verdict, 'go-fatal');
  assert.equal(incident.confidence, 'confirmed');
  assert.match(incident.reason, /concurrent map writes/);
  assert.equal(incident.crashSite, 'kandaoni.com/anqicms/provider.(*Website).SetVisitCache at /www/go/anqicms/provider/statistic.go:55');
  window(incident, '10:03:27', '10:04:01');
  assert.equal(advice(incident, 'fix-fatal').params.message, 'concurrent map writes');
});

// ── 6. startup-failure ─────────────────────────────────────────────────────────────────────────────
// startup-failure/running.log: lines 1–8 are four starts, 10:00:01, 10:01:01, 10:02:01, 10:03:01, each followed
// by `端口已经被占用，可能软件已经启动` (lines 2, 4, 6, 8); line 9 the start at 10:04:01 that works.
// check.log:1–5 say 0 (10:00:01…10:04:01), line 6 says 1 (10:05:01). Four deaths within 4 minutes: a crash loop.
test('startup-failure: four failed starts with the same cause are ONE incident with count 4, and a crash loop', async () => {
  const report = await run('startup-failure');
  const incident = only(report);
  assert.equal(incident.verdict, 'startup-failure');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.count, 4);
  for (const line of [2, 4, 6, 8]) hasEvidence(incident, 'running.log', line, 'app');
  // The first failed start died within a second of running.log:1 (10:00:01); the next start is 10:01:01.
  const lo = Date.parse(incident.diedAt!) - incident.diedAtUncertaintySeconds! * 1000;
  assert.ok(lo <= at('10:00:01') && Date.parse(incident.diedAt!) <= at('10:01:01'), `diedAt ${incident.diedAt} ±${incident.diedAtUncertaintySeconds}`);
  // Back for good at running.log:9 (10:04:01).
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  assert.equal(advice(incident, 'port-in-use').params.count, 4);
  assert.equal(report.summary.deaths, 4);
  assert.deepEqual(report.summary.byVerdict, { 'startup-failure': 4 });
  assert.equal(report.summary.crashLoops.length, 1);
  const loop = report.summary.crashLoops[0]!;
  assert.equal(loop.deaths, 4);
  assert.deepEqual(loop.incidents, [incident.id]);
  // The loop runs from the first failed start (10:00:01) to the last one (10:03:01, running.log:7–8).
  assert.ok(Date.parse(loop.from) <= at('10:01:01'), `loop from ${loop.from}`);
  assert.ok(Date.parse(loop.to) >= at('10:03:01') && Date.parse(loop.to) <= at('10:04:01'), `loop to ${loop.to}: the 4th death was at 10:03:01`);
});

// ── 7. stopped ─────────────────────────────────────────────────────────────────────────────────────
// stopped-goodbye/running.log: line 10 (10:03:12), lines 11–12 `退出 terminated` / `监听到退出信号`, line 13 the
// restart at 10:04:01; check.log:7 `10:04:01 … 0`. kern.log (no OOM) covers 09:58:01–10:09:01.
test('stopped: the goodbye lines after a signal', async () => {
  const report = await run('stopped-goodbye');
  const incident = only(report);
  assert.equal(incident.verdict, 'stopped');
  assert.equal(incident.confidence, 'confirmed');
  window(incident, '10:03:12', '10:04:01');
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  hasEvidence(incident, 'running.log', 11, 'app');
});

// stopped-stop-sh/check.log: line 6 `10:04:01 … 1`, line 7 stop.sh's `20240723 10:04:31 anqicms PID check:
// 100101200201` (PIDs glued), line 8 `10:05:01 … 0`, line 9 `10:06:01 … 1`. running.log is silent: line 10
// (10:03:50), then line 11 the restart at 10:05:01. kern.log (no OOM) covers it, so without stop.sh's line this
// would be `killed`. stop.sh kills right after writing its line, so (contract, issue 12 item 8) the death is that
// line's stamp, 10:04:31, within a second. The digits 100101200201 read as 100101+200201 or 10010+1200201 (both
// pids ≤ 4194304), and no log names the watched pid: pid null, with a warning that says so.
test("stopped: stop.sh's glued PID line in check.log, with running.log silent", async () => {
  const report = await run('stopped-stop-sh');
  const incident = only(report);
  assert.equal(incident.verdict, 'stopped');
  assert.equal(incident.confidence, 'confirmed');
  assert.equal(incident.diedAt, '2024-07-23T10:04:31.000+08:00');
  assert.ok(incident.diedAtUncertaintySeconds !== null && incident.diedAtUncertaintySeconds <= 1, `±${incident.diedAtUncertaintySeconds}`);
  assert.equal(incident.pid, null);
  const warning = report.warnings.find((w) => w.code === 'stop-pid-ambiguous');
  assert.ok(warning, `a stop-pid-ambiguous warning; have ${report.warnings.map((w) => w.code).join(', ')}`);
  assert.match(warning.message, /100101200201/);
  assert.match(warning.message, /100101\+200201/);
  assert.equal(incident.restartedAt, '2024-07-23T10:05:01.000+08:00'); // running.log:11, before check.log:9
  hasEvidence(incident, 'check.log', 7, 'guardian');
});

// ── 8. killed ──────────────────────────────────────────────────────────────────────────────────────
// killed/running.log: line 11 the last words (10:03:30), line 12 the restart at 10:04:01; check.log:7 `10:04:01 … 0`.
// killed/kern.log: one boot, lines from 09:58:01 to 10:09:01 (UFW lines 5 and 10 carry uptime), no OOM record.
test('killed (likely): a silent death inside the span of the kernel log, with no OOM record', async () => {
  const report = await run('killed');
  const incident = only(report);
  assert.equal(incident.verdict, 'killed');
  assert.equal(incident.confidence, 'likely');
  assert.equal(incident.oomKill, null);
  window(incident, '10:03:30', '10:04:01');
  assert.equal(incident.restartedAt, '2024-07-23T10:04:01.000+08:00');
  advice(incident, 'who-killed');
  hasEvidence(incident, 'running.log', 11, 'app');
  hasEvidence(incident, 'check.log', 7, 'guardian');
});

// ── 9. host-reboot ─────────────────────────────────────────────────────────────────────────────────
// host-reboot/kern.log: boot 0 until line 8 (10:03:25, [36205.000301]); line 9 `[    0.000000] Linux version …`
// stamped 10:07:52 by a late rsyslog; line 14 `10:07:55 … [   15.800000]` gives the smallest wall − uptime,
// so the new boot began at 10:07:39.200. check.log: line 6 `10:03:01 … 1`, then nothing until line 7 `10:08:01 … 0`
// (the guardian was silent with the machine). running.log: line 10 (10:03:20) the last sign of life, line 11 the
// start at 10:08:01. The death lies between 10:03:20 and the boot at 10:07:39.2.
test('host-reboot: a new boot after the last sign of life, the guardian silent meanwhile', async () => {
  const report = await run('host-reboot');
  const incident = only(report);
  assert.equal(incident.verdict, 'host-reboot');
  assert.equal(incident.confidence, 'confirmed');
  window(incident, '10:03:20', '10:07:39.200');
  assert.equal(incident.restartedAt, '2024-07-23T10:08:01.000+08:00');
  hasEvidence(incident, 'kern.log', 9, 'kernel');
  advice(incident, 'host-reboot');
});

// host-reboot-goodbye: the same, but running.log:11–12 are `退出 terminated` / `监听到退出信号` printed on the way down.
test('host-reboot: a goodbye printed on the way down does not make it stopped', async () => {
  const report = await run('host-reboot-goodbye');
  const incident = only(report);
  assert.equal(incident.verdict, 'host-reboot');
  assert.equal(incident.confidence, 'confirmed');
  window(incident, '10:03:20', '10:07:39.200');
  assert.equal(incident.restartedAt, '2024-07-23T10:08:01.000+08:00'); // running.log:13
});

// host-reboot-oom-panic: host-reboot with kern.log:9–12 added before the reboot — anqicms invokes the OOM killer at
// uptime 36312.0002 and line 12 is `Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled`
// at 36312.001010. The boot's wall − uptime is smallest on line 5 (10:01:44 − 36104.000412 s), so the panic was at
// 10:05:12.001 (±1 s: whole-second stamps). The machine stopped there: the death lies between running.log:10 (10:03:20)
// and the panic, not the boot at 10:07:39.2; check.log:7 and running.log:11 are the same restart at 10:08:01.
test('host-reboot after an OOM panic: the panic is the reason, the window ends at it, advice about vm.panic_on_oom', async () => {
  const report = await run('host-reboot-oom-panic');
  const incident = only(report);
  assert.equal(incident.verdict, 'host-reboot');
  assert.equal(incident.confidence, 'confirmed');
  assert.match(incident.reason, /panicked/);
  window(incident, '10:03:20', '10:05:12.001');
  hasEvidence(incident, 'kern.log', 12, 'kernel');
  assert.match(advice(incident, 'panic-on-oom').text, /vm\.panic_on_oom/);
  assert.deepEqual(report.oomKills, [], 'a panic kills no process');
  assert.deepEqual(report.oomEvents.map((e) => [e.kind, e.detail]), [['panic-on-oom', 'system-wide']]);
});

// oom-unfinished: killed with its kern.log cut after line 7 (10:03:01) plus lines 8–11: at 10:03:41 anqicms invokes
// the OOM killer (header, CPU, Hardware, Mem-Info) and the log ends there, no victim named. running.log:11 is the last
// word (10:03:30), running.log:12 the restart at 10:04:01, check.log:7 `10:04:01 … 0`. The killer ran in the death's
// window and nothing says whom it killed: kernel-oom, possible, the header as evidence; no kill is invented.
test('a silent death while the OOM killer was running and the log shows no victim: kernel-oom, possible', async () => {
  const report = await run('oom-unfinished');
  const incident = only(report);
  assert.equal(incident.verdict, 'kernel-oom');
  assert.equal(incident.confidence, 'possible');
  assert.equal(incident.oomKill, null);
  assert.equal(report.oomKills.length, 0);
  assert.deepEqual(report.oomEvents.map((e) => e.kind), ['oom-unfinished']);
  window(incident, '10:03:30', '10:04:01');
  hasEvidence(incident, 'kern.log', 8, 'kernel');
  advice(incident, 'oom-unfinished');
});

// ── 10. unknown ────────────────────────────────────────────────────────────────────────────────────
// The killed scenario without its kernel log: a silent death that the kernel log would decide.
test('unknown: a silent death with no kernel log given names the kernel log as missing', async () => {
  const report = await run('killed', ['check', 'app']);
  const incident = only(report);
  assert.equal(incident.verdict, 'unknown');
  assert.match(incident.missingInput ?? '', /kernel/i);
  advice(incident, 'unknown-add-input');
  window(incident, '10:03:30', '10:04:01');
});

// Only check.log: the guardian saw it go down (check.log:6 `10:03:01 … 1`, line 7 `10:04:01 … 0`), but a panic,
// a goodbye or a failed start would be in running.log — the first input that would decide it.
test('unknown: only check.log given names running.log as missing', async () => {
  const report = await run('killed', ['check']);
  const incident = only(report);
  assert.equal(incident.verdict, 'unknown');
  assert.match(incident.missingInput ?? '', /running\.log/);
  window(incident, '10:03:01', '10:04:01');
  assert.equal(incident.restartedAt, '2024-07-23T10:05:01.000+08:00'); // check.log:8
});
