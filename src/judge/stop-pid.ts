// stop.sh prints the PIDs it found glued together (`awk '{printf $2}'`): `PID check: 2881128812`. Which of them was the
// watched process can be told only where a split is forced, or where another log names one of the pids.

/** Linux's largest pid (PID_MAX_LIMIT on 64-bit): no pid has more than 7 digits. */
const PID_MAX = 4_194_304;
/** Readings enumerated at most: a long digit string has exponentially many, and a few are enough to say so. */
const MAX_READINGS = 64;

export type StopPid =
  | { pid: number; readings: number }
  /** `ambiguous`: several readings and no known pid decides; `no-reading`: the digits split into no pids at all. */
  | { pid: null; why: 'ambiguous' | 'no-reading'; examples: string[] };

/** The watched process's pid in stop.sh's glued digits, or null with why (never a guess). */
export function pidFromGluedDigits(digits: string, knownPids: readonly number[]): StopPid {
  const readings = splitPids(digits);
  if (readings.length === 0) return { pid: null, why: 'no-reading', examples: [] };
  // A known pid decides when some reading of the digits holds it (the digits before and after it are pids too).
  const named = new Set(knownPids.filter((pid) => canHold(digits, String(pid))));
  if (named.size === 1) return { pid: [...named][0]!, readings: readings.length };
  // One reading only, of one pid: the digits are that pid (a split would leave a part that is no pid).
  if (named.size === 0 && readings.length === 1 && readings[0]!.length === 1) return { pid: readings[0]![0]!, readings: 1 };
  return { pid: null, why: 'ambiguous', examples: readings.slice(0, 3).map((r) => r.join('+')) };
}

/** Some reading of `digits` has `pid` as one of its pids. */
function canHold(digits: string, pid: string): boolean {
  for (let at = digits.indexOf(pid); at >= 0; at = digits.indexOf(pid, at + 1)) {
    if (splits(digits.slice(0, at)) && splits(digits.slice(at + pid.length))) return true;
  }
  return false;
}

/** The digits (possibly none) can be cut into pids. */
function splits(digits: string): boolean {
  const ok: boolean[] = [true];
  for (let end = 1; end <= digits.length; end++) {
    ok[end] = false;
    for (let start = Math.max(0, end - 7); start < end && !ok[end]; start++) {
      ok[end] = ok[start] === true && digits[start] !== '0' && Number(digits.slice(start, end)) <= PID_MAX;
    }
  }
  return ok[digits.length] === true;
}

/** Every way to cut the digits into pids (1 … PID_MAX, no leading zero), fewest pids first, up to MAX_READINGS. */
export function splitPids(digits: string): number[][] {
  if (!/^\d+$/.test(digits)) return [];
  const out: number[][] = [];
  const walk = (at: number, parts: number[]): void => {
    if (out.length >= MAX_READINGS) return;
    if (at === digits.length) {
      out.push([...parts]);
      return;
    }
    if (digits[at] === '0') return;
    for (let end = at + 1; end <= Math.min(digits.length, at + 7); end++) {
      const pid = Number(digits.slice(at, end));
      if (pid > PID_MAX) break;
      parts.push(pid);
      walk(end, parts);
      parts.pop();
    }
  };
  walk(0, []);
  return out.sort((a, b) => a.length - b.length);
}
