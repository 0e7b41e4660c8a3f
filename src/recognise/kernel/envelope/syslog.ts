// `Jul 23 10:04:01 host tag: msg`: rsyslog's traditional format and journalctl's short and
// short-precise, which share it. A month name in any supported locale, or a CJK numeric
// month (`12月`; ja/ko pad it with a space: ` 7月`).

import { validLocal } from './calendar.js';
import { execAt, fractionMicros, intOf } from './digits.js';
import type { Envelope, LineShape, LocalStamp } from './envelope-types.js';
import { readMonthName } from './locale-names.js';
import { newEnvelope } from './new-envelope.js';
import { nextSpace, readTailInto } from './syslog-tail.js';

/** After a month name: ` 3 10:04:01`, `  3 10:04:01`, ` 03 10:04:01.123456`. */
const SHORT_STAMP_RE = /( {1,2})(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: |$)/y;
/** A CJK numeric month: `7月`, `12월`. */
const CJK_MONTH_RE = /(\d{1,2})[月월](?= )/y;

/**
 * Journal short vs rsyslog traditional. journalctl writes the day zero-padded (`Jul 03`),
 * rsyslog space-padded (`Jul  3`): that decides days 1–9. For days 10–31 both look alike,
 * and files written by rsyslog (/var/log/syslog, messages, kern.log) are far more common than
 * saved journalctl output, so they count as syslog-rfc3164. A fraction on the seconds is
 * journalctl's short-precise; a month name outside English is journalctl's too (it localises
 * month names, rsyslog never does).
 */
function pickShortShape(zeroPaddedDay: boolean, localised: boolean, fraction: boolean): LineShape {
  if (fraction) return 'journal-short-precise';
  if (localised || zeroPaddedDay) return 'journal-short';
  return 'syslog-rfc3164';
}

interface MonthToken {
  /** undefined for a word that looks like a month name we do not know. */
  month: number | undefined;
  /** Not an English abbreviation (an unknown word counts as localised). */
  localised: boolean;
  end: number;
}

/** The month at `start`: `N月` / `N월`, or a month-name word followed by a space. */
function readMonthToken(line: string, start: number): MonthToken | null {
  const c0 = line.charCodeAt(start);
  const cjk = c0 >= 48 && c0 <= 57 ? execAt(CJK_MONTH_RE, line, start) : null;
  if (cjk !== null) return { month: intOf(cjk[1]), localised: true, end: CJK_MONTH_RE.lastIndex };
  const sp = nextSpace(line, start, 14);
  if (sp <= start || sp >= line.length) return null;
  const name = readMonthName(line.slice(start, sp));
  if (name === null) return null;
  return { month: name.month, localised: !name.english, end: sp };
}

/**
 * `Jul 23 10:04:01 host tag: msg` and its journal relatives, starting with the month token
 * at `start` (0, or 1 for the space-padded `' 7月'` of ja/ko locales).
 */
export function parseMonthLine(line: string, start: number): Envelope | null {
  const mt = readMonthToken(line, start);
  if (mt === null) return null;
  const s = execAt(SHORT_STAMP_RE, line, mt.end);
  if (s === null) return null;
  const dayDigits = s[2] ?? '';
  const zeroPaddedDay = (s[1] ?? ' ').length === 1 && dayDigits.length === 2 && dayDigits.charCodeAt(0) === 48;
  const fraction = s[6] !== undefined;

  const env = newEnvelope('journal-short', '');
  if (mt.month === undefined) {
    env.problem = 'unknown-month-name';
  } else {
    const local: LocalStamp = {
      year: null,
      month: mt.month,
      day: intOf(dayDigits),
      hour: intOf(s[3]),
      minute: intOf(s[4]),
      second: intOf(s[5]),
      micros: fractionMicros(s[6]),
    };
    if (validLocal(local)) env.local = local;
    else env.problem = 'invalid-date';
  }
  readTailInto(env, line, SHORT_STAMP_RE.lastIndex);
  env.shape = pickShortShape(zeroPaddedDay, mt.localised, fraction);
  return env;
}
