// Sample lines of /dev/kmsg (kmsg.ts), run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'a record: sequence, microsecond uptime and message',
    line: '6,1234,12345678901,-;msg',
    want: { shape: 'kmsg', sequence: 1234, uptime: 12345.678901, message: 'msg', fromKernel: true, continuation: false },
  },
  {
    about: 'the first record of a boot',
    line: '6,1,0,-;Linux version 6.8.0',
    want: { shape: 'kmsg', uptime: 0, sequence: 1, message: 'Linux version 6.8.0' },
  },
  {
    about: 'an uptime of a few microseconds',
    line: '6,2,5,-;x',
    want: { shape: 'kmsg', uptime: 0.000005, message: 'x' },
  },
  {
    about: '\\xNN escapes become bytes, read as UTF-8',
    line: '4,1235,12345678902,-;comm "caf\\xc3\\xa9"\\x0aline2 back\\x5cslash',
    want: { shape: 'kmsg', message: 'comm "café"\nline2 back\\slash' },
  },
  {
    about: 'an invalid UTF-8 byte becomes U+FFFD',
    line: '4,1236,12345678903,-;bad \\xff byte',
    want: { shape: 'kmsg', message: 'bad \uFFFD byte' },
  },
  {
    about: 'a backslash-x without hex digits is kept',
    line: '4,1237,12345678904,-;not an escape \\xZZ',
    want: { shape: 'kmsg', message: 'not an escape \\xZZ' },
  },
  {
    about: 'the caller field of the header',
    line: '6,1236,12345678903,-,caller=T3106;msg',
    want: { shape: 'kmsg', caller: 'T3106', message: 'msg' },
  },
  {
    // 30 = facility 3 (daemon) << 3 | level 6
    about: 'a record written by user space is not from the kernel',
    line: '30,1237,12345679000,-;systemd[1]: Started x',
    want: { shape: 'kmsg', fromKernel: false, message: 'systemd[1]: Started x' },
  },
  {
    about: 'a dictionary line continues its record',
    line: ' SUBSYSTEM=cpu',
    want: { shape: 'kmsg', continuation: true, message: 'SUBSYSTEM=cpu', fromKernel: null },
  },
  {
    about: 'a dictionary line is unescaped too',
    line: ' DEVICE=+pci:0000:00:1f.2\\x20x',
    want: { shape: 'kmsg', continuation: true, message: 'DEVICE=+pci:0000:00:1f.2 x' },
  },
];
