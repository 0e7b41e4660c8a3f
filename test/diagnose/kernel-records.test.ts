// diagnose() on the project's own kernel fixtures: interleaving, duplicates, children, events, gzip, stdin, live kmsg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { fixture, isCI } from '../support/paths.js';

const interleaved = fixture('test', 'diagnose', 'fixtures', 'interleaved-memcg.log');
const events = fixture('test', 'diagnose', 'fixtures', 'events.syslog');
const sacrifice = fixture('test', 'diagnose', 'fixtures', 'sacrifice-child-3.10.log');
const sampleKernLog = fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log');

test('two interleaved memcg blocks are two kills, with pid-tied fields right and the unattributable ones null', async () => {
  const report = await diagnose({ kernel: [interleaved], tz: 'UTC' });
  assert.equal(report.oomKills.length, 2);
  const [anqicms, mysqld] = report.oomKills;
  // Lines 18 (summary) and 20 (kill) name 2074; line 3 ties trigger pid 2074 to comm anqicms (header line 1).
  assert.deepEqual(
    { pid: anqicms!.pid, name: anqicms!.name, uid: anqicms!.uid, anon: anqicms!.anonRssKb, file: anqicms!.fileRssKb, adj: anqicms!.oomScoreAdj },
    { pid: 2074, name: 'anqicms', uid: 0, anon: 99000, file: 1000, adj: 0 },
  );
  assert.deepEqual(anqicms!.trigger, { pid: 2074, name: 'anqicms', gfpMask: '0xcc0', gfpFlags: ['GFP_KERNEL'], order: 0 });
  assert.equal(anqicms!.constraint, 'memcg');
  assert.equal(anqicms!.memcg, '/system.slice/anqicms.service');
  // Lines 10–11: two `memory: usage` lines while both blocks are open; neither can be tied to one block.
  assert.equal(anqicms!.limitKb, null);
  assert.equal(anqicms!.usageKb, null);
  assert.equal(anqicms!.topConsumers, null);
  assert.equal(anqicms!.reaped, true); // line 22
  assert.equal(anqicms!.incomplete, false);
  // Lines 19 and 21 for mysqld; trigger from lines 2 and 4.
  assert.deepEqual(
    { pid: mysqld!.pid, name: mysqld!.name, uid: mysqld!.uid, anon: mysqld!.anonRssKb, adj: mysqld!.oomScoreAdj, memcg: mysqld!.memcg },
    { pid: 1771, name: 'mysqld', uid: 113, anon: 200000, adj: -100, memcg: '/system.slice/mysql.service' },
  );
  assert.deepEqual(mysqld!.trigger, { pid: 1771, name: 'mysqld', gfpMask: '0x1100cca', gfpFlags: ['GFP_HIGHUSER_MOVABLE'], order: 0 });
  assert.equal(mysqld!.reaped, null);
  assert.equal(mysqld!.uptimeSeconds, 1000.00043);
});

test('a kill read from both kern.log and syslog is reported once, with both files as evidence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-dup-'));
  const kernLog = join(dir, 'kern.log');
  const syslog = join(dir, 'syslog');
  copyFileSync(sampleKernLog, kernLog);
  // syslog holds the same kernel lines plus other programs' lines between them.
  const lines = readFileSync(sampleKernLog, 'utf8').trimEnd().split('\n');
  const mixed = lines.flatMap((line, i) => (i % 7 === 3 ? [line, 'Jul 23 10:03:37 web01 nginx[1902]: 2024/07/23 10:03:37 [error] 1902#1902: upstream timed out'] : [line]));
  writeFileSync(syslog, mixed.join('\n') + '\n');
  const report = await diagnose({ kernel: [kernLog, syslog], tz: 'Asia/Shanghai', year: 2024 });
  assert.equal(report.oomKills.length, 1);
  const kill = report.oomKills[0]!;
  assert.equal(kill.pid, 21880);
  const paths = new Set(kill.evidence.map((e) => e.path));
  assert.deepEqual([...paths].sort(), [kernLog, syslog].sort());
  assert.equal(report.sources.length, 2);
});

test('a child killed in place of the selected parent names both: selected is the parent, pid the child', async () => {
  const report = await diagnose({ kernel: [sacrifice], tz: 'UTC' });
  assert.equal(report.oomKills.length, 1);
  const kill = report.oomKills[0]!;
  // Line 21 selects 3200 (anqicms, score 571); line 22 kills 3201 (anqicms-worker).
  assert.deepEqual(kill.selected, { pid: 3200, name: 'anqicms', score: 571 });
  assert.equal(kill.pid, 3201);
  assert.equal(kill.name, 'anqicms-worker');
  // The victim's row (line 19): uid 0, oom_score_adj 0; the 3.10 kill line has no UID.
  assert.equal(kill.uid, 0);
  assert.equal(kill.oomScoreAdj, 0);
  // 524158 pages RAM (line 15) × 4 KiB, page size proven by the buddy line's first size (line 10: 1*4kB).
  assert.equal(kill.ramKb, 2096632);
  assert.equal(kill.pageSizeKb, 4);
  assert.deepEqual(kill.topConsumers, [
    { pid: 3200, name: 'anqicms', rssKb: 1200000 },
    { pid: 3201, name: 'anqicms-worker', rssKb: 160000 },
    { pid: 3300, name: 'php-fpm', rssKb: 80000 },
    { pid: 812, name: 'sshd', rssKb: 2000 },
  ]);
  assert.deepEqual(kill.trigger, { pid: 3300, name: 'php-fpm', gfpMask: '0x201da', gfpFlags: null, order: 0 });
  assert.equal(kill.kernelVersion, '3.10.0-1160.el7.x86_64');
  assert.equal(kill.time, null); // uptime only, no --boot-time
});

test('earlyoom, systemd-oomd, systemd unit notices, no-killable, oom.group and panic_on_oom become oomEvents', async () => {
  const report = await diagnose({ kernel: [events], tz: 'UTC', year: 2024 });
  const kinds = report.oomEvents.map((e) => `${e.kind}:${e.killer ?? ''}:${e.name ?? e.unit ?? e.cgroup ?? ''}`);
  assert.deepEqual(kinds, [
    'userspace-kill:earlyoom:anqicms', // line 4 (the SIGKILL of line 6 is the same kill)
    'userspace-kill:systemd-oomd:/system.slice/php8.2-fpm.service', // line 8
    'unit-notice:systemd-oomd:php8.2-fpm.service', // line 9
    'unit-notice:kernel:mysql.service', // lines 10 and 12: two notices of one kill, one event
    'no-killable:kernel:', // line 13
    'oom-group:kernel:/kubepods.slice/pod1234', // line 14
    'panic-on-oom:kernel:', // line 16
  ]);
  const mysqlNotice = report.oomEvents.find((e) => e.unit === 'mysql.service')!;
  assert.deepEqual(mysqlNotice.evidence.map((e) => e.line), [10, 12]);
  const earlyoom = report.oomEvents[0]!;
  assert.equal(earlyoom.pid, 7378);
  assert.equal(earlyoom.rssKb, 3210 * 1024);
  assert.equal(earlyoom.time, '2024-07-23T09:10:00.000+00:00');
  // Line 15: a member of the oom.group, killed without a block of its own.
  assert.equal(report.oomKills.length, 1);
  assert.equal(report.oomKills[0]!.pid, 4100);
  assert.equal(report.oomKills[0]!.memcg, '/kubepods.slice/pod1234');
});

test('gzip input is recognised by its magic bytes whatever its name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-gz-'));
  const gz = gzipSync(readFileSync(sampleKernLog));
  const named = join(dir, 'syslog.2.gz');
  const unnamed = join(dir, 'kern.log.old');
  writeFileSync(named, gz);
  writeFileSync(unnamed, gz);
  for (const path of [named, unnamed]) {
    const report = await diagnose({ kernel: [path], tz: 'Asia/Shanghai', year: 2024 });
    assert.equal(report.oomKills.length, 1, path);
    assert.equal(report.oomKills[0]!.pid, 21880);
    assert.equal(report.sources[0]!.complete, true);
  }
});

test('a truncated gzip reports what it held before the cut and marks the source incomplete', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-gzcut-'));
  const gz = gzipSync(readFileSync(sampleKernLog));
  const path = join(dir, 'syslog.1.gz');
  writeFileSync(path, gz.subarray(0, gz.length - 40));
  const report = await diagnose({ kernel: [path], tz: 'UTC', year: 2024 });
  assert.equal(report.sources[0]!.complete, false);
  assert.ok(report.warnings.some((w) => w.code === 'input-truncated' && w.path === path));
});

test('stdin (-) is read like a file', async () => {
  const stdin = Readable.from([readFileSync(sacrifice)]);
  const report = await diagnose({ kernel: ['-'], tz: 'UTC' }, { stdin });
  assert.equal(report.sources[0]!.path, '-');
  assert.equal(report.oomKills[0]!.pid, 3201);
});

test('an unreadable input becomes a warning naming the file, and the others are still read', async () => {
  const report = await diagnose({ kernel: ['/nonexistent/kern.log', sacrifice], tz: 'UTC' });
  assert.equal(report.sources.length, 1);
  assert.equal(report.oomKills.length, 1);
  const warning = report.warnings.find((w) => w.path === '/nonexistent/kern.log');
  assert.equal(warning?.code, 'input-unreadable');
  assert.match(warning!.message, /no such file/);
});

test('the live kernel log (kmsg) of this machine is read and the call returns', async (t) => {
  if (process.getuid?.() !== 0) {
    if (isCI) throw new Error('CI runs as root and must be able to read /dev/kmsg');
    t.skip('reading /dev/kmsg needs root');
    return;
  }
  const report = await diagnose({ kernel: ['kmsg'], tz: 'UTC' });
  assert.equal(report.sources.length, 1);
  const source = report.sources[0]!;
  assert.equal(source.path, 'kmsg');
  assert.equal(source.format, 'kmsg');
  assert.ok(source.lines > 0);
  // Live sources take the boot time from /proc/stat, so the span has wall times.
  assert.notEqual(source.to, null);
});

test('a newest-first paste (GNOME Logs) is read oldest first: the same kill, lines cited as they stand in the paste', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-reversed-'));
  const lines = readFileSync(sampleKernLog, 'utf8').trimEnd().split('\n');
  const reversed = join(dir, 'pasted.log');
  writeFileSync(reversed, [...lines].reverse().join('\n') + '\n');
  const report = await diagnose({ kernel: [reversed], tz: 'Asia/Shanghai', year: 2024 });
  assert.equal(report.oomKills.length, 1);
  const kill = report.oomKills[0]!;
  assert.equal(kill.pid, 21880);
  assert.equal(kill.anonRssKb, 1462300);
  assert.equal(kill.reaped, true); // the reaper line comes after the kill in time, before it in the paste
  assert.equal(kill.trigger?.name, 'anqicms');
  // The kill line is line 61 of the original 64-line file, so line 4 of the paste.
  const killLine = kill.evidence.find((e) => e.text.includes('Killed process'))!;
  assert.equal(killLine.line, lines.length - 61 + 1);
  assert.ok(report.warnings.some((w) => w.code === 'newest-first'));
});

test('a paste hard-wrapped at 80 columns is put back together: the kill, the summary, the task table', async () => {
  // The 5.15 fixture's raw dmesg lines cut every 80 characters (its kill line spans three lines, 92–94).
  const report = await diagnose({ kernel: [fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.wrapped-dmesg.log')], tz: 'UTC' });
  assert.equal(report.oomKills.length, 1);
  const kill = report.oomKills[0]!;
  assert.deepEqual(
    { pid: kill.pid, anon: kill.anonRssKb, file: kill.fileRssKb, pgtables: kill.pgtablesKb, adj: kill.oomScoreAdj, uid: kill.uid, incomplete: kill.incomplete },
    { pid: 21880, anon: 1462300, file: 236, pgtables: 3100, adj: 0, uid: 0, incomplete: false },
  );
  assert.equal(kill.taskMemcg, '/user.slice/user-0.slice/session-3.scope');
  // Rows whose names wrapped onto the next line: anqicms 365634 pages, mysqld 97544 pages (× 4 KiB).
  assert.deepEqual(kill.topConsumers?.slice(0, 2), [
    { pid: 21880, name: 'anqicms', rssKb: 1462536 },
    { pid: 1771, name: 'mysqld', rssKb: 390176 },
  ]);
  assert.equal(report.sources[0]!.unparsedLines, 0);
});

test('systemd notices of one kill for a unit and its parent slices are one event naming the unit, all lines as evidence; no kernel line says so', async () => {
  // wild/24: line 5 user@1021.service, line 3 user-1021.slice, line 6 user.slice (one kill); line 4
  // system-postgresql.slice, line 7 system.slice (another); all within 0.4 ms, and no kernel line in the file.
  const path = fixture('test', 'diagnose', 'fixtures', 'wild', '24-unit-notices-rfc3339-five-units.log');
  const report = await diagnose({ kernel: [path], tz: 'UTC', lang: 'en' });
  const byUnit = new Map(report.oomEvents.map((e) => [e.unit, e]));
  assert.deepEqual([...byUnit.keys()].sort(), ['system-postgresql.slice', 'user@1021.service']);
  assert.deepEqual(byUnit.get('user@1021.service')!.evidence.map((e) => e.line), [3, 5, 6]);
  assert.deepEqual(byUnit.get('system-postgresql.slice')!.evidence.map((e) => e.line), [4, 7]);
  for (const event of report.oomEvents) assert.equal(event.kernelRecord, false, 'no kernel line records either kill');
  const text = renderText(report, { color: false, lang: 'en', process: 'anqicms' });
  assert.match(text, /no kernel line here records that kill/);
});
