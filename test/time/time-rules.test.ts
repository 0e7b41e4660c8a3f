// Every time rule of contract.md §Time (and `sources[].from/to` of §JSON), each on a small kernel log written by
// hand in test/time/fixtures/. Each expected time is worked out in a comment from the fixture's own lines.
//
// How the fixtures are built (so the arithmetic below can be checked line by line):
// - An OOM block is 21 lines in the 6.1 shape (header, CPU, Hardware name, a short Call Trace, Mem-Info, swap, pages
//   RAM, task table with 3 rows, oom-kill summary, kill line, oom_reaper line). Where lines carry `[uptime]`, the
//   lines of a block are exactly 1 ms apart and end at the kill line (block line i of 0..19 = K − (19 − i) ms,
//   kill = line 19 = K), and the reaper line is K + 0.000212.
// - Wall − uptime of every line is written out below where it matters; "offset" means that difference.
//
// Choices made where the contract is silent or could be read two ways:
// - A kill's time is the time of its `Killed process` line.
// - `sources[].from/to` are the written wall stamps of the first and last stamped lines (read in --tz), not
//   calibrated times. For a file with uptime stamps only, they are boot + first/last uptime when --boot-time is
//   given, null otherwise.
// - "Nearest the event": a sample a day away (uptime 86 400 s from the event) is not near when lines seconds away
//   exist.
// - dmesg -T stamps are zone-less, so they are read in --tz and written in the same zone (there is no "other"
//   output zone for them); the offset-carrying shapes (dmesg iso, rsyslog RFC 3339, journal JSON) are written in a
//   zone different from their own.
// - Fixtures avoid sub-millisecond ties: every expected time is a whole number of milliseconds (or rounds and
//   truncates to the same millisecond), so the test does not depend on rounding vs truncation, which the contract
//   does not specify.
// - "Other inputs that carry a year for the same time range": the year-less log's lines are placed in the year
//   that puts them in (or next to) the other input's time range. An input that ends before the year-less log does
//   is not an upper bound for the year-less log's last line (that reading belongs to the mtime rule only).
// - DST "line order proves the second": a zone-less stamp that goes back within the repeated hour (01:55 then
//   01:02) shows the clock was turned back, so it and the later stamps of that hour are the second occurrence.
// - Process zone: every test passes an explicit `tz` except "no --tz …", which checks the system-zone default
//   against the process's own zone (JS Date local time). The last test re-runs this whole compiled file in a child
//   `node --test` with TZ=America/Los_Angeles, so a dependence on the process zone anywhere (Date local methods,
//   mtime year) shows up even when CI runs in UTC; in that child the default-zone test expects -07:00 in July.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnose } from '../../src/index.js';
import type { DiagnoseOptions, OomKill, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

const CHILD_ENV = 'OOMSCOPE_TIME_RULES_CHILD';

function log(name: string): string {
  return fixture('test', 'time', 'fixtures', name);
}

async function run(name: string, options: Omit<DiagnoseOptions, 'kernel'>): Promise<Report> {
  return diagnose({ kernel: [log(name)], ...options });
}

function killOf(report: Report, pid: number): OomKill {
  const kills = report.oomKills.filter((kill) => kill.pid === pid);
  assert.equal(kills.length, 1, `expected one kill of pid ${pid}, got ${report.oomKills.map((k) => k.pid).join(', ') || 'none'}`);
  return kills[0]!;
}

function onlyKill(report: Report): OomKill {
  assert.equal(report.oomKills.length, 1, `expected one kill, got ${report.oomKills.length}`);
  return report.oomKills[0]!;
}

function codes(report: Report): string[] {
  return report.warnings.map((warning) => warning.code);
}

/** Every time string in the report: sources' from/to, kills' time and their evidence times. */
function allTimes(report: Report): (string | null | undefined)[] {
  return [
    ...report.sources.flatMap((source) => [source.from, source.to]),
    ...report.oomKills.flatMap((kill) => [kill.time, ...kill.evidence.map((e) => e.time)]),
  ];
}

/** The evidence entry of a kill that cites its `Killed process` line. */
function killLineEvidence(kill: OomKill) {
  const line = kill.evidence.find((e) => e.text.includes('Killed process'));
  assert.ok(line, 'the kill cites its Killed process line');
  return line;
}

/** Runs `body` on a copy of fixture `name` whose modification time is `mtime`. */
async function withMtime<T>(name: string, mtime: Date, body: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-time-'));
  try {
    const path = join(dir, basename(name));
    copyFileSync(log(name), path);
    utimesSync(path, mtime, mtime);
    return await body(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 1. --year and the year rollover

test('--year is the year of the first line, and the year rolls over where the month goes back (Dec 31 → Jan 1)', async () => {
  // rollover-rsyslog.log (rsyslog traditional, one boot, read in UTC with year 2023):
  //   L1  Dec 31 23:59:51 [  492.123456]                        offset 23:51:38.876544
  //   L2–L21 block of pid 2074, Dec 31 23:59:58, [499.981000]…[500.000000] (kill, L21)
  //                                                             offsets 23:51:38.019 … 23:51:38.000
  //   L22 Dec 31 23:59:59 [  500.000212] oom_reaper              offset 23:51:38.999788
  //   L23 Jan  1 00:00:02 [  502.345678]                        offset 23:51:39.654322
  //   L24–L43 block of pid 2081, Jan 1 00:00:09, [510.981000]…[511.000000] (kill, L43)
  //                                                             (Jan 1 00:00:09 = Dec 31 23:51:38 + 511 s) offsets ≥ 23:51:38.000
  //   L44 Jan  1 00:00:10 [  511.000212]; L45 Jan  1 00:00:14 [  514.678901]   offsets > 23:51:38
  // The year of L1 is 2023; Jan 1 lines are 2024. Boot = min offset = 2023-12-31T23:51:38.000Z.
  //   kill 2074 = boot + 500 s = 2023-12-31T23:59:58.000Z;  kill 2081 = boot + 511 s = 2024-01-01T00:00:09.000Z.
  // (Had the Jan 1 lines been read as 2023-01-01, their offsets would be a year earlier and pull both kills there.)
  const report = await run('rollover-rsyslog.log', { tz: 'UTC', year: 2023 });
  assert.equal(report.oomKills.length, 2);
  assert.equal(killOf(report, 2074).time, '2023-12-31T23:59:58.000+00:00');
  assert.equal(killOf(report, 2081).time, '2024-01-01T00:00:09.000+00:00');
  assert.ok(!codes(report).includes('year-from-mtime'), 'with --year the year is not taken from the mtime');
  assert.ok(!codes(report).includes('year-assumed'));
});

// ---------------------------------------------------------------------------------------------------------------
// 2. No --year: the file's modification time

test('no --year: a log whose last line is Feb 28, modified 2022-03-01, is from 2022 (warning year-from-mtime)', async () => {
  // year-mtime-feb.log (UTC): boot C2 = Feb 27 22:00:00 of the year to find.
  //   L1 Feb 27 23:10:00 [ 4200.000000] → offset 22:00:00.000 (23:10:00 − 1 h 10 min)
  //   block Feb 28 03:15:42, [18941.981000]…[18942.000000] (kill, L21) → offsets 22:00:00.019 … 22:00:00.000
  //     (03:15:42 − 18942 s = 03:15:42 − 5 h 15 min 42 s = Feb 27 22:00:00)
  //   L22 Feb 28 03:15:43 [18942.000212]; L23 Feb 28 03:20:00 [19199.750000] → offset 22:00:00.250
  // The last line (Feb 28) is the latest before the mtime 2022-03-01 → year 2022.
  //   kill = 2022-02-27T22:00:00Z + 18942 s = 2022-02-28T03:15:42.000Z.
  await withMtime('year-mtime-feb.log', new Date('2022-03-01T12:00:00Z'), async (path) => {
    const report = await diagnose({ kernel: [path], tz: 'UTC' });
    assert.equal(onlyKill(report).time, '2022-02-28T03:15:42.000+00:00');
    const warning = report.warnings.find((w) => w.code === 'year-from-mtime');
    assert.ok(warning, `a year-from-mtime warning (got ${codes(report).join(', ')})`);
    assert.equal(warning.path, path);
  });
});

test('no --year: a log whose last line is Dec 30, modified 2022-01-05, is from 2021 (warning year-from-mtime)', async () => {
  // year-mtime-dec.log (imjournal, no [uptime]; UTC): L1 Dec 29 09:12:44, block L2–L22 Dec 30 14:22:06/07, the
  // kill on L21 stamped Dec 30 14:22:07, L23 Dec 30 14:25:31. Dec 30 cannot be after 2022-01-05 in 2022, so the
  // last line is 2021-12-30 → kill = 2021-12-30T14:22:07.000Z.
  await withMtime('year-mtime-dec.log', new Date('2022-01-05T12:00:00Z'), async (path) => {
    const report = await diagnose({ kernel: [path], tz: 'UTC' });
    assert.equal(onlyKill(report).time, '2021-12-30T14:22:07.000+00:00');
    assert.ok(codes(report).includes('year-from-mtime'), `a year-from-mtime warning (got ${codes(report).join(', ')})`);
  });
});

test('no --year: a log running Dec 31 → Jan 1, modified 2024-01-02, starts in 2023 and ends in 2024', async () => {
  // rollover-rsyslog.log again (see the --year test): the last line, Jan 1 00:00:14, is the latest before the mtime
  // 2024-01-02 → it is 2024-01-01, and the Dec 31 lines before the rollover are 2023-12-31. Same arithmetic:
  //   kill 2074 = 2023-12-31T23:59:58.000Z, kill 2081 = 2024-01-01T00:00:09.000Z.
  await withMtime('rollover-rsyslog.log', new Date('2024-01-02T12:00:00Z'), async (path) => {
    const report = await diagnose({ kernel: [path], tz: 'UTC' });
    assert.equal(killOf(report, 2074).time, '2023-12-31T23:59:58.000+00:00');
    assert.equal(killOf(report, 2081).time, '2024-01-01T00:00:09.000+00:00');
    assert.ok(codes(report).includes('year-from-mtime'));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 3. --tz

// tz-rsyslog.log (rsyslog traditional, year 2024), wall − uptime in wall-clock seconds of Jul 23 (10:03:37 = 36217):
//   L1  Jul 23 10:00:01 [272836.912345] → 36001 − 272836.912345 = −236835.912345
//   block Jul 23 10:03:37, [273052.982400]…[273053.001400] (kill, L21) → −236835.9824 … −236836.0014 (the least)
//   L22 Jul 23 10:03:38 [273053.001612] → −236835.001612;  L23 Jul 23 10:04:05 [273081.000000] → −236836.000000
// Boot = wall(−236836.0014), so the kill = boot + 273053.0014 = Jul 23 10:03:37.000 on the wall clock of --tz.

test('--tz Asia/Shanghai: zone-less stamps are read in Shanghai and every output time carries +08:00', async () => {
  // 2024-07-23 10:03:37 in Shanghai = 02:03:37Z.
  const report = await run('tz-rsyslog.log', { tz: 'Asia/Shanghai', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-07-23T10:03:37.000+08:00');
  assert.equal(Date.parse(kill.time!), Date.UTC(2024, 6, 23, 2, 3, 37));
  const source = report.sources[0]!;
  assert.equal(source.from, '2024-07-23T10:00:01.000+08:00');
  assert.equal(source.to, '2024-07-23T10:04:05.000+08:00');
  for (const time of allTimes(report)) assert.match(String(time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
});

test('--tz America/New_York in July: zone-less stamps are read as EDT and every output time carries -04:00', async () => {
  // 2024-07-23 10:03:37 EDT = 14:03:37Z.
  const report = await run('tz-rsyslog.log', { tz: 'America/New_York', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-07-23T10:03:37.000-04:00');
  assert.equal(Date.parse(kill.time!), Date.UTC(2024, 6, 23, 14, 3, 37));
  for (const time of allTimes(report)) assert.match(String(time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-04:00$/);
});

// ---------------------------------------------------------------------------------------------------------------
// 4. DST (America/New_York, 2024: clocks go back at 02:00 EDT on Nov 3, forward at 02:00 EST on Mar 10)

test('DST repeated hour: Nov 3 01:30 (no [uptime]) is the first occurrence, -04:00, with a dst-repeated warning', async () => {
  // dst-repeated.log: L1 Nov 3 01:12:09, block lines Nov 3 01:29:59 / 01:30:00, kill (L21) Nov 3 01:30:00.
  // 01:00–01:59 happens twice; nothing in the order proves the second pass → first: 01:30 EDT = 05:30Z.
  const report = await run('dst-repeated.log', { tz: 'America/New_York', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-11-03T01:30:00.000-04:00');
  assert.equal(Date.parse(kill.time!), Date.UTC(2024, 10, 3, 5, 30, 0));
  assert.ok(codes(report).includes('dst-repeated'), `a dst-repeated warning (got ${codes(report).join(', ')})`);
});

test('DST repeated hour: when line order proves the second pass (01:55 then 01:02), a later 01:30 is the second occurrence, -05:00', async () => {
  // dst-repeated-second.log: L1 Nov 3 01:40:12, L2 Nov 3 01:55:47, L3 Nov 3 01:02:31 — the clock went back between
  // L2 and L3, so L3 is 01:02:31 EST (the second pass), and the block after it (01:29:59 / 01:30:00, kill on L23)
  // is in the second pass too: 01:30 EST = 06:30Z.
  const report = await run('dst-repeated-second.log', { tz: 'America/New_York', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-11-03T01:30:00.000-05:00');
  assert.equal(Date.parse(kill.time!), Date.UTC(2024, 10, 3, 6, 30, 0));
});

test('DST skipped hour: Mar 10 02:30 (no [uptime]) moves forward by the gap to 03:30 -04:00, with a dst-skipped warning', async () => {
  // dst-skipped.log: L1 Mar 10 01:58:30, L2 (lone kill line) Mar 10 02:30:00. 02:00–02:59 does not exist that day;
  // moved forward by the 1 h gap → 03:30 EDT = 07:30Z.
  const report = await run('dst-skipped.log', { tz: 'America/New_York', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-03-10T03:30:00.000-04:00');
  assert.equal(Date.parse(kill.time!), Date.UTC(2024, 2, 10, 7, 30, 0));
  assert.ok(codes(report).includes('dst-skipped'), `a dst-skipped warning (got ${codes(report).join(', ')})`);
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Uptime → wall clock

test('uptime → wall: boot = min(wall − uptime) over the lines near the event, and the kill is boot + uptime, not its own stamp', async () => {
  // uptime-min.log (Asia/Shanghai, 2024), offsets in seconds of Jul 23's wall clock (10:03:36 = 36216):
  //   L1  Jul 23 10:00:01 [272837.455120] → 36001 − 272837.455120 = −236836.455120
  //   L2–L10 (block lines 0–8, header … Mem-Info) Jul 23 10:03:36, [273052.982400]…[273052.990400]
  //        → 36216 − 273052.9824 … 36216 − 273052.9904 = −236836.9824 … −236836.9904   ← L10 (Mem-Info) is the least
  //   L11–L21 (block lines 9–19) Jul 23 10:03:37, [273052.991400]…[273053.001400] (kill, L21)
  //        → −236835.9914 … −236836.0014
  //   L22 Jul 23 10:03:37 [273053.001612] → −236836.001612;  L23 Jul 23 10:04:05 [273081.345678] → −236836.345678
  // Boot = wall(−236836.9904). Kill = −236836.9904 + 273053.0014 = 36216.011 → 10:03:36.011 (its own stamp says
  // 10:03:37). uptimeSeconds = 273053.0014.
  const report = await run('uptime-min.log', { tz: 'Asia/Shanghai', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-07-23T10:03:36.011+08:00');
  assert.equal(kill.uptimeSeconds, 273053.0014);
  assert.equal(killLineEvidence(kill).time, '2024-07-23T10:03:36.011+08:00');
});

test('uptime → wall: samples a day away (drifted 1.6 s) are not used when lines near the event exist', async () => {
  // uptime-drift.log = uptime-min.log with two lines from the day before in front:
  //   Jul 22 10:03:30 [186648.500000] → (36210 − 86400) − 186648.5 = −236838.5
  //   Jul 22 10:05:00 [186738.600000] → (36300 − 86400) − 186738.6 = −236838.6
  // They are 86 400 s of uptime from the kill; the lines within seconds of it give −236836.9904 as before, so the
  // kill stays 10:03:36.011 (using the far samples would give −236838.6 + 273053.0014 = 36214.4014 → 10:03:34.401).
  const report = await run('uptime-drift.log', { tz: 'Asia/Shanghai', year: 2024 });
  assert.equal(onlyKill(report).time, '2024-07-23T10:03:36.011+08:00');
});

// ---------------------------------------------------------------------------------------------------------------
// 6. The late logger

test('late logger: ring-buffer lines stamped with rsyslog\'s start time keep their true [uptime]; the live lines give the boot time', async () => {
  // late-logger.log (Asia/Shanghai, 2024). True boot T = 2024-07-20T08:00:00+08:00; Jul 23 10:15:02 = T + 267302 s.
  //   L1  rsyslogd start, Jul 23 10:15:02 (not a kernel line)
  //   L2  Jul 23 10:15:02 [266588.412907] → offset T + 713.587093     (backlog)
  //   L3–L23 block, all Jul 23 10:15:02, [266617.231000]…[266617.250000] (kill, L22), reaper [266617.250212]
  //        → offsets T + 684.75 … T + 684.769                          (backlog)
  //   L24 Jul 23 10:15:30 [267329.400000]: 10:15:30 = T + 267330 → offset T + 0.6   (live)
  //   L25 Jul 23 10:16:40 [267400.000000]: 10:16:40 = T + 267400 → offset T         (live, the least)
  //   L26 Jul 23 10:20:05 [267604.700000]: 10:20:05 = T + 267605 → offset T + 0.3   (live)
  // Boot = T. Kill = T + 266617.25 s = T + 3 d + 2 h 03 min 37.25 s = 2024-07-23T10:03:37.250+08:00 (not 10:15:02).
  const report = await run('late-logger.log', { tz: 'Asia/Shanghai', year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, '2024-07-23T10:03:37.250+08:00');
  // Every line of the block is placed by its uptime too (header [266617.231000] → 10:03:37.231), none at 10:15:02.
  for (const evidence of kill.evidence) assert.match(String(evidence.time), /^2024-07-23T10:03:37\.2\d\d\+08:00$/, evidence.text);
});

// ---------------------------------------------------------------------------------------------------------------
// 7. Reboots

// reboot.log (Asia/Shanghai, 2024). Boot 1 T1 = Jul 20 08:00:00, boot 2 T2 = Jul 20 09:00:00.
//   Boot 1: L1–L4 Jul 20 08:00:09 [0.000000] Linux version … [8.532100] → offsets T1 + 9 … T1 + 0.4679 (late-stamped)
//           L5 Jul 20 08:10:00 [600.000000] → T1 (the least of boot 1)
//           L6–L26 block of pid 2074, Jul 20 08:16:41 (= T1 + 1001), [1000.481000]…[1000.500000] (kill, L25) → ≥ T1 + 0.5
//           L27 Jul 20 08:30:00 [1799.750000] → T1 + 0.25
//   Boot 2 (uptime falls back to [0.000000] with Linux version):
//           L28–L30 Jul 20 09:00:08 [0.000000]…[2.113201] → T2 + 8 … T2 + 5.886799
//           L31 Jul 20 09:05:00 [300.000000] → T2 (the least of boot 2)
//           L32–L52 block of pid 3312, Jul 20 09:16:41 (= T2 + 1001), [1000.231000]…[1000.250000] (kill, L51) → ≥ T2 + 0.75
//           L53 Jul 20 09:20:00 [1199.900000] → T2 + 0.1
// Kill 2074 = T1 + 1000.5 = 08:16:40.500; kill 3312 = T2 + 1000.25 = 09:16:40.250 (one calibration for both
// would put 3312 at T1 + 1000.25 = 08:16:40.250).

test('reboot: a kill in each boot is timed by its own boot\'s calibration, though both happen ~1000 s after boot', async () => {
  const report = await run('reboot.log', { tz: 'Asia/Shanghai', year: 2024 });
  assert.equal(report.oomKills.length, 2);
  const first = killOf(report, 2074);
  const second = killOf(report, 3312);
  assert.equal(first.time, '2024-07-20T08:16:40.500+08:00');
  assert.equal(first.uptimeSeconds, 1000.5);
  assert.equal(second.time, '2024-07-20T09:16:40.250+08:00');
  assert.equal(second.uptimeSeconds, 1000.25);
});

test('--boot-time is the start of the last boot only: the earlier boot keeps its own calibration', async () => {
  // bootTime 2024-07-20T09:00:00.100+08:00 replaces T2: kill 3312 = 09:00:00.100 + 1000.25 s = 09:16:40.350.
  // Kill 2074 is in boot 1: still T1 + 1000.5 = 08:16:40.500.
  const report = await run('reboot.log', { tz: 'Asia/Shanghai', year: 2024, bootTime: '2024-07-20T09:00:00.100+08:00' });
  assert.equal(killOf(report, 3312).time, '2024-07-20T09:16:40.350+08:00');
  assert.equal(killOf(report, 2074).time, '2024-07-20T08:16:40.500+08:00');
});

// ---------------------------------------------------------------------------------------------------------------
// 8. Raw dmesg: uptime only

test('raw dmesg without --boot-time: the kill\'s time is null, uptimeSeconds is set, and a no-wall-time warning says why', async () => {
  // dmesg-raw.log: L1 [12338.004211], block [12345.659000]…[12345.678000] (kill, L21), [12345.678212], L23 [12401.100000].
  const report = await run('dmesg-raw.log', { tz: 'Asia/Shanghai' });
  const kill = onlyKill(report);
  assert.equal(kill.time, null);
  assert.equal(kill.uptimeSeconds, 12345.678);
  assert.equal(killLineEvidence(kill).time, null);
  assert.ok(codes(report).includes('no-wall-time'), `a no-wall-time warning (got ${codes(report).join(', ')})`);
  assert.equal(report.sources[0]!.format, 'dmesg');
});

test('raw dmesg with --boot-time: the kill is exactly boot time + uptime, written in the output zone', async () => {
  // bootTime 2024-07-20T08:00:00+08:00 + 12345.678 s (3 h 25 min 45.678 s) = 2024-07-20T11:25:45.678+08:00
  //   = 2024-07-20T03:25:45.678Z.
  const shanghai = await run('dmesg-raw.log', { tz: 'Asia/Shanghai', bootTime: '2024-07-20T08:00:00+08:00' });
  const kill = onlyKill(shanghai);
  assert.equal(kill.time, '2024-07-20T11:25:45.678+08:00');
  assert.equal(kill.uptimeSeconds, 12345.678);
  assert.ok(!codes(shanghai).includes('no-wall-time'));
  const utc = await run('dmesg-raw.log', { tz: 'UTC', bootTime: '2024-07-20T08:00:00+08:00' });
  assert.equal(onlyKill(utc).time, '2024-07-20T03:25:45.678+00:00');
});

// ---------------------------------------------------------------------------------------------------------------
// 9. dmesg -T, dmesg --time-format iso, rsyslog high precision

test('dmesg -T: the zone-less [Tue Jul 23 10:04:01 2024] stamp is read in --tz', async () => {
  // dmesg-ctime.log: block stamped [Tue Jul 23 10:04:01 2024], kill on L21 (no fraction → .000).
  const shanghai = await run('dmesg-ctime.log', { tz: 'Asia/Shanghai' });
  assert.equal(onlyKill(shanghai).time, '2024-07-23T10:04:01.000+08:00');
  assert.equal(shanghai.sources[0]!.format, 'dmesg-ctime');
  const utc = await run('dmesg-ctime.log', { tz: 'UTC' });
  assert.equal(onlyKill(utc).time, '2024-07-23T10:04:01.000+00:00');
});

test('dmesg --time-format iso: 2024-07-23T10:04:01,123456+08:00 comes out in another zone with its milliseconds', async () => {
  // Kill on L21: 2024-07-23T10:04:01,123456+08:00 = 02:04:01.123456Z → UTC 02:04:01.123; New York (EDT)
  // 2024-07-22T22:04:01.123-04:00.
  const utc = await run('dmesg-iso.log', { tz: 'UTC' });
  assert.equal(onlyKill(utc).time, '2024-07-23T02:04:01.123+00:00');
  assert.equal(utc.sources[0]!.format, 'dmesg-iso');
  const ny = await run('dmesg-iso.log', { tz: 'America/New_York' });
  assert.equal(onlyKill(ny).time, '2024-07-22T22:04:01.123-04:00');
});

test('rsyslog high precision: 2024-07-23T10:04:01.123456+08:00 comes out in another zone with its milliseconds', async () => {
  // rsyslog-rfc3339.log: same stamps as dmesg-iso.log with `.` and `web01 kernel:`; kill on L21.
  const utc = await run('rsyslog-rfc3339.log', { tz: 'UTC' });
  assert.equal(onlyKill(utc).time, '2024-07-23T02:04:01.123+00:00');
  assert.equal(utc.sources[0]!.format, 'syslog-rfc3339');
  const ny = await run('rsyslog-rfc3339.log', { tz: 'America/New_York' });
  assert.equal(onlyKill(ny).time, '2024-07-22T22:04:01.123-04:00');
});

// ---------------------------------------------------------------------------------------------------------------
// 10. journalctl

test('journalctl -o short-monotonic: uptime only, so null without --boot-time and boot + uptime with it', async () => {
  // journal-short-monotonic.log: L1 [266588.412907], block [266617.231000]…[266617.250000] (kill, L21).
  const bare = await run('journal-short-monotonic.log', { tz: 'Asia/Shanghai' });
  assert.equal(bare.sources[0]!.format, 'journal-short-monotonic');
  assert.equal(onlyKill(bare).time, null);
  assert.equal(onlyKill(bare).uptimeSeconds, 266617.25);
  assert.ok(codes(bare).includes('no-wall-time'), `a no-wall-time warning (got ${codes(bare).join(', ')})`);
  // 2024-07-20T08:00:00+08:00 + 266617.25 s (3 d 2 h 03 min 37.25 s) = 2024-07-23T10:03:37.250+08:00.
  const booted = await run('journal-short-monotonic.log', { tz: 'Asia/Shanghai', bootTime: '2024-07-20T08:00:00+08:00' });
  assert.equal(onlyKill(booted).time, '2024-07-23T10:03:37.250+08:00');
});

test('journalctl -o json: boot = min(__REALTIME_TIMESTAMP − _SOURCE_MONOTONIC_TIMESTAMP); the kill = boot + its _SOURCE_MONOTONIC_TIMESTAMP', async () => {
  // journal.json, T = 1721433600000000 µs = 2024-07-20T00:00:00Z (08:00 in Shanghai):
  //   L1 source 266588412907, realtime 1721700188413087 → realtime − source = T + 180 µs   (the least)
  //   L2–L22 block: realtime = T + source + 47000 µs (journald received them 47 ms late), e.g. the kill (L21):
  //       source 266617250000, realtime 1721700217297000 → T + 47000 µs
  //   (__MONOTONIC_TIMESTAMP is journald's receipt: source + delay.)
  // Boot = T + 0.00018 s; kill = T + 0.00018 + 266617.25 s = 2024-07-23T02:03:37.25018Z → .250 (its own realtime,
  // or __MONOTONIC_TIMESTAMP, would say .297).
  const shanghai = await run('journal.json', { tz: 'Asia/Shanghai' });
  assert.equal(shanghai.sources[0]!.format, 'journal-json');
  const kill = onlyKill(shanghai);
  assert.equal(kill.time, '2024-07-23T10:03:37.250+08:00');
  assert.equal(kill.uptimeSeconds, 266617.25);
  const utc = await run('journal.json', { tz: 'UTC' });
  assert.equal(onlyKill(utc).time, '2024-07-23T02:03:37.250+00:00');
});

test('/dev/kmsg records: microseconds since boot, null without --boot-time and boot + uptime with it', async () => {
  // kmsg.log: `6,1201,12338004211,-;…`, block `4,…,12345659000,-;` … kill `3,1221,12345678000,-;Out of memory: …`.
  // 12345678000 µs = 12345.678 s; with boot 2024-07-20T08:00:00+08:00 → 11:25:45.678+08:00.
  const bare = await run('kmsg.log', { tz: 'Asia/Shanghai' });
  assert.equal(bare.sources[0]!.format, 'kmsg');
  assert.equal(onlyKill(bare).time, null);
  assert.equal(onlyKill(bare).uptimeSeconds, 12345.678);
  assert.ok(codes(bare).includes('no-wall-time'), `a no-wall-time warning (got ${codes(bare).join(', ')})`);
  const booted = await run('kmsg.log', { tz: 'Asia/Shanghai', bootTime: '2024-07-20T08:00:00+08:00' });
  assert.equal(onlyKill(booted).time, '2024-07-20T11:25:45.678+08:00');
});

test('journalctl -o json over two boots: each _BOOT_ID is its own boot, even when the uptime does not fall back', async () => {
  // journal-two-boots.json; every line has __REALTIME_TIMESTAMP = boot origin + _SOURCE_MONOTONIC_TIMESTAMP + 1 ms.
  //   Boot A (_BOOT_ID 1a2b…): origin T_A = 1721433600000000 µs = 2024-07-20T00:00:00Z; L1 at 95 s, block
  //     [100.231 … 100.250 s] (kill, pid 2074, L21), reaper 100.250212 s → boot A = T_A + 0.001 s.
  //   Boot B (_BOOT_ID 9f8e…): origin T_B = T_A + 600 s; L23 at 103 s (above A's last 100.250212 s: no fall back),
  //     block [110.481 … 110.5 s] (kill, pid 3312, L42) → boot B = T_B + 0.001 s.
  // Kill 2074 = T_A + 0.001 + 100.25 = 00:01:40.251Z = 08:01:40.251+08:00.
  // Kill 3312 = T_B + 0.001 + 110.5 = 00:11:50.501Z = 08:11:50.501+08:00 (one calibration for both would give
  // T_A + 110.501 = 08:01:50.501).
  const report = await run('journal-two-boots.json', { tz: 'Asia/Shanghai' });
  assert.equal(killOf(report, 2074).time, '2024-07-20T08:01:40.251+08:00');
  assert.equal(killOf(report, 3312).time, '2024-07-20T08:11:50.501+08:00');
});

test('--boot-time gives the boot time of the last boot in each kernel input', async () => {
  // dmesg-raw.log (kill at 12345.678 s) and journal-short-monotonic.log (kill at 266617.25 s), both uptime only,
  // with boot 2024-07-20T08:00:00+08:00: 08:00:00 + 12345.678 s = 2024-07-20T11:25:45.678+08:00;
  // 08:00:00 + 266617.25 s = 2024-07-23T10:03:37.250+08:00.
  const report = await diagnose({
    kernel: [log('dmesg-raw.log'), log('journal-short-monotonic.log')],
    tz: 'Asia/Shanghai',
    bootTime: '2024-07-20T08:00:00+08:00',
  });
  assert.equal(report.oomKills.length, 2);
  const byUptime = (uptime: number) => report.oomKills.find((kill) => kill.uptimeSeconds === uptime);
  assert.equal(byUptime(12345.678)?.time, '2024-07-20T11:25:45.678+08:00');
  assert.equal(byUptime(266617.25)?.time, '2024-07-23T10:03:37.250+08:00');
});

// ---------------------------------------------------------------------------------------------------------------
// Year from other inputs ("otherwise the year comes from other inputs that carry one (check.log, running.log, ISO
// stamps) for the same time range, otherwise from the file's modification time"). The year-less kernel log is a
// copy whose mtime (2026-06-01) would give a wrong year, so only the other input can give the right one.

test('no --year: the year comes from a check.log of the same time range, not the mtime', async () => {
  // check-2024.log: 20240723 10:02:01 … 20240723 10:05:01. tz-rsyslog.log runs Jul 23 10:00:01 – 10:04:05, the same
  // range → 2024; the kill (its own stamp, see the --tz tests) = 2024-07-23T10:03:37.000+08:00.
  // (From the mtime 2026-06-01 alone it would be 2025: Jul 23 is after Jun 1, so the year before.)
  await withMtime('tz-rsyslog.log', new Date('2026-06-01T12:00:00Z'), async (path) => {
    const report = await diagnose({ kernel: [path], check: [log('check-2024.log')], tz: 'Asia/Shanghai' });
    const kill = report.oomKills.find((k) => k.evidence.some((e) => e.path === path));
    assert.ok(kill, 'the kernel log\'s kill');
    assert.equal(kill.time, '2024-07-23T10:03:37.000+08:00');
  });
});

test('no --year: a check.log ending Dec 31 23:59:01 puts a kernel log running Dec 31 23:59:51 → Jan 1 in 2023 → 2024', async () => {
  // check-newyear.log: 20231231 23:56:01 … 20231231 23:59:01. rollover-rsyslog.log: Dec 31 23:59:51 … Jan 1 00:00:14,
  // one rollover. Its Dec 31 lines are within a minute of the check.log's last line: same time range → 2023-12-31,
  // and the lines after the rollover are 2024-01-01. Same arithmetic as the --year test:
  //   kill 2074 = 2023-12-31T23:59:58.000Z; kill 2081 = 2024-01-01T00:00:09.000Z.
  // (Taking the check.log's last moment as the latest possible time of the kernel log's LAST line would read
  // Jan 1 00:00:14 as 2023-01-01 and the Dec 31 lines as 2022-12-31, a year before the check.log.)
  await withMtime('rollover-rsyslog.log', new Date('2026-06-01T12:00:00Z'), async (path) => {
    const report = await diagnose({ kernel: [path], check: [log('check-newyear.log')], tz: 'UTC' });
    assert.equal(killOf(report, 2074).time, '2023-12-31T23:59:58.000+00:00');
    assert.equal(killOf(report, 2081).time, '2024-01-01T00:00:09.000+00:00');
  });
});

test('no --year: the year comes from another kernel input with ISO stamps of the same time range, not the mtime', async () => {
  // rsyslog-rfc3339.log: 2024-07-23T10:03:58.004211+08:00 … 2024-07-23T10:04:09.5+08:00. tz-rsyslog.log (year-less)
  // runs Jul 23 10:00:01 – 10:04:05 in Asia/Shanghai, the same range → 2024; its kill = 2024-07-23T10:03:37.000+08:00.
  // (The ISO file's own kill, 10:04:01.123, is 24 s away: a different kill. The mtime 2026-06-01 alone gives 2025.)
  await withMtime('tz-rsyslog.log', new Date('2026-06-01T12:00:00Z'), async (path) => {
    const report = await diagnose({ kernel: [log('rsyslog-rfc3339.log'), path], tz: 'Asia/Shanghai' });
    const kill = report.oomKills.find((k) => k.evidence.some((e) => e.path === path));
    assert.ok(kill, 'the year-less log\'s kill');
    assert.equal(kill.time, '2024-07-23T10:03:37.000+08:00');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// 11. sources[].from / to

test('sources from/to are the first and last wall times of the file (rsyslog traditional, across the year rollover)', async () => {
  // rollover-rsyslog.log with year 2023 in UTC: first line Dec 31 23:59:51 (2023), last line Jan 1 00:00:14 (2024).
  const report = await run('rollover-rsyslog.log', { tz: 'UTC', year: 2023 });
  const source = report.sources[0]!;
  assert.equal(source.from, '2023-12-31T23:59:51.000+00:00');
  assert.equal(source.to, '2024-01-01T00:00:14.000+00:00');
  assert.equal(source.lines, 45);
});

test('sources from/to of an ISO-stamped file are its first and last stamps, written in the output zone', async () => {
  // rsyslog-rfc3339.log: first 2024-07-23T10:03:58.004211+08:00 = 02:03:58.004Z; last 2024-07-23T10:04:09.500000+08:00
  // = 02:04:09.500Z.
  const report = await run('rsyslog-rfc3339.log', { tz: 'UTC' });
  const source = report.sources[0]!;
  assert.equal(source.from, '2024-07-23T02:03:58.004+00:00');
  assert.equal(source.to, '2024-07-23T02:04:09.500+00:00');
});

test('sources from/to of an uptime-only file: null without --boot-time, boot + first/last uptime with it', async () => {
  // dmesg-raw.log: first [12338.004211], last [12401.100000]. With boot 2024-07-20T08:00:00+08:00:
  //   from = 08:00:00 + 3 h 25 min 38.004211 s = 11:25:38.004; to = 08:00:00 + 3 h 26 min 41.1 s = 11:26:41.100.
  const bare = await run('dmesg-raw.log', { tz: 'Asia/Shanghai' });
  assert.equal(bare.sources[0]!.from, null);
  assert.equal(bare.sources[0]!.to, null);
  const booted = await run('dmesg-raw.log', { tz: 'Asia/Shanghai', bootTime: '2024-07-20T08:00:00+08:00' });
  assert.equal(booted.sources[0]!.from, '2024-07-20T11:25:38.004+08:00');
  assert.equal(booted.sources[0]!.to, '2024-07-20T11:26:41.100+08:00');
});

// ---------------------------------------------------------------------------------------------------------------
// 12. The process's own zone

test('no --tz: zone-less stamps are read and written in the process\'s zone (the system zone)', async () => {
  // tz-rsyslog.log: the kill is Jul 23 10:03:37 on the wall clock (see the --tz tests). In the process zone that is
  // JS's local-time Date(2024, 6, 23, 10, 3, 37), with that zone's offset (UTC: +00:00; America/Los_Angeles: -07:00).
  const local = new Date(2024, 6, 23, 10, 3, 37);
  const offset = -local.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const suffix = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  const report = await diagnose({ kernel: [log('tz-rsyslog.log')], year: 2024 });
  const kill = onlyKill(report);
  assert.equal(kill.time, `2024-07-23T10:03:37.000${suffix}`);
  assert.equal(Date.parse(kill.time!), local.getTime());
  if (process.env[CHILD_ENV] === '1') assert.equal(suffix, '-07:00', 'the child run really is in America/Los_Angeles');
});

test('the whole file passes under a non-UTC process zone (TZ=America/Los_Angeles)', { skip: process.env[CHILD_ENV] === '1' ? 'this is that run' : false }, () => {
  const self = fileURLToPath(import.meta.url);
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'America/Los_Angeles', [CHILD_ENV]: '1' };
  delete env.NODE_TEST_CONTEXT; // we are inside `node --test`; the child must run as a top-level test run
  const child = spawnSync(process.execPath, ['--test', '--test-reporter=tap', self], { env, encoding: 'utf8', timeout: 120_000 });
  const failed = [...child.stdout.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]).filter((name) => name !== basename(self) && name !== self);
  assert.equal(child.status, 0, `under TZ=America/Los_Angeles: ${failed.length > 0 ? 'failed: ' + failed.join(' | ') : child.stderr || child.stdout}`);
});
