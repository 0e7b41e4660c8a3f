// A death as the join drafts it, before any verdict: the windows each log allows, and every sighting that joined it.
import type { AppRecord, InstanceEndRecord, } from '../assemble/app-records.js';
import type { GuardianRecord, GuardianRef } from '../assemble/guardian-timeline.js';
import type { LocalStamp } from '../model/stamps.js';
import type { Evidence, OomEvent, OomKill } from '../model/report.js';
import { pointRange, type TimeRange } from '../time/range.js';

/** An instant with what the log line said. */
export interface TimedEvidence extends Evidence {
  timeMs: number | null;
}

export interface KillSighting {
  kill: OomKill;
  timeMs: number;
  /** timeMs with its source's precision (issue 20); absent: exact. */
  range?: TimeRange | null;
}

export interface UserspaceSighting {
  event: OomEvent;
  timeMs: number;
  range?: TimeRange | null;
}

/** A sighting's time as the interval its source allows. */
export function rangeOf(sighting: { timeMs: number; range?: TimeRange | null }): TimeRange {
  return sighting.range ?? pointRange(sighting.timeMs);
}

/** stop.sh's line: the moment of a deliberate stop, and the PIDs it found, glued (`PID check: 2881128812`). */
export interface StopSighting {
  at: TimeRange;
  pidDigits: string;
  /** Pids the other logs give the watched process (kernel records, earlier stop lines): they split the digits. */
  knownPids: number[];
}

/** A boot of the machine seen in a kernel input: it came up at `timeMs`. */
export interface BootSighting {
  timeMs: number;
  evidence: TimedEvidence | null;
}

/** What only a supervisor knows of a death: how the process ended and what was asked of it. */
export interface ExitFacts {
  /** Exit code, or null when a signal ended it or the status is unknown. */
  code: number | null;
  signal: string | null;
  /** False when the supervisor was not its parent (adopted) and could not read its status. */
  statusKnown: boolean;
  /** The supervisor passed on a stop or restart. */
  request: 'stop' | 'restart' | null;
  /** It could not be started, or could not join its memory cgroup. */
  spawnFailed: boolean;
  cgroupJoinFailed: boolean;
  /** Its memory cgroup's oom_kill counter rose during this life, and whether the cgroup's own limit was hit. */
  cgroupOomKill: boolean;
  cgroupLimitHit: boolean;
  /** A kernel log could be read at the death: a SIGKILL without an OOM record there is someone's kill -9. */
  kernelReadable: boolean;
}

/** One death, as the logs that saw it describe it. Times are epoch ms; a window is where the death lies. */
export interface DeathDraft {
  /** Earliest and latest moments the death can be (null: unbounded on that side). */
  earliest: number | null;
  latest: number | null;
  app: InstanceEndRecord | null;
  /** When that life began (its start line's stamp). */
  appStartMs: number | null;
  /** Consecutive start-up failures folded in (1 = one death). */
  count: number;
  /** When each folded start-up failure happened (its start line), for crash loops. */
  foldedTimes: number[];
  /** The app's next start (its restart), from running.log. */
  appRestartMs: number | null;
  appRestartEvidence: TimedEvidence | null;
  guardianDown: Extract<GuardianRecord, { kind: 'went-down' }> | null;
  guardianBack: Extract<GuardianRecord, { kind: 'came-back' }> | null;
  guardianBackMs: number | null;
  guardianSilence: Extract<GuardianRecord, { kind: 'silence' }> | null;
  kill: KillSighting | null;
  /** True when the kill's time lies inside the window the other logs give (not only within the tolerance). */
  killInsideWindow: boolean;
  /**
   * The window as each log's precision allows (the guardian's a minute wider either way): what decides whether a kill
   * lies inside, whether the kernel log covers the death, whether a boot came after it. Absent: earliest/latest.
   */
  loose?: { from: number | null; to: number | null };
  /** stop.sh's line, when the guardian saw a deliberate stop. */
  stop?: StopSighting | null;
  userspace: UserspaceSighting | null;
  /** systemd's word on how the unit's main process ended (exit status or signal). */
  unitExit: UserspaceSighting | null;
  boot: BootSighting | null;
  /** The kernel's OOM panic (panic_on_oom, nothing killable) before the boot that ended this life. */
  oomPanic?: UserspaceSighting | null;
  /** The OOM killer was invoked in this death's window and the log shows no victim (it ends, or was cut). */
  unfinishedOom?: UserspaceSighting | null;
  /** supervise: how the process ended and what its supervisor asked of it (absent for deaths read from logs). */
  exit?: ExitFacts | null;
  evidence: TimedEvidence[];
}

export interface JoinInputs {
  appRecords: AppRecord[] | null;
  guardianRecords: GuardianRecord[] | null;
  /** Kills whose victim is the watched process. */
  kills: KillSighting[];
  userspaceKills: UserspaceSighting[];
  /** systemd `Main process exited` lines of the watched process's unit. */
  unitExits?: UserspaceSighting[];
  boots: BootSighting[];
  /** The kernel's OOM events that are no kill: invocations with no victim, and OOM panics. */
  unfinishedOoms?: UserspaceSighting[];
  oomPanics?: UserspaceSighting[];
  /** Pids the kernel's records show the watched process alive with (task tables), and when: they split stop.sh's glued PIDs. */
  knownPids?: { pid: number; atMs: number | null }[];
  /** Places app and guardian stamps and names their lines. */
  appTime: (stamp: { local: LocalStamp } | null) => number | null;
  guardianTime: (ref: GuardianRef) => number | null;
  appEvidence: (line: number, text: string, timeMs: number | null) => TimedEvidence;
  guardianEvidence: (ref: GuardianRef) => TimedEvidence;
}
