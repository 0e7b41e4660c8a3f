// The kernel's `[uptime]` stamp and what may follow it (a PRINTK_CALLER id, one space), shared
// by dmesg, dmesg -r and the kernel lines that rsyslog and journalctl pass on.

import { execAt } from './digits.js';
import type { Envelope } from './envelope-types.js';

/** `[ 12345.678901]`, optionally with the dmesg -d delta: `[12345.678901 <    0.000123>]`. */
const UPTIME_RE = /\[ {0,16}(\d{1,12}\.\d{1,9})(?: < {0,16}(-?\d{1,12}\.\d{1,9})>)?\]/y;
/** PRINTK_CALLER id after the uptime: `[ T3106]` / `[    C1]`, directly or after one space. */
const CALLER_RE = / ?\[ {0,16}([TC]\d{1,10})\]/y;

export interface UptimeStamp {
  uptime: number;
  /** The dmesg -d delta, when the bracket has one. */
  delta: number | null;
  /** Just past the `]`. */
  end: number;
}

/**
 * `[uptime]` at `pos`. A decimal point is required: `[   2074]` and `[  pid  ]` are
 * task-table text, not stamps.
 */
export function readUptime(line: string, pos: number): UptimeStamp | null {
  const m = execAt(UPTIME_RE, line, pos);
  if (m === null) return null;
  return {
    uptime: Number(m[1]),
    delta: m[2] === undefined ? null : Number(m[2]),
    end: UPTIME_RE.lastIndex,
  };
}

/**
 * At `pos` (just after a stamp): an optional PRINTK_CALLER id, then one separating space.
 * Sets env.caller and env.message; the kernel text's own indentation is kept.
 */
export function finishAfterStamp(env: Envelope, line: string, pos: number): Envelope {
  let p = pos;
  const cm = execAt(CALLER_RE, line, p);
  if (cm !== null) {
    env.caller = cm[1] ?? null;
    p = CALLER_RE.lastIndex;
  }
  if (line.charCodeAt(p) === 32) p++;
  env.message = line.slice(p);
  return env;
}

/** Peel a kernel `[uptime]` (+ caller) off the start of a syslog/journal kernel message at `pos`. */
export function peelKernelUptime(env: Envelope, line: string, pos: number): void {
  const st = readUptime(line, pos);
  if (st === null) return;
  env.uptime = st.uptime;
  if (st.delta !== null) env.deltaSeconds = st.delta;
  finishAfterStamp(env, line, st.end);
}
