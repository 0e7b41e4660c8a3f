// Gathers one Go crash report (panic, fatal error, signal dump) line by line, keeping a bounded summary, never the whole text.
import { isRuntimeFrame, type TraceLine } from '../recognise/go-trace.js';
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
}

/** A Go crash report, summarised. */
export interface GoTrace {
  /** `panic:`, `fatal error:`, or a fatal-signal dump (`SIGABRT: abort`). */
  opener: 'panic' | 'fatal-error' | 'signal-dump';
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
  /** The first frame outside the Go runtime in the crashing goroutine (and the runtime stack before it): where it crashed. */
  crashSite: GoFrame | null;
  /** The first MAX_FRAMES frames, in order (runtime ones included). */
  frames: GoFrame[];
  /** Frames seen in all, and goroutine headers seen. */
  frameCount: number;
  goroutines: number;
  /** First and last line numbers of the report. */
  firstLine: number;
  lastLine: number;
}

export const MAX_FRAMES = 50;
export const MAX_RUNTIME_SAYS = 5;
export const MAX_REPANICS = 5;
const MAX_MESSAGE = 2000;
const MAX_MESSAGE_LINES = 20;

/** Go's module cache and standard library: code the app uses but does not own. */
function isLibraryFile(file: string): boolean {
  return /\/pkg\/mod\//.test(file) || /^\/usr\/(?:local\/)?(?:lib\/)?go[^/]*\/src\//.test(file);
}

/** `runtime:` / fault lines printed before the opener, handed to the builder when the opener arrives. */
export interface TracePrelude {
  firstLine: number;
  says: string[];
  cannotAllocateBytes: number | null;
  inUseBytes: number | null;
  signal: string | null;
}

type Opener = Extract<TraceLine, { kind: 'panic' | 'fatal-error' | 'signal-dump' }>;

export class GoTraceBuilder {
  private readonly trace: GoTrace;
  /** Before the first blank line, goroutine header or signal line, other lines continue the panic value. */
  private inMessage = true;
  private messageLines = 1;
  /** Still in the crashing goroutine (before the second goroutine header). */
  private searchingCrashSite = true;
  /** The last frame took its function line; its file line may follow. */
  private lastFrame: GoFrame | null = null;

  constructor(opener: Opener, lineNo: number, text: string, prelude: TracePrelude | null) {
    this.trace = {
      opener: opener.kind === 'panic' ? 'panic' : opener.kind,
      message: opener.kind === 'signal-dump' ? `${opener.signal}: ${opener.message}` : clip(opener.message),
      header: { line: lineNo, text },
      runtimeSays: prelude ? [...prelude.says] : [],
      cannotAllocateBytes: prelude?.cannotAllocateBytes ?? null,
      inUseBytes: prelude?.inUseBytes ?? null,
      signal: prelude?.signal ?? null,
      signalName: opener.kind === 'signal-dump' ? opener.signal : null,
      recovered: opener.kind === 'panic' && opener.recovered,
      repanics: [],
      crashSite: null,
      frames: [],
      frameCount: 0,
      goroutines: 0,
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
        if (this.trace.goroutines >= 2) this.searchingCrashSite = false;
        break;
      case 'runtime-stack':
        this.inMessage = false;
        break;
      case 'frame-function': {
        this.inMessage = false;
        this.trace.frameCount++;
        const frame: GoFrame = { function: t.function, file: null, sourceLine: null, line: lineNo };
        if (this.trace.frames.length < MAX_FRAMES) this.trace.frames.push(frame);
        if (this.searchingCrashSite && !this.trace.crashSite && !isRuntimeFrame(t.function)) this.trace.crashSite = frame;
        this.lastFrame = frame;
        break;
      }
      case 'frame-file':
        this.inMessage = false;
        if (this.lastFrame && this.lastFrame.file === null) {
          this.lastFrame.file = t.file;
          this.lastFrame.sourceLine = t.line;
          // The crash site a person can fix is in the app's own code: a library frame above it gives way to it.
          if (this.searchingCrashSite && !this.appSiteFound && !isRuntimeFrame(this.lastFrame.function) && !isLibraryFile(t.file)) {
            this.trace.crashSite = this.lastFrame;
            this.appSiteFound = true;
          }
        }
        this.lastFrame = null;
        break;
      case 'created-by':
        this.inMessage = false;
        break;
      case 'signal-dump':
      case 'trace-noise':
        break;
    }
    return true;
  }

  private appSiteFound = false;

  get firstLine(): number {
    return this.trace.firstLine;
  }

  build(): GoTrace {
    return this.trace;
  }
}

function clip(text: string): string {
  // Never inside a surrogate pair (JSON would carry a lone one), and not holding a long line's memory.
  return clipText(text, MAX_MESSAGE);
}
