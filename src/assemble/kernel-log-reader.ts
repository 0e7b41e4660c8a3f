// One kernel log source read line by line: each line's envelope and stamp, its boot, the clock samples, and its OOM
// lines handed to the block assembler (hard-wrapped ones put together first). `read` is a live view: diagnose reads it
// at the end, watch after every pass.
import { findKernelText } from '../recognise/kernel/kernel-text.js';
import type { Envelope, LineShape } from '../recognise/kernel/envelope/index.js';
import { recogniseOomLine, type OomLine } from '../recognise/kernel/oom-lines.js';
import { recogniseUserspaceLine } from '../recognise/userspace-killers.js';
import type { KernelRecord, LineStamp } from '../model/kernel-records.js';
import type { KernelClock, KernelLogRead, LookalikeTally, WallStamp } from '../model/kernel-log-read.js';
import { OomBlockAssembler } from './oom-blocks.js';
import { pushUserspace } from './userspace-records.js';

/** A boot whose first line is this early on the kernel's clock started inside the log. */
const BOOT_START_UPTIME = 30;


/** The task table's header, which a hard wrap at 80 columns usually cuts. */
const TASK_HEADER_START = /^\[\s*pid\s*\]\s+uid/;
/** A hard-wrapped line is put together from at most this many following lines. */
const MAX_WRAP_JOINS = 4;

/** Message starts that mark a line as an OOM record's even when it cannot be read (counted as unparsed). */
const MARKER_STARTS = ['Killed process', 'oom-kill:', 'Out of memory', 'Out of Memory', 'Memory cgroup out of memory', 'oom_reaper:'];

/** An OOM line that lacks what its kind always has, or does not end the way it always ends, was cut by a hard wrap. */
function looksCut(oom: OomLine, message: string): boolean {
  const end = message.trimEnd();
  switch (oom.kind) {
    case 'header':
      return !/(?:oom_score_adj|oomkilladj|oom_adj|order)=-?\d+$|gfp_mask=0x[0-9a-fA-F]+$/.test(end);
    case 'killed':
      if ((end.includes('total-vm:') || end.includes('vsz:')) && !end.includes('file-rss:')) return true;
      if (/, UID:\d/.test(end) && !/oom_score_adj:-?\d+$/.test(end)) return true;
      return !/(?:kB|\)|\.|oom_score_adj:-?\d+)$/.test(end);
    case 'summary':
      return !/uid=\d+$/.test(end);
    case 'task-row':
      // Cut before the name (a name cut in the middle cannot be told from a short name).
      return oom.name.trim() === '';
    default:
      return false;
  }
}

function looksLikeOomLine(message: string): boolean {
  return message.includes(' invoked oom-killer: ') || MARKER_STARTS.some((start) => message.startsWith(start));
}

/** A line's text as the reader reads it: UTF-8, without the `\r` of a CRLF file. */
function lineString(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/** The messages of a line: rsyslog's imjournal escapes the newlines of a multi-line kernel record as `#012`. */
function messagesOf(env: Envelope): string[] {
  return env.message.includes('#012') ? env.message.split('#012').map((part) => part.trimEnd()) : [env.message];
}

/**
 * Whether a message, read with nothing held from the lines before it, gives the reader a record or holds it for the
 * next line: exactly the cases of onMessage below (and a `Linux version` banner, which starts a boot).
 */
function messageMatters(env: Envelope, message: string): boolean {
  if (env.fromKernel === false) return recogniseUserspaceLine(message, env.ident) !== null;
  return recogniseOomLine(message) !== null || looksLikeOomLine(message) || TASK_HEADER_START.test(message) || message.startsWith('Linux version ');
}

/**
 * False when the line, read while no OOM block is open and nothing is held, would only be counted and stamped: a
 * needle's false alarm (`zoom`, `/proc/N/oom_score_adj`, a script's `Killed process`). A big input's scan leaves such
 * lines out as it leaves out the lines without a needle; the grid lines keep the reader's bearings. Pure, so range
 * workers run it.
 */
export function kernelLineMayMatter(bytes: Buffer): boolean {
  const env = findKernelText(lineString(bytes)).env;
  for (const message of messagesOf(env)) if (messageMatters(env, message)) return true;
  return false;
}

/** A kernel log read line by line: `read` is a live view, complete up to the last line given. */
export interface KernelLogReader {
  readonly read: KernelLogRead;
  line(bytes: Buffer, lineNo: number): void;
  /** While an OOM block is open every line may belong to it. */
  wantsEveryLine(): boolean;
  /** End of input: blocks still open were cut off. */
  finish(): void;
}

/** A line that may continue on the next (a hard-wrapped paste), held until the next line says. */
interface PendingLine {
  env: Envelope;
  message: string;
  lineNo: number;
  text: string;
  stamp: LineStamp;
  oom: OomLine | null;
  joins: number;
}

const NO_STAMP: LineStamp = { uptime: null, local: null, yearIndex: 0, fold: false, epochMs: null, boot: 0 };

class KernelLogLineReader implements KernelLogReader {
  readonly read: KernelLogRead;
  private readonly records: KernelRecord[] = [];
  private readonly assembler = new OomBlockAssembler((record) => this.records.push(record));
  private readonly shapes = new Map<LineShape, number>();
  private readonly problems = new Map<string, number>();
  /** The moment of the last stamped line: unstamped continuation lines belong to it. */
  private lastStamp: LineStamp = NO_STAMP;
  private pending: PendingLine | null = null;
  /** Whether the line being read had text in front of the kernel's; counted for the lines that held OOM records. */
  private linePrefixed = false;

  constructor(private readonly clock: KernelClock) {
    this.read = {
      records: this.records, lines: 0, shapes: this.shapes, unparsedLines: 0, overlongLines: 0, blocksWithoutKill: 0, boots: 1,
      firstWall: null, lastWall: null, firstUptime: null, lastUptime: null, yearless: false, problems: this.problems, bootSpans: [],
      prefixedLines: 0, kernelLines: 0, lookalike: newLookalikeTally(), limits: this.assembler.limits,
    };
  }

  wantsEveryLine(): boolean {
    return this.assembler.wantsNextLines || this.pending !== null;
  }

  finish(): void {
    this.flushPending();
    this.assembler.finish();
    this.read.blocksWithoutKill = this.assembler.blocksWithoutKill;
  }

  line(bytes: Buffer, lineNo: number): void {
    const read = this.read;
    read.lines = Math.max(read.lines, lineNo);
    const text = lineString(bytes);
    const found = findKernelText(text);
    const env = found.env;
    this.linePrefixed = found.prefixed;
    this.tally(env, text);
    const boot = this.clock.boot({ uptime: env.uptime, bootId: env.bootId, linuxVersion: env.message.startsWith('Linux version ') });
    if (env.uptime !== null) {
      read.firstUptime ??= { boot, uptime: env.uptime };
      read.lastUptime = { boot, uptime: env.uptime };
    }
    const stamp = this.stampOf(env, boot, lineNo, text);
    this.assembler.tick(lineNo, env.uptime);
    for (const message of messagesOf(env)) this.onMessage(env, message, lineNo, text, stamp);
    read.boots = Math.max(read.boots, boot + 1);
    read.blocksWithoutKill = this.assembler.blocksWithoutKill;
  }

  /** What the line says of the input as a whole: kernel line or not, its shape, a stamp that could not be read. */
  private tally(env: Envelope, text: string): void {
    const read = this.read;
    if (env.fromKernel === true || env.uptime !== null) read.kernelLines++;
    else if (read.kernelLines === 0) tallyLookalike(read.lookalike, env, text);
    this.shapes.set(env.shape, (this.shapes.get(env.shape) ?? 0) + 1);
    if (env.problem) this.problems.set(env.problem, (this.problems.get(env.problem) ?? 0) + 1);
  }

  /** The line's moment; a stamped line also extends its boot's span and feeds the clock. */
  private stampOf(env: Envelope, boot: number, lineNo: number, text: string): LineStamp {
    if (env.local === null && env.epochMs === null && env.uptime === null) {
      // Unstamped continuation lines belong to the previous stamped line's moment.
      return env.continuation ? this.lastStamp : { ...NO_STAMP, boot };
    }
    const { yearIndex, fold } = env.local !== null ? this.clock.wallStamp(env.local) : { yearIndex: 0, fold: false };
    if (env.local !== null && env.local.year === null) this.read.yearless = true;
    const stamp: LineStamp = { uptime: env.uptime, local: env.local, yearIndex, fold, epochMs: env.epochMs, boot };
    this.lastStamp = stamp;
    const spans = this.read.bootSpans;
    const span = spans.at(-1);
    if (!span || span.boot !== boot) {
      const startsHere = boot > 0 || (env.uptime !== null && env.uptime < BOOT_START_UPTIME);
      spans.push({ boot, first: stamp, last: stamp, start: startsHere ? { lineNo, text, stamp } : null });
    } else {
      span.last = stamp;
    }
    if (env.local !== null || env.epochMs !== null) {
      const wall: WallStamp = { local: env.local, yearIndex, fold, epochMs: env.epochMs };
      this.read.firstWall ??= wall;
      this.read.lastWall = wall;
      if (env.uptime !== null && env.fromKernel !== false) this.clock.sample(boot, env.uptime, wall);
    }
    return stamp;
  }

  private onMessage(env: Envelope, message: string, lineNo: number, text: string, stamp: LineStamp): void {
    if (this.pending) {
      if (this.joinsPending(env, message)) return;
      this.flushPending();
    }
    if (env.fromKernel === false) {
      const user = recogniseUserspaceLine(message, env.ident);
      if (user) pushUserspace(this.records, user, { lineNo, text, stamp });
      return;
    }
    const oom = recogniseOomLine(message);
    if (oom && !looksCut(oom, message)) {
      this.pushOom(oom, env, lineNo, text, stamp);
    } else if (oom || looksLikeOomLine(message) || TASK_HEADER_START.test(message)) {
      // A kill, header or summary line that looks cut (a hard-wrapped paste) waits for the next line to complete it.
      this.pending = { env, message, lineNo, text, stamp, oom, joins: 0 };
    }
  }

  private pushOom(oom: OomLine, env: Envelope, lineNo: number, text: string, stamp: LineStamp): void {
    if (this.linePrefixed) this.read.prefixedLines++;
    if (env.fromKernel !== true && env.uptime === null) this.read.kernelLines++;
    this.assembler.push({ oom, evidence: { lineNo, text, stamp }, caller: env.caller });
  }

  private flushPending(): void {
    const held = this.pending;
    this.pending = null;
    if (!held) return;
    if (held.oom) this.pushOom(held.oom, held.env, held.lineNo, held.text, held.stamp);
    else if (looksLikeOomLine(held.message)) this.read.unparsedLines++;
  }

  /** True when the line is the rest of the one held: joined, they read as a whole OOM line. */
  private joinsPending(env: Envelope, message: string): boolean {
    const held = this.pending;
    if (!held || (env.shape !== 'bare' && env.shape !== held.env.shape) || env.local !== null || env.uptime !== null || env.epochMs !== null) return false;
    if (recogniseOomLine(message) !== null) return false;
    const joined = held.message + message;
    const oom = recogniseOomLine(joined);
    if (!oom) return false;
    if (looksCut(oom, joined)) {
      // Still short of its end: wrapped over more lines (a few at most).
      if (held.joins >= MAX_WRAP_JOINS) return false;
      this.pending = { ...held, message: joined, text: `${held.text}\n${message}`, oom, joins: held.joins + 1 };
      return true;
    }
    this.pending = null;
    this.pushOom(oom, held.env, held.lineNo, `${held.text}\n${message}`, held.stamp);
    return true;
  }
}

/** A reader of one kernel log source that the clock of that source watches. */
export function createKernelLogReader(clock: KernelClock): KernelLogReader {
  return new KernelLogLineReader(clock);
}

/** Lines looked at to tell what a non-kernel input is. */
const LOOKALIKE_LINES = 200;
const GUARDIAN_LINE = /^\d{8} \d\d:\d\d:\d\d \S+ PID check: /;
const GO_LOG_LINE = /^(?:\[\w+\] )?\d{4}\/\d\d\/\d\d \d\d:\d\d(?::\d\d)? /;
const ACCESS_LOG_LINE = /"(?:GET|POST|HEAD|PUT|DELETE|OPTIONS) \S+ HTTP\/\d/;

function newLookalikeTally(): LookalikeTally {
  return { lines: 0, guardian: 0, goLog: 0, accessLog: 0, otherPrograms: 0, binary: 0 };
}

function tallyLookalike(tally: LookalikeTally, env: Envelope, text: string): void {
  if (tally.lines >= LOOKALIKE_LINES || text.trim() === '') return;
  tally.lines++;
  if (GUARDIAN_LINE.test(text)) tally.guardian++;
  else if (GO_LOG_LINE.test(text)) tally.goLog++;
  else if (ACCESS_LOG_LINE.test(text)) tally.accessLog++;
  else if (env.fromKernel === false) tally.otherPrograms++;
  // eslint-disable-next-line no-control-regex
  else if ((text.match(/[\ufffd\x00-\x08\x0e-\x1f]/g)?.length ?? 0) > text.length / 10) tally.binary++;
}
