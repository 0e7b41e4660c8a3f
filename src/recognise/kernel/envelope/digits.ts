// Reading numbers out of matched prefixes, and running the sticky prefix patterns at a position.
//
// Every prefix pattern is compiled once with the sticky flag and built from bounded
// quantifiers, so a match costs at most a few hundred steps whatever the length of the line.

/** Run a sticky pattern at `pos`; its lastIndex is then just past the match. */
export function execAt(re: RegExp, line: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(line);
}

/** A short run of ASCII digits (captured by a pattern) → its value, without Number()'s generality. */
export function intOf(digits: string | undefined): number {
  if (digits === undefined) return 0;
  let v = 0;
  for (let i = 0; i < digits.length; i++) v = v * 10 + (digits.charCodeAt(i) - 48);
  return v;
}

/** Digits after a decimal point → microseconds (first six digits, right-padded). */
export function fractionMicros(frac: string | undefined): number {
  if (frac === undefined || frac === '') return 0;
  const six = frac.length >= 6 ? frac.slice(0, 6) : frac + '000000'.slice(frac.length);
  return intOf(six);
}

/** A whole number of microseconds (as digits) → seconds, exact to the microsecond. */
export function microsToSeconds(digits: string): number {
  const s = digits.length > 7 ? digits : digits.padStart(7, '0');
  return Number(s.slice(0, -6) + '.' + s.slice(-6));
}
