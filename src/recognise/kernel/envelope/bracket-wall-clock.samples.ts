// Sample lines of dmesg -T and dmesg -e's named-time brackets (bracket-wall-clock.ts), in every
// supported locale (glibc %a %b abbreviations); run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample, LocalStamp } from './envelope-types.js';
import { wallClock } from './sample-helpers.js';

/** A dmesg -T line read cleanly: its stamp, the message `msg`, no problem. */
function ctime(about: string, line: string, local: LocalStamp): EnvelopeSample {
  return { about, line, want: { shape: 'dmesg-ctime', local, message: 'msg', problem: null } };
}

export const samples: EnvelopeSample[] = [
  {
    about: 'dmesg -e minute stamp',
    line: '[Jul23 10:04] msg',
    want: { shape: 'dmesg-reltime', local: wallClock(null, 7, 23, 10, 4, 0), message: 'msg', fromKernel: true },
  },
  {
    about: 'dmesg -e minute stamp with a space-padded day',
    line: '[Jul 3 09:05] msg',
    want: { shape: 'dmesg-reltime', local: wallClock(null, 7, 3, 9, 5, 0), message: 'msg' },
  },
  {
    about: 'dmesg -e minute stamp with a CJK month',
    line: '[7月23 10:04] msg',
    want: { shape: 'dmesg-reltime', local: wallClock(null, 7, 23, 10, 4, 0), message: 'msg' },
  },
  {
    about: 'English dmesg -T',
    line: '[Tue Jul 23 10:04:01 2024] msg',
    want: { shape: 'dmesg-ctime', local: wallClock(2024, 7, 23, 10, 4, 1), message: 'msg', fromKernel: true, uptime: null, problem: null },
  },
  ctime('English, space-padded day', '[Wed Jul  3 09:05:07 2024] msg', wallClock(2024, 7, 3, 9, 5, 7)),
  ctime('Chinese day and month names', '[二 7月 23 10:04:01 2024] msg', wallClock(2024, 7, 23, 10, 4, 1)),
  ctime('Chinese 周 day name', '[周二 12月 17 08:00:00 2024] msg', wallClock(2024, 12, 17, 8, 0, 0)),
  ctime('Chinese 星期 day name', '[星期二 3月  5 23:59:59 2024] msg', wallClock(2024, 3, 5, 23, 59, 59)),
  // ja_JP abmon is " 7月" (space-padded), so two spaces follow the day name
  ctime('Japanese, space-padded month', '[火  7月 23 10:04:01 2024] msg', wallClock(2024, 7, 23, 10, 4, 1)),
  ctime('Japanese Monday 月 is a day, not a month', '[月  1月  8 06:30:00 2024] msg', wallClock(2024, 1, 8, 6, 30, 0)),
  ctime('Japanese two-digit month', '[火 12月 17 10:04:01 2024] msg', wallClock(2024, 12, 17, 10, 4, 1)),
  ctime('German', '[Di Aug 12 03:54:03 2025] msg', wallClock(2025, 8, 12, 3, 54, 3)),
  ctime('German Mär', '[Di Mär  5 10:04:01 2024] msg', wallClock(2024, 3, 5, 10, 4, 1)),
  ctime('German Mai', '[Mi Mai 15 10:04:01 2024] msg', wallClock(2024, 5, 15, 10, 4, 1)),
  ctime('German Okt', '[Do Okt 10 10:04:01 2024] msg', wallClock(2024, 10, 10, 10, 4, 1)),
  ctime('German Dez', '[Fr Dez 27 10:04:01 2024] msg', wallClock(2024, 12, 27, 10, 4, 1)),
  ctime('French, names with dots', '[mar. juil. 23 10:04:01 2024] msg', wallClock(2024, 7, 23, 10, 4, 1)),
  ctime('French févr.', '[jeu. févr. 15 10:04:01 2024] msg', wallClock(2024, 2, 15, 10, 4, 1)),
  ctime('French août', '[mer. août 14 10:04:01 2024] msg', wallClock(2024, 8, 14, 10, 4, 1)),
  ctime('French déc.', '[lun. déc.  2 10:04:01 2024] msg', wallClock(2024, 12, 2, 10, 4, 1)),
  ctime('Spanish mar as Tuesday', '[mar jul 23 10:04:01 2024] msg', wallClock(2024, 7, 23, 10, 4, 1)),
  ctime('Spanish mar as both Tuesday and March', '[mar mar  5 10:04:01 2024] msg', wallClock(2024, 3, 5, 10, 4, 1)),
  ctime('Spanish ene', '[mié ene 10 10:04:01 2024] msg', wallClock(2024, 1, 10, 10, 4, 1)),
  ctime('Spanish ago', '[sáb ago 31 10:04:01 2024] msg', wallClock(2024, 8, 31, 10, 4, 1)),
  ctime('Spanish dic', '[dom dic  1 10:04:01 2024] msg', wallClock(2024, 12, 1, 10, 4, 1)),
  ctime('Portuguese', '[ter jul 23 10:04:01 2024] msg', wallClock(2024, 7, 23, 10, 4, 1)),
  ctime('Portuguese set', '[qua set  4 10:04:01 2024] msg', wallClock(2024, 9, 4, 10, 4, 1)),
  ctime('Portuguese out', '[sex out 11 10:04:01 2024] msg', wallClock(2024, 10, 11, 10, 4, 1)),
  ctime('Portuguese fev', '[sáb fev  3 10:04:01 2024] msg', wallClock(2024, 2, 3, 10, 4, 1)),
  ctime('Russian', '[Вт июл 23 10:04:01 2024] msg', wallClock(2024, 7, 23, 10, 4, 1)),
  ctime('Russian genitive May', '[Ср мая 15 10:04:01 2024] msg', wallClock(2024, 5, 15, 10, 4, 1)),
  ctime('Russian nominative May', '[Пн май 13 10:04:01 2024] msg', wallClock(2024, 5, 13, 10, 4, 1)),
  ctime('Russian дек', '[Пн дек  2 10:04:01 2024] msg', wallClock(2024, 12, 2, 10, 4, 1)),
  {
    about: 'dmesg -T with the -d delta and a caller id',
    line: '[Tue Jul 23 10:04:01 2024 <    0.000123>] [ T5] msg',
    want: { shape: 'dmesg-ctime', local: wallClock(2024, 7, 23, 10, 4, 1), deltaSeconds: 0.000123, caller: 'T5', message: 'msg' },
  },
  {
    about: 'an unknown month name is reported, not guessed',
    line: '[Xyz Abc 12 03:54:03 2025] msg',
    want: { shape: 'dmesg-ctime', local: null, problem: 'unknown-month-name', message: 'msg' },
  },
  {
    about: 'an unknown day name beside a known month: the stamp is read, the name reported',
    line: '[Zzz Jul 23 10:04:01 2024] msg',
    want: { shape: 'dmesg-ctime', local: wallClock(2024, 7, 23, 10, 4, 1), problem: 'unknown-day-name', message: 'msg' },
  },
  {
    about: 'an impossible date is reported',
    line: '[Fri Feb 30 10:04:01 2024] msg',
    want: { shape: 'dmesg-ctime', local: null, problem: 'invalid-date', message: 'msg' },
  },
];
