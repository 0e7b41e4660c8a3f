// The inputs of `watch`, read as they grow: the same readers as `diagnose`, fed line by line by followers.
import { closeSync, readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { AppInstances, type AppRecord } from '../assemble/app-instances.js';
import { GuardianTimeline, type GuardianRecord } from '../assemble/guardian-timeline.js';
import { createKernelLogReader, type KernelLogReader } from '../assemble/kernel-log.js';
import { KernelLogClock } from '../time/kernel-clock.js';
import type { AppLogRead, GuardianLogRead, LocalLogFile } from '../assemble/local-log.js';
import type { ReadSource } from '../pipeline/kernel-inputs.js';
import { decodeLine } from '../read/decode-line.js';
import { LineMap } from '../read/line-map.js';
import { currentBootTimeMs, JOURNAL_ARGS } from '../read/live-source.js';
import { drainKmsg, openKmsg } from '../read/kmsg.js';
import { FileFollower, type FileCursor, type WatchText } from './follow-file.js';
import { createReadStream, statSync as statFile } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { APP_NEEDLES, APP_SCAN } from '../assemble/local-log.js';
import { KERNEL_NEEDLES, KERNEL_SCAN, kernelLineMayMatter } from '../assemble/kernel-log.js';
import { createByteScanner, createMultiScanner, type ByteScanner } from '../read/byte-scanner.js';
import { scanLines, type ScanOptions, type ScanSink } from '../read/scan-lines.js';

/**
 * Reads what a file already holds the fast way `diagnose` does (only the lines that matter), up to its last
 * complete line, and returns where following it should begin. Null when the file cannot be read now.
 */
async function catchUp(path: string, scanner: ByteScanner, sink: ScanSink, options: ScanOptions): Promise<FileCursor | null> {
  let info;
  try {
    info = statFile(path);
  } catch {
    return null;
  }
  if (!info.isFile() || info.size === 0) return null;
  // Stop at the last newline: a line still being written is the follower's to read whole.
  const handle = await openFile(path, 'r');
  let end = info.size;
  try {
    const tail = Buffer.alloc(Math.min(end, 64 << 10));
    const { bytesRead } = await handle.read(tail, 0, tail.length, end - tail.length);
    const last = tail.subarray(0, bytesRead).lastIndexOf(10);
    end = last === -1 ? 0 : end - tail.length + last + 1;
  } finally {
    await handle.close();
  }
  if (end === 0) return null;
  const split = await scanLines(createReadStream(path, { start: 0, end: end - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, scanner, sink, options);
  return { dev: info.dev, ino: info.ino, offset: end, lineNo: split.lines };
}

/** One input being followed: it reads what is new when polled. */
export interface FollowedInput {
  path: string;
  poll(): number;
  close(): void;
  linesRead(): number;
  lastReadMs(): number | null;
  /** What to save so the next run can catch up (file: inode and offset; kmsg: boot id and sequence; journal: cursor). */
  cursor(): unknown;
}

/** A notice for a person about one input (rotated, unreadable, records lost), said by the watcher in --lang. */
type Notice = (text: WatchText) => void;

/** A guardian or application log (with its rotated predecessor read first when the last run stopped in it). */
export class LiveLocalLog<R> {
  readonly records: R[] = [];
  readonly lineMap = new LineMap();
  readonly file: LocalLogFile;
  private streamLines = 0;
  private generationStart = 0;
  private generation = -1;
  readonly input: FollowedInput;
  private readonly follower: FileFollower;

  constructor(
    readonly path: string,
    private readonly reader: { push(text: string, lineNo: number): readonly R[]; wantsEveryLine?: () => boolean },
    notice: Notice,
  ) {
    this.file = { path, lines: 0, complete: true, undecodableLines: 0, gb18030Lines: 0 };
    const follower = (this.follower = new FileFollower(path, {
      line: (bytes, lineNo, generation) => this.line(bytes, lineNo, generation),
      notice: (_kind, text) => notice(text),
    }));
    this.input = fileInput(follower);
  }

  /** Reads what the log already holds (fast, for a big running.log), then follows it from there. */
  async catchUp(): Promise<void> {
    const wantsEveryLine = this.reader.wantsEveryLine;
    if (!wantsEveryLine) return;
    const cursor = await catchUp(this.path, createMultiScanner(APP_NEEDLES), { line: (bytes, lineNo) => this.line(bytes, lineNo, 0), wantsEveryLine }, APP_SCAN);
    if (cursor) {
      this.follower.resumeAt(cursor);
      this.generation = 0;
    }
  }

  private line(bytes: Buffer, lineNo: number, generation: number): void {
    if (generation !== this.generation) {
      // A new file (rotation, truncation): its line numbers start again, the stream goes on.
      this.generation = generation;
      this.generationStart = this.streamLines;
      this.lineMap.begin(this.path, this.generationStart);
    }
    this.streamLines = this.generationStart + lineNo;
    this.file.lines = lineNo;
    const decoded = decodeLine(bytes);
    if (decoded.encoding === 'invalid') this.file.undecodableLines++;
    else if (decoded.encoding === 'gb18030') this.file.gb18030Lines++;
    for (const record of this.reader.push(decoded.text, this.streamLines)) this.records.push(record);
  }
}

export function liveGuardian(path: string, notice: Notice): { log: LiveLocalLog<GuardianRecord>; read: () => GuardianLogRead } {
  const timeline = new GuardianTimeline();
  const log = new LiveLocalLog<GuardianRecord>(path, { push: (t, n) => timeline.pushText(t, n) }, notice);
  return { log, read: () => ({ records: log.records, stats: timeline.stats, files: [log.file], lineMap: log.lineMap }) };
}

export function liveApp(path: string, notice: Notice): { log: LiveLocalLog<AppRecord>; read: () => AppLogRead } {
  const instances = new AppInstances();
  const log = new LiveLocalLog<AppRecord>(path, { push: (t, n) => instances.push(t, n), wantsEveryLine: () => instances.wantsEveryLine }, notice);
  return { log, read: () => ({ records: log.records, stats: instances.stats, files: [log.file], lineMap: log.lineMap }) };
}

function fileInput(follower: FileFollower): FollowedInput {
  return {
    path: follower.path,
    poll: () => follower.poll(),
    close: () => follower.close(),
    linesRead: () => follower.linesRead,
    lastReadMs: () => follower.lastReadMs,
    cursor: (): FileCursor | null => follower.cursor,
  };
}

/** A kernel log followed live: a file, /dev/kmsg, or journalctl -f. */
export class LiveKernelLog {
  readonly clock = new KernelLogClock();
  readonly reader: KernelLogReader = createKernelLogReader(this.clock);
  readonly source: ReadSource;
  readonly input: FollowedInput;

  constructor(readonly path: string, notice: Notice, saved: unknown) {
    this.source = { path, read: this.reader.read, clock: this.clock, complete: true, mtimeMs: null, liveBootTimeMs: undefined };
    if (path === 'kmsg') {
      this.source.liveBootTimeMs = currentBootTimeMs() ?? undefined;
      this.input = kmsgInput(this.reader, notice, saved);
    } else if (path === 'journal') {
      this.input = journalInput(this.reader, notice, saved);
    } else {
      const follower = (this.follower = new FileFollower(path, {
        line: (bytes, lineNo) => this.reader.line(bytes, lineNo),
        notice: (_kind, text) => notice(text),
      }));
      this.input = fileInput(follower);
    }
  }

  private follower: FileFollower | null = null;

  /** Reads what a kernel log file already holds the way `diagnose` does (scanning), then follows it from there. */
  async catchUp(): Promise<void> {
    if (!this.follower) return;
    const cursor = await catchUp(this.path, createByteScanner(KERNEL_NEEDLES), this.reader, { ...KERNEL_SCAN, keepNeedleLine: kernelLineMayMatter });
    if (cursor) this.follower.resumeAt(cursor);
  }

  private quietSince: { lines: number; atMs: number } = { lines: -1, atMs: 0 };

  /**
   * Ends the OOM blocks still open once no kernel line has come for `quietMs` (as the end of diagnose's input does);
   * true when it did. Once per quiet spell: the next line starts a new one.
   */
  closeQuietBlocks(nowMs: number, quietMs: number): boolean {
    const lines = this.input.linesRead();
    if (lines !== this.quietSince.lines) {
      this.quietSince = { lines, atMs: nowMs };
      return false;
    }
    if (this.quietSince.atMs === -1 || nowMs - this.quietSince.atMs < quietMs || !this.reader.wantsEveryLine()) return false;
    this.reader.finish();
    this.quietSince.atMs = -1;
    return true;
  }

  /** A year-less syslog being written now: its last line is from about now. */
  refreshReference(): void {
    if (this.path !== 'kmsg' && this.path !== 'journal') this.source.mtimeMs = Date.now();
  }
}

interface KmsgCursor {
  bootId: string | null;
  sequence: number;
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
  } catch {
    return null;
  }
}

/** /dev/kmsg read without blocking; EPIPE (records overwritten before they were read) is reported with the count lost. */
function kmsgInput(reader: KernelLogReader, notice: Notice, saved: unknown): FollowedInput {
  let fd: number | null = null;
  let lines = 0;
  let lastReadMs: number | null = null;
  const boot = bootId();
  const previous = saved as KmsgCursor | null;
  let sequence = previous && previous.bootId === boot && Number.isInteger(previous.sequence) ? previous.sequence : -1;
  const buffer = Buffer.alloc(16 * 1024);
  let openFailedSaid = false;
  return {
    path: 'kmsg',
    poll() {
      if (fd === null) {
        try {
          fd = openKmsg();
        } catch (error) {
          if (!openFailedSaid) notice({ code: 'watch.kmsg-open-failed', params: { error: (error as Error).message } });
          openFailedSaid = true;
          return 0;
        }
      }
      const before = lines;
      try {
        drainKmsg(fd, buffer, {
          lost: () => notice({ code: 'watch.kmsg-lost', params: {} }),
          record(record) {
            const header = /^\d+,(\d+),/.exec(record.subarray(0, 40).toString('latin1'));
            const seq = header ? Number(header[1]) : -1;
            if (seq !== -1 && sequence !== -1 && seq > sequence + 1) {
              notice({ code: 'watch.kmsg-lost-count', params: { count: seq - sequence - 1 } });
            }
            if (seq !== -1) sequence = seq;
            for (const line of record.toString('latin1').split('\n')) {
              if (line.length === 0) continue;
              lines++;
              reader.line(Buffer.from(line, 'latin1'), lines);
            }
            lastReadMs = Date.now();
          },
        });
      } catch (error) {
        notice({ code: 'watch.unreadable', params: { path: '/dev/kmsg', error: (error as Error).message } });
      }
      return lines - before;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
    linesRead: () => lines,
    lastReadMs: () => lastReadMs,
    cursor: (): KmsgCursor => ({ bootId: boot, sequence }),
  };
}

/** journalctl -f -o json, from the saved cursor when there is one (else the last hour), all boots. */
function journalInput(reader: KernelLogReader, notice: Notice, saved: unknown): FollowedInput {
  const cursor = typeof saved === 'string' && saved.length < 512 ? saved : null;
  const args = [...JOURNAL_ARGS, '-f', ...(cursor ? [`--after-cursor=${cursor}`] : ['--since=-1h'])];
  let lastCursor = cursor;
  let lines = 0;
  let pending = '';
  let lastReadMs: number | null = null;
  let child: ChildProcess | null = null;
  const queue: string[] = [];
  try {
    child = spawn('journalctl', args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, SYSTEMD_COLORS: '0' } });
    child.on('error', (error) => notice({ code: 'watch.journalctl-failed', params: { error: error.message } }));
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (data: string) => {
      const parts = (pending + data).split('\n');
      pending = parts.pop() ?? '';
      queue.push(...parts);
    });
  } catch (error) {
    notice({ code: 'watch.journalctl-failed', params: { error: (error as Error).message } });
  }
  return {
    path: 'journal',
    poll() {
      const before = lines;
      for (const line of queue.splice(0)) {
        if (line.length === 0) continue;
        lines++;
        const m = /"__CURSOR"\s*:\s*"([^"]{1,500})"/.exec(line);
        if (m) lastCursor = m[1]!;
        reader.line(Buffer.from(line, 'utf8'), lines);
        lastReadMs = Date.now();
      }
      return lines - before;
    },
    close() {
      child?.kill('SIGTERM');
    },
    linesRead: () => lines,
    lastReadMs: () => lastReadMs,
    cursor: () => lastCursor,
  };
}
