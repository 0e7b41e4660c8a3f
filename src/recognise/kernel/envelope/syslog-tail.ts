// What follows the stamp of a syslog or journalctl line: `host tag: msg`, or `tag: msg` when
// the host was stripped (pasted logs). Shared by every shape rsyslog and journalctl write.

import { intOf } from './digits.js';
import type { Envelope } from './envelope-types.js';
import { peelKernelUptime } from './uptime-stamp.js';

interface Tag {
  ident: string;
  pid: number | null;
}

export interface SyslogTail {
  host: string | null;
  tag: Tag | null;
  /** Where the message starts. */
  msg: number;
}

/** Index of the next space at or after `pos`, looking at most `limit` characters; -1 if none. */
export function nextSpace(line: string, pos: number, limit: number): number {
  const end = Math.min(line.length, pos + limit);
  for (let i = pos; i < end; i++) {
    if (line.charCodeAt(i) === 32) return i;
  }
  return end === line.length ? line.length : -1;
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
    pid = intOf(digits);
    name = name.slice(0, open);
  }
  if (name.length === 0 || name.includes('[') || name.includes(']')) return null;
  return { ident: name, pid };
}

/**
 * `host tag: msg`, or `tag: msg` when the host was stripped. A first word ending in `:` is
 * taken for the tag: host names never end with a colon.
 */
export function readTail(line: string, pos: number): SyslogTail | null {
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
export function applyTail(env: Envelope, line: string, tail: SyslogTail): void {
  env.host = tail.host;
  env.message = line.slice(tail.msg);
  if (tail.tag === null) return;
  env.ident = tail.tag.ident;
  env.identPid = tail.tag.pid;
  env.fromKernel = tail.tag.ident === 'kernel';
  if (env.fromKernel) peelKernelUptime(env, line, tail.msg);
}

/** The tail from `pos` read into `env`; with none, the rest of the line is the message. */
export function readTailInto(env: Envelope, line: string, pos: number): Envelope {
  const tail = readTail(line, pos);
  if (tail === null) env.message = line.slice(pos);
  else applyTail(env, line, tail);
  return env;
}
