// Sample lines of the ISO-stamped shapes (iso.ts), run by test/recognise/kernel/envelope-samples.test.ts.
// Epochs checked with `date -u -d '2024-07-23T10:04:01+08:00' +%s` = 1721700241.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'dmesg --time-format iso: an absolute instant to the microsecond',
    line: '2024-07-23T10:04:01,123456+08:00 msg',
    want: { shape: 'dmesg-iso', epochMs: 1721700241123, epochMicrosRemainder: 456, local: null, uptime: null, fromKernel: true, message: 'msg' },
  },
  {
    about: 'dmesg iso with a negative offset without a colon',
    line: '2024-07-22T18:04:01,500000-0800 msg',
    want: { shape: 'dmesg-iso', epochMs: 1721700241500, epochMicrosRemainder: 0, message: 'msg' },
  },
  {
    about: 'a caller id after a dmesg iso stamp',
    line: '2024-07-23T10:04:01,123456+08:00 [ T12] msg',
    want: { shape: 'dmesg-iso', caller: 'T12', message: 'msg' },
  },
  {
    about: 'rsyslog high precision: instant, host, tag, and the kernel uptime peeled',
    line: '2024-07-23T10:04:01.123456+08:00 web01 kernel: [12345.678901] msg',
    want: {
      shape: 'syslog-rfc3339', epochMs: 1721700241123, epochMicrosRemainder: 456, local: null, host: 'web01', ident: 'kernel',
      fromKernel: true, uptime: 12345.678901, message: 'msg',
    },
  },
  {
    about: 'rsyslog high precision in UTC',
    line: '2024-12-31T23:59:59.999999Z web01 kernel: msg',
    want: { shape: 'syslog-rfc3339', epochMs: 1735689599999, epochMicrosRemainder: 999, message: 'msg' },
  },
  {
    about: 'journal short-iso with a +0800 offset',
    line: '2024-07-23T10:04:01+0800 web01 kernel: msg',
    want: { shape: 'journal-short-iso', epochMs: 1721700241000, epochMicrosRemainder: 0, host: 'web01', ident: 'kernel', fromKernel: true, message: 'msg' },
  },
  {
    about: 'journal short-iso with a +08:00 offset',
    line: '2024-07-23T10:04:01+08:00 web01 kernel: msg',
    want: { shape: 'journal-short-iso', epochMs: 1721700241000, message: 'msg' },
  },
];
