// Recognises the lines of killers that are not the kernel (formats.md §5): earlyoom, systemd-oomd, systemd's unit notices.

export type UserspaceLine =
  /** earlyoom: `sending SIGTERM to process 7378 uid 1000 "anqicms": oom_score 600, …, VmRSS 4962 MiB`. */
  | { kind: 'userspace-kill'; killer: string; pid: number; name: string; rssKb: number | null; signal: string }
  /** systemd-oomd: `Killed /system.slice/x.service due to memory pressure for …`. */
  | { kind: 'oomd-kill'; cgroup: string; detail: string | null }
  /** systemd: `x.service: A process of this unit has been killed by the OOM killer.` and friends. */
  | { kind: 'unit-notice'; unit: string; detail: 'killed-by-oom-killer' | 'result-oom-kill' | 'oomd-killed'; signal: string | null }
  /** systemd saw the unit's main process end: `Main process exited, code=exited, status=1/FAILURE` or `code=killed, status=9/KILL`. */
  | { kind: 'unit-exit'; unit: string; code: 'exited' | 'killed' | 'dumped'; status: number; signal: string | null };

const EARLYOOM = /sending (SIG[A-Z]+) to process (\d+) uid \d+ "(.*)": (?:oom_score|badness) \d+.*?VmRSS (\d+) MiB/;
const OOMD = /^Killed (\S+) due to memory (?:pressure|used) (.*)$/;
/** systemd-oomd's own lines: the kill without its reason (wrapped onto the next line), and newer `Marked … for killing`. */
const OOMD_OWN = /^(?:Killed (\S+)\s*$|Marked (\S+) for killing)/;
const UNIT_OOM = /^(\S+\.(?:service|scope|slice)): A process of this unit has been killed by the OOM killer\./;
const UNIT_RESULT = /^(\S+\.(?:service|scope|slice)): Failed with result 'oom-kill'\./;
const UNIT_OOMD = /^(\S+\.(?:service|scope|slice)): systemd-oomd killed \d+ process\(es\) in this unit\./;
const UNIT_MAIN_EXITED = /^(\S+\.(?:service|scope)): Main process exited, code=(exited|killed|dumped), status=(\d+)(?:\/([A-Z0-9_]+))?/;

/** The user-space killer line a message is, given the program (syslog ident) that wrote it, or null. */
export function recogniseUserspaceLine(message: string, ident: string | null): UserspaceLine | null {
  if (message.includes('sending SIG')) {
    const m = EARLYOOM.exec(message);
    if (m) {
      return { kind: 'userspace-kill', killer: ident === 'nohang' ? 'nohang' : 'earlyoom', signal: m[1]!, pid: Number(m[2]), name: m[3]!, rssKb: Number(m[4]) * 1024 };
    }
  }
  if (message.startsWith('Killed ') && (ident === null || ident === 'systemd-oomd')) {
    const m = OOMD.exec(message);
    if (m) return { kind: 'oomd-kill', cgroup: m[1]!, detail: m[2]! };
  }
  if (ident === 'systemd-oomd') {
    const m = OOMD_OWN.exec(message);
    if (m) return { kind: 'oomd-kill', cgroup: (m[1] ?? m[2])!, detail: m[1] !== undefined ? null : 'marked-for-killing' };
  }
  if (message.includes('.service: ') || message.includes('.scope: ') || message.includes('.slice: ')) {
    let m = UNIT_OOM.exec(message);
    if (m) return { kind: 'unit-notice', unit: m[1]!, detail: 'killed-by-oom-killer', signal: null };
    m = UNIT_RESULT.exec(message);
    if (m) return { kind: 'unit-notice', unit: m[1]!, detail: 'result-oom-kill', signal: null };
    m = UNIT_OOMD.exec(message);
    if (m) return { kind: 'unit-notice', unit: m[1]!, detail: 'oomd-killed', signal: null };
    m = UNIT_MAIN_EXITED.exec(message);
    if (m) {
      const code = m[2] as 'exited' | 'killed' | 'dumped';
      return { kind: 'unit-exit', unit: m[1]!, code, status: Number(m[3]), signal: code === 'exited' ? null : `SIG${m[4] ?? ''}` };
    }
  }
  return null;
}
