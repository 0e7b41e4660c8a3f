// Month and day names as dmesg -T / -e and journalctl write them in each locale: glibc's
// %b / %a abbreviations (localedata/locales/*), compared in lower case without a trailing
// '.', plus a few older glibc spellings seen in old logs.

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

/** Every month name, by its lookup key (see nameKey). */
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

/** Month names as written (`Jul`, `jul`, `JUL`), so the common case needs no case folding. */
const MONTHS_AS_WRITTEN = new Map<string, number>();
for (const [name, month] of MONTHS) {
  MONTHS_AS_WRITTEN.set(name, month);
  MONTHS_AS_WRITTEN.set(name.toUpperCase(), month);
  MONTHS_AS_WRITTEN.set(name.charAt(0).toUpperCase() + name.slice(1), month);
}

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

/** A month-name-looking word (letters and dots) when the name is not in our tables. */
const UNKNOWN_MONTH_WORD_RE = /^[\p{L}.]{2,12}$/u;

/** The lookup key of a name: lower case, NFC, without a trailing '.' or ','. */
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

/** The month (1–12) a name means in any supported locale. */
export function monthOf(word: string): number | undefined {
  return MONTHS_AS_WRITTEN.get(word) ?? MONTHS.get(nameKey(word));
}

/** Whether a word is a day name in any supported locale, bare or in parentheses. */
export function isWeekday(word: string): boolean {
  let key = nameKey(word);
  if (key.startsWith('(') && key.endsWith(')')) key = key.slice(1, -1);
  return WEEKDAYS.has(key);
}

export interface MonthName {
  /** 1–12; undefined when the word looks like a month name we do not know. */
  month: number | undefined;
  /** An English abbreviation, which both rsyslog and journalctl write; any other is journalctl's. */
  english: boolean;
}

/** The first word of a syslog/journal short line read as a month name; null when it cannot be one. */
export function readMonthName(word: string): MonthName | null {
  const asWritten = MONTHS_AS_WRITTEN.get(word);
  if (asWritten !== undefined) return { month: asWritten, english: ENGLISH_AS_WRITTEN.has(word) };
  const key = nameKey(word);
  const month = MONTHS.get(key);
  if (month !== undefined) return { month, english: ENGLISH_MONTHS.has(key) };
  return UNKNOWN_MONTH_WORD_RE.test(word) ? { month: undefined, english: false } : null;
}
