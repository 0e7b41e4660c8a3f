// The state of one life of the process while running.log is read, and the rules that read it: which line starts a
// new life, which crash report ended it, how an admin restart is noted. Used by AppInstances (app-instances.ts).
import type { AppLine, AppStamp } from '../recognise/app.js';
import type { TraceLine } from '../recognise/go-trace.js';
import type { GoTraceBuilder, GoTrace, TracePrelude } from './go-trace-builder.js';
import type { Tail } from './app-endings.js';
import type { AdminRestart, AppEnding, InstanceStart, StampSeen } from './app-records.js';

const MAX_ADMIN_RESTARTS = 20;

export type StartKind = 'exec-path' | 'nohup' | 'iris-version' | 'now-listening' | 'banner';
const STRONG_START: ReadonlySet<string> = new Set(['exec-path', 'nohup', 'iris-version', 'now-listening']);

interface TraceEnding {
  kind: 'trace';
  builder: GoTraceBuilder;
  foreignLines: number;
  stampedForeign: boolean;
}

export interface Instance {
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
 * `监听到路由更改` (unstamped) then `进程结束，开始重启` (stamped) are one restart: the pair is counted once
 * and described by the stamped line. Either line alone is a restart too.
 */
export function noteAdminRestart(inst: Instance, line: AppLine, lineNo: number): void {
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
export function failureKey(ending: Extract<AppEnding, { kind: 'startup-failure' }>): string {
  return ending.rule === 'last-words' ? `${ending.cause}|${ending.message.replace(/\d+/g, '0')}` : ending.cause;
}

export function isHeader(kind: string): boolean {
  return kind === 'panic' || kind === 'fatal-error' || kind === 'signal-dump';
}

/**
 * A crash report whose header was cut off still opens at `[signal SIG…]` or at a running goroutine's header —
 * but not a goroutine net/http printed after recovering a handler's panic (`http: panic serving …`).
 */
export function opensHeaderless(t: TraceLine, afterRecoveredPanic: boolean): boolean {
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

export function finalEnding(inst: Instance, until: 'next-start' | 'end-of-input'): AppEnding {
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

export function isStartLine(line: AppLine): line is AppLine & { kind: StartKind } {
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
export function startsNewInstance(inst: Instance, line: AppLine & { kind: StartKind }): boolean {
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
export function isLaterStamp(stamp: AppStamp, last: StampSeen | null): boolean {
  if (!last) return true;
  if (stamp.precision !== 'minute') return true;
  const a = stamp.local;
  const b = last.stamp.local;
  const key = (s: typeof a) => ((((s.year ?? 0) * 13 + s.month) * 32 + s.day) * 24 + s.hour) * 60 + s.minute;
  return key(a) > key(b);
}
