// dmesg -r: the syslog priority in front, `<4>[12345.678901] msg` (the stamp may be missing).

import { execAt, intOf } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { newEnvelope } from './new-envelope.js';
import { finishAfterStamp, readUptime } from './uptime-stamp.js';

const RAW_PRI_RE = /<(\d{1,4})>/y;

export function parseRawPriority(line: string): Envelope | null {
  const m = execAt(RAW_PRI_RE, line, 0);
  if (m === null) return null;
  const pri = intOf(m[1]);
  if (pri > 1023) return null;
  const env = newEnvelope('dmesg-raw', '');
  // Facility 0 is the kernel's; user space writing to /dev/kmsg has another.
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
