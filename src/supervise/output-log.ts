// The app's stdout and stderr: appended to `--log FILE` (running.log) by the app itself, as `nohup … >> running.log
// 2>&1` would, so that the app keeps writing when the supervisor dies; the supervisor reads the file behind it and
// keeps the last lines of the current life in memory for the death certificate. Without --log the output comes
// through a pipe and is passed on to the supervisor's stderr (then the app may die of SIGPIPE if the supervisor is
// killed: adoption needs --log).
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { clipText } from '../read/clip-text.js';
import { decodeLine } from '../read/decode-line.js';
import { recogniseTraceLine } from '../recognise/go-trace.js';

/** Lines kept per life. */
export const TAIL_LINES = 200;
/**
 * A Go fatal error dumps every goroutine (a real runtime out-of-memory under load: 260+ lines), which pushes its
 * header out of the last TAIL_LINES: the first crash header of a life is pinned with the lines just before it and
 * the first PIN_LINES after (the crashing goroutine comes first), and the tail goes on behind it.
 */
const PIN_BEFORE = 8;
const PIN_LINES = 100;
/** Longest line kept (characters). */
const LINE_CLIP = 2000;
/** A line longer than this (bytes, no newline yet) is cut and kept as it is. */
const MAX_PARTIAL = 1 << 20;
/** At adoption, at most this much of the old life's output is read back. */
const ADOPT_READ_BYTES = 1 << 20;

export interface OutputLine {
  /** 1-based line number in the log file (or in the output seen, without --log). */
  line: number;
  text: string;
}

export class OutputLog {
  private offset = 0;
  private lineNo = 0;
  private partial: Buffer | null = null;
  private tail: OutputLine[] = [];
  /** The life's first Go crash header with the lines around it, once seen (see PIN_LINES). */
  private pinned: OutputLine[] | null = null;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private ino: number | null = null;

  /** `path` null: output comes through push() (pipe mode). */
  constructor(readonly path: string | null) {}

  /** Where evidence says the lines are. */
  get evidencePath(): string {
    return this.path ?? '(output)';
  }

  /** A file descriptor the child writes to (O_APPEND); the caller closes it once the child has it. */
  openForChild(): number {
    if (this.path === null) throw new Error('no --log');
    return openSync(this.path, 'a', 0o644);
  }

  /**
   * A new life begins now: its output starts at the end of the file. Returns that offset (saved in the pidfile,
   * so a supervisor that adopts the app later reads from there).
   */
  beginLife(): number {
    this.readNew();
    this.flushPartial();
    this.tail = [];
    this.pinned = null;
    return this.offset;
  }

  /**
   * Adoption: the running life's output began at `offset` (from the pidfile); the lines since then (its last MiB)
   * become the tail. Line numbers are counted from the start of the file.
   */
  resumeLife(offset: number | null): void {
    if (this.path === null) return;
    let size = 0;
    try {
      size = statSync(this.path).size;
    } catch {
      return;
    }
    const from = offset !== null && offset <= size ? Math.max(offset, size - ADOPT_READ_BYTES) : Math.max(0, size - ADOPT_READ_BYTES);
    this.lineNo = countLines(this.path, from);
    this.offset = from;
    this.partial = null;
    this.tail = [];
    this.pinned = null;
    this.readNew();
  }

  /** Counts the lines already in the file (at the supervisor's start), so evidence gives running.log's own line numbers. */
  start(): void {
    if (this.path === null) return;
    try {
      const size = statSync(this.path).size;
      this.lineNo = countLines(this.path, size);
      this.offset = size;
    } catch {
      this.offset = 0;
      this.lineNo = 0;
    }
  }

  /** Reads what the app appended since the last call (file mode). */
  readNew(): void {
    if (this.path === null) return;
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return;
    }
    try {
      const info = fstatSync(fd);
      if ((this.ino !== null && info.ino !== this.ino) || info.size < this.offset) {
        // Rotated or truncated (copytruncate): the new file is read from its start.
        this.offset = 0;
        this.lineNo = 0;
        this.partial = null;
      }
      this.ino = info.ino;
      for (;;) {
        const n = readSync(fd, this.buffer, 0, this.buffer.length, this.offset);
        if (n <= 0) break;
        this.offset += n;
        this.consume(this.buffer.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  }

  /** Pipe mode: a chunk of output. */
  push(chunk: Buffer): void {
    this.consume(chunk);
  }

  /** The current life's last lines (up to TAIL_LINES), a trailing unfinished line included. */
  lifeTail(): OutputLine[] {
    this.readNew();
    this.flushPartial();
    if (!this.pinned) return [...this.tail];
    const after = this.pinned.at(-1)!.line;
    return [...this.pinned, ...this.tail.filter((l) => l.line > after)];
  }

  private consume(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const bytes = this.partial ? Buffer.concat([this.partial, piece]) : piece;
      this.partial = null;
      this.addLine(bytes);
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.partial = this.partial ? Buffer.concat([this.partial, rest]) : Buffer.from(rest);
      if (this.partial.length > MAX_PARTIAL) this.flushPartial();
    }
  }

  private flushPartial(): void {
    if (this.partial && this.partial.length > 0) this.addLine(this.partial);
    this.partial = null;
  }

  private addLine(bytes: Buffer): void {
    this.lineNo++;
    let text = decodeLine(bytes.length > LINE_CLIP * 4 ? bytes.subarray(0, LINE_CLIP * 4) : bytes).text;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const line = { line: this.lineNo, text: clipText(text, LINE_CLIP) };
    this.tail.push(line);
    if (this.pinned === null) {
      if (isCrashHeader(line.text)) this.pinned = this.tail.slice(-PIN_BEFORE - 1);
    } else if (this.pinned.length < PIN_BEFORE + 1 + PIN_LINES) this.pinned.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
  }
}

/** `panic: …`, `fatal error: …`, `SIGABRT: abort`, or the runtime's fatal `runtime: out of memory …` / stack / thread lines. */
function isCrashHeader(text: string): boolean {
  const trace = recogniseTraceLine(text);
  if (!trace) return false;
  if (trace.kind === 'runtime-says') return /^(?:out of memory|goroutine stack exceeds|program exceeds)/.test(trace.message);
  return (trace.kind === 'panic' && !text.startsWith('\t')) || trace.kind === 'fatal-error' || trace.kind === 'signal-dump';
}

/** Newlines in the first `upTo` bytes of a file. */
function countLines(path: string, upTo: number): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 0;
  }
  const buffer = Buffer.allocUnsafe(1 << 20);
  let count = 0;
  let position = 0;
  try {
    while (position < upTo) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, upTo - position), position);
      if (n <= 0) break;
      for (let at = buffer.indexOf(10, 0); at >= 0 && at < n; at = buffer.indexOf(10, at + 1)) count++;
      position += n;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}
