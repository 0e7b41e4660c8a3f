// Recognises one line of the guardian's check.log (AnQiCMS start.sh / stop.sh), or of cron output redirected beside it.
import type { LocalStamp } from '../model/stamps.js';
import { clipText } from '../read/clip-text.js';

/**
 * The most digits a process count is printed with. start.sh prints a count (`wc -l`), stop.sh prints
 * the PIDs it found glued together (`awk '{printf $2}'`). A count of 10 or more matching processes is
 * not credible and a PID below 10 is not credible outside a container, so: one digit → a count,
 * empty or two-plus digits → stop.sh's PID list.
 */
export const MAX_COUNT_DIGITS = 1;

/** One recognised guardian line. `text` is the line as read (clipped), for evidence. */
export type GuardianLine =
  /** start.sh: `20240723 10:04:01 anqicms PID check: 0` — N processes matched the grep. */
  | { kind: 'check'; stamp: LocalStamp; name: string; count: number; text: string }
  /** stop.sh: the same shape with PIDs glued (`PID check: 100101200201`) or nothing (`PID check: `); then `kill -9`. */
  | { kind: 'stop'; stamp: LocalStamp; name: string; pidDigits: string; text: string }
  /** The script's stdout echo, no stamp: `PID anqicms check: 0` (cron output redirected, Baota cron log). */
  | { kind: 'check-echo'; name: string; count: number | null; pidDigits: string | null; text: string }
  /** The script's stdout: `anqicms NOT running` / `anqicms is running` / `anqicms is stop`. */
  | { kind: 'status'; name: string; status: 'not-running' | 'running' | 'stopped'; text: string }
  /** The start command, echoed: `nohup ./anqicms >> running.log 2>&1 &` (or `+ cd … && nohup …`). */
  | { kind: 'start-command'; command: string; text: string }
  /** Baota panel cron separator written after each run: `★[2024-07-23 10:00:01] Successful`. */
  | { kind: 'cron-separator'; stamp: LocalStamp; status: string; text: string }
  /** Baota's dashed rule around that separator (`-----…`). */
  | { kind: 'cron-rule'; text: string };

const TEXT_CLIP = 500;
const MAX_PID_DIGITS = 200;

const STAMPED_CHECK = /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2}) (\S+) PID check:(.*)$/;
const ECHOED_CHECK = /^PID (\S+) check:(.*)$/;
const STATUS = /^(\S+) (NOT running|is running|is stop)$/;
const START_COMMAND = /\bnohup\s+\S/;
const BAOTA_SEPARATOR = /^★\[(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\]\s*(.*)$/;

/** Reads one check.log line; null for anything else (including blank lines). */
export function recogniseGuardianLine(raw: string): GuardianLine | null {
  let line = raw.trimEnd();
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  if (line === '') return null;
  const text = clipText(line, TEXT_CLIP);

  let m = STAMPED_CHECK.exec(line);
  if (m) {
    const stamp = makeStamp(m);
    const value = readValue(m[8]!);
    if (!stamp || !value) return null;
    const name = m[7]!;
    return value.kind === 'count'
      ? { kind: 'check', stamp, name, count: value.count, text }
      : { kind: 'stop', stamp, name, pidDigits: value.pidDigits, text };
  }
  m = ECHOED_CHECK.exec(line);
  if (m) {
    const value = readValue(m[2]!);
    if (!value) return null;
    return {
      kind: 'check-echo', name: m[1]!, text,
      count: value.kind === 'count' ? value.count : null,
      pidDigits: value.kind === 'pids' ? value.pidDigits : null,
    };
  }
  m = STATUS.exec(line);
  if (m) {
    const status = m[2] === 'NOT running' ? 'not-running' : m[2] === 'is running' ? 'running' : 'stopped';
    return { kind: 'status', name: m[1]!, status, text };
  }
  m = BAOTA_SEPARATOR.exec(line);
  if (m) {
    const stamp = makeStamp(m);
    return stamp ? { kind: 'cron-separator', stamp, status: m[7]!, text } : null;
  }
  if (/^-{20,}$/.test(line)) return { kind: 'cron-rule', text };
  if (START_COMMAND.test(line) && /(>>|&\s*$)/.test(line)) {
    return { kind: 'start-command', command: line.replace(/^\+\s*/, ''), text };
  }
  return null;
}

type Value = { kind: 'count'; count: number } | { kind: 'pids'; pidDigits: string };

/** The text after `PID check:`: blanks around are ignored (BSD `wc -l` pads), blanks between PIDs are dropped. */
function readValue(after: string): Value | null {
  const trimmed = after.trim();
  if (!/^[\d \t]*$/.test(trimmed)) return null;
  if (/^\d+$/.test(trimmed) && trimmed.length <= MAX_COUNT_DIGITS) return { kind: 'count', count: Number(trimmed) };
  // Only whether it is empty matters downstream; a screenful of digits is plenty to show.
  return { kind: 'pids', pidDigits: clipText(trimmed.replace(/[ \t]+/g, ''), MAX_PID_DIGITS) };
}

/** Groups 1–6 of `m` as year, month, day, hour, minute, second; null when out of range. */
function makeStamp(m: RegExpExecArray): LocalStamp | null {
  const year = Number(m[1]), month = Number(m[2]), day = Number(m[3]);
  const hour = Number(m[4]), minute = Number(m[5]), second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  return { year, month, day, hour, minute, second, micros: 0 };
}
