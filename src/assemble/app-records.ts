// What running.log says of each life of the process: its start, how it ended, and what was seen on the way. Made by
// AppInstances (app-instances.ts), joined by join/ and judged by judge/.
import type { AppStamp, StartupFailureCause } from '../recognise/app.js';
import type { StartupFailureDetail } from '../recognise/startup-errors.js';
import type { GoTrace } from './go-trace-builder.js';

/** An app line used as evidence. */
export interface AppRef {
  /** 1-based line number in running.log. */
  line: number;
  /** Cleaned text (no colour codes, no `\r`), clipped. */
  text: string;
  /** The line's own stamp, if it has one. */
  stamp: AppStamp | null;
}

/** A stamp seen in the log, with where. */
export interface StampSeen {
  line: number;
  stamp: AppStamp;
}

/** How an instance began. */
export interface InstanceStart {
  /** The first line of the instance: its first start line, or for an implicit start simply its first line. */
  line: number;
  text: string;
  /** The first stamp at or after that line within the instance (the ExecPath line's, normally). */
  stamp: StampSeen | null;
  /** No start line: the log begins in the middle of this life, or a start-up failure repeated without a start line. */
  implicit: boolean;
  execPath: string | null;
  irisVersion: string | null;
  /** The first address the banner printed. */
  listen: string | null;
  /** `nohup: ignoring input` was printed (started by hand from a terminal). */
  nohup: boolean;
}

/** The app's last non-empty line of an instance that ended without a word. */
interface LastWords {
  line: number;
  text: string;
  /** The last stamp seen in the instance at or before that line (times come only from stamped lines). */
  lastStamp: StampSeen | null;
}

/** An admin-triggered restart (`监听到路由更改`, `进程结束，开始重启`): same PID, same life. */
export interface AdminRestart {
  line: number;
  text: string;
  stamp: StampSeen | null;
}

/** How an instance ended. */
export type AppEnding =
  /** It said goodbye: `退出 terminated` (signal named) and/or `监听到退出信号`, then exit 0. */
  | { kind: 'goodbye'; signal: string | null; at: AppRef }
  /**
   * It failed to start (port in use, bad config, database unreachable, …); `repeat` counts consecutive instances
   * failing the same way (1 = first). `rule`: AnQiCMS's own message, or the error a short life's output ended with
   * (`log.Fatal`'s last line); `detail` is what that line names.
   */
  | {
      kind: 'startup-failure'; cause: StartupFailureCause; message: string; at: AppRef; repeat: number;
      rule?: 'message' | 'last-words'; detail?: StartupFailureDetail | null;
    }
  /** `panic:` with its goroutine trace. */
  | { kind: 'go-panic'; trace: GoTrace }
  /** Another `fatal error:` (`concurrent map writes`, `thread exhaustion` …); `cause` is its text. */
  | { kind: 'go-fatal'; cause: string; trace: GoTrace }
  /** The Go runtime ran out of memory itself (mmap failed; not the kernel's OOM killer): N and M from `cannot allocate N-byte block (M in use)`. */
  | { kind: 'go-runtime-oom'; cannotAllocateBytes: number | null; inUseBytes: number | null; trace: GoTrace }
  /** A fatal signal the runtime dumped goroutines for (`SIGABRT: abort`, `SIGQUIT: quit` when not handled). */
  | { kind: 'go-signal'; signal: string; trace: GoTrace }
  /** No goodbye, no trace: the next start arrived (a silent death: SIGKILL, kernel OOM, power) or the input ended (maybe still running). */
  | { kind: 'silent'; until: 'next-start' | 'end-of-input'; lastWords: LastWords | null };

/** What running.log says, one record per event, in line order. */
export type AppRecord =
  /** A new process began (emitted once its first stamp is seen, or when it ends). */
  | { kind: 'instance-start'; index: number; start: InstanceStart }
  /** A life is over (emitted when the next one starts or at the end of input) — everything known about it. */
  | {
      kind: 'instance-end';
      index: number;
      start: InstanceStart;
      ending: AppEnding;
      firstLine: number;
      lastLine: number;
      /** Non-blank lines of this instance. */
      lines: number;
      firstStamp: StampSeen | null;
      lastStamp: StampSeen | null;
      /** `isLimiting …` lines seen: the memory-pressure limiter refusing work (in a big log, only those read near a marker). */
      isLimitingLines: number;
      adminRestarts: AdminRestart[];
      adminRestartCount: number;
      /** Crash reports after which the instance kept logging (recovered or printed, not fatal). */
      survivedTraces: number;
      /** Crash reports after the one that ended it (e.g. a panic while shutting down after a goodbye). */
      laterTraces: number;
      /** Lines made only of NUL bytes (space allocated but never written: usually a host crash). */
      nulPaddingLines: number;
    };

export type InstanceEndRecord = Extract<AppRecord, { kind: 'instance-end' }>;

export interface AppStats {
  /** Lives past MAX_INSTANCES: read, but not reported (their records were not kept). */
  livesNotKept: number;
  /** The stream line where the first life that was not kept began. */
  firstLifeNotKept: number | null;
  lines: number;
  blankLines: number;
  instances: number;
  firstStamp: StampSeen | null;
  lastStamp: StampSeen | null;
}
