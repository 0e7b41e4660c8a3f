// Lines led by an ISO 8601 stamp: dmesg --time-format iso (`,` fraction), rsyslog's
// high-precision RFC 3339 format, and journalctl short-iso / short-iso-precise.

import { daysFromCivil, offsetMinutes, validLocal } from './calendar.js';
import { execAt, fractionMicros, intOf } from './digits.js';
import type { Envelope, LineShape, LocalStamp } from './envelope-types.js';
import { newEnvelope, setEpochFromMicros } from './new-envelope.js';
import { readTailInto } from './syslog-tail.js';
import { finishAfterStamp } from './uptime-stamp.js';

const ISO_RE =
  /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:([.,])(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)(?: |$)/y;

/**
 * Which writer by the stamp's spelling. dmesg separates the fraction with `,`; rsyslog writes
 * `.123456+08:00`; journalctl short-iso writes no fraction, and its short-iso-precise
 * `.123456+0800` (systemd < 255; `+08:00` from 255 reads as rsyslog's).
 */
function isoShape(separator: string | undefined, zone: string): LineShape {
  if (separator === ',') return 'dmesg-iso';
  if (separator === '.' && (zone === 'Z' || zone.includes(':'))) return 'syslog-rfc3339';
  return 'journal-short-iso';
}

export function parseIso(line: string): Envelope | null {
  const m = execAt(ISO_RE, line, 0);
  if (m === null) return null;
  const year = intOf(m[1]);
  const month = intOf(m[2]);
  const day = intOf(m[3]);
  const hour = intOf(m[4]);
  const minute = intOf(m[5]);
  const second = intOf(m[6]);
  const micros = fractionMicros(m[8]);
  const end = ISO_RE.lastIndex;

  const zone = m[9] ?? 'Z';
  const shape = isoShape(m[7], zone);
  const offset = offsetMinutes(zone);
  const env = newEnvelope(shape, '');
  const local: LocalStamp = { year, month, day, hour, minute, second, micros };
  if (offset !== null && validLocal(local)) {
    const days = daysFromCivil(year, month, day);
    const secs = days * 86400 + hour * 3600 + minute * 60 + second - offset * 60;
    setEpochFromMicros(env, secs * 1_000_000 + micros);
  } else {
    env.problem = 'invalid-date';
  }

  if (shape === 'dmesg-iso') {
    env.fromKernel = true;
    // `end` is past the separating space (or at the end of the line).
    return finishAfterStamp(env, line, end > 0 && line.charCodeAt(end - 1) === 32 ? end - 1 : end);
  }
  return readTailInto(env, line, end);
}
