// journalctl -o short-unix: `1721700241.123456 host tag: msg`, seconds since the epoch.

import { execAt, fractionMicros } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { newEnvelope, setEpochFromMicros } from './new-envelope.js';
import { readTailInto } from './syslog-tail.js';

const UNIX_RE = /(\d{9,12})\.(\d{1,9}) /y;

export function parseUnix(line: string): Envelope | null {
  const m = execAt(UNIX_RE, line, 0);
  if (m === null) return null;
  const env = newEnvelope('journal-short-unix', '');
  const epochMicros = Number(m[1] ?? '0') * 1_000_000 + fractionMicros(m[2]);
  if (Number.isSafeInteger(epochMicros)) setEpochFromMicros(env, epochMicros);
  else env.problem = 'invalid-date';
  return readTailInto(env, line, UNIX_RE.lastIndex);
}
