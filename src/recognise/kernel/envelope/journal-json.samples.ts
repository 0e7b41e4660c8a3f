// Sample lines of journalctl -o json (journal-json.ts), run by test/recognise/kernel/envelope-samples.test.ts.

import type { EnvelopeSample } from './envelope-types.js';

export const samples: EnvelopeSample[] = [
  {
    about: 'realtime, source monotonic, boot id, host, transport',
    line: JSON.stringify({
      __REALTIME_TIMESTAMP: '1721700241123456',
      __MONOTONIC_TIMESTAMP: '12345999999',
      _SOURCE_MONOTONIC_TIMESTAMP: '12345678901',
      _BOOT_ID: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      _HOSTNAME: 'web01',
      SYSLOG_IDENTIFIER: 'kernel',
      _TRANSPORT: 'kernel',
      MESSAGE: 'Out of memory: Killed process 2074 (anqicms)',
    }),
    want: {
      shape: 'journal-json', epochMs: 1721700241123, epochMicrosRemainder: 456, uptime: 12345.678901,
      bootId: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', host: 'web01', ident: 'kernel', identPid: null, fromKernel: true,
      message: 'Out of memory: Killed process 2074 (anqicms)', local: null,
    },
  },
  {
    about: '__MONOTONIC_TIMESTAMP when there is no source monotonic time',
    line: '{"__MONOTONIC_TIMESTAMP":"5000001","MESSAGE":"x","_TRANSPORT":"kernel"}',
    want: { shape: 'journal-json', uptime: 5.000001, fromKernel: true, epochMs: null, message: 'x' },
  },
  {
    about: 'MESSAGE as an array of bytes, an invalid byte becoming U+FFFD',
    line: '{"MESSAGE":[97,110,113,105,255,99,109,115],"_TRANSPORT":"kernel"}',
    want: { shape: 'journal-json', message: 'anqi\uFFFDcms' },
  },
  {
    about: 'MESSAGE as the UTF-8 bytes of Chinese text',
    line: '{"MESSAGE":[228,184,173,230,150,135],"_TRANSPORT":"kernel"}',
    want: { shape: 'journal-json', message: '中文' },
  },
  {
    about: 'pid and non-kernel transport',
    line: '{"MESSAGE":"sending SIGTERM","SYSLOG_IDENTIFIER":"earlyoom","_PID":"812","_TRANSPORT":"syslog"}',
    want: { shape: 'journal-json', ident: 'earlyoom', identPid: 812, fromKernel: false, message: 'sending SIGTERM' },
  },
];
