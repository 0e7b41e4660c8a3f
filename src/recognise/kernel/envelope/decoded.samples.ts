// Sample lines of dmesg -x (decoded.ts), run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'kernel facility and level before the stamp',
    line: 'kern  :warn  : [  455.498827] badsysprogram invoked oom-killer',
    want: { shape: 'dmesg', uptime: 455.498827, fromKernel: true, message: 'badsysprogram invoked oom-killer' },
  },
  {
    about: 'another facility is not from the kernel',
    line: 'daemon:info  : [   12.000001] systemd[1]: Started x',
    want: { shape: 'dmesg', fromKernel: false, message: 'systemd[1]: Started x' },
  },
];
