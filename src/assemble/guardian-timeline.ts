// Follows the guardian's checks line by line and reports when the process went down, came back, was stopped, or nobody looked.
import type { LocalStamp } from '../model/stamps.js';
import { recogniseGuardianLine, type GuardianLine } from '../recognise/guardian.js';

/** A guardian line used as evidence. */
export interface GuardianRef {
  /** 1-based line number in the guardian input. */
  line: number;
  /**
   * Zone-less: the line's own stamp; for a stdout echo, the Baota separator that closed its run;
   * for an echoed start command, the check it followed.
   */
  stamp: LocalStamp;
  text: string;
}

/**
 * What the guardian log says, in line order — except that a silence among the first few gaps is
 * reported once the usual interval is learnt, up to three checks late.
 */
export type GuardianRecord =
  /** running → not running: death lies between (stop ?? lastUp).stamp and firstDown.stamp. */
  | {
      kind: 'went-down';
      /** The last check with N ≥ 1 before it; null when the log starts with stop.sh's line. */
      lastUp: GuardianRef | null;
      /** The first check with N = 0; null when stop.sh's PID line was followed by N ≥ 1 with no 0 between (stopped and restarted between two checks). */
      firstDown: GuardianRef | null;
      /** stop.sh's PID line between lastUp and firstDown: a deliberate stop (`kill -9`), not a crash. */
      stop: GuardianRef | null;
    }
  /** not running → running: the first check with N ≥ 1 after checks with N = 0. */
  | {
      kind: 'came-back';
      /** The first and last checks with N = 0 of the down period; null when only stop.sh's line showed it. */
      firstDown: GuardianRef | null;
      lastDown: GuardianRef | null;
      firstUp: GuardianRef;
      /** Checks with N = 0 in the down period: each one was a start attempt by start.sh. */
      downChecks: number;
      /** The last echoed start command (`nohup ./anqicms >> running.log 2>&1 &`) seen while down, if the log has them. */
      startCommand: GuardianRef | null;
      /** `anqicms NOT running` lines seen while down (cron stdout redirected into the log). */
      notRunningLines: number;
    }
  /** stop.sh ran: `pidDigits` are the PIDs it found, glued ('' = it found none, nothing was killed). */
  | { kind: 'stop'; at: GuardianRef; pidDigits: string }
  /** The first check with N ≥ 2 (two instances, or the install dir matching `\<anqicms\>` — a dead app then is never restarted). Once per input. */
  | { kind: 'several-matches'; at: GuardianRef; count: number }
  /** No check for much longer than the guardian's usual interval (cron stopped, host down, log cut). */
  | {
      kind: 'silence';
      from: GuardianRef;
      to: GuardianRef;
      seconds: number;
      /** The interval learnt from the data (median of recent gaps; 60 s until enough are seen). */
      usualIntervalSeconds: number;
      /** What the last check before the silence said. */
      stateBefore: GuardianState;
    };

export type GuardianState = 'up' | 'down' | 'unknown';

/** Totals for the input, available any time (`stats`). */
export interface GuardianStats {
  lines: number;
  blankLines: number;
  /** Non-blank lines that are none of the known shapes. */
  unrecognisedLines: number;
  /** Checks placed in time (stamped lines, or echoes closed by a Baota separator). */
  checks: number;
  stops: number;
  /** Checks with N ≥ 2, and the largest N seen. */
  severalMatchChecks: number;
  maxCount: number;
  /** stdout echoes that no separator ever stamped (run cut short at the end of the input). */
  unplacedEchoes: number;
  /** Records past MAX_GUARDIAN_RECORDS: counted, not kept. */
  recordsNotKept: number;
  /** Checks whose stamp went backwards from the previous one (clock set back, DST, files out of order). */
  backwardSteps: number;
  first: GuardianRef | null;
  last: GuardianRef | null;
  usualIntervalSeconds: number;
  state: GuardianState;
}

export interface GuardianTimelineOptions {
  /** Interval assumed until enough gaps are seen (start.sh runs every minute). */
  defaultIntervalSeconds?: number;
  /** Gaps the usual interval is the median of. */
  intervalWindow?: number;
  /** A silence is at least this many usual intervals… */
  silenceFactor?: number;
  /** …and at least this many seconds. */
  minSilenceSeconds?: number;
}

const NO_RECORDS: readonly GuardianRecord[] = Object.freeze([]);
type Gap = { from: GuardianRef; to: GuardianRef; seconds: number; stateBefore: GuardianState };
const MIN_GAPS_TO_LEARN = 3;
/** Records kept per stream (each down and each return is one): weeks of a crash loop fit; a pathological log cannot exhaust memory. */
export const MAX_GUARDIAN_RECORDS = 20_000;

/** A check reduced to what the state machine needs. */
type Check = { ref: GuardianRef } & ({ count: number } | { pidDigits: string });

/**
 * Streaming reader of a check.log (or a Baota cron log of start.sh). Feed every line in order with
 * `pushText` (or `push` with an already recognised line), then call `finish`; both return the records
 * completed by that call. Memory is bounded: it keeps the current state and a window of recent gaps.
 */
export class GuardianTimeline {
  private readonly defaultInterval: number;
  private readonly windowSize: number;
  private readonly silenceFactor: number;
  private readonly minSilence: number;

  private readonly gaps: number[] = [];
  private readonly unjudgedGaps: Gap[] = [];
  private state: GuardianState = 'unknown';
  private lastUp: GuardianRef | null = null;
  private firstDown: GuardianRef | null = null;
  private lastDown: GuardianRef | null = null;
  private downChecks = 0;
  private startCommand: GuardianRef | null = null;
  private notRunningLines = 0;
  private pendingStop: GuardianRef | null = null;
  private lastCount: GuardianRef | null = null;
  private lastCountMs = 0;
  private lastMs = 0;
  private warnedSeveral = false;
  /** An echoed check waiting for its run's Baota separator to give it a time. */
  private pendingEcho: {
    line: number;
    text: string;
    echo: Extract<GuardianLine, { kind: 'check-echo' }>;
    notRunning: number;
  } | null = null;
  /** The previous recognised line was a stamped check/stop with this value: its stdout echo is a duplicate. */
  private justStamped: string | null = null;
  private readonly totals = {
    lines: 0, blankLines: 0, unrecognisedLines: 0, checks: 0, stops: 0, severalMatchChecks: 0, maxCount: 0,
    unplacedEchoes: 0, backwardSteps: 0, recordsNotKept: 0,
  };
  private first: GuardianRef | null = null;
  private last: GuardianRef | null = null;
  private keptRecords = 0;

  constructor(options: GuardianTimelineOptions = {}) {
    this.defaultInterval = options.defaultIntervalSeconds ?? 60;
    this.windowSize = options.intervalWindow ?? 15;
    this.silenceFactor = options.silenceFactor ?? 3;
    this.minSilence = options.minSilenceSeconds ?? 180;
  }

  /** Recognises and pushes one raw line. */
  pushText(text: string, lineNo: number): readonly GuardianRecord[] {
    if (isBlank(text)) {
      this.totals.lines++;
      this.totals.blankLines++;
      return NO_RECORDS;
    }
    return this.push(recogniseGuardianLine(text), lineNo);
  }

  /** Pushes one line already recognised; null counts as an unrecognised line. */
  push(line: GuardianLine | null, lineNo: number): readonly GuardianRecord[] {
    this.totals.lines++;
    if (line === null) {
      this.totals.unrecognisedLines++;
      this.justStamped = null;
      return NO_RECORDS;
    }
    const out: GuardianRecord[] = [];
    const justStamped = this.justStamped;
    this.justStamped = null;
    switch (line.kind) {
      case 'check':
        this.justStamped = String(line.count);
        this.onCheck({ ref: { line: lineNo, stamp: line.stamp, text: line.text }, count: line.count }, out);
        break;
      case 'stop':
        this.justStamped = line.pidDigits;
        this.onCheck({ ref: { line: lineNo, stamp: line.stamp, text: line.text }, pidDigits: line.pidDigits }, out);
        break;
      case 'check-echo': {
        const value = line.count !== null ? String(line.count) : line.pidDigits;
        if (justStamped !== null && justStamped === value) break; // the stamped line just before said the same
        if (this.pendingEcho) this.totals.unplacedEchoes++;
        this.pendingEcho = { line: lineNo, text: line.text, echo: line, notRunning: 0 };
        break;
      }
      case 'cron-separator':
        if (this.pendingEcho) {
          const { line: echoLine, text, echo, notRunning } = this.pendingEcho;
          this.pendingEcho = null;
          const ref = { line: echoLine, stamp: line.stamp, text };
          this.onCheck(echo.count !== null ? { ref, count: echo.count } : { ref, pidDigits: echo.pidDigits ?? '' }, out);
          if (this.state === 'down') this.notRunningLines += notRunning;
        }
        break;
      case 'status':
        if (line.status !== 'not-running') break;
        if (this.pendingEcho) this.pendingEcho.notRunning++; // a Baota run: its check is placed when the separator comes
        else if (this.state === 'down') this.notRunningLines++;
        break;
      case 'cron-rule':
        break;
      case 'start-command':
        if (this.state === 'down' && this.lastDown) {
          this.startCommand = { line: lineNo, stamp: this.lastDown.stamp, text: line.text };
        }
        break;
    }
    return this.keep(out);
  }

  /** Ends the input: a stop.sh line with no check after it still counts as going down. */
  finish(): readonly GuardianRecord[] {
    const out: GuardianRecord[] = [];
    if (this.pendingEcho) {
      this.totals.unplacedEchoes++;
      this.pendingEcho = null;
    }
    this.judgeGaps(this.unjudgedGaps.splice(0), out);
    if (this.pendingStop) {
      out.push({ kind: 'went-down', lastUp: this.lastUp, firstDown: null, stop: this.pendingStop });
      this.pendingStop = null;
      this.state = 'down';
    }
    return this.keep(out);
  }

  /** Passes records on up to MAX_GUARDIAN_RECORDS per stream; later ones are only counted. */
  private keep(out: GuardianRecord[]): readonly GuardianRecord[] {
    if (out.length === 0) return NO_RECORDS;
    const room = MAX_GUARDIAN_RECORDS - this.keptRecords;
    if (room >= out.length) {
      this.keptRecords += out.length;
      return out;
    }
    this.totals.recordsNotKept += out.length - Math.max(0, room);
    if (room <= 0) return NO_RECORDS;
    this.keptRecords += room;
    return out.slice(0, room);
  }

  get stats(): GuardianStats {
    return {
      ...this.totals,
      first: this.first,
      last: this.last,
      usualIntervalSeconds: this.usualInterval(),
      state: this.pendingStop ? 'down' : this.state,
    };
  }

  private onCheck(check: Check, out: GuardianRecord[]): void {
    const { ref } = check;
    this.first ??= ref;
    const ms = naiveMs(ref.stamp);
    if (this.last && ms < this.lastMs) this.totals.backwardSteps++;
    this.last = ref;
    this.lastMs = ms;

    if ('pidDigits' in check) {
      this.totals.stops++;
      out.push({ kind: 'stop', at: ref, pidDigits: check.pidDigits });
      if (check.pidDigits !== '' && this.state !== 'down') this.pendingStop = ref;
      return;
    }

    this.totals.checks++;
    this.noteGap(ref, ms, out);
    const { count } = check;
    if (count === 0) {
      if (this.state === 'up' || this.pendingStop) {
        out.push({ kind: 'went-down', lastUp: this.lastUp, firstDown: ref, stop: this.pendingStop });
      }
      if (this.state !== 'down') {
        this.firstDown = ref;
        this.downChecks = 0;
        this.startCommand = null;
        this.notRunningLines = 0;
      }
      this.state = 'down';
      this.lastDown = ref;
      this.downChecks++;
      this.pendingStop = null;
      return;
    }

    if (count >= 2) {
      this.totals.severalMatchChecks++;
      if (!this.warnedSeveral) {
        this.warnedSeveral = true;
        out.push({ kind: 'several-matches', at: ref, count });
      }
    }
    this.totals.maxCount = Math.max(this.totals.maxCount, count);
    if (this.state === 'down') {
      out.push({
        kind: 'came-back', firstDown: this.firstDown, lastDown: this.lastDown, firstUp: ref,
        downChecks: this.downChecks, startCommand: this.startCommand, notRunningLines: this.notRunningLines,
      });
    } else if (this.pendingStop) {
      out.push({ kind: 'went-down', lastUp: this.lastUp, firstDown: null, stop: this.pendingStop });
      out.push({
        kind: 'came-back', firstDown: null, lastDown: null, firstUp: ref,
        downChecks: 0, startCommand: null, notRunningLines: 0,
      });
    }
    this.state = 'up';
    this.lastUp = ref;
    this.pendingStop = null;
  }

  /**
   * Learns the usual interval from gaps between counts (stop.sh runs by hand, so its lines are left out)
   * and reports silences. Until MIN_GAPS_TO_LEARN gaps are known, long gaps wait (at most that many) and
   * are judged once the interval is learnt, so a 5-minute cron is not taken for a silent 1-minute one.
   */
  private noteGap(ref: GuardianRef, ms: number, out: GuardianRecord[]): void {
    const previous = this.lastCount;
    const seconds = (ms - this.lastCountMs) / 1000;
    this.lastCount = ref;
    this.lastCountMs = ms;
    if (!previous) return;
    if (seconds <= 0) return;
    this.gaps.push(seconds);
    if (this.gaps.length > this.windowSize) this.gaps.shift();
    const gap: Gap = { from: previous, to: ref, seconds, stateBefore: this.state };
    if (this.gaps.length < MIN_GAPS_TO_LEARN) {
      if (seconds >= this.minSilence) this.unjudgedGaps.push(gap);
      return;
    }
    this.judgeGaps([...this.unjudgedGaps.splice(0), gap], out);
  }

  private judgeGaps(gaps: Gap[], out: GuardianRecord[]): void {
    const usual = this.usualInterval();
    for (const { from, to, seconds, stateBefore } of gaps) {
      if (seconds >= this.silenceFactor * usual && seconds >= this.minSilence) {
        out.push({ kind: 'silence', from, to, seconds, usualIntervalSeconds: usual, stateBefore });
      }
    }
  }

  private usualInterval(): number {
    if (this.gaps.length < MIN_GAPS_TO_LEARN) return this.defaultInterval;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
}

function isBlank(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 0x20 && text.trim() === '');
}

/** Seconds from a to b, reading both stamps on one naive clock (no zone, no DST); null years count as equal. */
export function secondsBetween(a: LocalStamp, b: LocalStamp): number {
  return (naiveMs(b) - naiveMs(a)) / 1000;
}

function naiveMs(s: LocalStamp): number {
  return Date.UTC(s.year ?? 2000, s.month - 1, s.day, s.hour, s.minute, s.second) + s.micros / 1000;
}
