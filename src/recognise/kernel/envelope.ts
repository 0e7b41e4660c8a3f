// The per-line "envelope" recogniser: given one line of a kernel log, find which of the
// prefix shapes of formats.md §4 it carries, read the stamps in that prefix, and hand back
// the message with every prefix peeled off.
//
// Stateless and total: any string in, an Envelope out; nothing here throws (a failure
// anywhere makes the line `bare`). Every regex is compiled once, anchored by the sticky
// flag and built from bounded quantifiers, so a match costs at most a few hundred steps
// whatever the length of the line; the only whole-line work is JSON.parse for lines that
// look like journal JSON, and un-escaping of /dev/kmsg messages (both linear).
//
// Detection rules, by the line's first character:
//   `[`  `[ 12.345678]` (a decimal point is required: `[   2074]` and `[  pid  ]` are
//        task-table text, not stamps) → dmesg; `[12.3 <  0.1>]` → dmesg-delta;
//        `[<  0.1>]` → dmesg-delta without uptime; `[  +0.000123]` → dmesg-reltime;
//        `[Jul23 10:04]` → dmesg-reltime; `[Tue Jul 23 10:04:01 2024]` → dmesg-ctime.
//        `[12.345678] host kernel: msg` or `… host name[pid]: msg` → journal-short-monotonic
//        (dmesg text such as `usb 1-1: …` or `systemd[1]: …` has no host word before a
//        `kernel:` / `name[pid]:` tag, so it stays dmesg).
//   `<`  `<4>[12.345678] msg` → dmesg-raw.
//   `{`  a JSON object with MESSAGE / __REALTIME_TIMESTAMP / __CURSOR → journal-json.
//   digit  `2024-07-23T10:04:01,123456+08:00 msg` (comma) → dmesg-iso;
//        with `.` fraction and a `+08:00`/`Z` zone → syslog-rfc3339; without fraction, or with
//        a `+0800` zone (journalctl short-iso / short-iso-precise) → journal-short-iso;
//        `6,1234,12345678901,-;msg` → kmsg; `1721700241.123456 host tag: msg` → journal-short-unix;
//        `12月 17 10:04:01 host tag: msg` → journal-short (journalctl localises month names,
//        rsyslog never does).
//   space  ` KEY=value` → kmsg dictionary line (continuation); ` 7月 03 …` (ja/ko month
//        names are space-padded) → journal-short; any other indented line → bare continuation.
//   other  `Jul 23 10:04:01 host tag: msg` (month name in any supported locale) → syslog or
//        journal short (see pickShortShape); `kern  :warn  : …` (dmesg -x) → the shape after it.
// Anything else is `bare`, the whole line its message.

import type { Envelope, LineShape, LocalStamp } from './envelope-types.js';

export type { Envelope, LineShape, LocalStamp } from './envelope-types.js';

// ---------------------------------------------------------------------------------------
// Month and day names: glibc's %b / %a abbreviations (localedata/locales/*), compared in
// lower case without a trailing '.', plus a few older glibc spellings seen in old logs.

const MONTH_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['en', 'jan feb mar apr may jun jul aug sep oct nov dec'],
  ['de', 'jan feb mär apr mai jun jul aug sep okt nov dez'],
  ['fr', 'janv févr mars avril mai juin juil août sept oct nov déc'],
  ['fr-CA', 'jan fév mar avr mai jun jui aoû sep oct nov déc'],
  ['es', 'ene feb mar abr may jun jul ago sep oct nov dic'],
  ['pt', 'jan fev mar abr mai jun jul ago set out nov dez'],
  ['ru', 'янв фев мар апр мая июн июл авг сен окт ноя дек'],
  ['ru-nominative', 'янв фев мар апр май июн июл авг сен окт ноя дек'],
  ['it', 'gen feb mar apr mag giu lug ago set ott nov dic'],
];
// de_AT writes `Jän`; some older German tables wrote `Mrz`.
const MONTH_EXTRA: ReadonlyArray<readonly [string, number]> = [['jän', 1], ['mrz', 3]];

const MONTHS = new Map<string, number>();
for (const [, names] of MONTH_NAMES) {
  names.split(' ').forEach((name, i) => MONTHS.set(name, i + 1));
}
for (const [name, month] of MONTH_EXTRA) MONTHS.set(name, month);

/** English abbreviations: the only ones rsyslog writes (it never localises). */
const ENGLISH_MONTHS = new Set('jan feb mar apr may jun jul aug sep oct nov dec'.split(' '));
const ENGLISH_AS_WRITTEN = new Set(
  [...ENGLISH_MONTHS].flatMap((m) => [m, m.toUpperCase(), m.charAt(0).toUpperCase() + m.slice(1)]),
);

const WEEKDAYS = new Set<string>(
  [
    'sun mon tue wed thu fri sat', // en
    'so mo di mi do fr sa', // de
    'dim lun mar mer jeu ven sam', // fr
    'dom lun mar mié jue vie sáb', // es
    'dom seg ter qua qui sex sáb', // pt
    'вс пн вт ср чт пт сб', // ru
    'вск пнд втр срд чтв птн суб', // ru, older glibc
    'dom lun mar mer gio ven sab', // it
    '日 一 二 三 四 五 六', // zh (glibc %a)
    '周日 周一 周二 周三 周四 周五 周六 周天', // zh, other tools
    '星期日 星期一 星期二 星期三 星期四 星期五 星期六 星期天', // zh %A
    '日 月 火 水 木 金 土', // ja
    '일 월 화 수 목 금 토', // ko
  ]
    .join(' ')
    .split(' '),
);

function nameKey(word: string): string {
  let key = word;
  // strip trailing '.', ',' (fr `juil.`, de `12.`)
  while (key.length > 0) {
    const last = key.charCodeAt(key.length - 1);
    if (last === 46 || last === 44) key = key.slice(0, -1);
    else break;
  }
  key = key.toLowerCase();
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) > 0x7f) return key.normalize('NFC');
  }
  return key;
}

/** Month names as written (`Jul`, `jul`, `JUL`), so the common case needs no case folding. */
const MONTHS_AS_WRITTEN = new Map<string, number>();
for (const [name, month] of MONTHS) {
  MONTHS_AS_WRITTEN.set(name, month);
  MONTHS_AS_WRITTEN.set(name.toUpperCase(), month);
  MONTHS_AS_WRITTEN.set(name.charAt(0).toUpperCase() + name.slice(1), month);
}

function monthOf(word: string): number | undefined {
  return MONTHS_AS_WRITTEN.get(word) ?? MONTHS.get(nameKey(word));
}

function isWeekday(word: string): boolean {
  let key = nameKey(word);
  if (key.startsWith('(') && key.endsWith(')')) key = key.slice(1, -1);
  return WEEKDAYS.has(key);
}

// ---------------------------------------------------------------------------------------
// Precompiled, anchored (sticky) patterns. All quantifiers are bounded.

/** `[ 12345.678901]`, optionally with the dmesg -d delta: `[12345.678901 <    0.000123>]`. */
const UPTIME_RE = /\[ {0,16}(\d{1,12}\.\d{1,9})(?: < {0,16}(-?\d{1,12}\.\d{1,9})>)?\]/y;
/** PRINTK_CALLER id after the uptime: `[ T3106]` / `[    C1]`, directly or after one space. */
const CALLER_RE = / ?\[ {0,16}([TC]\d{1,10})\]/y;
/** dmesg -d without time: `[<    0.000123>]`. */
const DELTA_ONLY_RE = /\[< {0,16}(-?\d{1,12}\.\d{1,9})>\]/y;
/** dmesg -e delta line: `[  +0.000123]`, `[ +12.000123]`. */
const RELTIME_DELTA_RE = /\[ {0,16}([+-]\d{1,12}\.\d{1,9})\]/y;
/** dmesg -r: `<4>` (then usually a `[uptime]`). */
const RAW_PRI_RE = /<(\d{1,4})>/y;
/** dmesg -x: `kern  :warn  : `. */
const DECODE_RE =
  /(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res[0-3]|local[0-7]) {0,6}:(emerg|alert|crit|err|warn|notice|info|debug) {0,6}: /y;
/** ISO 8601 stamp: dmesg --time-format iso (`,` fraction), rsyslog RFC 3339, journal short-iso. */
const ISO_RE =
  /(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:([.,])(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)(?: |$)/y;
/** /dev/kmsg record header: `pri,seq,usec,flag[,opt…];`. */
const KMSG_RE = /(\d{1,4}),(\d{1,20}),(\d{1,20}),([^;\n]{0,256});/y;
/** kmsg dictionary line: ` SUBSYSTEM=pci`. */
const KMSG_DICT_RE = / [A-Z][A-Z0-9_]{0,63}=/y;
/** journalctl -o short-unix: `1721700241.123456 `. */
const UNIX_RE = /(\d{9,12})\.(\d{1,9}) /y;
/** After a month name: ` 3 10:04:01`, `  3 10:04:01`, ` 03 10:04:01.123456`. */
const SHORT_STAMP_RE = /( {1,2})(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: |$)/y;
/** A CJK numeric month: `7月`, `12월`. */
const CJK_MONTH_RE = /(\d{1,2})[月월](?= )/y;
/** A month-name-looking word (letters and dots) when the name is not in our tables. */
const UNKNOWN_MONTH_WORD_RE = /^[\p{L}.]{2,12}$/u;
/** Tokens inside a dmesg -T / -e bracket: time, number (+CJK unit), word. */
const CTIME_TOKEN_RE = /(\s+)|(\d{1,2}):(\d{2})(?::(\d{2}))?|(\d{1,4})([月월年년日일])?|([^\s\d]+)/y;
/** The `<    0.000123>` delta of dmesg -T -d, trimmed. */
const DELTA_VALUE_RE = /^-?\d{1,12}\.\d{1,9}$/;
/** Journal JSON numeric fields (µs counters, pids) are strings of digits. */
const DIGITS_RE = /^\d{1,20}$/;

const UTF8 = new TextDecoder('utf-8');
const UTF8_ENCODER = new TextEncoder();

// ---------------------------------------------------------------------------------------

function make(shape: LineShape, message: string): Envelope {
  return {
    shape,
    message,
    uptime: null,
    local: null,
    epochMs: null,
    epochMicrosRemainder: 0,
    host: null,
    ident: null,
    identPid: null,
    fromKernel: null,
    continuation: false,
    caller: null,
    bootId: null,
    sequence: null,
    deltaSeconds: null,
    problem: null,
  };
}

function bare(line: string): Envelope {
  const env = make('bare', line);
  const c = line.charCodeAt(0);
  // An indented line without a stamp: in dmesg output, the continuation of a multi-line record.
  if (c === 32 || c === 9) env.continuation = true;
  return env;
}

function exec(re: RegExp, line: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(line);
}

/** A short run of ASCII digits (captured by a pattern) → its value, without Number()'s generality. */
function int(digits: string | undefined): number {
  if (digits === undefined) return 0;
  let v = 0;
  for (let i = 0; i < digits.length; i++) v = v * 10 + (digits.charCodeAt(i) - 48);
  return v;
}

/** Digits after a decimal point → microseconds (first six digits, right-padded). */
function fracMicros(frac: string | undefined): number {
  if (frac === undefined || frac === '') return 0;
  const six = frac.length >= 6 ? frac.slice(0, 6) : frac + '000000'.slice(frac.length);
  return int(six);
}

/** A whole number of microseconds (as digits) → seconds, exact to the microsecond. */
function microsToSeconds(digits: string): number {
  const s = digits.length > 7 ? digits : digits.padStart(7, '0');
  return Number(s.slice(0, -6) + '.' + s.slice(-6));
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(month: number, year: number | null): number {
  if (month === 2) return year === null || isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validLocal(s: LocalStamp): boolean {
  return (
    s.month >= 1 &&
    s.month <= 12 &&
    s.day >= 1 &&
    s.day <= daysInMonth(s.month, s.year) &&
    s.hour <= 23 &&
    s.minute <= 59 &&
    s.second <= 60
  );
}

/** Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (no Date quirks). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `Z`, `+0800`, `+08:00`, `+08` → minutes east of UTC, or null when out of range. */
function offsetMinutes(zone: string): number | null {
  if (zone === 'Z') return 0;
  const sign = zone.charCodeAt(0) === 45 ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (h > 23 || m > 59) return null;
  return sign * (h * 60 + m);
}

function setEpochFromMicros(env: Envelope, epochMicros: number): void {
  env.epochMs = Math.floor(epochMicros / 1000);
  env.epochMicrosRemainder = epochMicros - env.epochMs * 1000;
}

// ---------------------------------------------------------------------------------------
// Pieces shared by several shapes.

interface Stamped {
  uptime: number;
  delta: number | null;
  end: number;
}

function readUptime(line: string, pos: number): Stamped | null {
  const m = exec(UPTIME_RE, line, pos);
  if (m === null) return null;
  return {
    uptime: Number(m[1]),
    delta: m[2] === undefined ? null : Number(m[2]),
    end: UPTIME_RE.lastIndex,
  };
}

/**
 * At `pos` (just after a stamp): an optional PRINTK_CALLER id, then one separating space.
 * Sets env.caller and env.message.
 */
function finishAfterStamp(env: Envelope, line: string, pos: number): Envelope {
  let p = pos;
  const cm = exec(CALLER_RE, line, p);
  if (cm !== null) {
    env.caller = cm[1] ?? null;
    p = CALLER_RE.lastIndex;
  }
  if (line.charCodeAt(p) === 32) p++;
  env.message = line.slice(p);
  return env;
}

/** Peel a kernel `[uptime]` (+ caller) off a syslog/journal kernel message. */
function peelKernelUptime(env: Envelope, line: string, pos: number): boolean {
  const st = readUptime(line, pos);
  if (st === null) return false;
  env.uptime = st.uptime;
  if (st.delta !== null) env.deltaSeconds = st.delta;
  finishAfterStamp(env, line, st.end);
  return true;
}

/** Index of the next space at or after `pos`, looking at most `limit` characters; -1 if none. */
function nextSpace(line: string, pos: number, limit: number): number {
  const end = Math.min(line.length, pos + limit);
  for (let i = pos; i < end; i++) {
    if (line.charCodeAt(i) === 32) return i;
  }
  return end === line.length ? line.length : -1;
}

interface Tag {
  ident: string;
  pid: number | null;
}

/** A syslog tag with its colon: `kernel:`, `CRON[14500]:`, `/usr/bin/lock:`, `rsyslogd-2177:`. */
function readTag(token: string): Tag | null {
  const n = token.length;
  if (n < 2 || token.charCodeAt(n - 1) !== 58 /* : */) return null;
  let name = token.slice(0, -1);
  let pid: number | null = null;
  if (name.charCodeAt(name.length - 1) === 93 /* ] */) {
    const open = name.lastIndexOf('[');
    if (open <= 0) return null;
    const digits = name.slice(open + 1, -1);
    if (digits.length === 0 || digits.length > 10) return null;
    for (let i = 0; i < digits.length; i++) {
      const d = digits.charCodeAt(i);
      if (d < 48 || d > 57) return null;
    }
    pid = int(digits);
    name = name.slice(0, open);
  }
  if (name.length === 0 || name.includes('[') || name.includes(']')) return null;
  return { ident: name, pid };
}

interface Tail {
  host: string | null;
  tag: Tag | null;
  /** Where the message starts. */
  msg: number;
}

/**
 * `host tag: msg`, or `tag: msg` when the host was stripped (pasted logs). A first word
 * ending in `:` is taken for the tag: host names never end with a colon.
 */
function readTail(line: string, pos: number): Tail | null {
  const sp1 = nextSpace(line, pos, 300);
  if (sp1 <= pos) return null;
  const first = line.slice(pos, sp1);
  const tag1 = readTag(first);
  if (tag1 !== null) {
    return { host: null, tag: tag1, msg: sp1 < line.length ? sp1 + 1 : sp1 };
  }
  const host = first;
  const p2 = sp1 + 1;
  if (p2 > line.length) return { host, tag: null, msg: line.length };
  const sp2 = nextSpace(line, p2, 300);
  if (sp2 > p2) {
    const tag2 = readTag(line.slice(p2, sp2));
    if (tag2 !== null) return { host, tag: tag2, msg: sp2 < line.length ? sp2 + 1 : sp2 };
  }
  return { host, tag: null, msg: p2 };
}

/** Fill host/ident/pid/fromKernel/message from a syslog-style tail; peel `[uptime]` off kernel lines. */
function applyTail(env: Envelope, line: string, tail: Tail): boolean {
  env.host = tail.host;
  env.message = line.slice(tail.msg);
  if (tail.tag === null) return false;
  env.ident = tail.tag.ident;
  env.identPid = tail.tag.pid;
  env.fromKernel = tail.tag.ident === 'kernel';
  if (env.fromKernel) return peelKernelUptime(env, line, tail.msg);
  return false;
}

// ---------------------------------------------------------------------------------------
// `[`-led lines.

function parseBracket(line: string): Envelope | null {
  const st = readUptime(line, 0);
  if (st !== null) {
    if (st.delta !== null) {
      const env = make('dmesg-delta', '');
      env.uptime = st.uptime;
      env.deltaSeconds = st.delta;
      env.fromKernel = true;
      return finishAfterStamp(env, line, st.end);
    }
    // journalctl -o short-monotonic: `[12345.678901] host kernel: msg` / `host name[pid]: msg`
    if (line.charCodeAt(st.end) === 32) {
      const tail = readTail(line, st.end + 1);
      if (tail !== null && tail.host !== null && tail.tag !== null && (tail.tag.ident === 'kernel' || tail.tag.pid !== null)) {
        const env = make('journal-short-monotonic', '');
        env.uptime = st.uptime;
        env.host = tail.host;
        env.ident = tail.tag.ident;
        env.identPid = tail.tag.pid;
        env.fromKernel = tail.tag.ident === 'kernel';
        env.message = line.slice(tail.msg);
        return env;
      }
    }
    const env = make('dmesg', '');
    env.uptime = st.uptime;
    env.fromKernel = true;
    return finishAfterStamp(env, line, st.end);
  }
  const c1 = line.charCodeAt(1);
  if (c1 === 60 /* < */) {
    const m = exec(DELTA_ONLY_RE, line, 0);
    if (m === null) return null;
    const env = make('dmesg-delta', '');
    env.deltaSeconds = Number(m[1]);
    env.fromKernel = true;
    return finishAfterStamp(env, line, DELTA_ONLY_RE.lastIndex);
  }
  const rd = exec(RELTIME_DELTA_RE, line, 0);
  if (rd !== null) {
    const env = make('dmesg-reltime', '');
    env.deltaSeconds = Number(rd[1]);
    env.fromKernel = true;
    return finishAfterStamp(env, line, RELTIME_DELTA_RE.lastIndex);
  }
  return parseCtime(line);
}

/**
 * dmesg -T `[Tue Jul 23 10:04:01 2024]` (also `[... <  0.000123>]` with -d) and dmesg -e
 * `[Jul23 10:04]`. The bracket is read as tokens, not by position, so localised names and
 * translated orders (util-linux lets translators reorder `%a %b %e %H:%M:%S %Y`) both work:
 * a time, a 4-digit year (ctime only), a 1–2 digit day, and a month: `N月`, or the last word
 * that is a month name (the other word being the day name; es/fr/it `mar` is both).
 */
function parseCtime(line: string): Envelope | null {
  // Find `]` within a short window; a time needs a ':'.
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

  let hour = -1;
  let minute = -1;
  let second = -1;
  let times = 0;
  let year: number | null = null;
  let day: number | null = null;
  let cjkMonth: number | null = null;
  const words: string[] = [];
  let pos = 0;
  while (pos < content.length) {
    CTIME_TOKEN_RE.lastIndex = pos;
    const m = CTIME_TOKEN_RE.exec(content);
    if (m === null || CTIME_TOKEN_RE.lastIndex === pos) return null;
    pos = CTIME_TOKEN_RE.lastIndex;
    if (m[1] !== undefined) continue;
    if (m[2] !== undefined) {
      if (++times > 1) return null;
      hour = int(m[2]);
      minute = int(m[3]);
      second = m[4] === undefined ? -1 : int(m[4]);
      continue;
    }
    if (m[5] !== undefined) {
      const digits = m[5];
      const unit = m[6];
      if (unit === '月' || unit === '월') {
        if (cjkMonth !== null || digits.length > 2) return null;
        cjkMonth = int(digits);
      } else if (unit === '年' || unit === '년' || (unit === undefined && digits.length === 4)) {
        if (year !== null || digits.length !== 4) return null;
        year = int(digits);
      } else if (digits.length <= 2) {
        if (day !== null) return null;
        day = int(digits);
      } else {
        return null;
      }
      continue;
    }
    if (m[7] !== undefined) {
      if (words.length >= 3) return null;
      words.push(m[7]);
    }
  }
  if (times !== 1 || day === null) return null;
  const isCtime = second >= 0;
  if (isCtime ? year === null : year !== null) return null;
  if (cjkMonth === null && words.length === 0) return null;

  let month: number | null = cjkMonth;
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

  const env = make(isCtime ? 'dmesg-ctime' : 'dmesg-reltime', '');
  env.fromKernel = true;
  env.deltaSeconds = delta;
  if (month === null) {
    env.problem = 'unknown-month-name';
  } else {
    const local: LocalStamp = {
      year,
      month,
      day,
      hour,
      minute,
      second: isCtime ? second : 0,
      micros: 0,
    };
    if (!validLocal(local)) env.problem = 'invalid-date';
    else {
      env.local = local;
      // The month was read; a day name we do not know only hints at an unsupported locale.
      if (unknownDay) env.problem = 'unknown-day-name';
    }
  }
  return finishAfterStamp(env, line, close + 1);
}

// ---------------------------------------------------------------------------------------
// Other shapes.

function parseRaw(line: string): Envelope | null {
  const m = exec(RAW_PRI_RE, line, 0);
  if (m === null) return null;
  const pri = int(m[1]);
  if (pri > 1023) return null;
  const env = make('dmesg-raw', '');
  env.fromKernel = pri >> 3 === 0;
  const p = RAW_PRI_RE.lastIndex;
  const st = readUptime(line, p);
  if (st === null) {
    env.message = line.slice(p);
    return env;
  }
  env.uptime = st.uptime;
  if (st.delta !== null) env.deltaSeconds = st.delta;
  return finishAfterStamp(env, line, st.end);
}

function parseIso(line: string, m: RegExpExecArray): Envelope {
  const year = int(m[1]);
  const month = int(m[2]);
  const day = int(m[3]);
  const hour = int(m[4]);
  const minute = int(m[5]);
  const second = int(m[6]);
  const sep = m[7];
  const micros = fracMicros(m[8]);
  const end = ISO_RE.lastIndex;

  // rsyslog writes `.123456+08:00`; journalctl short-iso writes no fraction, and its
  // short-iso-precise `.123456+0800` (systemd < 255; `+08:00` from 255 reads as rsyslog's).
  const zone = m[9] ?? 'Z';
  const shape: LineShape =
    sep === ','
      ? 'dmesg-iso'
      : sep === '.' && (zone === 'Z' || zone.includes(':'))
        ? 'syslog-rfc3339'
        : 'journal-short-iso';
  const offset = offsetMinutes(zone);
  const env = make(shape, '');
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
  const tail = readTail(line, end);
  if (tail === null) {
    env.message = line.slice(end);
    return env;
  }
  applyTail(env, line, tail);
  return env;
}

/**
 * /dev/kmsg escapes bytes outside printable ASCII (and `\\` itself) as `\xNN`; turn them back
 * into bytes and read the result as UTF-8 (invalid sequences → U+FFFD).
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

function parseKmsg(line: string): Envelope | null {
  const m = exec(KMSG_RE, line, 0);
  if (m === null) return null;
  const pri = int(m[1]);
  const env = make('kmsg', '');
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

function parseUnix(line: string, m: RegExpExecArray): Envelope {
  const env = make('journal-short-unix', '');
  const secs = m[1] ?? '0';
  const micros = fracMicros(m[2]);
  const epochMicros = Number(secs) * 1_000_000 + micros;
  if (Number.isSafeInteger(epochMicros)) setEpochFromMicros(env, epochMicros);
  else env.problem = 'invalid-date';
  const end = UNIX_RE.lastIndex;
  const tail = readTail(line, end);
  if (tail === null) env.message = line.slice(end);
  else applyTail(env, line, tail);
  return env;
}

/**
 * Journal short vs rsyslog traditional. journalctl writes the day zero-padded (`Jul 03`),
 * rsyslog space-padded (`Jul  3`): that decides days 1–9. For days 10–31 both look alike,
 * and files written by rsyslog (/var/log/syslog, messages, kern.log) are far more common than
 * saved journalctl output, so they count as syslog-rfc3164. A fraction on the
 * seconds is journalctl's short-precise; a month name outside English is journalctl's too
 * (it localises month names, rsyslog never does).
 */
function pickShortShape(padding: 'space' | 'zero' | 'either', localised: boolean, fraction: boolean): LineShape {
  if (fraction) return 'journal-short-precise';
  if (localised) return 'journal-short';
  if (padding === 'zero') return 'journal-short';
  if (padding === 'space') return 'syslog-rfc3164';
  return 'syslog-rfc3164';
}

/**
 * `Jul 23 10:04:01 host tag: msg` and its journal relatives, starting with the month token
 * at `start` (0, or 1 for the space-padded `' 7月'` of ja/ko locales).
 */
function parseMonthLine(line: string, start: number): Envelope | null {
  let month: number | undefined;
  let localised = true;
  let afterMonth: number;
  const c0 = line.charCodeAt(start);
  const cjk = c0 >= 48 && c0 <= 57 ? exec(CJK_MONTH_RE, line, start) : null;
  if (cjk !== null) {
    month = int(cjk[1]);
    afterMonth = CJK_MONTH_RE.lastIndex;
  } else {
    const sp = nextSpace(line, start, 14);
    if (sp <= start || sp >= line.length) return null;
    const word = line.slice(start, sp);
    month = MONTHS_AS_WRITTEN.get(word);
    if (month !== undefined) {
      localised = !ENGLISH_AS_WRITTEN.has(word);
    } else {
      const key = nameKey(word);
      month = MONTHS.get(key);
      if (month !== undefined) localised = !ENGLISH_MONTHS.has(key);
      else if (!UNKNOWN_MONTH_WORD_RE.test(word)) return null;
    }
    afterMonth = sp;
  }
  const s = exec(SHORT_STAMP_RE, line, afterMonth);
  if (s === null) return null;
  const spaces = (s[1] ?? ' ').length;
  const dayDigits = s[2] ?? '';
  const padding: 'space' | 'zero' | 'either' =
    spaces === 2 && dayDigits.length === 1
      ? 'space'
      : spaces === 1 && dayDigits.length === 2 && dayDigits.charCodeAt(0) === 48
        ? 'zero'
        : 'either';
  const fraction = s[6] !== undefined;
  const end = SHORT_STAMP_RE.lastIndex;

  const env = make('journal-short', '');
  if (month === undefined) {
    env.problem = 'unknown-month-name';
  } else {
    const local: LocalStamp = {
      year: null,
      month,
      day: int(dayDigits),
      hour: int(s[3]),
      minute: int(s[4]),
      second: int(s[5]),
      micros: fracMicros(s[6]),
    };
    if (validLocal(local)) env.local = local;
    else env.problem = 'invalid-date';
  }
  const tail = end < line.length ? readTail(line, end) : null;
  if (tail === null) env.message = line.slice(end);
  else applyTail(env, line, tail);
  env.shape = month === undefined ? (fraction ? 'journal-short-precise' : 'journal-short') : pickShortShape(padding, localised, fraction);
  return env;
}

/** `dmesg -x`: `kern  :warn  : ` in front of any dmesg shape. */
function parseDecoded(line: string): Envelope | null {
  const m = exec(DECODE_RE, line, 0);
  if (m === null) return null;
  const rest = line.slice(DECODE_RE.lastIndex);
  const inner = parse(rest, false);
  const fromKernel = m[1] === 'kern';
  if (inner.shape === 'bare') {
    const env = make('dmesg', rest);
    env.fromKernel = fromKernel;
    return env;
  }
  if (inner.shape.startsWith('dmesg')) {
    inner.fromKernel = fromKernel;
    return inner;
  }
  return null;
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

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

function parseJson(line: string): Envelope | null {
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

  const env = make('journal-json', '');
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

// ---------------------------------------------------------------------------------------

function parse(line: string, allowDecoded: boolean): Envelope {
  const c = line.charCodeAt(0);
  if (Number.isNaN(c)) return bare(line);
  let env: Envelope | null = null;
  if (c === 91 /* [ */) {
    env = parseBracket(line);
  } else if (c >= 48 && c <= 57) {
    if (line.charCodeAt(4) === 45 /* - */) {
      const m = exec(ISO_RE, line, 0);
      if (m !== null) env = parseIso(line, m);
    }
    if (env === null) {
      const u = exec(UNIX_RE, line, 0);
      if (u !== null) env = parseUnix(line, u);
    }
    if (env === null) env = parseKmsg(line);
    if (env === null) env = parseMonthLine(line, 0);
  } else if (c === 60 /* < */) {
    env = parseRaw(line);
  } else if (c === 123 /* { */) {
    env = parseJson(line);
  } else if (c === 32 /* space */) {
    if (exec(KMSG_DICT_RE, line, 0) !== null) {
      env = make('kmsg', unescapeKmsg(line.slice(1)));
      env.continuation = true;
    } else {
      const c1 = line.charCodeAt(1);
      if (c1 >= 48 && c1 <= 57) env = parseMonthLine(line, 1);
    }
  } else if (c > 32) {
    env = parseMonthLine(line, 0);
    if (env === null && allowDecoded && c >= 97 && c <= 122) env = parseDecoded(line);
  }
  return env ?? bare(line);
}

// ANSI CSI sequences (`\x1b[32m`, `\x1b[0m`, `\x1b[K`) and the rarer OSC/charset escapes.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPES = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z])/g;

/**
 * Recognise the prefix of one kernel-log line (formats.md §4) and peel it off.
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
    return bare(s);
  }
}
