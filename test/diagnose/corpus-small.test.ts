// The small real kernel logs of ../shared/corpus/kernel, one test per file: every OOM kill in it, every field
// the file states, each expected value written by hand from the file (line numbers are 1-based and count the
// `# source:` line as line 1; "L360" below means line 360 of the file under test).
//
// Choices made here (the contract is silent or could be read two ways):
// - topConsumers: the 5 task-table rows with the most rss pages × pageSizeKb, descending; ties by pid ascending.
// - pgtablesKb comes from the kill line's `pgtables:NkB` only. The contract names only `uid` and `oomScoreAdj`
//   as task-table fallbacks, and 3.x `nr_ptes` counts PTE pages only, so kills whose kill line lacks
//   `pgtables:` expect null (the row's figure is noted in a comment).
// - trigger and kernelVersion of 2.6.32 come from its `Pid: 23212, comm: php-fpm Not tainted <version> #1`
//   line, the older form of `CPU: N PID: P Comm: …`.
// - ramKb / swapTotalKb / swapFreeKb are the machine's (`N pages RAM`, `Total swap =`, `Free swap  =`); a memcg
//   kill without Mem-Info has them null, and cgroup v2 `swap: usage …, limit …` is not the machine's swap.
// - reaped: true only with an `oom_reaper: reaped process` line; null when the line is absent or the kernel
//   predates the reaper (< 4.6).
// - lines: the number of lines in the file; a last line without a newline still counts (files 02 and 04).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diagnose } from '../../src/index.js';
import type { OomKill, Report } from '../../src/index.js';
import { corpusFile } from '../support/paths.js';

/** Every field of a kill except the ones checked apart: `id` (generated), `time` (may be approximate), `evidence`. */
type Fields = Omit<OomKill, 'id' | 'time' | 'evidence'>;

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+00:00$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Line `n` of a file (1-based; the `# source:` line is line 1). */
function lineOf(path: string, n: number): string {
  const line = readFileSync(path, 'utf8').split('\n')[n - 1];
  assert.ok(line !== undefined, `${path} has no line ${n}`);
  return line;
}

/** The rsyslog stamp (`Jan 28 19:58:45`) a line starts with, read in UTC in `year`, as epoch milliseconds. */
function syslogWallMs(line: string, year: number): number {
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) /.exec(line);
  assert.ok(m, `no syslog stamp at the start of: ${line}`);
  const month = MONTHS.indexOf(m[1] ?? '');
  assert.ok(month >= 0, `unknown month in: ${line}`);
  return Date.UTC(year, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** The report has one source: this kernel file, read as one of `formats`, with `lines` lines. */
function assertSource(report: Report, path: string, formats: string[], lines: number): void {
  assert.equal(report.sources.length, 1);
  const source = report.sources[0];
  assert.ok(source);
  assert.equal(source.path, path);
  assert.equal(source.role, 'kernel');
  assert.equal(source.lines, lines);
  assert.ok(formats.includes(source.format), `format ${source.format} is not one of ${formats.join(', ')}`);
}

/** The report's only kill; its evidence cites the kill line (which really is a `Killed process` line). */
function onlyKill(report: Report, path: string, killLine: number): OomKill {
  assert.match(lineOf(path, killLine), /Killed process/, 'the test cites the wrong kill line');
  assert.equal(report.oomKills.length, 1);
  const kill = report.oomKills[0];
  assert.ok(kill);
  assert.equal(kill.incomplete, false);
  assert.ok(
    kill.evidence.some((e) => e.path === path && e.line === killLine),
    `evidence does not cite ${path}:${killLine}: ${JSON.stringify(kill.evidence)}`,
  );
  return kill;
}

/** The kill's fields named by `expected`, compared whole (keys the library adds later are ignored). */
function assertFields(kill: OomKill, expected: Fields): void {
  const record = kill as unknown as Record<string, unknown>;
  const actual = Object.fromEntries(Object.keys(expected).map((key) => [key, record[key]]));
  assert.deepEqual(actual, expected);
}

/** A time computed as boot time + uptime lies within 1.5 s of the whole-second syslog stamp of the kill line. */
function assertTimeNear(time: string | null, wallMs: number): void {
  assert.ok(time !== null, 'time is null');
  assert.match(time, ISO_MS_UTC);
  const diff = Math.abs(Date.parse(time) - wallMs);
  assert.ok(diff <= 1500, `time ${time} is ${diff} ms from the kill line's stamp ${new Date(wallMs).toISOString()}`);
}

test('01 Ubuntu 3.13 raw dmesg then syslog: one global kill of badsysprogram 1532, time from boot time + uptime', async (t) => {
  const path = corpusFile(t, '01_cadvisor_system_oom_3.13_syslog_dmesg.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  // 363 lines: L2–L268 raw dmesg, L269 a shell prompt, L270–L360 syslog, L361–L363 raw dmesg again.
  assertSource(report, path, ['dmesg', 'syslog-rfc3164'], 363);
  const kill = onlyKill(report, path, 360);

  // Cross-check: anon-rss 1595164 + file-rss 76 (L360) = 1595240 kB = rss 398810 pages × 4 (row L358).
  assert.equal(1595164 + 76, 398810 * 4);

  assertFields(kill, {
    uptimeSeconds: 455.670291, // L360 `[  455.670291] Killed process 1532`
    pid: 1532, // L360
    name: 'badsysprogram', // L360
    uid: 1020, // kill line has none; task-table row L358 `[ 1532]  1020  1532 …`
    totalVmKb: 1641388, // L360 total-vm:1641388kB (= total_vm 410347 pages × 4, L358)
    anonRssKb: 1595164, // L360 anon-rss:1595164kB
    fileRssKb: 76, // L360 file-rss:76kB
    shmemRssKb: null, // 3.13 prints no shmem-rss (L360)
    pgtablesKb: null, // kill line has no pgtables: (L360); the row's nr_ptes 788 (L358) is not used
    oomScoreAdj: 0, // kill line has none; row L358 oom_score_adj 0
    constraint: 'global', // L359 plain `Out of memory:`, no `Task in … killed as a result of limit of …`
    memcg: null,
    taskMemcg: null, // 3.13 names no cgroup for a global kill
    limitKb: null, // no `memory: usage …, limit …` line
    usageKb: null,
    ramKb: 1781360, // L327 `445340 pages RAM` × 4
    swapTotalKb: 0, // L326 `Total swap = 0kB`
    swapFreeKb: 0, // L325 `Free swap  = 0kB`
    pageSizeKb: 4, // nothing in the file says otherwise
    trigger: {
      pid: 1532, // L282 `CPU: 0 PID: 1532 Comm: badsysprogram`
      name: 'badsysprogram', // L280, L282
      gfpMask: '0x280da', // L280 `gfp_mask=0x280da, order=0`
      gfpFlags: null, // no names printed in parentheses (L280)
      order: 0, // L280
    },
    selected: null, // L359 `Kill process 1532 (badsysprogram) score 919` selected the pid it killed (L360)
    topConsumers: [
      { pid: 1532, name: 'badsysprogram', rssKb: 1595240 }, // L358 rss 398810 × 4
      { pid: 1264, name: 'manage_accounts', rssKb: 6540 }, // L348 rss 1635 × 4
      { pid: 1015, name: 'manage_addresse', rssKb: 6096 }, // L345 rss 1524 × 4
      { pid: 710, name: 'dhclient', rssKb: 2348 }, // L338 rss 587 × 4
      { pid: 1408, name: 'bash', rssKb: 2324 }, // L353 rss 581 × 4; ties with bash 1444 (L356, 581), lower pid first
    ],
    reaped: null, // 3.13 predates the oom_reaper (4.6)
    kernelVersion: '3.13.0-27-generic', // L282 `Not tainted 3.13.0-27-generic #50-Ubuntu`
    incomplete: false,
  });

  // Time: every line of the block (L280–L360) is stamped `Jan 28 19:58:45`; min(wall − uptime) is at L360
  // (19:58:45 − 455.670291 = boot 19:51:09.329709, cf. L58 `RTC time: 19:51:09, date: 01/28/15`), so the
  // kill is at 2015-01-28T19:58:45.000+00:00. Asserted to within 1.5 s of L360's stamp.
  assertTimeNear(kill.time, syslogWallMs(lineOf(path, 360), 2015));
});

test('02 Ubuntu 3.13 syslog without hostname: one cgroup v1 memcg kill of memorymonster 13536 in /mem2', async (t) => {
  const path = corpusFile(t, '02_cadvisor_memcg_oom_3.13_syslog.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  // 45 lines: `wc -l` says 44 because L45 has no newline at its end.
  assertSource(report, path, ['syslog-rfc3164'], 45);
  const kill = onlyKill(report, path, 36);

  // Cross-check: anon-rss 920 + file-rss 452 (L36) = 1372 kB = rss 343 pages × 4 (row L34).
  assert.equal(920 + 452, 343 * 4);

  assertFields(kill, {
    uptimeSeconds: 5864.708608, // L36 `[ 5864.708608] Killed process 13536`
    pid: 13536, // L36
    name: 'memorymonster', // L36
    uid: 275858, // kill line has none; row L34 `[13536] 275858 13536 …`
    totalVmKb: 33558652, // L36 total-vm:33558652kB
    anonRssKb: 920, // L36 anon-rss:920kB
    fileRssKb: 452, // L36 file-rss:452kB
    shmemRssKb: null, // 3.13 prints no shmem-rss (L36)
    pgtablesKb: null, // kill line has no pgtables: (L36); the row's nr_ptes 16267 (L34) is not used
    oomScoreAdj: 0, // kill line has none; row L34 oom_score_adj 0
    constraint: 'memcg', // L35 `Memory cgroup out of memory:`, L28 `Task in /mem2 killed as a result of limit of /mem2`
    memcg: '/mem2', // L28 `… limit of /mem2`
    taskMemcg: '/mem2', // L28 `Task in /mem2 …`
    limitKb: 980, // L29 `memory: usage 980kB, limit 980kB`
    usageKb: 980, // L29
    ramKb: null, // a memcg kill prints no Mem-Info / `pages RAM`
    swapTotalKb: null, // no `Total swap =` (L30 `memory+swap:` is the cgroup's, not the machine's)
    swapFreeKb: null, // no `Free swap  =`
    pageSizeKb: 4,
    trigger: {
      pid: 13536, // L8 `CPU: 5 PID: 13536 Comm: memorymonster`
      name: 'memorymonster', // L6, L8
      gfpMask: '0xd0', // L6 `gfp_mask=0xd0, order=0`
      gfpFlags: null, // no names printed (L6)
      order: 0, // L6
    },
    selected: null, // L35 `Kill process 13536 … score 996` is the pid killed at L36
    topConsumers: [
      { pid: 13536, name: 'memorymonster', rssKb: 1372 }, // L34, the only row: rss 343 × 4
    ],
    reaped: null, // 3.13 predates the oom_reaper
    kernelVersion: '3.13.0-43-generic', // L8 `Tainted: P           OX 3.13.0-43-generic #72-Ubuntu`
    incomplete: false,
  });

  // Time: L6–L36 are all stamped `Jan  5 15:19:27`; min(wall − uptime) is at L36 (uptime 5864.708608), so the
  // kill is at 2015-01-05T15:19:27.000+00:00. Asserted to within 1.5 s of L36's stamp.
  assertTimeNear(kill.time, syslogWallMs(lineOf(path, 36), 2015));
});

test('03 RHEL 6 /var/log/messages: one global kill of mysqld 40738 (`Killed process N, UID N, (comm)`), stamps 2 s apart', async (t) => {
  const path = corpusFile(t, '03_rhel6_2.6.32-642_var_log_messages.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  assertSource(report, path, ['syslog-rfc3164'], 890);
  const kill = onlyKill(report, path, 889);

  // Cross-check: anon-rss 13128 + file-rss 4 (L889) = 13132 kB, but row L140 says rss 3287 pages × 4 = 13148 kB:
  // 4 pages apart (the table was printed 0.5 s before the kill line), so only the total-vm agrees exactly.
  assert.equal(1606079 * 4, 6424316);

  assertFields(kill, {
    uptimeSeconds: 15180286.180369, // L889 `[15180286.180369] Killed process 40738, UID 27, (mysqld)`
    pid: 40738, // L889
    name: 'mysqld', // L889
    uid: 27, // L889 `UID 27` (row L140 agrees)
    totalVmKb: 6424316, // L889 total-vm:6424316kB
    anonRssKb: 13128, // L889 anon-rss:13128kB
    fileRssKb: 4, // L889 file-rss:4kB
    shmemRssKb: null, // 2.6.32 prints no shmem-rss
    pgtablesKb: null, // kill line has none, and the ≤2.6.35 table (L94) has no page-table column
    oomScoreAdj: 0, // kill line has none; row L140 `… 3287   0       0             0 mysqld` (cpu, oom_adj, oom_score_adj)
    constraint: 'global', // L888 plain `Out of memory:`, no cgroup lines
    memcg: null,
    taskMemcg: null,
    limitKb: null,
    usageKb: null,
    ramKb: 33554428, // L90 `8388607 pages RAM` × 4
    swapTotalKb: 2097148, // L89 `Total swap = 2097148kB`
    swapFreeKb: 0, // L88 `Free swap  = 0kB`
    pageSizeKb: 4,
    trigger: {
      pid: 23212, // L12 `Pid: 23212, comm: php-fpm` (2.6.32's form of `CPU: N PID: P Comm:`)
      name: 'php-fpm', // L10, L12
      gfpMask: '0x280da', // L10 `gfp_mask=0x280da, order=0, oom_adj=0, oom_score_adj=0`
      gfpFlags: null,
      order: 0, // L10
    },
    selected: null, // L888 `Kill process 40738 (mysqld) score 16` is the pid killed at L889
    topConsumers: [
      { pid: 15597, name: 'savscand', rssKb: 239140 }, // L396 rss 59785 × 4
      { pid: 15578, name: 'savscand', rssKb: 235172 }, // L395 rss 58793 × 4
      { pid: 17406, name: 'php-fpm', rssKb: 221820 }, // L398 rss 55455 × 4
      { pid: 14529, name: 'php-fpm', rssKb: 220704 }, // L387 rss 55176 × 4
      { pid: 14849, name: 'php-fpm', rssKb: 220660 }, // L394 rss 55165 × 4 (next: 14278 at L351, 55134)
    ],
    reaped: null, // 2.6.32 predates the oom_reaper
    kernelVersion: '2.6.32-642.11.1.el6.x86_64', // L12 `Not tainted 2.6.32-642.11.1.el6.x86_64 #1`
    incomplete: false,
  });

  // Time: L10–L12 are stamped 12:47:02, L13–L889 12:47:04. min(wall − uptime) is at L12
  // (12:47:02 − 15180285.538222; at L889 it is 12:47:04 − 15180286.180369, 1.358 s later), so the kill is at
  // boot + 15180286.180369 = 2015-06-20T12:47:02.642+00:00: 1.358 s before L889's stamp, within the 1.5 s asserted.
  assertTimeNear(kill.time, syslogWallMs(lineOf(path, 889), 2015));
});

test('04 RHEL 8.10 imjournal messages (no uptime, #012): one global kill of cache-main 3117813, 5.x-style lines', async (t) => {
  const path = corpusFile(t, '04_rhel8_4.18.0-553_var_log_messages_imjournal_012.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  // 97 lines: `wc -l` says 96 because L97 has no newline at its end.
  assertSource(report, path, ['syslog-rfc3164'], 97);
  const kill = onlyKill(report, path, 97);

  // Cross-check: anon-rss 4805020 + file-rss 53964 + shmem-rss 0 (L97) = 4858984 kB = rss 1214746 × 4 (row L86);
  // pgtables:21664kB (L97) = pgtables_bytes 22183936 / 1024 (L86).
  assert.equal(4805020 + 53964 + 0, 1214746 * 4);
  assert.equal(22183936 / 1024, 21664);

  assertFields(kill, {
    uptimeSeconds: null, // imjournal lines carry no `[uptime]`
    pid: 3117813, // L97 `Killed process 3117813 (cache-main)`, L96 pid=3117813
    name: 'cache-main', // L97, L96 task=cache-main
    uid: 991, // L97 `UID:991`, L96 uid=991
    totalVmKb: 11705436, // L97 total-vm:11705436kB (= 2926359 × 4, L86)
    anonRssKb: 4805020, // L97
    fileRssKb: 53964, // L97
    shmemRssKb: 0, // L97 shmem-rss:0kB
    pgtablesKb: 21664, // L97 pgtables:21664kB
    oomScoreAdj: 0, // L97 oom_score_adj:0
    constraint: 'global', // L96 constraint=CONSTRAINT_NONE … global_oom
    memcg: null, // L96 has global_oom, no oom_memcg=
    taskMemcg: '/system.slice/varnish.service', // L96 task_memcg=
    limitKb: null,
    usageKb: null,
    ramKb: 6290916, // L55 `1572729 pages RAM` × 4
    swapTotalKb: 0, // L54 `Total swap = 0kB`
    swapFreeKb: 0, // L53 `Free swap  = 0kB`
    pageSizeKb: 4,
    trigger: {
      pid: 879, // L3 `CPU: 0 PID: 879 Comm: in:imjournal`
      name: 'in:imjournal', // L2, L3
      gfpMask: '0x6200ca', // L2 `gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0`
      gfpFlags: ['GFP_HIGHUSER_MOVABLE'], // L2
      order: 0, // L2
    },
    selected: null, // one-line 5.x kill (L97): nothing selected apart from the victim
    topConsumers: [
      { pid: 3117813, name: 'cache-main', rssKb: 4858984 }, // L86 rss 1214746 × 4
      { pid: 3931835, name: 'dnf', rssKb: 164396 }, // L92 rss 41099 × 4
      { pid: 610, name: 'systemd-journal', rssKb: 114336 }, // L61 rss 28584 × 4
      { pid: 3789350, name: 'nginx', rssKb: 29992 }, // L88 rss 7498 × 4
      { pid: 836, name: 'rsyslogd', rssKb: 29952 }, // L77 rss 7488 × 4 (next: nginx 3789352 at L90, 7470)
    ],
    reaped: null, // 4.18 has the reaper, but the file ends at the kill line: no `oom_reaper:` line
    kernelVersion: '4.18.0-553.8.1.el8_10.x86_64', // L3 `Not tainted 4.18.0-553.8.1.el8_10.x86_64 #1`
    incomplete: false,
  });

  // Time: no uptime, so the wall stamp itself: L97 `Sep 29 08:12:34`, year 2015 from the options.
  assert.equal(kill.time, '2015-09-29T08:12:34.000+00:00');
});

test('05 bcc oomkill tool output is not a kernel log: no kernel kills, no throw', async (t) => {
  const path = corpusFile(t, '05_bcc_oomkill_tool_output.txt');
  if (!path) return;
  // Must resolve (a throw fails the test). L10 and L11 say `OOM kill of PID 22516 ("perl")` etc., in the bcc
  // tool's words, not the kernel's: no `Killed process` line anywhere, so no oomKills.
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  assertSource(report, path, ['bare'], 44);
  assert.deepEqual(report.oomKills, []);
});

test('20 RHEL 7 kernel text without timestamps: one global kill of mysqld 6576, time null, shmem-rss backport', async (t) => {
  const path = corpusFile(t, '20_rhel7_3.10.0-514_dmesg_no_timestamps_oomanalyser.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  assertSource(report, path, ['bare'], 145);
  const kill = onlyKill(report, path, 145);

  // Cross-check: anon-rss 20629004 + file-rss 0 + shmem-rss 0 (L145) = 20629004 kB, but row L94 says rss
  // 5157063 × 4 = 20628252 kB (188 pages apart; total-vm too: 33914892 kB vs 8478546 × 4 = 33914184 kB).
  // They do not agree, so no assertion.

  assertFields(kill, {
    uptimeSeconds: null, // no stamps at all
    pid: 6576, // L145 `Killed process 6576 (mysqld)`
    name: 'mysqld', // L145
    uid: 12345, // kill line has none; row L94 `[ 6576] 12345  6576 …`
    totalVmKb: 33914892, // L145 total-vm:33914892kB
    anonRssKb: 20629004, // L145 anon-rss:20629004kB
    fileRssKb: 0, // L145 file-rss:0kB
    shmemRssKb: 0, // L145 shmem-rss:0kB (RHEL 7 backport)
    pgtablesKb: null, // kill line has no pgtables:; the row's nr_ptes 15483 (L94) is not used
    oomScoreAdj: 0, // kill line has none; row L94 oom_score_adj 0
    constraint: 'global', // L144 plain `Out of memory:`, no cgroup lines
    memcg: null,
    taskMemcg: null,
    limitKb: null,
    usageKb: null,
    ramKb: 33519336, // L55 `8379834 pages RAM` × 4
    swapTotalKb: 8388604, // L54 `Total swap = 8388604kB`
    swapFreeKb: 0, // L53 `Free swap  = 0kB`
    pageSizeKb: 4,
    trigger: {
      pid: 29481, // L4 `CPU: 4 PID: 29481 Comm: sed`
      name: 'sed', // L2, L4
      gfpMask: '0x201da', // L2 `gfp_mask=0x201da, order=0`
      gfpFlags: null,
      order: 0, // L2
    },
    selected: null, // L144 `Kill process 6576 (mysqld) score 651` is the pid killed at L145
    topConsumers: [
      { pid: 6576, name: 'mysqld', rssKb: 20628252 }, // L94 rss 5157063 × 4
      { pid: 27502, name: 'java', rssKb: 10866276 }, // L97 rss 2716569 × 4
      { pid: 8685, name: 'oacore', rssKb: 93252 }, // L91 rss 23313 × 4
      { pid: 390, name: 'systemd-journal', rssKb: 26956 }, // L59 rss 6739 × 4
      { pid: 11729, name: 'snmpd', rssKb: 20012 }, // L98 rss 5003 × 4 (next: rsyslogd 796 at L67, 2897)
    ],
    reaped: null, // no `oom_reaper:` line (3.10 base predates the reaper)
    kernelVersion: '3.10.0-514.6.1.el7.x86_64', // L4 `Not tainted 3.10.0-514.6.1.el7.x86_64 #1`
    incomplete: false,
  });

  assert.equal(kill.time, null); // no wall time anywhere in the file
});

test('21 Ubuntu 5.13 SysRq-f (order=-1): one global kill of unattended-upgr 651 triggered by kworker/0:2', async (t) => {
  const path = corpusFile(t, '21_ubuntu21.10_5.13_sysrq_order-1_oomanalyser.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  assertSource(report, path, ['bare'], 70);
  const kill = onlyKill(report, path, 70);

  // Cross-check: anon-rss 8380 + file-rss 12548 + shmem-rss 0 (L70) = 20928 kB = rss 5232 × 4 (row L62);
  // pgtables:104kB (L70) = pgtables_bytes 106496 / 1024 (L62).
  assert.equal(8380 + 12548 + 0, 5232 * 4);
  assert.equal(106496 / 1024, 104);

  assertFields(kill, {
    uptimeSeconds: null, // no stamps
    pid: 651, // L70 `Killed process 651 (unattended-upgr)`, L69 pid=651
    name: 'unattended-upgr', // L70 (comm truncated to 15 bytes)
    uid: 0, // L70 `UID:0`, L69 uid=0
    totalVmKb: 108020, // L70 total-vm:108020kB (= 27005 × 4, L62)
    anonRssKb: 8380, // L70
    fileRssKb: 12548, // L70
    shmemRssKb: 0, // L70
    pgtablesKb: 104, // L70 pgtables:104kB
    oomScoreAdj: 0, // L70 oom_score_adj:0
    constraint: 'global', // L69 constraint=CONSTRAINT_NONE … global_oom
    memcg: null,
    taskMemcg: '/system.slice/unattended-upgrades.service', // L69 task_memcg=
    limitKb: null,
    usageKb: null,
    ramKb: 2096632, // L40 `524158 pages RAM` × 4
    swapTotalKb: 0, // L39 `Total swap = 0kB`
    swapFreeKb: 0, // L38 `Free swap  = 0kB`
    pageSizeKb: 4,
    trigger: {
      pid: 735, // L3 `CPU: 0 PID: 735 Comm: kworker/0:2`
      name: 'kworker/0:2', // L2, L3
      gfpMask: '0xcc0', // L2 `gfp_mask=0xcc0(GFP_KERNEL), order=-1`
      gfpFlags: ['GFP_KERNEL'], // L2
      order: -1, // L2: a manual SysRq-f kill
    },
    selected: null,
    topConsumers: [
      { pid: 611, name: 'snapd', rssKb: 32992 }, // L56 rss 8248 × 4
      { pid: 651, name: 'unattended-upgr', rssKb: 20928 }, // L62 rss 5232 × 4
      { pid: 608, name: 'networkd-dispat', rssKb: 18708 }, // L54 rss 4677 × 4
      { pid: 507, name: 'multipathd', rssKb: 18584 }, // L48 rss 4646 × 4
      { pid: 615, name: 'udisksd', rssKb: 12568 }, // L58 rss 3142 × 4 (next: systemd-resolve 589 at L51, 2951)
    ],
    reaped: null, // no `oom_reaper:` line (the file ends at the kill line)
    kernelVersion: '5.13.0-19-generic', // L3 `Not tainted 5.13.0-19-generic #19-Ubuntu`
    incomplete: false,
  });

  assert.equal(kill.time, null);
});

test('22 Arch 6.1.1 with swap: one global kill of doxygen 473206, reaped', async (t) => {
  const path = corpusFile(t, '22_archlinux_6.1.1_oomanalyser.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  assertSource(report, path, ['bare'], 175);
  const kill = onlyKill(report, path, 174);

  // Cross-check: anon-rss 9234320 + file-rss 4 + shmem-rss 0 (L174) = 9234324 kB = rss 2308581 × 4 (row L170);
  // pgtables:59264kB (L174) = pgtables_bytes 60686336 / 1024 (L170).
  assert.equal(9234320 + 4 + 0, 2308581 * 4);
  assert.equal(60686336 / 1024, 59264);

  assertFields(kill, {
    uptimeSeconds: null, // no stamps
    pid: 473206, // L174 `Killed process 473206 (doxygen)`, L173 pid=473206
    name: 'doxygen', // L174
    uid: 504, // L174 `UID:504`, L173 uid=504
    totalVmKb: 30290680, // L174 total-vm:30290680kB (= 7572670 × 4, L170)
    anonRssKb: 9234320, // L174
    fileRssKb: 4, // L174
    shmemRssKb: 0, // L174
    pgtablesKb: 59264, // L174 pgtables:59264kB
    oomScoreAdj: 0, // L174 oom_score_adj:0
    constraint: 'global', // L173 constraint=CONSTRAINT_NONE … global_oom
    memcg: null,
    taskMemcg: '/user.slice/user-504.slice/session-2.scope', // L173 task_memcg=
    limitKb: null,
    usageKb: null,
    ramKb: 16461600, // L54 `4115400 pages RAM` × 4
    swapTotalKb: 25165820, // L53 `Total swap = 25165820kB`
    swapFreeKb: 84, // L52 `Free swap  = 84kB`
    pageSizeKb: 4,
    trigger: {
      pid: 473206, // L3 `CPU: 3 PID: 473206 Comm: doxygen`
      name: 'doxygen', // L2, L3
      gfpMask: '0x140dca', // L2 `gfp_mask=0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO), order=0`
      gfpFlags: ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_ZERO'], // L2
      order: 0, // L2
    },
    selected: null,
    topConsumers: [
      { pid: 473206, name: 'doxygen', rssKb: 9234324 }, // L170 rss 2308581 × 4
      { pid: 331049, name: 'java', rssKb: 2064248 }, // L134 rss 516062 × 4
      { pid: 375042, name: 'chrome', rssKb: 36836 }, // L136 rss 9209 × 4
      { pid: 912, name: 'clementine', rssKb: 33216 }, // L102 rss 8304 × 4
      { pid: 473257, name: 'chrome', rssKb: 20572 }, // L172 rss 5143 × 4 (next: chrome 375091 at L145, 3620)
    ],
    reaped: true, // L175 `oom_reaper: reaped process 473206 (doxygen), now anon-rss:0kB, …`
    kernelVersion: '6.1.1-arch1-1', // L3 `Tainted: G           OE      6.1.1-arch1-1 #1 9bd0…`
    incomplete: false,
  });

  assert.equal(kill.time, null);
});

test('23 Proxmox 5.15 dmesg -T with German day names: one memcg kill of php-fpm 3902942 in /lxc/39004', async (t) => {
  const path = corpusFile(t, '23_proxmox_5.15.158-pve_dmesg-T_de_locale_cgroup_oomanalyser.log');
  if (!path) return;
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2015 });
  assertSource(report, path, ['dmesg-ctime'], 160);
  const kill = onlyKill(report, path, 160);

  // Cross-check: anon-rss 12625252 + file-rss 0 + shmem-rss 156088 (L160) = 12781340 kB = rss 3195335 × 4 (row L144);
  // pgtables:26388kB (L160) = pgtables_bytes 27021312 / 1024 (L144).
  assert.equal(12625252 + 0 + 156088, 3195335 * 4);
  assert.equal(27021312 / 1024, 26388);

  assertFields(kill, {
    uptimeSeconds: null, // dmesg -T prints wall time only
    pid: 3902942, // L160 `Killed process 3902942 (php-fpm)`, L159 pid=3902942
    name: 'php-fpm', // L160
    uid: 1000, // L160 `UID:1000`, L159 uid=1000
    totalVmKb: 14740176, // L160 total-vm:14740176kB (= 3685044 × 4, L144)
    anonRssKb: 12625252, // L160
    fileRssKb: 0, // L160
    shmemRssKb: 156088, // L160 shmem-rss:156088kB
    pgtablesKb: 26388, // L160 pgtables:26388kB
    oomScoreAdj: 0, // L160 oom_score_adj:0
    constraint: 'memcg', // L159 constraint=CONSTRAINT_MEMCG; L160 `Memory cgroup out of memory:`
    memcg: '/lxc/39004', // L159 oom_memcg=
    taskMemcg:
      '/lxc/39004/ns/system.slice/docker-a59e4e7d3090c04c6ce5a4b7a8bc85228eb9b96ac00b1284643a8c7c11dda661.scope', // L159 task_memcg=
    limitKb: 31211520, // L41 `memory: usage 31211520kB, limit 31211520kB, failcnt 83420`
    usageKb: 31211520, // L41
    ramKb: null, // a memcg kill prints no `pages RAM`
    swapTotalKb: null, // no `Total swap =` (L42 `swap: usage 0kB, limit 0kB` is the cgroup's)
    swapFreeKb: null,
    pageSizeKb: 4,
    trigger: {
      pid: 3923954, // L3 `CPU: 8 PID: 3923954 Comm: php-fpm`
      name: 'php-fpm', // L2, L3
      gfpMask: '0x1100cca', // L2 `gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0`
      gfpFlags: ['GFP_HIGHUSER_MOVABLE'], // L2
      order: 0, // L2
    },
    selected: null,
    topConsumers: [
      { pid: 3902942, name: 'php-fpm', rssKb: 12781340 }, // L144 rss 3195335 × 4
      { pid: 3589018, name: 'php-fpm', rssKb: 7257396 }, // L137 rss 1814349 × 4
      { pid: 3964255, name: 'php-fpm', rssKb: 4920152 }, // L148 rss 1230038 × 4
      { pid: 3637209, name: 'php-fpm', rssKb: 3857720 }, // L138 rss 964430 × 4
      { pid: 3718400, name: 'php-fpm', rssKb: 1986860 }, // L140 rss 496715 × 4 (next: 3726383 at L141, 68014)
    ],
    reaped: null, // no `oom_reaper:` line (the file ends at the kill line)
    kernelVersion: '5.15.158-2-pve', // L3 `Tainted: P           O      5.15.158-2-pve #1`
    incomplete: false,
  });

  // Time: L160 `[Di Aug 12 03:54:03 2025]` (Di = Dienstag; 2025-08-12 is a Tuesday). The stamp has its own year,
  // so the `year: 2015` option does not apply.
  assert.equal(kill.time, '2025-08-12T03:54:03.000+00:00');
});
