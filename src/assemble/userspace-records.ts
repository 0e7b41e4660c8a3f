// The user-space killers' and systemd's records of one source (earlyoom, systemd-oomd, nohang, unit exits and
// notices), kept to a bound, with earlyoom's SIGTERM-then-SIGKILL of one pid counted once.
import type { EvidenceLine, KernelRecord } from '../model/kernel-records.js';
import type { KernelLogRead } from '../model/kernel-log-read.js';
import type { recogniseUserspaceLine } from '../recognise/userspace-killers.js';
import { clipText } from '../read/clip-text.js';
import { MAX_RECORDS } from './oom-blocks.js';

/** Records looked back through for earlyoom's SIGTERM before its SIGKILL (seconds apart): bounded, so a flood of kills stays linear. */
const TERM_BEFORE_KILL_RECORDS = 256;

function sentTermJustBefore(records: KernelRecord[], pid: number | null): boolean {
  if (userspaceDroppedPids.get(records)?.includes(pid)) return true;
  for (let i = records.length - 1; i >= 0 && i >= records.length - TERM_BEFORE_KILL_RECORDS; i--) {
    const r = records[i]!;
    if (r.kind === 'event' && r.eventKind === 'userspace-kill' && r.pid === pid) return true;
  }
  return false;
}

/** User-space killers' records past the bound are only counted (per records array, i.e. per source)… */
const userspaceNotKept = new WeakMap<KernelRecord[], number>();
/** …and the last pids of those not kept are remembered, so a SIGKILL after a SIGTERM not kept is not counted twice. */
const userspaceDroppedPids = new WeakMap<KernelRecord[], (number | null)[]>();

/** How many user-space killer records of this read were counted but not kept (see MAX_RECORDS). */
export function userspaceRecordsNotKept(read: KernelLogRead): number {
  return userspaceNotKept.get(read.records) ?? 0;
}

/** Keeps a record while the source holds fewer than twice MAX_RECORDS (the report keeps MAX_RECORDS of them). */
function keep(records: KernelRecord[], record: KernelRecord): void {
  if (records.length >= 2 * MAX_RECORDS) {
    userspaceNotKept.set(records, (userspaceNotKept.get(records) ?? 0) + 1);
    if (record.kind === 'event' && record.eventKind === 'userspace-kill') {
      const pids = userspaceDroppedPids.get(records) ?? [];
      pids.push(record.pid);
      if (pids.length > TERM_BEFORE_KILL_RECORDS) pids.shift();
      userspaceDroppedPids.set(records, pids);
    }
    return;
  }
  records.push(record);
}

export function pushUserspace(records: KernelRecord[], user: NonNullable<ReturnType<typeof recogniseUserspaceLine>>, line: EvidenceLine): void {
  const evidence = line.text.length > 8192 ? { ...line, text: clipText(line.text, 8192) } : line;
  const base = { kind: 'event' as const, at: evidence.stamp, evidence: [evidence], rssKb: null, cgroup: null, unit: null, detail: null, pid: null, name: null };
  switch (user.kind) {
    case 'userspace-kill':
      if (user.signal === 'SIGKILL' && sentTermJustBefore(records, user.pid)) return;
      keep(records, { ...base, eventKind: 'userspace-kill', killer: user.killer, pid: user.pid, name: user.name, rssKb: user.rssKb, detail: user.signal });
      return;
    case 'oomd-kill':
      keep(records, { ...base, eventKind: 'userspace-kill', killer: 'systemd-oomd', cgroup: user.cgroup, detail: user.detail });
      return;
    case 'unit-exit':
      keep(records, { ...base, eventKind: 'unit-exit', killer: 'systemd', unit: user.unit, detail: user.code === 'exited' ? `exit status ${user.status}` : `${user.code} by ${user.signal}` });
      return;
    case 'unit-notice':
      keep(records, { ...base, eventKind: 'unit-notice', killer: user.detail === 'oomd-killed' ? 'systemd-oomd' : 'kernel', unit: user.unit, detail: user.detail });
      return;
  }
}
