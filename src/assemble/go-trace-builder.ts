// Gathers one Go crash report (panic, fatal error, signal dump) line by line, keeping a bounded summary, never the whole text.
import { isRuntimeFrame, type TraceLine } from '../recognise/go-trace.js';
import { isPanicMachinery, MainModule } from '../recognise/go-frames.js';
import type { AppLine } from '../recognise/app.js';
import { clipText } from '../read/clip-text.js';

/** One stack frame: the function line and, when printed, the file line under it. */
export interface GoFrame {
  function: string;
  file: string | null;
  /** Line in the source file. */
  sourceLine: number | null;
  /** Line number of the function line in the input. */
  line: number;
  /** In the crashing goroutine (the first one printed, with the runtime stack before it). */
  crashing: boolean;
}

/** A Go crash report, summarised. */
export interface GoTrace {
  /**
   * `panic:`, `fatal error:`, or a fatal-signal dump (`SIGABRT: abort`); for a report whose header was not in the
   * log (a cut paste): `fault` (it begins at `[signal …]`) or `crash` (at `goroutine N [running]:`).
   */
  opener: 'panic' | 'fatal-error' | 'signal-dump' | 'fault' | 'crash';
  /** The header line (`panic:`/`fatal error:`/`SIG…:`) was not seen: the report was cut above it. */
  headerless: boolean;
  /** Text before the header on its line (a prompt, a log prefix, a progress bar without its newline), or null. */
  prefix: string | null;
  /** The panic value, fatal error text (`concurrent map writes`) or signal description; continuation lines joined with `\n`. */
  message: string;
  /** The line that opened the report. */
  header: { line: number; text: string };
  /** `runtime: …` lines just before or inside the report (why the runtime gave up), at most MAX_RUNTIME_SAYS. */
  runtimeSays: string[];
  /** `runtime: out of memory: cannot allocate N-byte block (M in use)`: N and M. */
  cannotAllocateBytes: number | null;
  inUseBytes: number | null;
  /** `[signal SIGSEGV: segmentation violation code=… addr=… pc=…]` as printed, or `unexpected fault address …`. */
  signal: string | null;
  /** The signal's name (`SIGSEGV`), when printed. */
  signalName: string | null;
  /** The first panic was `[recovered]` and panicked again; later `panic:` lines (at most MAX_REPANICS). */
  recovered: boolean;
  repanics: string[];
  /** The first frame of the main module (the program's own code) in the crashing goroutine: where to fix it. */
  crashSite: GoFrame | null;
  /** The frame that actually faulted (the first outside the runtime, whoever's code it is), when it is not the crash site. */
  faultSite: GoFrame | null;
  /** The first MAX_FRAMES frames, in order (runtime ones included). */
  frames: GoFrame[];
  /** Frames seen in all, and goroutine headers seen. */
  frameCount: number;
  goroutines: number;
  /** First and last line numbers of the report. */
  firstLine: number;
  lastLine: number;
}

const MAX_FRAMES = 50;
export const MAX_RUNTIME_SAYS = 5;
const MAX_REPANICS = 5;
const MAX_MESSAGE = 2000;
const MAX_MESSAGE_LINES = 20;

/** `runtime:` / fault lines printed before the opener, handed to the builder when the opener arrives. */
export interface TracePrelude {
  firstLine: number;
  says: string[];
  cannotAllocateBytes: number | null;
  inUseBytes: number | null;
  signal: string | null;
}

type Opener = Extract<TraceLine, { kind: 'panic' | 'fatal-error' | 'signal-dump' | 'signal' | 'goroutine' }>;

function openerKind(opener: Opener): GoTrace['opener'] {
  if (opener.kind === 'signal') return 'fault';
  if (opener.kind === 'goroutine') return 'crash';
  return opener.kind;
}

function openerMessage(opener: Opener): string {
  switch (opener.kind) {
    case 'signal-dump':
      return `${opener.signal}: ${opener.message}`;
    case 'signal':
      return clip(opener.text);
    case 'goroutine':
      return '';
    default:
      return clip(opener.message);
  }
}

export class GoTraceBuilder {
  private readonly trace: GoTrace;
  /** Before the first blank line, goroutine header or signal line, other lines continue the panic value. */
  private inMessage = true;
  private messageLines = 1;
  /** Still in the crashing goroutine (before the second goroutine header). */
  private searchingCrashSite = true;
  /** The last frame took its function line; its file line may follow. */
  private lastFrame: GoFrame | null = null;

  private readonly mainModule = new MainModule();
  /** The first goroutine header's state (`running`, `IO wait`, …), or null before one. */
  private crashingState: string | null = null;
  private sawRuntimeStack = false;
  /** `created by main.…` was read: its file line teaches where the main package is. */
  private createdByMain: string | null = null;

  constructor(opener: Opener, lineNo: number, text: string, prelude: TracePrelude | null, prefix: string | null = null) {
    const headerless = opener.kind === 'signal' || opener.kind === 'goroutine';
    if (opener.kind === 'goroutine') this.crashingState = opener.state;
    this.trace = {
      opener: openerKind(opener),
      headerless,
      prefix,
      message: openerMessage(opener),
      header: { line: lineNo, text },
      runtimeSays: prelude ? [...prelude.says] : [],
      cannotAllocateBytes: prelude?.cannotAllocateBytes ?? null,
      inUseBytes: prelude?.inUseBytes ?? null,
      signal: opener.kind === 'signal' ? opener.text : prelude?.signal ?? null,
      signalName: opener.kind === 'signal-dump' || opener.kind === 'signal' ? opener.signal : null,
      recovered: opener.kind === 'panic' && opener.recovered,
      repanics: [],
      crashSite: null,
      faultSite: null,
      frames: [],
      frameCount: 0,
      goroutines: opener.kind === 'goroutine' ? 1 : 0,
      firstLine: prelude?.firstLine ?? lineNo,
      lastLine: lineNo,
    };
  }

  /** Takes the line if it belongs to the report; false for a line of something else. */
  accept(line: AppLine, lineNo: number): boolean {
    if (line.kind === 'blank') {
      this.inMessage = false;
      this.lastFrame = null;
      return true;
    }
    if (line.kind !== 'trace') {
      if (!this.inMessage || line.stamp || this.messageLines >= MAX_MESSAGE_LINES) return false;
      this.messageLines++;
      this.trace.message = clip(`${this.trace.message}\n${line.text}`);
      this.trace.lastLine = lineNo;
      return true;
    }
    const t = line.trace;
    this.trace.lastLine = lineNo;
    if (t.kind !== 'frame-file') this.lastFrame = null;
    if (t.kind !== 'frame-file' && t.kind !== 'created-by') this.createdByMain = null;
    switch (t.kind) {
      case 'panic':
        if (this.trace.repanics.length < MAX_REPANICS) this.trace.repanics.push(clip(t.message));
        break;
      case 'fatal-error':
        if (this.trace.repanics.length < MAX_REPANICS) this.trace.repanics.push(clip(`fatal error: ${t.message}`));
        break;
      case 'runtime-says':
        if (this.trace.runtimeSays.length < MAX_RUNTIME_SAYS) this.trace.runtimeSays.push(clip(t.message));
        this.trace.cannotAllocateBytes ??= t.cannotAllocateBytes;
        this.trace.inUseBytes ??= t.inUseBytes;
        break;
      case 'signal':
        this.inMessage = false;
        if (t.signal !== null || this.trace.signal === null) {
          this.trace.signal = t.text;
          this.trace.signalName = t.signal ?? this.trace.signalName;
        }
        break;
      case 'goroutine':
        this.inMessage = false;
        this.trace.goroutines++;
        this.crashingState ??= this.sawRuntimeStack ? 'running' : t.state; // a system stack first: it was the one running
        if (this.trace.goroutines >= 2) this.searchingCrashSite = false;
        break;
      case 'runtime-stack':
        this.inMessage = false;
        this.sawRuntimeStack = true;
        break;
      case 'frame-function': {
        this.inMessage = false;
        this.trace.frameCount++;
        const frame: GoFrame = { function: t.function, file: null, sourceLine: null, line: lineNo, crashing: this.searchingCrashSite };
        if (this.trace.frames.length < MAX_FRAMES) this.trace.frames.push(frame);
        this.lastFrame = frame;
        break;
      }
      case 'frame-file':
        this.inMessage = false;
        if (this.lastFrame && this.lastFrame.file === null) {
          this.lastFrame.file = t.file;
          this.lastFrame.sourceLine = t.line;
          this.mainModule.noteFrame(this.lastFrame.function, t.file);
        } else if (this.createdByMain !== null) {
          this.mainModule.noteFrame(this.createdByMain, t.file);
        }
        this.lastFrame = null;
        this.createdByMain = null;
        break;
      case 'created-by':
        this.inMessage = false;
        this.createdByMain = t.function.startsWith('main.') ? t.function : null;
        break;
      case 'signal-dump':
      case 'trace-noise':
        break;
    }
    return true;
  }

  get firstLine(): number {
    return this.trace.firstLine;
  }

  /** Text before the header on its line, or null. */
  get prefix(): string | null {
    return this.trace.prefix;
  }

  /** A `panic:`/`fatal error:`/`SIG…:` header opened the report (not a cut paste's `[signal …]` or goroutine). */
  get hasHeader(): boolean {
    return !this.trace.headerless;
  }

  /** Something after the header reads as a trace (a goroutine, a frame, a fault or `runtime:` line): a glued header is a real one. */
  get confirmed(): boolean {
    const t = this.trace;
    return t.goroutines > 0 || t.frameCount > 0 || t.signal !== null || t.runtimeSays.length > 0 || t.repanics.length > 0;
  }

  build(): GoTrace {
    const crashing = this.trace.frames.filter((f) => f.crashing && f.file !== '<autogenerated>');
    this.trace.crashSite = crashing.find((f) => !isRuntimeFrame(f.function) && this.mainModule.owns(f.function, f.file)) ?? null;
    // The faulting frame: the first outside the runtime, else (a signal inside the runtime) the first past its panic
    // machinery. Only a goroutine that was running faulted: a deadlock's parked goroutines did not.
    const running = this.crashingState === null || this.crashingState.startsWith('running');
    const fault = !running ? null
      : crashing.find((f) => !isRuntimeFrame(f.function)) ?? (this.trace.signal !== null ? crashing.find((f) => !isPanicMachinery(f.function)) : undefined) ?? null;
    this.trace.faultSite = fault !== this.trace.crashSite ? fault : null;
    return this.trace;
  }
}

function clip(text: string): string {
  // Never inside a surrogate pair (JSON would carry a lone one), and not holding a long line's memory.
  return clipText(text, MAX_MESSAGE);
}
