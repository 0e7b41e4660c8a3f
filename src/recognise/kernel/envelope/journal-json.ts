// journalctl -o json: one JSON object a line, with MESSAGE, __REALTIME_TIMESTAMP, __CURSOR.

import { microsToSeconds } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { newEnvelope, setEpochFromMicros } from './new-envelope.js';

/** Numeric fields (µs counters, pids) are strings of digits. */
const DIGITS_RE = /^\d{1,20}$/;

const UTF8 = new TextDecoder('utf-8');

/** A field's text; journalctl writes a field set more than once as an array. */
function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

/** MESSAGE as text: a string, or an array of bytes when it is not valid UTF-8 (→ U+FFFD). */
function jsonMessage(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (!Array.isArray(v)) return null;
  if (v.length > 0 && typeof v[0] !== 'number') return jsonMessage(v[0]);
  const bytes = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const b: unknown = v[i];
    if (typeof b !== 'number' || !Number.isInteger(b) || b < 0 || b > 255) return null;
    bytes[i] = b;
  }
  return UTF8.decode(bytes);
}

function digitsOf(v: unknown): string | null {
  const s = str(v);
  return s !== null && DIGITS_RE.test(s) ? s : null;
}

/** The journal entry a line holds; null when the line is other JSON, or not JSON. */
function journalEntry(line: string): Record<string, unknown> | null {
  let last = line.length - 1;
  const stop = Math.max(0, last - 16); // a little trailing whitespace, not a scan of the line
  while (last > stop && (line.charCodeAt(last) === 32 || line.charCodeAt(last) === 9)) last--;
  if (line.charCodeAt(last) !== 125 /* } */) return null;
  // journalctl -o json always writes __CURSOR, __REALTIME_TIMESTAMP (and MESSAGE); a fast
  // substring test spares JSON.parse on other JSON, however long.
  if (!line.includes('"MESSAGE"') && !line.includes('"__REALTIME_TIMESTAMP"') && !line.includes('"__CURSOR"')) return null;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return null;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const o = obj as Record<string, unknown>;
  if (!('MESSAGE' in o) && !('__REALTIME_TIMESTAMP' in o) && !('__CURSOR' in o)) return null;
  return o;
}

export function parseJournalJson(line: string): Envelope | null {
  const o = journalEntry(line);
  if (o === null) return null;
  const env = newEnvelope('journal-json', '');
  const msg = o.MESSAGE === undefined || o.MESSAGE === null ? '' : jsonMessage(o.MESSAGE);
  if (msg === null) env.problem = 'unreadable-message';
  env.message = msg ?? '';

  const real = digitsOf(o.__REALTIME_TIMESTAMP);
  if (real !== null) {
    const us = Number(real);
    if (Number.isSafeInteger(us)) setEpochFromMicros(env, us);
  }
  const mono = digitsOf(o._SOURCE_MONOTONIC_TIMESTAMP) ?? digitsOf(o.__MONOTONIC_TIMESTAMP);
  if (mono !== null) env.uptime = microsToSeconds(mono);
  env.bootId = str(o._BOOT_ID);
  env.host = str(o._HOSTNAME);
  env.ident = str(o.SYSLOG_IDENTIFIER);
  const pid = digitsOf(o._PID);
  if (pid !== null && pid.length <= 10) env.identPid = Number(pid);
  const transport = str(o._TRANSPORT);
  if (transport !== null) env.fromKernel = transport === 'kernel';
  else if (env.ident !== null) env.fromKernel = env.ident === 'kernel';
  return env;
}
