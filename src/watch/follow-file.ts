// Follows a log file that other programs append to, rotate (rename and create, copytruncate) or have not created yet.
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Params } from '../i18n/catalog.js';
import type { WatchCode } from '../i18n/watch-messages.js';
import { MAX_LINE_BYTES } from '../read/split-lines.js';

/** A notice not said yet: the watcher says it in the user's --lang. */
export interface WatchText {
  code: WatchCode;
  params: Params;
}

/** Where reading a file stands: enough to pick up after a restart. */
export interface FileCursor {
  dev: number;
  ino: number;
  offset: number;
  /** Lines before `offset`, when known (after a catch-up read). */
  lineNo?: number;
}

export interface FollowEvents {
  /** A complete line (without `\n`) of the file's current generation; `generation` counts rotations. */
  line(bytes: Buffer, lineNo: number, generation: number): void;
  /** Something a person should know (rotation, truncation, unreadable), once per occurrence. */
  notice(kind: 'rotated' | 'truncated' | 'unreadable', text: WatchText): void;
}

/** One read: big enough for a burst of a busy log in a few calls, small enough that three followers stay light. */
const READ_BYTES = 64 << 10;
/** How many of the last bytes read are kept to check, at each poll, that the file still holds them. */
const TAIL_BYTES = 64;
/** At most this much is read per poll, so one busy file cannot starve the others. */
const MAX_BYTES_PER_POLL = 64 << 20;

export class FileFollower {
  private fd: number | null = null;
  private dev = 0;
  private ino = 0;
  private offset = 0;
  private partial: Buffer | null = null;
  /** The last bytes read, ending at `offset`: a file truncated and written again past `offset` no longer has them there. */
  private tail: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  private generation = 0;
  private unreadableSaid = false;
  private seenSize = -1;
  private seenMtimeMs = -1;
  /** Shared by every follower: reads are synchronous and each chunk is split (and copied where kept) before the next. */
  private static readonly buffer = Buffer.allocUnsafe(READ_BYTES);
  linesRead = 0;
  lastReadMs: number | null = null;

  constructor(
    readonly path: string,
    private readonly events: FollowEvents,
    /** Where the last run stopped; used only if the file is still the same one (same device and inode). */
    private resume: FileCursor | null = null,
  ) {}

  /** Starts the first read at `cursor` instead of the file's beginning, if it is still the same file. */
  resumeAt(cursor: FileCursor): void {
    this.resume = cursor;
  }

  get cursor(): FileCursor | null {
    return this.fd === null ? null : { dev: this.dev, ino: this.ino, offset: this.offset - (this.partial?.length ?? 0) };
  }

  /** Reads what was appended since the last poll; returns the number of lines read. */
  poll(): number {
    const before = this.linesRead;
    let info;
    try {
      info = statSync(this.path);
    } catch (error) {
      // Gone (rotated away, not created yet): finish the old file, then wait for the new one.
      if (this.fd !== null) this.drainAndClose();
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.sayUnreadable(error);
      return this.linesRead - before;
    }
    if (this.fd !== null && (info.ino !== this.ino || info.dev !== this.dev)) {
      // Renamed and recreated: what was appended to the old file before the switch still counts.
      this.drainAndClose();
      this.events.notice('rotated', { code: 'watch.rotated', params: { path: this.path } });
    }
    if (this.fd === null && !this.open()) return this.linesRead - before;
    // Read to its end last time, and neither its size nor its modification time moved since: an idle poll is one stat.
    if (info.size === this.seenSize && info.mtimeMs === this.seenMtimeMs && this.offset === info.size) return 0;
    this.seenSize = info.size;
    this.seenMtimeMs = info.mtimeMs;
    if (info.size < this.offset || this.rewritten()) {
      this.events.notice('truncated', { code: 'watch.truncated', params: { path: this.path } });
      this.offset = 0;
      this.partial = null;
      this.tail = Buffer.alloc(0);
      this.generation++;
      this.lineNo = 0;
    }
    this.readAvailable(MAX_BYTES_PER_POLL);
    return this.linesRead - before;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(): boolean {
    try {
      this.fd = openSync(this.path, 'r');
    } catch (error) {
      this.sayUnreadable(error);
      return false;
    }
    this.unreadableSaid = false;
    this.seenSize = -1;
    const info = fstatSync(this.fd);
    const resume = this.resume;
    this.resume = null;
    this.dev = info.dev;
    this.ino = info.ino;
    this.partial = null;
    this.tail = Buffer.alloc(0);
    if (this.generation > 0 || this.linesRead > 0) this.generation++;
    // The same file as when the cursor was taken: carry on where it stopped (the lines before it were read then).
    const same = resume !== null && resume.dev === info.dev && resume.ino === info.ino && resume.offset <= info.size;
    this.offset = same ? resume.offset : 0;
    this.lineNo = same ? (resume.lineNo ?? 0) : 0;
    // Resumed past the start (a catch-up read, a restart): the bytes before the cursor tell a later copytruncate.
    if (this.offset > 0) this.tail = this.readBefore(this.offset, Math.min(TAIL_BYTES, this.offset)) ?? Buffer.alloc(0);
    return true;
  }

  /**
   * Copytruncate with new lines written before the next poll: the file may already be as long as before, so its
   * size does not tell. The bytes just before `offset` do: they are no longer the ones read last time.
   */
  private rewritten(): boolean {
    if (this.fd === null || this.tail.length === 0 || this.offset < this.tail.length) return false;
    const here = this.readBefore(this.offset, this.tail.length);
    return here !== null && !here.equals(this.tail);
  }

  /** The `length` bytes before `end` as the file holds them now (fewer if it is shorter); null when unreadable. */
  private readBefore(end: number, length: number): Buffer | null {
    const here = Buffer.alloc(length);
    try {
      return here.subarray(0, readSync(this.fd!, here, 0, length, end - length));
    } catch {
      return null;
    }
  }

  private sayUnreadable(error: unknown): void {
    if (this.unreadableSaid) return;
    this.unreadableSaid = true;
    this.events.notice('unreadable', { code: 'watch.unreadable', params: { path: this.path, error: (error as Error).message } });
  }

  private drainAndClose(): void {
    this.readAvailable(Number.MAX_SAFE_INTEGER);
    if (this.partial && this.partial.length > 0) this.emit(this.partial);
    this.partial = null;
    this.close();
  }

  private readAvailable(limit: number): void {
    if (this.fd === null) return;
    let total = 0;
    while (total < limit) {
      let count: number;
      try {
        count = readSync(this.fd, FileFollower.buffer, 0, READ_BYTES, this.offset);
      } catch (error) {
        this.sayUnreadable(error);
        return;
      }
      if (count === 0) break;
      this.offset += count;
      total += count;
      const chunk = FileFollower.buffer.subarray(0, count);
      this.keepTail(chunk);
      this.split(chunk);
      this.lastReadMs = Date.now();
    }
  }

  private keepTail(chunk: Buffer): void {
    this.tail = chunk.length >= TAIL_BYTES ? Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES)) : Buffer.concat([this.tail, chunk]).subarray(-TAIL_BYTES);
  }

  private split(chunk: Buffer): void {
    let start = 0;
    let newline = chunk.indexOf(10);
    while (newline !== -1) {
      let line = chunk.subarray(start, newline);
      if (this.partial) {
        line = Buffer.concat([this.partial, line]);
        this.partial = null;
      }
      this.emit(line.length > MAX_LINE_BYTES ? line.subarray(0, MAX_LINE_BYTES) : line);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      const joined = this.partial ? Buffer.concat([this.partial, rest]) : Buffer.from(rest);
      this.partial = joined.length > MAX_LINE_BYTES ? joined.subarray(0, MAX_LINE_BYTES) : joined;
    }
  }

  private emit(line: Buffer): void {
    this.lineNo++;
    this.linesRead++;
    this.events.line(line, this.lineNo, this.generation);
  }
}
