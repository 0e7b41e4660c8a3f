// /dev/kmsg records, `6,1234,12345678901,-;msg`, and their dictionary lines ` SUBSYSTEM=pci`.

import { execAt, intOf, microsToSeconds } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { newEnvelope } from './new-envelope.js';

/** Record header: `pri,seq,usec,flag[,opt…];`. */
const KMSG_RE = /(\d{1,4}),(\d{1,20}),(\d{1,20}),([^;\n]{0,256});/y;
/** Dictionary line: ` SUBSYSTEM=pci`. */
const KMSG_DICT_RE = / [A-Z][A-Z0-9_]{0,63}=/y;

const UTF8 = new TextDecoder('utf-8');
const UTF8_ENCODER = new TextEncoder();

export function parseKmsg(line: string): Envelope | null {
  const m = execAt(KMSG_RE, line, 0);
  if (m === null) return null;
  const pri = intOf(m[1]);
  const env = newEnvelope('kmsg', '');
  // Facility 0 is the kernel's; user space writing to /dev/kmsg has another.
  env.fromKernel = pri >> 3 === 0;
  const seq = Number(m[2]);
  env.sequence = Number.isSafeInteger(seq) ? seq : null;
  env.uptime = microsToSeconds(m[3] ?? '0');
  const rest = m[4] ?? '';
  if (rest.length > 0) {
    for (const field of rest.split(',')) {
      if (field.startsWith('caller=')) env.caller = field.slice(7) || null;
    }
  }
  env.message = unescapeKmsg(line.slice(KMSG_RE.lastIndex));
  return env;
}

/** A dictionary line, which continues the record before it; null for any other line. */
export function parseKmsgDictionary(line: string): Envelope | null {
  if (execAt(KMSG_DICT_RE, line, 0) === null) return null;
  const env = newEnvelope('kmsg', unescapeKmsg(line.slice(1)));
  env.continuation = true;
  return env;
}

/**
 * /dev/kmsg escapes bytes outside printable ASCII (and `\\` itself) as `\xNN`; turn them back
 * into bytes and read the result as UTF-8 (invalid sequences → U+FFFD). Linear in the line.
 */
function unescapeKmsg(s: string): string {
  if (!s.includes('\\x')) return s;
  // Worst case 3 UTF-8 bytes per UTF-16 unit; kmsg text is ASCII, so usually 1.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const out = new Uint8Array(ascii ? s.length : s.length * 3);
  let o = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 92 /* \\ */ && i + 3 < n && s.charCodeAt(i + 1) === 120 /* x */) {
      const hi = hexValue(s.charCodeAt(i + 2));
      const lo = hexValue(s.charCodeAt(i + 3));
      if (hi >= 0 && lo >= 0) {
        out[o++] = hi * 16 + lo;
        i += 4;
        continue;
      }
    }
    if (c <= 0x7f) {
      out[o++] = c;
      i++;
      continue;
    }
    // A non-ASCII run: encode it as UTF-8 in place.
    let j = i + 1;
    while (j < n && s.charCodeAt(j) > 0x7f) j++;
    o += UTF8_ENCODER.encodeInto(s.slice(i, j), out.subarray(o)).written;
    i = j;
  }
  return UTF8.decode(out.subarray(0, o));
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
