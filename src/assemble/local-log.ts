// Reads the guardian's and the application's logs — each possibly several rotated files — as one stream per role.
import { decodeLine } from '../read/decode-line.js';
import { InputError } from '../read/input-error.js';
import { LineMap } from '../read/line-map.js';
import { openInput } from '../read/open-input.js';
import { splitLines } from '../read/split-lines.js';
import { scanLines } from '../read/scan-lines.js';
import { createMultiScanner, type Needle } from '../read/byte-scanner.js';
import type { Warning } from '../model/report.js';
import { AppInstances } from './app-instances.js';
import type { AppRecord, AppStats } from './app-records.js';
import { GuardianTimeline, type GuardianRecord, type GuardianStats } from './guardian-timeline.js';

export interface LocalLogFile {
  path: string;
  lines: number;
  complete: boolean;
  /** Lines that were neither UTF-8 nor GB18030. */
  undecodableLines: number;
  gb18030Lines: number;
}

interface LocalLogRead<R, S> {
  records: R[];
  stats: S;
  files: LocalLogFile[];
  lineMap: LineMap;
}

export type GuardianLogRead = LocalLogRead<GuardianRecord, GuardianStats>;
export type AppLogRead = LocalLogRead<AppRecord, AppStats>;

interface LineReader<R> {
  push(text: string, lineNo: number): readonly R[];
  finish(): readonly R[];
  /** Set for readers that can skip lines: while it says true, every line is read. */
  wantsEveryLine?: () => boolean;
}

/**
 * Bytes of the running.log lines that mark a life's start or end (formats.md §2), in ASCII, UTF-8 and GBK (older
 * Chinese servers): only these lines and the 16 before each are read in a big log. Lines that always come next to
 * a marker are left to the look-back: `nohup: ignoring input` and the ExecPath line precede the Iris banner,
 * `runtime:` precedes `fatal error`, `退出 terminated` precedes `监听到退出信号`, `进程结束，开始重启` precedes the new
 * banner; goroutine dumps follow `panic:`/`fatal error`/a `SIG…:` dump, and a trace is read line by line.
 * Twelve needles make three passes of the byte scanner.
 */
export const APP_NEEDLES: Needle[] = [
  'Iris Version', 'Now listening', 'panic: ', 'fatal error', 'SIG', 'Invalid Config', 'Failed To Conn', 'already in use',
  ...['监听到', '端口已经'].map((marker) => Buffer.from(marker, 'utf8')),
  ...['bce0ccfdb5bd', 'b6cbbfdad2d1bead'].map((hex) => Buffer.from(hex, 'hex')), // 监听到, 端口已经 in GBK
];
/** Small logs are read line by line; in big ones each marker comes with the lines before it (last words, stamps). */
export const APP_SCAN = { denseBytes: 1 << 20, gridBytes: 64 << 10, lookBack: 16 };

async function readAsOneStream<R>(
  paths: string[],
  reader: LineReader<R>,
  warnings: Warning[],
  stdin: NodeJS.ReadableStream | undefined,
): Promise<{ records: R[]; files: LocalLogFile[]; lineMap: LineMap }> {
  const records: R[] = [];
  const files: LocalLogFile[] = [];
  const lineMap = new LineMap();
  let offset = 0;
  for (const path of paths) {
    let file: LocalLogFile | null = null;
    try {
      const opened = await openInput(path, stdin);
      file = { path, lines: 0, complete: true, undecodableLines: 0, gb18030Lines: 0 };
      const current = file;
      lineMap.begin(path, offset);
      const base = offset;
      const chunks = (async function* guarded() {
        try {
          for await (const chunk of opened.chunks) yield chunk;
        } catch (error) {
          current.complete = false;
          const problem = error instanceof InputError ? error : InputError.fromSystem(path, error);
          warnings.push({ code: problem.warningCode, path, message: problem.message });
        }
      })();
      const sink = {
        line(bytes: Buffer, lineNo: number) {
          const decoded = decodeLine(bytes);
          if (decoded.encoding === 'invalid') current.undecodableLines++;
          else if (decoded.encoding === 'gb18030') current.gb18030Lines++;
          for (const record of reader.push(decoded.text, base + lineNo)) records.push(record);
        },
      };
      const wantsEveryLine = reader.wantsEveryLine;
      const split = wantsEveryLine
        ? await scanLines(chunks, createMultiScanner(APP_NEEDLES), { ...sink, wantsEveryLine }, APP_SCAN)
        : await splitLines(chunks, sink);
      file.lines = split.lines;
      offset += split.lines;
      files.push(file);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      warnings.push({ code: 'input-unreadable', path, message: error.message });
    }
  }
  for (const record of reader.finish()) records.push(record);
  return { records, files, lineMap };
}

/** Reads check.log files (oldest first) into guardian records. */
export async function readGuardianLog(paths: string[], warnings: Warning[], stdin?: NodeJS.ReadableStream): Promise<GuardianLogRead> {
  const timeline = new GuardianTimeline();
  const read = await readAsOneStream(paths, { push: (t, n) => timeline.pushText(t, n), finish: () => timeline.finish() }, warnings, stdin);
  return { ...read, stats: timeline.stats };
}

/** Reads running.log files (oldest first) into the process's lives. */
export async function readAppLog(paths: string[], warnings: Warning[], stdin?: NodeJS.ReadableStream): Promise<AppLogRead> {
  const instances = new AppInstances();
  const reader = { push: (t: string, n: number) => instances.push(t, n), finish: () => instances.finish(), wantsEveryLine: () => instances.wantsEveryLine };
  const read = await readAsOneStream(paths, reader, warnings, stdin);
  return { ...read, stats: instances.stats };
}
