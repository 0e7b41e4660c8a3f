// Sample lines of the month-name shapes: rsyslog traditional, journalctl short and short-precise
// (syslog.ts, with syslog-tail.ts); run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample, LocalStamp } from './envelope-types.js';
import { wallClock } from './sample-helpers.js';

/** A journalctl short kernel line from web01 saying `msg`, with a localised month name. */
function localisedShort(about: string, line: string, local: LocalStamp): EnvelopeSample {
  return { about, line, want: { shape: 'journal-short', local, message: 'msg' } };
}

export const samples: EnvelopeSample[] = [
  {
    about: 'rsyslog traditional kernel line: stamp, host, tag and uptime',
    line: 'Jul 23 10:04:01 web01 kernel: [12345.678901] msg',
    want: {
      shape: 'syslog-rfc3164', local: wallClock(null, 7, 23, 10, 4, 1), uptime: 12345.678901, host: 'web01', ident: 'kernel',
      identPid: null, fromKernel: true, message: 'msg', epochMs: null,
    },
  },
  {
    about: 'a PRINTK_CALLER id after the uptime of an rsyslog kernel line',
    line: 'Jul 23 10:04:01 web01 kernel: [12345.678901][ T3106] msg',
    want: { shape: 'syslog-rfc3164', uptime: 12345.678901, caller: 'T3106', message: 'msg', host: 'web01' },
  },
  {
    about: 'a space-padded day is rsyslog even without an uptime',
    line: 'Jul  3 10:04:01 web01 kernel: msg',
    want: { shape: 'syslog-rfc3164', local: wallClock(null, 7, 3, 10, 4, 1), uptime: null, message: 'msg' },
  },
  {
    about: 'a space-padded day on another program\'s line',
    line: 'Jul  3 10:04:01 web01 CRON[14500]: (root) CMD (true)',
    want: { shape: 'syslog-rfc3164', fromKernel: false, message: '(root) CMD (true)' },
  },
  {
    about: 'the uptime of a hostname-stripped kernel line',
    line: 'Jan  5 15:19:27 kernel: [ 5864.708440] memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0',
    want: {
      shape: 'syslog-rfc3164', host: null, ident: 'kernel', fromKernel: true, uptime: 5864.70844, local: wallClock(null, 1, 5, 15, 19, 27),
      message: 'memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0',
    },
  },
  {
    about: 'a tag with a pid on a hostname-stripped line',
    line: 'Jan  5 15:19:01 CRON[14500]: (root) CMD (touch /var/run/crond.sittercheck)',
    want: { shape: 'syslog-rfc3164', host: null, ident: 'CRON', identPid: 14500, fromKernel: false, message: '(root) CMD (touch /var/run/crond.sittercheck)' },
  },
  {
    about: 'a path for a tag on a hostname-stripped line',
    line: 'Jan  5 15:20:01 /usr/bin/lock: called by /bin/bash for . uid 0, euid 0.',
    want: { shape: 'syslog-rfc3164', host: null, ident: '/usr/bin/lock', identPid: null, fromKernel: false, message: 'called by /bin/bash for . uid 0, euid 0.' },
  },
  {
    about: 'earlyoom\'s tag with a host',
    line: 'Jul 23 10:04:05 web01 earlyoom[812]: sending SIGTERM to process 7378 uid 1000 "anqicms": oom_score 600',
    want: {
      shape: 'syslog-rfc3164', host: 'web01', ident: 'earlyoom', identPid: 812, fromKernel: false, uptime: null,
      message: 'sending SIGTERM to process 7378 uid 1000 "anqicms": oom_score 600',
    },
  },
  {
    about: 'systemd\'s tag with a host',
    line: "Jul 23 10:04:06 web01 systemd[1]: anqicms.service: Failed with result 'oom-kill'.",
    want: { shape: 'syslog-rfc3164', ident: 'systemd', identPid: 1, fromKernel: false, message: "anqicms.service: Failed with result 'oom-kill'." },
  },
  {
    about: 'an [uptime]-looking start of a non-kernel message is not the kernel clock',
    line: 'Jul 23 10:04:06 web01 myapp[9]: [12.500000] hello',
    want: { shape: 'syslog-rfc3164', uptime: null, message: '[12.500000] hello' },
  },
  {
    about: '#012 in rsyslog imjournal kernel messages is left for the caller to split',
    line: 'Sep 29 08:12:34 db01 kernel: active_anon:100 inactive_anon:200#012 active_file:3 inactive_file:4#012 unevictable:0',
    want: {
      shape: 'syslog-rfc3164', ident: 'kernel', fromKernel: true, uptime: null, host: 'db01', local: wallClock(null, 9, 29, 8, 12, 34),
      message: 'active_anon:100 inactive_anon:200#012 active_file:3 inactive_file:4#012 unevictable:0',
    },
  },
  {
    about: 'the uptime but not the task-table row after it is peeled',
    line: 'Jan  5 15:19:27 kernel: [ 5864.708600] [13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster',
    want: {
      shape: 'syslog-rfc3164', uptime: 5864.7086, caller: null,
      message: '[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster',
    },
  },
  {
    about: 'a task-table row right after the tag has no uptime',
    line: 'Jun 20 12:47:43 db01 kernel: [123033]    48 23033    53758      838   4       0             0 httpd',
    want: { shape: 'syslog-rfc3164', uptime: null, message: '[123033]    48 23033    53758      838   4       0             0 httpd' },
  },
  {
    about: 'days 10–31 cannot tell by padding: an English short stamp is rsyslog (the common case)',
    line: 'Jul 23 10:04:01 web01 kernel: msg',
    want: { shape: 'syslog-rfc3164', local: wallClock(null, 7, 23, 10, 4, 1), message: 'msg' },
  },
  {
    about: 'days 10–31 with an uptime',
    line: 'Jul 23 10:04:01 web01 kernel: [1.500000] msg',
    want: { shape: 'syslog-rfc3164', uptime: 1.5, message: 'msg' },
  },
  {
    about: 'a zero-padded day is journal short',
    line: 'Jul 03 10:04:01 web01 kernel: msg',
    want: { shape: 'journal-short', local: wallClock(null, 7, 3, 10, 4, 1), host: 'web01', ident: 'kernel', fromKernel: true, uptime: null, message: 'msg' },
  },
  {
    about: 'a CJK month is journal short',
    line: '12月 17 10:04:01 web01 kernel: msg',
    want: { shape: 'journal-short', local: wallClock(null, 12, 17, 10, 4, 1), host: 'web01', message: 'msg' },
  },
  localisedShort('a one-digit CJK month', '7月 03 10:04:01 web01 kernel: msg', wallClock(null, 7, 3, 10, 4, 1)),
  {
    // ja_JP writes " 7月" with a leading space
    about: 'a space-padded CJK month is not a continuation',
    line: ' 7月 03 10:04:01 web01 kernel: msg',
    want: { shape: 'journal-short', local: wallClock(null, 7, 3, 10, 4, 1), continuation: false, message: 'msg' },
  },
  localisedShort('German Mär', 'Mär 05 10:04:01 web01 kernel: msg', wallClock(null, 3, 5, 10, 4, 1)),
  localisedShort('French juil. with day 23: localised, so journal', 'juil. 23 10:04:01 web01 kernel: msg', wallClock(null, 7, 23, 10, 4, 1)),
  localisedShort('Spanish dic', 'dic 01 10:04:01 web01 kernel: msg', wallClock(null, 12, 1, 10, 4, 1)),
  localisedShort('Portuguese out', 'out 11 10:04:01 web01 kernel: msg', wallClock(null, 10, 11, 10, 4, 1)),
  localisedShort('Russian июл', 'июл 03 10:04:01 web01 kernel: msg', wallClock(null, 7, 3, 10, 4, 1)),
  {
    about: 'an unknown month name is reported, not guessed',
    line: 'Foo 03 10:04:01 web01 kernel: msg',
    want: { shape: 'journal-short', local: null, problem: 'unknown-month-name', message: 'msg', host: 'web01' },
  },
  {
    about: 'journal short-precise keeps the microseconds',
    line: 'Jul 23 10:04:01.123456 web01 kernel: msg',
    want: { shape: 'journal-short-precise', local: wallClock(null, 7, 23, 10, 4, 1, 123456), host: 'web01', message: 'msg' },
  },
];
