// The per-line "envelope" recogniser: given one line of a kernel log, find which prefix shape
// it carries (dmesg and its options, /dev/kmsg, rsyslog, journalctl's outputs), read the
// stamps in that prefix, and hand back the message with every prefix peeled off.
//
// Stateless and total: any string in, an Envelope out; nothing here throws (a failure
// anywhere makes the line `bare`). Every prefix pattern is sticky and bounded (see digits.ts),
// so a line costs the same however long it is; the only whole-line work is JSON.parse for
// lines that look like journal JSON, and un-escaping of /dev/kmsg messages (both linear).
//
// The first character picks the family; each family's file says what it reads:
//   `[`     bracket.ts (dmesg, -d, -e, -T; journalctl short-monotonic)
//   `<`     raw-priority.ts (dmesg -r)
//   `{`     journal-json.ts
//   digit   iso.ts, then unix.ts, kmsg.ts, and syslog.ts for `12月 17 …` (journalctl
//           localises month names, rsyslog never does)
//   space   kmsg.ts's dictionary lines ` KEY=value`; syslog.ts for ` 7月 03 …` (ja/ko month
//           names are space-padded); any other indented line is a bare continuation
//   other   syslog.ts (month name in any supported locale); decoded.ts (dmesg -x)
// Anything else is `bare`, the whole line its message.

import { parseBracket } from './bracket.js';
import { parseDecoded } from './decoded.js';
import type { Envelope } from './envelope-types.js';
import { parseIso } from './iso.js';
import { parseJournalJson } from './journal-json.js';
import { parseKmsg, parseKmsgDictionary } from './kmsg.js';
import { bareEnvelope } from './new-envelope.js';
import { parseRawPriority } from './raw-priority.js';
import { parseMonthLine } from './syslog.js';
import { parseUnix } from './unix.js';

export type { Envelope, LineShape, LocalStamp } from './envelope-types.js';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A line led by a digit: an ISO stamp, unix seconds, a kmsg header, or a CJK month. */
function parseDigitLed(line: string): Envelope | null {
  let env: Envelope | null = null;
  if (line.charCodeAt(4) === 45 /* - */) env = parseIso(line);
  if (env === null) env = parseUnix(line);
  if (env === null) env = parseKmsg(line);
  if (env === null) env = parseMonthLine(line, 0);
  return env;
}

function parse(line: string, allowDecoded: boolean): Envelope {
  const c = line.charCodeAt(0);
  if (Number.isNaN(c)) return bareEnvelope(line);
  let env: Envelope | null = null;
  if (c === 91 /* [ */) {
    env = parseBracket(line);
  } else if (isDigit(c)) {
    env = parseDigitLed(line);
  } else if (c === 60 /* < */) {
    env = parseRawPriority(line);
  } else if (c === 123 /* { */) {
    env = parseJournalJson(line);
  } else if (c === 32 /* space */) {
    env = parseKmsgDictionary(line);
    if (env === null && isDigit(line.charCodeAt(1))) env = parseMonthLine(line, 1);
  } else if (c > 32) {
    env = parseMonthLine(line, 0);
    // dmesg -x facilities are lower-case words; what follows them is read once, undecoded.
    if (env === null && allowDecoded && c >= 97 && c <= 122) env = parseDecoded(line, (rest) => parse(rest, false));
  }
  return env ?? bareEnvelope(line);
}

// ANSI CSI sequences (`\x1b[32m`, `\x1b[0m`, `\x1b[K`) and the rarer OSC/charset escapes.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z])/g;

/**
 * Recognise the prefix of one kernel-log line and peel it off.
 * `line` has no trailing newline; a trailing `\r` is dropped. Never throws.
 */
export function parseEnvelope(line: string): Envelope {
  let s: string = typeof line === 'string' ? line : '';
  try {
    if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    // Colour codes (`dmesg --color=always`, a coloured terminal's copy) would hide the stamp and the message.
    if (s.includes('\x1b')) s = s.replace(ANSI_ESCAPES, '');
    return parse(s, true);
  } catch {
    return bareEnvelope(s);
  }
}
