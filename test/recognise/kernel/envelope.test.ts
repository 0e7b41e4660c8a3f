// parseEnvelope: one line in, its prefix shape, stamps and peeled message out (formats.md §4).
// Expected values are worked out by hand from the line text; epoch values were checked with
// `date -u -d '2024-07-23T10:04:01+08:00' +%s` = 1721700241.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvelope } from '../../../src/recognise/kernel/envelope/index.js';
import type { Envelope, LocalStamp } from '../../../src/recognise/kernel/envelope/index.js';
import { corpusDir, fixture, isCI } from '../../support/paths.js';

/** Assert only the fields named in `want`. */
function expectEnvelope(line: string, want: Partial<Envelope>): Envelope {
  const got = parseEnvelope(line);
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(want)) picked[key] = got[key as keyof Envelope];
  assert.deepEqual(picked, want, `for line ${JSON.stringify(line.length > 200 ? line.slice(0, 200) + '…' : line)}`);
  return got;
}

function local(year: number | null, month: number, day: number, hour: number, minute: number, second: number, micros = 0): LocalStamp {
  return { year, month, day, hour, minute, second, micros };
}

const SHAPES = new Set([
  'syslog-rfc3164', 'syslog-rfc3339', 'dmesg', 'dmesg-raw', 'dmesg-delta', 'dmesg-reltime', 'dmesg-ctime', 'dmesg-iso',
  'kmsg', 'journal-short', 'journal-short-iso', 'journal-short-precise', 'journal-short-monotonic', 'journal-short-unix',
  'journal-json', 'bare',
]);

// ---------------------------------------------------------------------------------------
// dmesg

test('reads the uptime of a raw dmesg line and peels the stamp', () => {
  expectEnvelope('[12345.678901] msg', {
    shape: 'dmesg', message: 'msg', uptime: 12345.678901, fromKernel: true, local: null, caller: null, continuation: false,
  });
});

test('reads a dmesg uptime padded with spaces inside the brackets', () => {
  expectEnvelope('[    0.000000] Linux version 6.8.0-45-generic', { shape: 'dmesg', uptime: 0, message: 'Linux version 6.8.0-45-generic' });
  expectEnvelope('[ 5864.708440] memorymonster cpuset=/ mems_allowed=0', { shape: 'dmesg', uptime: 5864.70844 });
});

test('keeps microsecond precision of large uptimes', () => {
  expectEnvelope('[15180285.537297] php-fpm invoked oom-killer', { uptime: 15180285.537297 });
});

test('removes only the one separating space after the stamp, keeping the kernel text indentation', () => {
  expectEnvelope('[  455.503298]  0000000000000000 ffff880069715a90', { message: ' 0000000000000000 ffff880069715a90' });
  expectEnvelope('[    0.000000] \tRCU dyntick-idle grace-period acceleration is enabled.', { message: '\tRCU dyntick-idle grace-period acceleration is enabled.' });
});

test('strips a trailing carriage return', () => {
  expectEnvelope('[12345.678901] msg\r', { shape: 'dmesg', message: 'msg' });
  expectEnvelope('plain text\r', { shape: 'bare', message: 'plain text' });
});

test('reads dmesg -r lines with their priority prefix', () => {
  expectEnvelope('<4>[12345.678901] msg', { shape: 'dmesg-raw', uptime: 12345.678901, message: 'msg', fromKernel: true });
  expectEnvelope('<6>Linux version 6.8.0', { shape: 'dmesg-raw', uptime: null, message: 'Linux version 6.8.0', fromKernel: true });
});

test('marks dmesg -r lines of a non-kernel facility as not from the kernel', () => {
  // <14> = facility 1 (user) << 3 | level 6
  expectEnvelope('<14>[  100.000001] systemd[1]: Started x', { shape: 'dmesg-raw', fromKernel: false, uptime: 100.000001, message: 'systemd[1]: Started x' });
});

test('reads dmesg -d uptime and delta', () => {
  expectEnvelope('[12345.678901 <    0.000123>] msg', { shape: 'dmesg-delta', uptime: 12345.678901, deltaSeconds: 0.000123, message: 'msg', fromKernel: true });
  expectEnvelope('[<    2.500000>] msg', { shape: 'dmesg-delta', uptime: null, deltaSeconds: 2.5, message: 'msg' });
});

test('reads dmesg -e minute stamps and delta lines', () => {
  expectEnvelope('[Jul23 10:04] msg', { shape: 'dmesg-reltime', local: local(null, 7, 23, 10, 4, 0), message: 'msg', fromKernel: true });
  expectEnvelope('[Jul 3 09:05] msg', { shape: 'dmesg-reltime', local: local(null, 7, 3, 9, 5, 0) });
  expectEnvelope('[7月23 10:04] msg', { shape: 'dmesg-reltime', local: local(null, 7, 23, 10, 4, 0) });
  expectEnvelope('[  +0.000123] msg', { shape: 'dmesg-reltime', deltaSeconds: 0.000123, local: null, uptime: null, message: 'msg' });
  expectEnvelope('[ +12.500000] msg', { shape: 'dmesg-reltime', deltaSeconds: 12.5 });
});

test('reads PRINTK_CALLER thread and CPU ids after the uptime', () => {
  expectEnvelope('[12345.678901][ T3106] msg', { shape: 'dmesg', uptime: 12345.678901, caller: 'T3106', message: 'msg' });
  expectEnvelope('[ 5864.708440][    C1] msg', { shape: 'dmesg', uptime: 5864.70844, caller: 'C1', message: 'msg' });
  // util-linux dmesg prints the caller after the stamp and a space
  expectEnvelope('[12345.678901] [ T3106] msg', { caller: 'T3106', message: 'msg' });
});

test('reads PRINTK_CALLER after the uptime of an rsyslog kernel line', () => {
  expectEnvelope('Jul 23 10:04:01 web01 kernel: [12345.678901][ T3106] msg', {
    shape: 'syslog-rfc3164', uptime: 12345.678901, caller: 'T3106', message: 'msg', host: 'web01',
  });
});

test('reads dmesg -x facility/level prefixes before the stamp', () => {
  expectEnvelope('kern  :warn  : [  455.498827] badsysprogram invoked oom-killer', {
    shape: 'dmesg', uptime: 455.498827, fromKernel: true, message: 'badsysprogram invoked oom-killer',
  });
  expectEnvelope('daemon:info  : [   12.000001] systemd[1]: Started x', { shape: 'dmesg', fromKernel: false });
});

// ---------------------------------------------------------------------------------------
// dmesg -T, in every supported locale (glibc %a %b abbreviations)

test('reads an English dmesg -T stamp', () => {
  expectEnvelope('[Tue Jul 23 10:04:01 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 7, 23, 10, 4, 1), message: 'msg', fromKernel: true, uptime: null, problem: null });
  expectEnvelope('[Wed Jul  3 09:05:07 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 7, 3, 9, 5, 7) });
});

test('reads dmesg -T stamps with Chinese day and month names', () => {
  expectEnvelope('[二 7月 23 10:04:01 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 7, 23, 10, 4, 1), problem: null });
  expectEnvelope('[周二 12月 17 08:00:00 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 12, 17, 8, 0, 0), problem: null });
  expectEnvelope('[星期二 3月  5 23:59:59 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 3, 5, 23, 59, 59), problem: null });
});

test('reads dmesg -T stamps with Japanese day and month names, even Monday 月', () => {
  // ja_JP abmon is " 7月" (space-padded), so two spaces follow the day name
  expectEnvelope('[火  7月 23 10:04:01 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 7, 23, 10, 4, 1), problem: null });
  expectEnvelope('[月  1月  8 06:30:00 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 1, 8, 6, 30, 0), problem: null });
  expectEnvelope('[火 12月 17 10:04:01 2024] msg', { shape: 'dmesg-ctime', local: local(2024, 12, 17, 10, 4, 1) });
});

test('reads dmesg -T stamps with German day and month names', () => {
  expectEnvelope('[Di Aug 12 03:54:03 2025] msg', { shape: 'dmesg-ctime', local: local(2025, 8, 12, 3, 54, 3), problem: null });
  expectEnvelope('[Di Mär  5 10:04:01 2024] msg', { local: local(2024, 3, 5, 10, 4, 1), problem: null });
  expectEnvelope('[Mi Mai 15 10:04:01 2024] msg', { local: local(2024, 5, 15, 10, 4, 1), problem: null });
  expectEnvelope('[Do Okt 10 10:04:01 2024] msg', { local: local(2024, 10, 10, 10, 4, 1), problem: null });
  expectEnvelope('[Fr Dez 27 10:04:01 2024] msg', { local: local(2024, 12, 27, 10, 4, 1), problem: null });
});

test('reads dmesg -T stamps with French day and month names', () => {
  expectEnvelope('[mar. juil. 23 10:04:01 2024] msg', { local: local(2024, 7, 23, 10, 4, 1), problem: null });
  expectEnvelope('[jeu. févr. 15 10:04:01 2024] msg', { local: local(2024, 2, 15, 10, 4, 1), problem: null });
  expectEnvelope('[mer. août 14 10:04:01 2024] msg', { local: local(2024, 8, 14, 10, 4, 1), problem: null });
  expectEnvelope('[lun. déc.  2 10:04:01 2024] msg', { local: local(2024, 12, 2, 10, 4, 1), problem: null });
});

test('reads dmesg -T stamps with Spanish names, where mar is both Tuesday and March', () => {
  expectEnvelope('[mar jul 23 10:04:01 2024] msg', { local: local(2024, 7, 23, 10, 4, 1), problem: null });
  expectEnvelope('[mar mar  5 10:04:01 2024] msg', { local: local(2024, 3, 5, 10, 4, 1), problem: null });
  expectEnvelope('[mié ene 10 10:04:01 2024] msg', { local: local(2024, 1, 10, 10, 4, 1), problem: null });
  expectEnvelope('[sáb ago 31 10:04:01 2024] msg', { local: local(2024, 8, 31, 10, 4, 1), problem: null });
  expectEnvelope('[dom dic  1 10:04:01 2024] msg', { local: local(2024, 12, 1, 10, 4, 1), problem: null });
});

test('reads dmesg -T stamps with Portuguese day and month names', () => {
  expectEnvelope('[ter jul 23 10:04:01 2024] msg', { local: local(2024, 7, 23, 10, 4, 1), problem: null });
  expectEnvelope('[qua set  4 10:04:01 2024] msg', { local: local(2024, 9, 4, 10, 4, 1), problem: null });
  expectEnvelope('[sex out 11 10:04:01 2024] msg', { local: local(2024, 10, 11, 10, 4, 1), problem: null });
  expectEnvelope('[sáb fev  3 10:04:01 2024] msg', { local: local(2024, 2, 3, 10, 4, 1), problem: null });
});

test('reads dmesg -T stamps with Russian day and month names, genitive and nominative May', () => {
  expectEnvelope('[Вт июл 23 10:04:01 2024] msg', { local: local(2024, 7, 23, 10, 4, 1), problem: null });
  expectEnvelope('[Ср мая 15 10:04:01 2024] msg', { local: local(2024, 5, 15, 10, 4, 1), problem: null });
  expectEnvelope('[Пн май 13 10:04:01 2024] msg', { local: local(2024, 5, 13, 10, 4, 1), problem: null });
  expectEnvelope('[Пн дек  2 10:04:01 2024] msg', { local: local(2024, 12, 2, 10, 4, 1), problem: null });
});

test('reads a dmesg -T stamp combined with -d delta and a caller id', () => {
  expectEnvelope('[Tue Jul 23 10:04:01 2024 <    0.000123>] [ T5] msg', {
    shape: 'dmesg-ctime', local: local(2024, 7, 23, 10, 4, 1), deltaSeconds: 0.000123, caller: 'T5', message: 'msg',
  });
});

test('reports an unknown month name instead of guessing the month', () => {
  expectEnvelope('[Xyz Abc 12 03:54:03 2025] msg', { shape: 'dmesg-ctime', local: null, problem: 'unknown-month-name', message: 'msg' });
  expectEnvelope('[Zzz Jul 23 10:04:01 2024] msg', { local: local(2024, 7, 23, 10, 4, 1), problem: 'unknown-day-name' });
});

test('reports an impossible date on a dmesg -T line', () => {
  expectEnvelope('[Fri Feb 30 10:04:01 2024] msg', { shape: 'dmesg-ctime', local: null, problem: 'invalid-date' });
});

// ---------------------------------------------------------------------------------------
// dmesg --time-format iso

test('reads the absolute time of a dmesg iso line', () => {
  expectEnvelope('2024-07-23T10:04:01,123456+08:00 msg', {
    shape: 'dmesg-iso', epochMs: 1721700241123, epochMicrosRemainder: 456, local: null, uptime: null, fromKernel: true, message: 'msg',
  });
  expectEnvelope('2024-07-22T18:04:01,500000-0800 msg', { shape: 'dmesg-iso', epochMs: 1721700241500, epochMicrosRemainder: 0 });
});

test('reads a caller id after a dmesg iso stamp', () => {
  expectEnvelope('2024-07-23T10:04:01,123456+08:00 [ T12] msg', { shape: 'dmesg-iso', caller: 'T12', message: 'msg' });
});

// ---------------------------------------------------------------------------------------
// /dev/kmsg

test('reads a /dev/kmsg record: sequence, microsecond uptime and message', () => {
  expectEnvelope('6,1234,12345678901,-;msg', {
    shape: 'kmsg', sequence: 1234, uptime: 12345.678901, message: 'msg', fromKernel: true, continuation: false,
  });
  expectEnvelope('6,1,0,-;Linux version 6.8.0', { uptime: 0, sequence: 1 });
  expectEnvelope('6,2,5,-;x', { uptime: 0.000005 });
});

test('unescapes \\xNN in /dev/kmsg messages and decodes them as UTF-8', () => {
  expectEnvelope('4,1235,12345678902,-;comm "caf\\xc3\\xa9"\\x0aline2 back\\x5cslash', {
    message: 'comm "café"\nline2 back\\slash',
  });
  expectEnvelope('4,1236,12345678903,-;bad \\xff byte', { message: 'bad \uFFFD byte' });
  expectEnvelope('4,1237,12345678904,-;not an escape \\xZZ', { message: 'not an escape \\xZZ' });
});

test('reads the caller field of a /dev/kmsg record', () => {
  expectEnvelope('6,1236,12345678903,-,caller=T3106;msg', { caller: 'T3106', message: 'msg' });
});

test('marks /dev/kmsg dictionary lines as continuations', () => {
  expectEnvelope(' SUBSYSTEM=cpu', { shape: 'kmsg', continuation: true, message: 'SUBSYSTEM=cpu', fromKernel: null });
  expectEnvelope(' DEVICE=+pci:0000:00:1f.2\\x20x', { shape: 'kmsg', continuation: true, message: 'DEVICE=+pci:0000:00:1f.2 x' });
});

test('marks /dev/kmsg records written by user space as not from the kernel', () => {
  // 30 = facility 3 (daemon) << 3 | level 6
  expectEnvelope('30,1237,12345679000,-;systemd[1]: Started x', { shape: 'kmsg', fromKernel: false });
});

test('reads a /dev/kmsg capture line by line', () => {
  const lines = readFileSync(fixture('test', 'recognise', 'kernel', 'fixtures', 'kmsg-sample.txt'), 'utf8').split('\n');
  const got = lines.filter((l) => l !== '').map(parseEnvelope);
  assert.deepEqual(
    got.map((e) => [e.shape, e.sequence, e.uptime, e.caller, e.continuation, e.fromKernel]),
    [
      ['kmsg', 1201, 5864.70844, null, false, true],
      ['kmsg', 1202, 5864.708446, 'T13536', false, true],
      ['kmsg', null, null, null, true, null],
      ['kmsg', null, null, null, true, null],
      ['kmsg', 1203, 5864.708607, null, false, true],
      ['kmsg', 1204, 5864.709, null, false, false],
    ],
  );
  assert.equal(got[2]?.message, 'SUBSYSTEM=cpu');
  assert.equal(got[4]?.message, 'Memory cgroup out of memory: Killed process 13536 (café\\bar) total-vm:33558652kB');
});

// ---------------------------------------------------------------------------------------
// rsyslog

test('reads stamps, host and uptime of an rsyslog traditional kernel line', () => {
  expectEnvelope('Jul 23 10:04:01 web01 kernel: [12345.678901] msg', {
    shape: 'syslog-rfc3164', local: local(null, 7, 23, 10, 4, 1), uptime: 12345.678901, host: 'web01', ident: 'kernel',
    identPid: null, fromKernel: true, message: 'msg', epochMs: null,
  });
});

test('calls a space-padded day rsyslog traditional even without an uptime', () => {
  expectEnvelope('Jul  3 10:04:01 web01 kernel: msg', { shape: 'syslog-rfc3164', local: local(null, 7, 3, 10, 4, 1), uptime: null });
  expectEnvelope('Jul  3 10:04:01 web01 CRON[14500]: (root) CMD (true)', { shape: 'syslog-rfc3164', fromKernel: false });
});

test('reads the uptime from a hostname-stripped rsyslog kernel line', () => {
  expectEnvelope('Jan  5 15:19:27 kernel: [ 5864.708440] memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0', {
    shape: 'syslog-rfc3164', host: null, ident: 'kernel', fromKernel: true, uptime: 5864.70844, local: local(null, 1, 5, 15, 19, 27),
    message: 'memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0',
  });
});

test('reads tags with pids and paths on hostname-stripped syslog lines', () => {
  expectEnvelope('Jan  5 15:19:01 CRON[14500]: (root) CMD (touch /var/run/crond.sittercheck)', {
    host: null, ident: 'CRON', identPid: 14500, fromKernel: false, message: '(root) CMD (touch /var/run/crond.sittercheck)',
  });
  expectEnvelope('Jan  5 15:20:01 /usr/bin/lock: called by /bin/bash for . uid 0, euid 0.', {
    host: null, ident: '/usr/bin/lock', identPid: null, fromKernel: false, message: 'called by /bin/bash for . uid 0, euid 0.',
  });
});

test('reads earlyoom and systemd tags with a host', () => {
  expectEnvelope('Jul 23 10:04:05 web01 earlyoom[812]: sending SIGTERM to process 7378 uid 1000 "anqicms": oom_score 600', {
    host: 'web01', ident: 'earlyoom', identPid: 812, fromKernel: false, uptime: null,
    message: 'sending SIGTERM to process 7378 uid 1000 "anqicms": oom_score 600',
  });
  expectEnvelope("Jul 23 10:04:06 web01 systemd[1]: anqicms.service: Failed with result 'oom-kill'.", {
    ident: 'systemd', identPid: 1, fromKernel: false, message: "anqicms.service: Failed with result 'oom-kill'.",
  });
});

test('does not take an [uptime]-looking start of a non-kernel message for the kernel clock', () => {
  expectEnvelope('Jul 23 10:04:06 web01 myapp[9]: [12.500000] hello', { uptime: null, message: '[12.500000] hello' });
});

test('reads an rsyslog high-precision line as an absolute instant', () => {
  expectEnvelope('2024-07-23T10:04:01.123456+08:00 web01 kernel: [12345.678901] msg', {
    shape: 'syslog-rfc3339', epochMs: 1721700241123, epochMicrosRemainder: 456, local: null, host: 'web01', ident: 'kernel',
    fromKernel: true, uptime: 12345.678901, message: 'msg',
  });
  expectEnvelope('2024-12-31T23:59:59.999999Z web01 kernel: msg', { shape: 'syslog-rfc3339', epochMs: 1735689599999, epochMicrosRemainder: 999 });
});

test('leaves #012 in rsyslog imjournal kernel messages for the caller to split', () => {
  expectEnvelope('Sep 29 08:12:34 db01 kernel: active_anon:100 inactive_anon:200#012 active_file:3 inactive_file:4#012 unevictable:0', {
    ident: 'kernel', fromKernel: true, uptime: null, host: 'db01', local: local(null, 9, 29, 8, 12, 34),
    message: 'active_anon:100 inactive_anon:200#012 active_file:3 inactive_file:4#012 unevictable:0',
  });
});

// ---------------------------------------------------------------------------------------
// journalctl

test('calls a zero-padded day journal short', () => {
  expectEnvelope('Jul 03 10:04:01 web01 kernel: msg', {
    shape: 'journal-short', local: local(null, 7, 3, 10, 4, 1), host: 'web01', ident: 'kernel', fromKernel: true, uptime: null, message: 'msg',
  });
});

test('for days 10–31, where padding cannot tell, calls an English short stamp syslog (rsyslog files are the common case)', () => {
  expectEnvelope('Jul 23 10:04:01 web01 kernel: msg', { shape: 'syslog-rfc3164', local: local(null, 7, 23, 10, 4, 1) });
  expectEnvelope('Jul 23 10:04:01 web01 kernel: [1.500000] msg', { shape: 'syslog-rfc3164', uptime: 1.5, message: 'msg' });
});

test('reads journal short lines with localised month names', () => {
  expectEnvelope('12月 17 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 12, 17, 10, 4, 1), host: 'web01', message: 'msg' });
  expectEnvelope('7月 03 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 7, 3, 10, 4, 1) });
  // ja_JP writes " 7月" with a leading space
  expectEnvelope(' 7月 03 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 7, 3, 10, 4, 1), continuation: false, message: 'msg' });
  expectEnvelope('Mär 05 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 3, 5, 10, 4, 1) });
  expectEnvelope('juil. 23 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 7, 23, 10, 4, 1) });
  expectEnvelope('dic 01 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 12, 1, 10, 4, 1) });
  expectEnvelope('out 11 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 10, 11, 10, 4, 1) });
  expectEnvelope('июл 03 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: local(null, 7, 3, 10, 4, 1) });
});

test('reports an unknown month name on a journal short line', () => {
  expectEnvelope('Foo 03 10:04:01 web01 kernel: msg', { shape: 'journal-short', local: null, problem: 'unknown-month-name', message: 'msg', host: 'web01' });
});

test('reads journal short-iso with both offset spellings', () => {
  expectEnvelope('2024-07-23T10:04:01+0800 web01 kernel: msg', {
    shape: 'journal-short-iso', epochMs: 1721700241000, epochMicrosRemainder: 0, host: 'web01', ident: 'kernel', fromKernel: true, message: 'msg',
  });
  expectEnvelope('2024-07-23T10:04:01+08:00 web01 kernel: msg', { shape: 'journal-short-iso', epochMs: 1721700241000 });
});

test('reads the microseconds of journal short-precise', () => {
  expectEnvelope('Jul 23 10:04:01.123456 web01 kernel: msg', {
    shape: 'journal-short-precise', local: local(null, 7, 23, 10, 4, 1, 123456), host: 'web01', message: 'msg',
  });
});

test('reads journal short-monotonic lines as uptime plus host and tag', () => {
  expectEnvelope('[12345.678901] web01 kernel: msg', {
    shape: 'journal-short-monotonic', uptime: 12345.678901, host: 'web01', ident: 'kernel', fromKernel: true, message: 'msg',
  });
  expectEnvelope('[  100.000001] web01 systemd[1]: Started x', { shape: 'journal-short-monotonic', ident: 'systemd', identPid: 1, fromKernel: false });
});

test('keeps dmesg lines whose text looks like "word word:" as dmesg', () => {
  expectEnvelope('[    5.100000] usb 1-1: new high-speed USB device number 2 using xhci_hcd', { shape: 'dmesg', message: 'usb 1-1: new high-speed USB device number 2 using xhci_hcd' });
  expectEnvelope('[    1.000000] systemd[1]: Started Journal Service.', { shape: 'dmesg', ident: null });
  expectEnvelope('[    4.414649] EXT4-fs (sda1): mounted filesystem', { shape: 'dmesg' });
});

test('reads journal short-unix lines as an absolute instant', () => {
  expectEnvelope('1721700241.123456 web01 kernel: msg', {
    shape: 'journal-short-unix', epochMs: 1721700241123, epochMicrosRemainder: 456, host: 'web01', ident: 'kernel', fromKernel: true, message: 'msg',
  });
});

test('reads journal JSON: realtime, source monotonic, boot id, host, transport', () => {
  const line = JSON.stringify({
    __REALTIME_TIMESTAMP: '1721700241123456',
    __MONOTONIC_TIMESTAMP: '12345999999',
    _SOURCE_MONOTONIC_TIMESTAMP: '12345678901',
    _BOOT_ID: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
    _HOSTNAME: 'web01',
    SYSLOG_IDENTIFIER: 'kernel',
    _TRANSPORT: 'kernel',
    MESSAGE: 'Out of memory: Killed process 2074 (anqicms)',
  });
  expectEnvelope(line, {
    shape: 'journal-json', epochMs: 1721700241123, epochMicrosRemainder: 456, uptime: 12345.678901,
    bootId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', host: 'web01', ident: 'kernel', identPid: null, fromKernel: true,
    message: 'Out of memory: Killed process 2074 (anqicms)', local: null,
  });
});

test('falls back to __MONOTONIC_TIMESTAMP when the journal entry has no source monotonic time', () => {
  expectEnvelope('{"__MONOTONIC_TIMESTAMP":"5000001","MESSAGE":"x","_TRANSPORT":"kernel"}', { uptime: 5.000001, fromKernel: true, epochMs: null });
});

test('decodes a journal JSON MESSAGE given as an array of bytes, invalid bytes becoming U+FFFD', () => {
  expectEnvelope('{"MESSAGE":[97,110,113,105,255,99,109,115],"_TRANSPORT":"kernel"}', { shape: 'journal-json', message: 'anqi\uFFFDcms' });
  expectEnvelope('{"MESSAGE":[228,184,173,230,150,135],"_TRANSPORT":"kernel"}', { message: '中文' });
});

test('reads pid and non-kernel transport of a journal JSON entry', () => {
  expectEnvelope('{"MESSAGE":"sending SIGTERM","SYSLOG_IDENTIFIER":"earlyoom","_PID":"812","_TRANSPORT":"syslog"}', {
    ident: 'earlyoom', identPid: 812, fromKernel: false,
  });
});

test('reads a journal JSON export file line by line', () => {
  const lines = readFileSync(fixture('test', 'recognise', 'kernel', 'fixtures', 'journal-kernel.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
  const got = lines.map(parseEnvelope);
  assert.deepEqual(
    got.map((e) => [e.shape, e.epochMs, e.epochMicrosRemainder, e.uptime, e.fromKernel, e.ident, e.identPid]),
    [
      ['journal-json', 1721700241123, 456, 12345.678901, true, 'kernel', null],
      ['journal-json', 1721700241200, 0, 12345.755, true, 'kernel', null],
      ['journal-json', 1721700242000, 1, 12346.556, false, 'earlyoom', 812],
    ],
  );
  assert.equal(got[1]?.message, 'oom_reaper: (\uFFFD)');
  assert.equal(got[0]?.bootId, '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
});

test('leaves JSON that is not a journal entry bare', () => {
  expectEnvelope('{"level":"info","msg":"hello"}', { shape: 'bare', message: '{"level":"info","msg":"hello"}' });
  expectEnvelope('{"MESSAGE": "unterminated', { shape: 'bare' });
});

// ---------------------------------------------------------------------------------------
// Bare kernel text that must not be mistaken for a prefix

test('leaves the CPU: line of an OOM report bare', () => {
  expectEnvelope('CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1', {
    shape: 'bare', message: 'CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1', fromKernel: null, uptime: null, local: null,
  });
});

test('leaves zone and counter lines bare', () => {
  expectEnvelope('Node 0 DMA free:15908kB min:128kB low:160kB high:192kB', { shape: 'bare' });
  expectEnvelope('6291345 pages RAM', { shape: 'bare' });
  expectEnvelope('Mem-Info:', { shape: 'bare' });
  expectEnvelope('Out of memory: Killed process 2074 (anqicms) total-vm:4123456kB', { shape: 'bare' });
});

test('does not read task-table header or rows as dmesg stamps', () => {
  expectEnvelope('[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name', { shape: 'bare', uptime: null });
  expectEnvelope('[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name', { shape: 'bare' });
  expectEnvelope('[   2074]     0  2074  1030864   996913  8110080        0             0 anqicms', {
    shape: 'bare', uptime: null, message: '[   2074]     0  2074  1030864   996913  8110080        0             0 anqicms',
  });
  expectEnvelope('[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster', { shape: 'bare' });
});

test('peels the uptime but not the task-table row of a syslog kernel line', () => {
  expectEnvelope('Jan  5 15:19:27 kernel: [ 5864.708600] [13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster', {
    uptime: 5864.7086, caller: null, message: '[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster',
  });
  expectEnvelope('Jun 20 12:47:43 db01 kernel: [123033]    48 23033    53758      838   4       0             0 httpd', {
    uptime: null, message: '[123033]    48 23033    53758      838   4       0             0 httpd',
  });
});

test('marks indented unstamped lines as continuations and keeps them whole', () => {
  expectEnvelope('                           file 688283648', { shape: 'bare', continuation: true, message: '                           file 688283648' });
  expectEnvelope(' active_file:43 inactive_file:127', { shape: 'bare', continuation: true, message: ' active_file:43 inactive_file:127' });
});

test('leaves other bracketed kernel text bare', () => {
  expectEnvelope('[drm:intel_dp_detect] 10:04 nonsense', { shape: 'bare' });
  expectEnvelope('[Firmware Bug]: TSC_DEADLINE disabled', { shape: 'bare' });
  expectEnvelope('[<ffffffff81720bf6>] dump_stack+0x45/0x56', { shape: 'bare' });
});

// ---------------------------------------------------------------------------------------
// Garbage and hostile input

test('turns garbage into bare lines without throwing', () => {
  for (const line of ['', '[', ']', '<', '<>', '{', '{}', '[]', '[12345.678901', '[12345.]', '<4', '6,', '6,1,2,-', '2024-07-23T', 'Jul', 'Jul 23', ' ', '\t', '\r', '\uFEFF']) {
    const got = parseEnvelope(line);
    assert.ok(SHAPES.has(got.shape), line);
    assert.equal(typeof got.message, 'string');
  }
  expectEnvelope('[', { shape: 'bare', message: '[' });
  expectEnvelope('', { shape: 'bare', message: '', continuation: false });
  expectEnvelope('[12345.678901', { shape: 'bare', message: '[12345.678901' });
  expectEnvelope('{}', { shape: 'bare', message: '{}' });
});

test('survives NUL bytes and control characters', () => {
  expectEnvelope('\0\0\0', { shape: 'bare', message: '\0\0\0' });
  expectEnvelope('[12345.678901] a\0b', { shape: 'dmesg', message: 'a\0b' });
  expectEnvelope('Jul 23 10:04:01 web\0 kernel: x', { ident: 'kernel', host: 'web\0' });
  expectEnvelope('[\0\0\0] x', { shape: 'bare' });
});

test('does not throw on input that is not a string', () => {
  const got = parseEnvelope(undefined as unknown as string);
  assert.equal(got.shape, 'bare');
  assert.equal(got.message, '');
});

test('handles 64 MiB hostile lines in bounded time', () => {
  const size = 64 * 1024 * 1024;
  // Built one at a time so that only one 64 MiB string is alive at once.
  const hostile: Array<() => string> = [
    () => '['.repeat(size),
    () => '[' + ' '.repeat(size),
    () => '[' + '1'.repeat(size),
    () => '[12345.' + '1'.repeat(size),
    () => '<' + '4'.repeat(size),
    () => '9'.repeat(size),
    () => '6,' + '1'.repeat(size),
    () => '2024-07-23T' + '1'.repeat(size),
    () => 'Jul' + ' '.repeat(size),
    () => 'Jul 23 10:04:01 ' + 'h'.repeat(size),
    () => 'Jul 23 10:04:01 web01 kernel: [' + ' '.repeat(size),
    () => '[Tue ' + ':'.repeat(size),
    () => ' ' + 'A'.repeat(size),
    () => '{' + ' '.repeat(size),
  ];
  const started = Date.now();
  for (const make of hostile) {
    const got = parseEnvelope(make());
    assert.ok(SHAPES.has(got.shape));
  }
  const long = parseEnvelope('[12345.678901] ' + 'x'.repeat(size));
  assert.equal(long.shape, 'dmesg');
  assert.equal(long.message.length, size);
  const escaped = parseEnvelope('6,1,1,-;' + '\\x41'.repeat(size / 16));
  assert.equal(escaped.message.length, size / 16);
  // Generous: each case is a few ms when the input is flat; this catches super-linear blowups.
  assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
});

// ---------------------------------------------------------------------------------------
// The shared corpus of real logs (../shared/corpus/kernel)

function corpusLines(name: string): string[] {
  return readFileSync(join(corpusDir, name), 'utf8').split('\n');
}

test('reads every line of the real kernel logs without throwing', (t) => {
  if (!existsSync(corpusDir)) {
    if (isCI) throw new Error(`corpus ${corpusDir} is missing; CI must have ../shared beside the project`);
    t.skip('../shared/corpus/kernel is absent (clone without ../shared)');
    return;
  }
  const files = readdirSync(corpusDir).sort();
  assert.ok(files.length > 0);
  const byPrefix = (prefix: string): string => {
    const name = files.find((f) => f.startsWith(prefix));
    assert.ok(name !== undefined, `corpus file ${prefix}* is missing`);
    return name;
  };

  for (const name of files) {
    for (const line of corpusLines(name)) {
      const got = parseEnvelope(line);
      assert.ok(SHAPES.has(got.shape), `${name}: ${line}`);
      assert.equal(typeof got.message, 'string');
      if (got.shape === 'bare') assert.equal(got.message, line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  }

  // 23: dmesg -T with German day names; every stamped line reads [Di Aug 12 03:54:03 2025].
  const f23 = corpusLines(byPrefix('23_'));
  let stamped = 0;
  for (const [i, line] of f23.entries()) {
    if (i === 0 || line === '') continue; // `# source:` header
    const got = parseEnvelope(line);
    if (line.startsWith('[')) {
      stamped++;
      assert.equal(got.shape, 'dmesg-ctime', `23 line ${i + 1}`);
      assert.deepEqual(got.local, local(2025, 8, 12, 3, 54, 3), `23 line ${i + 1}`);
      assert.equal(got.problem, null);
      assert.equal(got.fromKernel, true);
    } else {
      // memory.stat lines of the cgroup report, indented under the stamp
      assert.equal(got.shape, 'bare');
      assert.equal(got.continuation, true);
    }
  }
  assert.equal(stamped, 120); // 160 lines − header − 39 indented stat lines
  // line 160 is the kill
  assert.equal(parseEnvelope(f23[159] ?? '').message.startsWith('Memory cgroup out of memory: Killed process 3902942 (php-fpm)'), true);

  // 02: hostname-stripped syslog; kernel lines carry [uptime] from 5864.708440 (line 6) to 5864.708608 (line 36).
  const f02 = corpusLines(byPrefix('02_'));
  const first = parseEnvelope(f02[5] ?? '');
  assert.equal(first.shape, 'syslog-rfc3164');
  assert.equal(first.uptime, 5864.70844);
  assert.equal(first.fromKernel, true);
  assert.equal(first.host, null);
  assert.deepEqual(first.local, local(null, 1, 5, 15, 19, 27));
  assert.equal(first.message, 'memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0');
  let kernelLines = 0;
  for (const line of f02) {
    const got = parseEnvelope(line);
    if (got.ident !== 'kernel') continue;
    kernelLines++;
    assert.equal(got.fromKernel, true);
    assert.ok(got.uptime !== null && got.uptime >= 5864.70844 && got.uptime <= 5864.708608, line);
  }
  assert.equal(kernelLines, 31);
  const cron = parseEnvelope(f02[1] ?? '');
  assert.deepEqual([cron.ident, cron.identPid, cron.fromKernel], ['CRON', 14500, false]);

  // 01: raw dmesg then syslog from host "localhost"; no dmesg line is taken for journal short-monotonic.
  for (const line of corpusLines(byPrefix('01_'))) {
    const got = parseEnvelope(line);
    if (line.startsWith('[')) assert.equal(got.shape, 'dmesg', line);
    if (line.includes(' localhost kernel: [')) {
      assert.equal(got.shape, 'syslog-rfc3164', line);
      assert.equal(got.host, 'localhost');
      assert.notEqual(got.uptime, null);
    }
  }

  // 20, 21, 22: raw kernel text without any stamp: every line is bare (task tables, CPU: lines, frames).
  for (const prefix of ['20_', '21_', '22_']) {
    for (const line of corpusLines(byPrefix(prefix))) {
      assert.equal(parseEnvelope(line).shape, 'bare', `${prefix}: ${line}`);
    }
  }

  // 04: rsyslog via imjournal: no [uptime], #012 kept, host hnsin-varnish.
  const f04 = corpusLines(byPrefix('04_')).slice(1).filter((l) => l !== '');
  for (const line of f04) {
    const got = parseEnvelope(line);
    assert.equal(got.fromKernel, true, line);
    assert.equal(got.host, 'hnsin-varnish');
    assert.equal(got.uptime, null);
    assert.equal(got.local?.month, 9);
    assert.equal(got.local?.day, 29);
  }
  assert.ok(f04.some((l) => parseEnvelope(l).message.includes('#012')));
});
