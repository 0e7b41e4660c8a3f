// Sample lines of dmesg -r (raw-priority.ts), run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'priority, then the uptime',
    line: '<4>[12345.678901] msg',
    want: { shape: 'dmesg-raw', uptime: 12345.678901, message: 'msg', fromKernel: true },
  },
  {
    about: 'priority without an uptime',
    line: '<6>Linux version 6.8.0',
    want: { shape: 'dmesg-raw', uptime: null, message: 'Linux version 6.8.0', fromKernel: true },
  },
  {
    // <14> = facility 1 (user) << 3 | level 6
    about: 'a non-kernel facility is not from the kernel',
    line: '<14>[  100.000001] systemd[1]: Started x',
    want: { shape: 'dmesg-raw', fromKernel: false, uptime: 100.000001, message: 'systemd[1]: Started x' },
  },
];
