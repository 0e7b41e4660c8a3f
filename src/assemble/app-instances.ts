// Splits running.log into the lives of the process (instances) and tells how each one ended.
// Over 400 lines: one streaming state machine (start lines, endings, crash reports) that reads best in one place.
import { recogniseAppLine, type AppLine, type AppStamp, type StartupFailureCause } from '../recognise/app.js';
import type { StartupFailureDetail } from '../recognise/startup-errors.js';
import type { TraceLine } from '../recognise/go-trace.js';
import { GoTraceBuilder, type GoTrace, type TracePrelude, MAX_RUNTIME_SAYS } from './go-trace-builder.js';
import { lastWordsError, secondsBetween, stripLikePrefix, Tail, STARTUP_SECONDS } from './app-endings.js';

/** An app line used as evidence. */
interface AppRef {
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
interface AdminRestart {
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

/** Foreign lines after a crash report, one of them stamped, mean the process lived on: the report was not its death. */
const LINES_PROVING_SURVIVAL = 3;
const MAX_ADMIN_RESTARTS = 20;
/** Lives whose records are kept per stream: a crash loop of weeks fits; a pathological log cannot exhaust memory. */
export const MAX_INSTANCES = 10_000;
const NO_RECORDS: readonly AppRecord[] = Object.freeze([]);

type StartKind = 'exec-path' | 'nohup' | 'iris-version' | 'now-listening' | 'banner';
const STRONG_START: ReadonlySet<string> = new Set(['exec-path', 'nohup', 'iris-version', 'now-listening']);

interface TraceEnding {
  kind: 'trace';
  builder: GoTraceBuilder;
  foreignLines: number;
  stampedForeign: boolean;
}

interface Instance {
  index: number;
  start: InstanceStart;
  startEmitted: boolean;
  seen: Set<StartKind>;
  /** Lines of this instance that are not start lines. */
  otherLines: number;
  /** An admin restart was announced: the next start lines belong to this life. */
  restartPending: boolean;
  /** `监听到路由更改` was the last admin-restart line (its index in adminRestarts, -1 if not kept): a `进程结束，开始重启` now completes it. */
  routeChangeOpen: number | null;
  ending: Exclude<AppEnding, { kind: 'go-panic' | 'go-fatal' | 'go-runtime-oom' | 'go-signal' }> | TraceEnding | null;
  prelude: TracePrelude | null;
  firstLine: number;
  lastLine: number;
  lines: number;
  firstStamp: StampSeen | null;
  lastStamp: StampSeen | null;
  /** The last non-empty line, and the last stamp at that point (assembled into LastWords at the end). */
  lastWordsLine: number;
  lastWordsText: string;
  lastWordsStamp: StampSeen | null;
  isLimitingLines: number;
  adminRestarts: AdminRestart[];
  adminRestartCount: number;
  survivedTraces: number;
  laterTraces: number;
  nulPaddingLines: number;
  /** The last few lines, for the error a failed start ends with. */
  tail: Tail;
  /** The previous line was net/http's `http: panic serving …`: a goroutine dump after it was recovered, not a death. */
  afterRecoveredPanic: boolean;
}

/**
 * Streaming reader of running.log: `push` every line in order, then `finish`; each returns the records
 * completed by that call. Memory is bounded: one instance's summary and one crash report's first frames.
 */
export class AppInstances {
  private current: Instance | null = null;
  private count = 0;
  private livesNotKept = 0;
  private firstLifeNotKept: number | null = null;
  private previousFailure: { key: string; repeat: number } | null = null;
  /** Some life printed where it listens: a life that never did, died before it was up. */
  private everListened = false;
  private readonly totals = { lines: 0, blankLines: 0 };
  private firstStamp: StampSeen | null = null;
  private lastStamp: StampSeen | null = null;

  push(text: string, lineNo: number): readonly AppRecord[] {
    this.totals.lines++;
    // Inside a crash report that came behind a log prefix (journald, docker compose, a timestamp), its lines carry it too.
    const open = this.current?.ending;
    const prefix = open?.kind === 'trace' ? open.builder.prefix : null;
    const line = recogniseAppLine(prefix ? stripLikePrefix(text, prefix) : text);
    const out: AppRecord[] = [];

    if (line.kind === 'blank') {
      this.totals.blankLines++;
      const ending = this.current?.ending;
      if (ending?.kind === 'trace') ending.builder.accept(line, lineNo);
      return NO_RECORDS;
    }
    if (line.kind === 'nul-padding') {
      if (this.current) this.current.nulPaddingLines++;
      return NO_RECORDS;
    }

    let inst = this.current;
    if (isStartLine(line) && (!inst || startsNewInstance(inst, line))) {
      if (inst) out.push(...this.close(inst, 'next-start'));
      inst = this.open(line, lineNo, false);
    } else if (!inst || (line.kind === 'startup-failure' && inst.ending?.kind === 'startup-failure')) {
      if (inst) out.push(...this.close(inst, 'next-start'));
      inst = this.open(line, lineNo, true);
    }

    this.note(inst, line, lineNo);
    this.interpret(inst, line, lineNo);
    if (!inst.startEmitted && inst.start.stamp) this.emitStart(inst, out);
    return out.length ? out : NO_RECORDS;
  }

  finish(): readonly AppRecord[] {
    if (!this.current) return NO_RECORDS;
    const out = this.close(this.current, 'end-of-input');
    this.current = null;
    return out;
  }

  /** While a crash report is being read every line may belong to it. */
  get wantsEveryLine(): boolean {
    return this.current?.ending?.kind === 'trace';
  }

  get stats(): AppStats {
    return { ...this.totals, livesNotKept: this.livesNotKept, firstLifeNotKept: this.firstLifeNotKept, instances: this.count, firstStamp: this.firstStamp, lastStamp: this.lastStamp };
  }

  private open(line: AppLine, lineNo: number, implicit: boolean): Instance {
    const inst: Instance = {
      index: this.count++,
      start: {
        line: lineNo, text: line.text, stamp: null, implicit,
        execPath: null, irisVersion: null, listen: null, nohup: false,
      },
      startEmitted: false,
      seen: new Set(),
      otherLines: 0,
      restartPending: false,
      routeChangeOpen: null,
      ending: null,
      prelude: null,
      firstLine: lineNo,
      lastLine: lineNo,
      lines: 0,
      firstStamp: null,
      lastStamp: null,
      lastWordsLine: 0,
      lastWordsText: '',
      lastWordsStamp: null,
      isLimitingLines: 0,
      adminRestarts: [],
      adminRestartCount: 0,
      survivedTraces: 0,
      laterTraces: 0,
      nulPaddingLines: 0,
      tail: new Tail(),
      afterRecoveredPanic: false,
    };
    this.current = inst;
    return inst;
  }

  /** Bookkeeping every non-blank line gets: counts, stamps, last words. */
  private note(inst: Instance, line: AppLine, lineNo: number): void {
    inst.lines++;
    inst.lastLine = lineNo;
    if (line.stamp) {
      const seen: StampSeen = { line: lineNo, stamp: line.stamp };
      inst.firstStamp ??= seen;
      inst.start.stamp ??= seen;
      this.firstStamp ??= seen;
      if (isLaterStamp(line.stamp, inst.lastStamp)) inst.lastStamp = seen;
      if (isLaterStamp(line.stamp, this.lastStamp)) this.lastStamp = seen;
    }
    inst.lastWordsLine = lineNo;
    inst.lastWordsText = line.text;
    inst.lastWordsStamp = inst.lastStamp;
    inst.tail.push({ line: lineNo, text: line.text, stamp: line.stamp });
  }

  private interpret(inst: Instance, line: AppLine, lineNo: number): void {
    const recovered = inst.afterRecoveredPanic;
    inst.afterRecoveredPanic = line.text.includes(': panic serving ');
    const ending = inst.ending;
    // A header after a report that had none (a cut paste), or after an unconfirmed glued one, is the real start.
    if (ending?.kind === 'trace' && line.kind === 'trace' && isHeader(line.trace.kind) && (!ending.builder.hasHeader || (ending.builder.prefix !== null && !ending.builder.confirmed))) {
      inst.ending = null;
    } else if (ending?.kind === 'trace') {
      if (ending.builder.accept(line, lineNo)) return;
      if (!isStartLine(line)) {
        ending.foreignLines++;
        if (line.stamp) ending.stampedForeign = true;
        if (ending.foreignLines >= LINES_PROVING_SURVIVAL && ending.stampedForeign) {
          inst.ending = null; // it kept logging: that report did not kill it
          inst.survivedTraces++;
        }
      }
    }

    if (isStartLine(line)) {
      this.absorbStart(inst, line);
      return;
    }
    if (line.kind === 'trace' && !inst.ending && opensHeaderless(line.trace, recovered)) {
      this.openTrace(inst, line, lineNo);
      return;
    }
    inst.otherLines++;
    if (line.kind !== 'trace') inst.prelude = null;

    const at = (): AppRef => ({ line: lineNo, text: line.text, stamp: line.stamp });
    switch (line.kind) {
      case 'exit-signal':
        inst.ending ??= { kind: 'goodbye', signal: line.signal, at: at() };
        break;
      case 'exit-heard':
        inst.ending ??= { kind: 'goodbye', signal: null, at: at() };
        break;
      case 'route-changed':
      case 'restarting':
        inst.restartPending = true;
        inst.seen.clear();
        noteAdminRestart(inst, line, lineNo);
        break;
      case 'startup-failure': {
        if (inst.ending) break;
        const prev = this.previousFailure;
        const repeat = prev && prev.key === line.cause ? prev.repeat + 1 : 1;
        inst.ending = { kind: 'startup-failure', cause: line.cause, message: line.message, at: at(), repeat, rule: 'message', detail: null };
        break;
      }
      case 'is-limiting':
        inst.isLimitingLines++;
        break;
      case 'trace':
        this.onTraceLine(inst, line, lineNo);
        break;
      default:
        break;
    }
  }

  private onTraceLine(inst: Instance, line: AppLine & { kind: 'trace' }, lineNo: number): void {
    const t = line.trace;
    if (t.kind === 'runtime-says' || (t.kind === 'signal' && t.signal === null)) {
      inst.prelude ??= { firstLine: lineNo, says: [], cannotAllocateBytes: null, inUseBytes: null, signal: null };
      if (t.kind === 'signal') inst.prelude.signal = t.text;
      else {
        if (inst.prelude.says.length < MAX_RUNTIME_SAYS) inst.prelude.says.push(t.message);
        inst.prelude.cannotAllocateBytes ??= t.cannotAllocateBytes;
        inst.prelude.inUseBytes ??= t.inUseBytes;
      }
      return;
    }
    if (!isHeader(t.kind)) {
      inst.prelude = null; // a stray frame-shaped line
      return;
    }
    if (inst.ending) {
      if (inst.ending.kind !== 'trace') inst.laterTraces++;
      return;
    }
    this.openTrace(inst, line, lineNo);
  }

  private openTrace(inst: Instance, line: AppLine & { kind: 'trace' }, lineNo: number): void {
    const t = line.trace;
    if (t.kind !== 'panic' && t.kind !== 'fatal-error' && t.kind !== 'signal-dump' && t.kind !== 'signal' && t.kind !== 'goroutine') return;
    const builder = new GoTraceBuilder(t, lineNo, line.text, inst.prelude, line.prefix);
    inst.prelude = null;
    inst.ending = { kind: 'trace', builder, foreignLines: 0, stampedForeign: false };
  }

  private absorbStart(inst: Instance, line: AppLine): void {
    inst.restartPending = false;
    if (line.kind === 'now-listening') this.everListened = true; // a needle: read in big logs too, unlike the lines below it
    inst.seen.add(line.kind as StartKind);
    const start = inst.start;
    switch (line.kind) {
      case 'exec-path':
        start.execPath ??= line.path;
        break;
      case 'nohup':
        start.nohup = true;
        break;
      case 'iris-version':
        start.irisVersion ??= line.version;
        break;
      case 'now-listening':
      case 'banner':
        start.listen ??= line.address;
        break;
      default:
        break;
    }
  }

  private emitStart(inst: Instance, out: AppRecord[]): void {
    inst.startEmitted = true;
    if (inst.index >= MAX_INSTANCES) return;
    out.push({ kind: 'instance-start', index: inst.index, start: { ...inst.start } });
  }

  /**
   * A life that said nothing of its end but whose output ends with an error, and that ended within its first
   * minute or before it said where it listens (when this app says so), failed to start: `log.Fatal` and its like.
   */
  private failedStart(inst: Instance): Extract<AppEnding, { kind: 'startup-failure' }> | null {
    const failure = lastWordsError(inst.tail.lines);
    if (!failure) return null;
    const lived = secondsBetween(inst.start.stamp?.stamp ?? null, inst.lastStamp?.stamp ?? null);
    const short = lived !== null && lived <= STARTUP_SECONDS;
    const neverUp = this.everListened && !inst.seen.has('now-listening') && inst.adminRestartCount === 0;
    if (!short && !neverUp) return null;
    const at: AppRef = { line: failure.at.line, text: failure.at.text, stamp: failure.at.stamp };
    const ending = { kind: 'startup-failure' as const, cause: failure.cause, message: failure.at.text.trim(), at, repeat: 1, rule: 'last-words' as const, detail: failure.detail };
    const prev = this.previousFailure;
    if (prev && prev.key === failureKey(ending)) ending.repeat = prev.repeat + 1;
    return ending;
  }

  private close(inst: Instance, until: 'next-start' | 'end-of-input'): AppRecord[] {
    const out: AppRecord[] = [];
    if (!inst.startEmitted) this.emitStart(inst, out);
    let ending = finalEnding(inst, until);
    if (ending.kind === 'silent' && until === 'next-start') ending = this.failedStart(inst) ?? ending;
    this.previousFailure = ending.kind === 'startup-failure' ? { key: failureKey(ending), repeat: ending.repeat } : null;
    out.push({
      kind: 'instance-end',
      index: inst.index,
      start: inst.start,
      ending,
      firstLine: inst.firstLine,
      lastLine: inst.lastLine,
      lines: inst.lines,
      firstStamp: inst.firstStamp,
      lastStamp: inst.lastStamp,
      isLimitingLines: inst.isLimitingLines,
      adminRestarts: inst.adminRestarts,
      adminRestartCount: inst.adminRestartCount,
      survivedTraces: inst.survivedTraces,
      laterTraces: inst.laterTraces,
      nulPaddingLines: inst.nulPaddingLines,
    });
    if (this.current === inst) this.current = null;
    if (inst.index >= MAX_INSTANCES) {
      // Past the cap the life is still followed (the next one's start depends on it) but not kept.
      this.livesNotKept++;
      this.firstLifeNotKept ??= inst.firstLine;
      return [];
    }
    return out;
  }
}

/**
 * `监听到路由更改` (unstamped) then `进程结束，开始重启` (stamped) are one restart: the pair is counted once
 * and described by the stamped line. Either line alone is a restart too.
 */
function noteAdminRestart(inst: Instance, line: AppLine, lineNo: number): void {
  const stamp: StampSeen | null = line.stamp ? { line: lineNo, stamp: line.stamp } : inst.lastStamp;
  const restart: AdminRestart = { line: lineNo, text: line.text, stamp };
  const open = inst.routeChangeOpen;
  inst.routeChangeOpen = null;
  if (line.kind === 'restarting' && open !== null) {
    if (open >= 0) inst.adminRestarts[open] = restart;
    return;
  }
  inst.adminRestartCount++;
  const stored = inst.adminRestarts.length < MAX_ADMIN_RESTARTS;
  if (stored) inst.adminRestarts.push(restart);
  if (line.kind === 'route-changed') inst.routeChangeOpen = stored ? inst.adminRestarts.length - 1 : -1;
}

/** Failed starts fold into one incident when they fail the same way: AnQiCMS's by cause, others by cause and message shape. */
function failureKey(ending: Extract<AppEnding, { kind: 'startup-failure' }>): string {
  return ending.rule === 'last-words' ? `${ending.cause}|${ending.message.replace(/\d+/g, '0')}` : ending.cause;
}

function isHeader(kind: string): boolean {
  return kind === 'panic' || kind === 'fatal-error' || kind === 'signal-dump';
}

/**
 * A crash report whose header was cut off still opens at `[signal SIG…]` or at a running goroutine's header —
 * but not a goroutine net/http printed after recovering a handler's panic (`http: panic serving …`).
 */
function opensHeaderless(t: TraceLine, afterRecoveredPanic: boolean): boolean {
  if (t.kind === 'signal') return t.signal !== null;
  return t.kind === 'goroutine' && t.state.startsWith('running') && !afterRecoveredPanic;
}

/** A glued header nothing confirmed, or a headerless dump whose stack never reaches the program's code, is no crash report. */
function isCrashReport(builder: GoTraceBuilder, trace: GoTrace): boolean {
  if (trace.prefix !== null && !builder.confirmed) return false;
  if (trace.opener !== 'crash') return true;
  const first = trace.frames[0]?.function ?? '';
  return trace.crashSite !== null && !first.startsWith('runtime/debug.');
}

function finalEnding(inst: Instance, until: 'next-start' | 'end-of-input'): AppEnding {
  let ending = inst.ending;
  if (ending?.kind === 'trace' && !isCrashReport(ending.builder, ending.builder.build())) ending = null;
  if (!ending) {
    const lastWords = inst.lastWordsLine
      ? { line: inst.lastWordsLine, text: inst.lastWordsText, lastStamp: inst.lastWordsStamp }
      : null;
    return { kind: 'silent', until, lastWords };
  }
  if (ending.kind !== 'trace') return ending;
  const trace = ending.builder.build();
  if (trace.opener === 'panic' || trace.opener === 'crash') return { kind: 'go-panic', trace };
  if (trace.opener === 'signal-dump') return { kind: 'go-signal', signal: trace.signalName ?? trace.message, trace };
  if (/^(?:runtime: )?(?:out of memory\b|cannot allocate memory)/.test(trace.message) || (trace.headerless && trace.cannotAllocateBytes !== null)) {
    return { kind: 'go-runtime-oom', cannotAllocateBytes: trace.cannotAllocateBytes, inUseBytes: trace.inUseBytes, trace };
  }
  return { kind: 'go-fatal', cause: trace.message, trace };
}

function isStartLine(line: AppLine): line is AppLine & { kind: StartKind } {
  return line.kind === 'exec-path' || line.kind === 'nohup' || line.kind === 'iris-version' ||
    line.kind === 'now-listening' || line.kind === 'banner';
}

/**
 * Whether a start line opens a new life rather than continuing the current one's banner:
 * - after any ending (goodbye, failure, crash report), every start line is a new life;
 * - `nohup: ignoring input` is printed before the program runs, so it always is;
 * - the ExecPath line is the program's first line: new unless only `nohup` came before it or an admin restart is pending;
 * - other strong lines (Iris version, `Now listening on`) are new when this life (since its last admin restart) already printed one;
 * - the rest of the banner never opens a life by itself.
 */
function startsNewInstance(inst: Instance, line: AppLine & { kind: StartKind }): boolean {
  if (inst.ending) return true;
  if (inst.restartPending) return false;
  switch (line.kind) {
    case 'nohup':
      return true;
    case 'exec-path':
      return inst.seen.has('exec-path') || inst.otherLines > 0 || [...inst.seen].some((k) => k !== 'nohup');
    default:
      return STRONG_START.has(line.kind) && inst.seen.has(line.kind);
  }
}

/** Whether `stamp` should replace `last`: later in line order, except that a minute-precision stamp only replaces one of an earlier minute. */
function isLaterStamp(stamp: AppStamp, last: StampSeen | null): boolean {
  if (!last) return true;
  if (stamp.precision !== 'minute') return true;
  const a = stamp.local;
  const b = last.stamp.local;
  const key = (s: typeof a) => ((((s.year ?? 0) * 13 + s.month) * 32 + s.day) * 24 + s.hour) * 60 + s.minute;
  return key(a) > key(b);
}
