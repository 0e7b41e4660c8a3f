// Splits running.log into the lives of the process (instances) and tells how each one ended (the records it gives are
// in app-records.ts). One streaming state machine (start lines, endings, crash reports) that reads best in one place.
import { recogniseAppLine, type AppLine } from '../recognise/app.js';
import { GoTraceBuilder, MAX_RUNTIME_SAYS } from './go-trace-builder.js';
import { lastWordsError, secondsBetween, stripLikePrefix, Tail, STARTUP_SECONDS } from './app-endings.js';
import type { AppEnding, AppRecord, AppRef, AppStats, StampSeen } from './app-records.js';
import { failureKey, finalEnding, isHeader, isLaterStamp, isStartLine, noteAdminRestart, opensHeaderless, startsNewInstance, type Instance, type StartKind } from './app-life.js';

export type { AppRecord } from './app-records.js';

/** Foreign lines after a crash report, one of them stamped, mean the process lived on: the report was not its death. */
const LINES_PROVING_SURVIVAL = 3;
/** Lives whose records are kept per stream: a crash loop of weeks fits; a pathological log cannot exhaust memory. */
export const MAX_INSTANCES = 10_000;
const NO_RECORDS: readonly AppRecord[] = Object.freeze([]);

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
