// Lines that start with `[`: dmesg's `[uptime]` (with -d's delta, a PRINTK_CALLER id),
// dmesg -d without time `[<  0.1>]`, dmesg -e's delta lines `[  +0.000123]`, journalctl
// short-monotonic `[uptime] host tag: msg`, and the named-time brackets of dmesg -T / -e.

import { readBracketWallClock } from './bracket-wall-clock.js';
import { execAt } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { newEnvelope } from './new-envelope.js';
import { readTail } from './syslog-tail.js';
import { finishAfterStamp, readUptime, type UptimeStamp } from './uptime-stamp.js';

/** dmesg -d without time: `[<    0.000123>]`. */
const DELTA_ONLY_RE = /\[< {0,16}(-?\d{1,12}\.\d{1,9})>\]/y;
/** dmesg -e delta line: `[  +0.000123]`, `[ +12.000123]`. */
const RELTIME_DELTA_RE = /\[ {0,16}([+-]\d{1,12}\.\d{1,9})\]/y;

export function parseBracket(line: string): Envelope | null {
  const st = readUptime(line, 0);
  if (st !== null) return parseUptimeBracket(line, st);
  if (line.charCodeAt(1) === 60 /* < */) {
    const m = execAt(DELTA_ONLY_RE, line, 0);
    if (m === null) return null;
    return kernelLine('dmesg-delta', Number(m[1]), line, DELTA_ONLY_RE.lastIndex);
  }
  const rd = execAt(RELTIME_DELTA_RE, line, 0);
  if (rd !== null) return kernelLine('dmesg-reltime', Number(rd[1]), line, RELTIME_DELTA_RE.lastIndex);
  return readBracketWallClock(line);
}

function kernelLine(shape: 'dmesg-delta' | 'dmesg-reltime', delta: number, line: string, end: number): Envelope {
  const env = newEnvelope(shape, '');
  env.deltaSeconds = delta;
  env.fromKernel = true;
  return finishAfterStamp(env, line, end);
}

/**
 * `[uptime]`: dmesg, dmesg -d, or journalctl short-monotonic. The last only when a host word
 * comes before a `kernel:` / `name[pid]:` tag: dmesg text such as `usb 1-1: …` or
 * `systemd[1]: …` has no host word, so it stays dmesg.
 */
function parseUptimeBracket(line: string, st: UptimeStamp): Envelope {
  if (st.delta !== null) {
    const env = newEnvelope('dmesg-delta', '');
    env.uptime = st.uptime;
    env.deltaSeconds = st.delta;
    env.fromKernel = true;
    return finishAfterStamp(env, line, st.end);
  }
  if (line.charCodeAt(st.end) === 32) {
    const tail = readTail(line, st.end + 1);
    if (tail !== null && tail.host !== null && tail.tag !== null && (tail.tag.ident === 'kernel' || tail.tag.pid !== null)) {
      const env = newEnvelope('journal-short-monotonic', '');
      env.uptime = st.uptime;
      env.host = tail.host;
      env.ident = tail.tag.ident;
      env.identPid = tail.tag.pid;
      env.fromKernel = tail.tag.ident === 'kernel';
      env.message = line.slice(tail.msg);
      return env;
    }
  }
  const env = newEnvelope('dmesg', '');
  env.uptime = st.uptime;
  env.fromKernel = true;
  return finishAfterStamp(env, line, st.end);
}
