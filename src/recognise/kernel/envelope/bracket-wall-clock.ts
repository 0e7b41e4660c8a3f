// dmesg -T `[Tue Jul 23 10:04:01 2024]` (also `[... <  0.000123>]` with -d) and dmesg -e
// `[Jul23 10:04]`. The bracket is read as tokens, not by position, so localised names and
// translated orders (util-linux lets translators reorder `%a %b %e %H:%M:%S %Y`) both work:
// a time, a 4-digit year (ctime only), a 1–2 digit day, and a month: `N月`, or the last word
// that is a month name (the other word being the day name; es/fr/it `mar` is both).

import { validLocal } from './calendar.js';
import { intOf } from './digits.js';
import type { Envelope, LocalStamp } from './envelope-types.js';
import { isWeekday, monthOf } from './locale-names.js';
import { newEnvelope } from './new-envelope.js';
import { finishAfterStamp } from './uptime-stamp.js';

/** Tokens inside a dmesg -T / -e bracket: time, number (+CJK unit), word. */
const TOKEN_RE = /(\s+)|(\d{1,2}):(\d{2})(?::(\d{2}))?|(\d{1,4})([月월年년日일])?|([^\s\d]+)/y;
/** The `<    0.000123>` delta of dmesg -T -d, trimmed. */
const DELTA_VALUE_RE = /^-?\d{1,12}\.\d{1,9}$/;

interface Bracket {
  /** Between `[` and `]`, without a -d delta. */
  content: string;
  delta: number | null;
  close: number;
}

/** What the tokens of a bracket said; -1 / null where they said nothing. */
interface WallClockParts {
  hour: number;
  minute: number;
  /** -1 for dmesg -e's `HH:MM`. */
  second: number;
  year: number | null;
  day: number | null;
  /** From `7月` / `7월`. */
  cjkMonth: number | null;
  /** Month and day names, at most three. */
  words: string[];
}

export function readBracketWallClock(line: string): Envelope | null {
  const bracket = findBracket(line);
  if (bracket === null) return null;
  const parts = readParts(bracket.content);
  if (parts === null || parts.day === null) return null;
  const isCtime = parts.second >= 0;
  if (isCtime ? parts.year === null : parts.year !== null) return null;
  if (parts.cjkMonth === null && parts.words.length === 0) return null;

  const { month, unknownDay } = readNames(parts);
  const env = newEnvelope(isCtime ? 'dmesg-ctime' : 'dmesg-reltime', '');
  env.fromKernel = true;
  env.deltaSeconds = bracket.delta;
  if (month === null) {
    env.problem = 'unknown-month-name';
  } else {
    const { year, day, hour, minute } = parts;
    const local: LocalStamp = { year, month, day, hour, minute, second: isCtime ? parts.second : 0, micros: 0 };
    if (!validLocal(local)) env.problem = 'invalid-date';
    else {
      env.local = local;
      // The month was read; a day name we do not know only hints at an unsupported locale.
      if (unknownDay) env.problem = 'unknown-day-name';
    }
  }
  return finishAfterStamp(env, line, bracket.close + 1);
}

/** The `]` within a short window (a time needs a ':'), and a -d delta split off the end. */
function findBracket(line: string): Bracket | null {
  const limit = Math.min(line.length, 80);
  let close = -1;
  let colon = false;
  for (let i = 1; i < limit; i++) {
    const c = line.charCodeAt(i);
    if (c === 93) {
      close = i;
      break;
    }
    if (c === 58) colon = true;
  }
  if (close < 0 || !colon) return null;
  let content = line.slice(1, close);
  let delta: number | null = null;
  if (content.endsWith('>')) {
    const lt = content.lastIndexOf(' <');
    if (lt < 0) return null;
    const d = content.slice(lt + 2, -1).trim();
    if (!DELTA_VALUE_RE.test(d)) return null;
    delta = Number(d);
    content = content.slice(0, lt);
  }
  return { content, delta, close };
}

/** The bracket's tokens sorted into their parts; null when they cannot be a stamp (exactly one time). */
function readParts(content: string): WallClockParts | null {
  const parts: WallClockParts = { hour: -1, minute: -1, second: -1, year: null, day: null, cjkMonth: null, words: [] };
  let times = 0;
  let pos = 0;
  while (pos < content.length) {
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(content);
    if (m === null || TOKEN_RE.lastIndex === pos) return null;
    pos = TOKEN_RE.lastIndex;
    if (m[1] !== undefined) continue;
    if (m[2] !== undefined) {
      if (++times > 1) return null;
      parts.hour = intOf(m[2]);
      parts.minute = intOf(m[3]);
      parts.second = m[4] === undefined ? -1 : intOf(m[4]);
    } else if (m[5] !== undefined) {
      if (!readNumber(parts, m[5], m[6])) return null;
    } else if (m[7] !== undefined) {
      if (parts.words.length >= 3) return null;
      parts.words.push(m[7]);
    }
  }
  return times === 1 ? parts : null;
}

/** A number token: a CJK month, a year, or a day; false when it repeats one or fits none. */
function readNumber(parts: WallClockParts, digits: string, unit: string | undefined): boolean {
  if (unit === '月' || unit === '월') {
    if (parts.cjkMonth !== null || digits.length > 2) return false;
    parts.cjkMonth = intOf(digits);
  } else if (unit === '年' || unit === '년' || (unit === undefined && digits.length === 4)) {
    if (parts.year !== null || digits.length !== 4) return false;
    parts.year = intOf(digits);
  } else if (digits.length <= 2) {
    if (parts.day !== null) return false;
    parts.day = intOf(digits);
  } else {
    return false;
  }
  return true;
}

/** The month (from `N月` or the last month-name word) and whether another word is no day name we know. */
function readNames(parts: WallClockParts): { month: number | null; unknownDay: boolean } {
  const { words } = parts;
  let month: number | null = parts.cjkMonth;
  let monthWord = -1;
  if (month === null) {
    for (let i = words.length - 1; i >= 0; i--) {
      const mo = monthOf(words[i] ?? '');
      if (mo !== undefined) {
        month = mo;
        monthWord = i;
        break;
      }
    }
  }
  let unknownDay = false;
  for (let i = 0; i < words.length; i++) {
    if (i !== monthWord && !isWeekday(words[i] ?? '')) unknownDay = true;
  }
  return { month, unknownDay };
}
