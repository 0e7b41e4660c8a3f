// How a life ended beyond what one line says: a failed start read from its last words, and log prefixes on crash reports.
import { classifyStartupError, isErrorLine, type StartupFailureCause, type StartupFailureDetail } from '../recognise/startup-errors.js';
import type { AppStamp } from '../recognise/app.js';

/** Last non-blank lines kept per life: enough for a `log.Fatal` line and the indented lines under it. */
const TAIL_LINES = 8;
/** A life that ends this soon after its first stamp ended while starting. */
export const STARTUP_SECONDS = 60;

export interface TailLine {
  line: number;
  text: string;
  stamp: AppStamp | null;
}

/** The last TAIL_LINES non-blank lines of a life, oldest first; a fixed ring, never the whole life. */
export class Tail {
  private readonly ring: TailLine[] = [];

  push(entry: TailLine): void {
    if (this.ring.length === TAIL_LINES) this.ring.shift();
    this.ring.push(entry);
  }

  get lines(): readonly TailLine[] {
    return this.ring;
  }
}

export interface LastWordsFailure {
  cause: StartupFailureCause;
  detail: StartupFailureDetail;
  /** The error line that heads the last block (its indented lines, like yaml's `  line 61: …`, follow it). */
  at: TailLine;
}

/**
 * The error the life's output ends with, if it ends with one: the last line is an error, or an indented line
 * under one (`yaml: unmarshal errors:` then `  line 61: …`). Null when the last words are not an error.
 */
export function lastWordsError(tail: readonly TailLine[]): LastWordsFailure | null {
  let i = tail.length - 1;
  if (i < 0) return null;
  while (i > 0 && /^\s/.test(tail[i]!.text)) i--; // climb the indented lines to the line that heads them
  const head = tail[i]!;
  if (!isErrorLine(head.text)) return null;
  const { cause, detail } = classifyStartupError(head.text);
  return { cause, detail, at: head };
}

/** Seconds between two local stamps of one log (same zone), or null when either is missing. */
export function secondsBetween(from: AppStamp | null, to: AppStamp | null): number | null {
  if (!from || !to || from.local.year === null || to.local.year === null) return null;
  const ms = (s: AppStamp) => Date.UTC(s.local.year!, s.local.month - 1, s.local.day, s.local.hour, s.local.minute, s.local.second);
  return (ms(to) - ms(from)) / 1000;
}

/** Digits read as one class: a journald or timestamp prefix repeats with other times and the same shape. */
function shape(text: string): string {
  return text.replace(/\d/g, '0');
}

/**
 * Removes from `text` a prefix shaped like the one a crash report's header came behind (`Oct 05 01:11:04 host caddy[31157]: `,
 * `godoxy           | `, `2016-10-12 01:59:56.459132500 `), so the report's other lines read as trace lines. A line
 * that is only the prefix (its trailing blank trimmed) becomes empty. Other lines are returned as they are.
 */
export function stripLikePrefix(text: string, prefix: string): string {
  if (prefix.trim() === '') return text;
  const want = shape(prefix);
  if (text.length >= prefix.length && shape(text.slice(0, prefix.length)) === want) return text.slice(prefix.length);
  if (shape(text.trimEnd()) === want.trimEnd()) return '';
  return text;
}
