// dmesg -x: `kern  :warn  : ` in front of any dmesg shape.

import { execAt } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { newEnvelope } from './new-envelope.js';

const DECODE_RE =
  /(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res[0-3]|local[0-7]) {0,6}:(emerg|alert|crit|err|warn|notice|info|debug) {0,6}: /y;

/**
 * The line after the facility and level is read by `parseInner` (the dispatch, which must not
 * look for a second decoding); only a dmesg shape, or no stamp at all, may follow.
 */
export function parseDecoded(line: string, parseInner: (rest: string) => Envelope): Envelope | null {
  const m = execAt(DECODE_RE, line, 0);
  if (m === null) return null;
  const rest = line.slice(DECODE_RE.lastIndex);
  const inner = parseInner(rest);
  const fromKernel = m[1] === 'kern';
  if (inner.shape === 'bare') {
    const env = newEnvelope('dmesg', rest);
    env.fromKernel = fromKernel;
    return env;
  }
  if (inner.shape.startsWith('dmesg')) {
    inner.fromKernel = fromKernel;
    return inner;
  }
  return null;
}
