// The outer shape of one kernel-log line: its stamps and who wrote it, with the kernel's message peeled out.

import type { LocalStamp } from '../../../model/stamps.js';

export type { LocalStamp } from '../../../model/stamps.js';

/**
 * The prefix shapes a kernel-log line can carry (dmesg and its options, /dev/kmsg, rsyslog,
 * journalctl's outputs); a source reports the one most of its lines have.
 */
export type LineShape =
  | 'syslog-rfc3164'          // Jul 23 10:04:01 web01 kernel: [12345.678901] msg   (rsyslog traditional, day space-padded)
  | 'syslog-rfc3339'          // 2024-07-23T10:04:01.123456+08:00 web01 kernel: msg (rsyslog high precision)
  | 'dmesg'                   // [12345.678901] msg
  | 'dmesg-raw'               // <4>[12345.678901] msg  (dmesg -r)
  | 'dmesg-delta'             // [12345.678901 <    0.000123>] msg  (dmesg -d)
  | 'dmesg-reltime'           // [Jul23 10:04] msg / [  +0.000123] msg  (dmesg -e)
  | 'dmesg-ctime'             // [Tue Jul 23 10:04:01 2024] msg  (dmesg -T, localised names)
  | 'dmesg-iso'               // 2024-07-23T10:04:01,123456+08:00 msg
  | 'kmsg'                    // 6,1234,12345678901,-;msg
  | 'journal-short'           // Jul 03 10:04:01 web01 kernel: msg  (day zero-padded)
  | 'journal-short-iso'       // 2024-07-23T10:04:01+0800 web01 kernel: msg
  | 'journal-short-precise'   // Jul 23 10:04:01.123456 web01 kernel: msg
  | 'journal-short-monotonic' // [12345.678901] web01 kernel: msg
  | 'journal-short-unix'      // 1721700241.123456 web01 kernel: msg
  | 'journal-json'            // {"MESSAGE":…,"__REALTIME_TIMESTAMP":…}
  | 'bare';                   // no recognisable prefix: the whole line is the message

export interface Envelope {
  shape: LineShape;
  /** The message with every prefix (stamps, host, tag, `[uptime]`, caller id) removed. */
  message: string;
  /** Seconds since boot on the kernel's clock, when the line carries it. */
  uptime: number | null;
  /** Zone-less wall stamp (syslog, dmesg -T, journal short/precise). */
  local: LocalStamp | null;
  /** Absolute instant, when the line states its zone or is epoch-based (ISO with offset, unix seconds, journal JSON). */
  epochMs: number | null;
  /** Microsecond part for epochMs-stamped lines, so no precision is lost (0–999). */
  epochMicrosRemainder: number;
  host: string | null;
  /** Syslog tag without pid: `kernel`, `systemd`, `earlyoom`, `systemd-oomd`; null where the shape has none. */
  ident: string | null;
  /** Pid from the syslog tag (`earlyoom[812]:`), or journal `_PID`. */
  identPid: number | null;
  /** true: a kernel line for sure; false: another program's line; null: cannot tell (bare text). */
  fromKernel: boolean | null;
  /** An indented continuation of the previous record (dmesg) or a /dev/kmsg dictionary line (` SUBSYSTEM=…`). */
  continuation: boolean;
  /** PRINTK_CALLER id (`T3106`, `C1`) when printed. */
  caller: string | null;
  /** journal JSON `_BOOT_ID`. */
  bootId: string | null;
  /** kmsg sequence number. */
  sequence: number | null;
  /** dmesg -d (`< 0.000123>`) or dmesg -e (`[  +0.000123]`): seconds since the previous line. */
  deltaSeconds: number | null;
  /** Something in the prefix could not be read, e.g. `unknown-month-name` (the caller warns once per source). */
  problem: string | null;
}

/**
 * One sample line of a shape with what parseEnvelope must read from it: the fields named in
 * `want` are compared, the others are not. Each shape's parser keeps its samples beside it.
 */
export interface EnvelopeSample {
  /** What the sample shows, in a few words. */
  about: string;
  line: string;
  want: Partial<Envelope> & Pick<Envelope, 'shape' | 'message'>;
}
