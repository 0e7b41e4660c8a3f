// Sample lines of journalctl short-unix (unix.ts), run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'epoch seconds read as an absolute instant, then host and tag',
    line: '1721700241.123456 web01 kernel: msg',
    want: { shape: 'journal-short-unix', epochMs: 1721700241123, epochMicrosRemainder: 456, host: 'web01', ident: 'kernel', fromKernel: true, message: 'msg' },
  },
];
