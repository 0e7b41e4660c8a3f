// The kernel's word on a death, read at the moment of death: the OOM kill record naming the app's pid, from
// /dev/kmsg (read without blocking from the supervisor's start, with the same readers as `diagnose` and `watch`),
// or from the journal where /dev/kmsg cannot be read.
import { closeSync, constants, openSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { collectKernel } from '../pipeline/kernel-inputs.js';
import type { Placed } from '../join/merge-duplicates.js';
import type { OomEvent, OomKill } from '../model/report.js';
import { LiveKernelLog } from '../watch/live-inputs.js';
import type { WatchText } from '../watch/follow-file.js';
import type { Lang } from '../i18n/messages.js';
import { watchMessage } from '../i18n/watch-messages.js';

export type KernelSource = 'kmsg' | 'journal';

export interface KernelFinding {
  kill: Placed<OomKill> | null;
  userspace: Placed<OomEvent> | null;
}

function kmsgReadable(): boolean {
  try {
    closeSync(openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK));
    return true;
  } catch {
    return false;
  }
}

/** journalctl runs and shows this user at least one kernel line of this boot (an empty journal proves nothing). */
function journalReadable(): boolean {
  try {
    const r = spawnSync('journalctl', ['-k', '-b', '-n', '1', '-q', '--no-pager', '-o', 'cat'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 3000, encoding: 'utf8' });
    return r.status === 0 && r.stdout.trim() !== '';
  } catch {
    return false;
  }
}

export class KernelWatch {
  private readonly live: LiveKernelLog | null;
  readonly source: KernelSource | null;
  /** Why no kernel log can be read (then a SIGKILL cannot be told from an OOM kill). */
  readonly problem: string | null;

  constructor(
    private readonly tz: string,
    log: (line: string) => void,
    prefer: KernelSource | 'none' = 'kmsg',
    lang: Lang = 'en',
  ) {
    // Records lost are not news here: the kill record is looked for at each death, and its absence is said then.
    const notice = (text: WatchText): void => {
      if (text.code !== 'watch.kmsg-lost' && text.code !== 'watch.kmsg-lost-count') log(watchMessage(lang, text.code, text.params));
    };
    let source: KernelSource | null = null;
    if (prefer === 'kmsg' && kmsgReadable()) source = 'kmsg';
    else if (prefer !== 'none' && journalReadable()) source = 'journal';
    this.source = source;
    this.problem = source === null
      ? prefer === 'none' ? 'reading the kernel log was turned off' : 'neither /dev/kmsg nor the journal can be read (run as root, or with CAP_SYSLOG, or in the systemd-journal group)'
      : null;
    this.live = source === null ? null : new LiveKernelLog(source, notice, null);
    this.poll();
  }

  get readable(): boolean {
    return this.live !== null;
  }

  /** Reads what the kernel logged since the last poll. */
  poll(): void {
    this.live?.input.poll();
  }

  /**
   * The OOM kill of `pid` (and a user-space killer's kill of it) logged after it started: `sinceUptime` is its start
   * on the kernel's clock, `sinceMs` on the wall clock (for records without an uptime).
   */
  find(pid: number, sinceUptime: number, sinceMs: number): KernelFinding {
    if (!this.live) return { kill: null, userspace: null };
    this.poll();
    const records = this.live.reader.read.records;
    // Placing every record in time costs little, but only do it when a record can be ours.
    if (!records.some((r) => r.pid === pid)) return { kill: null, userspace: null };
    const kernel = collectKernel([this.live.source], { tz: this.tz, year: undefined, bootTimeMs: undefined, referenceRange: undefined });
    const after = (uptime: number | null, timeMs: number | null): boolean =>
      uptime !== null ? uptime >= sinceUptime - 0.5 : timeMs !== null && timeMs >= sinceMs - 2000;
    const kill = kernel.kills.filter((k) => k.item.pid === pid && after(k.item.uptimeSeconds, k.timeMs)).at(-1) ?? null;
    const userspace = kernel.events.filter((e) => e.item.kind === 'userspace-kill' && e.item.pid === pid && after(e.item.uptimeSeconds, e.timeMs)).at(-1) ?? null;
    return { kill, userspace };
  }

  close(): void {
    this.live?.input.close();
  }
}
