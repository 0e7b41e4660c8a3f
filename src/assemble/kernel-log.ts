// Reads one kernel log source to its records: lines → envelopes → OOM lines → blocks, with what time placement needs.
import { findKernelText } from '../recognise/kernel/kernel-text.js';
import type { Envelope, LineShape } from '../recognise/kernel/envelope/index.js';
import type { LocalStamp } from '../model/stamps.js';
import { recogniseOomLine, type OomLine } from '../recognise/kernel/oom-lines.js';
import { recogniseUserspaceLine } from '../recognise/userspace-killers.js';
import { createByteScanner } from '../read/byte-scanner.js';
import { scanLines } from '../read/scan-lines.js';
import type { EvidenceLine, KernelRecord, LineStamp } from '../model/kernel-records.js';
import type { KernelClock, KernelLogRead, LookalikeTally, WallStamp } from '../model/kernel-log-read.js';
import { MAX_RECORDS, OomBlockAssembler } from './oom-blocks.js';
import { clipText } from '../read/clip-text.js';

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

/**
 * Bytes that every line of interest holds: OOM block headers, summaries, reapers, panic_on_oom and the user-space
 * killers (`oom`), kill and selection lines of every era and systemd's `Main process exited` (` process `), and
 * systemd's OOM notice (`OOM`). The rest of a block is read line by line once its header opened it (and the lines
 * right after a `no killable processes`, where 4.19+ panics); boots show in the sampled lines as the uptime falling back.
 */
export const KERNEL_NEEDLES = ['oom', ' process ', 'OOM'];
/** Small inputs are read line by line; in big ones a line every 64 KiB keeps the clock, boots and years right. */
export const KERNEL_SCAN = { denseBytes: 1 << 20, gridBytes: 64 << 10 };

/** A kernel log read line by line: `read` is a live view, complete up to the last line given. */
export interface KernelLogReader {
  readonly read: KernelLogRead;
  line(bytes: Buffer, lineNo: number): void;
  /** While an OOM block is open every line may belong to it. */
  wantsEveryLine(): boolean;
  /** End of input: blocks still open were cut off. */
  finish(): void;
}

/** Reads the lines of a kernel log from byte chunks; memory holds open blocks and finished records only. */
export async function readKernelLog(chunks: AsyncIterable<Buffer>, clock: KernelClock): Promise<KernelLogRead> {
  const reader = createKernelLogReader(clock);
  const head = await readHead(chunks, KERNEL_SCAN.denseBytes);
  if (head.rest === null) {
    // A small input may be a paste from a viewer that shows the newest line first (GNOME Logs): read it oldest first.
    const lines = splitBuffer(Buffer.concat(head.chunks));
    if (isNewestFirst(lines)) {
      for (let i = lines.length - 1; i >= 0; i--) reader.line(lines[i]!, i + 1);
      reader.finish();
      reader.read.lines = lines.length;
      reader.read.newestFirst = true;
      return reader.read;
    }
  }
  // A scanner per read: its WebAssembly memory grows with the chunk size and is freed with the read.
  const split = await scanLines(concatChunks(head.chunks, head.rest), createByteScanner(KERNEL_NEEDLES), reader, KERNEL_SCAN);
  reader.finish();
  reader.read.lines = split.lines;
  reader.read.overlongLines = split.overlongLines;
  return reader.read;
}

/** The first `limit` bytes (or all, when the input is shorter: then `rest` is null) and the rest of the stream. */
async function readHead(chunks: AsyncIterable<Buffer>, limit: number): Promise<{ chunks: Buffer[]; rest: AsyncIterator<Buffer> | null }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done) return { chunks: head, rest: null };
    // Copies: a stream may reuse its buffers.
    head.push(Buffer.from(next.value));
    size += next.value.length;
  }
  return { chunks: head, rest: iterator };
}

async function* concatChunks(head: Buffer[], rest: AsyncIterator<Buffer> | null): AsyncGenerator<Buffer> {
  yield* head;
  if (rest === null) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

function splitBuffer(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, start)) {
    lines.push(bytes.subarray(start, end));
    start = end + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

/** A zone-less stamp as a number that orders stamps of one year (the zone does not change their order). */
function localOrder(local: LocalStamp): number {
  return Date.UTC(local.year ?? 2000, local.month - 1, local.day, local.hour, local.minute, local.second, local.micros / 1000);
}

/** Stamps that mostly fall from line to line: the paste is newest first. */
function isNewestFirst(lines: Buffer[]): boolean {
  let falling = 0;
  let rising = 0;
  let previous: number | null = null;
  for (const line of lines.slice(0, 2000)) {
    const env = findKernelText(line.toString('utf8')).env;
    const at = env.uptime !== null ? env.uptime * 1000 : env.epochMs ?? (env.local ? localOrder(env.local) : null);
    if (at === null) continue;
    if (previous !== null && at !== previous) {
      if (at < previous) falling++;
      else rising++;
    }
    previous = at;
  }
  if (falling >= 5 && falling > 4 * rising) return true;
  // Few stamps to go by (`-o cat`, a viewer's paste without dates): the blocks' own order decides.
  return falling + rising < 5 && blocksRunBackwards(lines);
}

/**
 * The kernel prints a block's header first, its summary (or selection) before its kill line, and the reaper after it:
 * a paste in which those come the other way round, for the same pid, runs newest first.
 */
function blocksRunBackwards(lines: Buffer[]): boolean {
  const seen = new Map<string, number>(); // `kind:pid` → first line index
  const order: ('header' | 'killed')[] = [];
  let backwards = 0;
  let forwards = 0;
  const vote = (earlier: string, later: string): void => {
    if (seen.has(earlier)) forwards++;
    else if (seen.has(later)) backwards++;
  };
  lines.slice(0, 2000).forEach((line, index) => {
    const oom = recogniseOomLine(findKernelText(line.toString('utf8')).env.message);
    if (oom === null) return;
    if (oom.kind === 'header' || oom.kind === 'killed') order.push(oom.kind);
    if (oom.kind === 'killed') vote(`summary:${oom.pid}`, `killed:${oom.pid}`);
    if (oom.kind === 'summary' && oom.pid !== null) vote(`summary:${oom.pid}`, `killed:${oom.pid}`);
    if (oom.kind === 'reaped') vote(`killed:${oom.pid}`, `reaped:${oom.pid}`);
    if (oom.kind === 'killed') vote(`killed:${oom.pid}`, `reaped:${oom.pid}`);
    const key = 'pid' in oom && oom.pid !== null ? `${oom.kind}:${oom.pid}` : null;
    if (key !== null && !seen.has(key)) seen.set(key, index);
  });
  if (order[0] === 'killed' && order.at(-1) === 'header') backwards++;
  if (order[0] === 'header' && order.at(-1) === 'killed') forwards++;
  return backwards > forwards;
}

// (Over 80 lines: a closure over one source's reading state — pending wrapped line, boot spans, stamps; splitting it
// would pass that state around. Next step of issue 13: a class with the line steps as methods.)
export function createKernelLogReader(clock: KernelClock): KernelLogReader {
  const records: KernelRecord[] = [];
  const assembler = new OomBlockAssembler((record) => records.push(record));
  const shapes = new Map<LineShape, number>();
  const problems = new Map<string, number>();
  const result: KernelLogRead = {
    records, lines: 0, shapes, unparsedLines: 0, overlongLines: 0, blocksWithoutKill: 0, boots: 1,
    firstWall: null, lastWall: null, firstUptime: null, lastUptime: null, yearless: false, problems, bootSpans: [], prefixedLines: 0, kernelLines: 0, lookalike: newLookalikeTally(),
    limits: assembler.limits,
  };
  const spans = result.bootSpans;
  let lastStamp: LineStamp = { uptime: null, local: null, yearIndex: 0, fold: false, epochMs: null, boot: 0 };

  // A kill, header or summary line that looks cut (a hard-wrapped paste) waits for the next line to complete it.
  let pending: { env: Envelope; message: string; lineNo: number; text: string; stamp: LineStamp; oom: OomLine | null; joins: number } | null = null;
  /** Whether the line being read had text in front of the kernel's; counted for the lines that held OOM records. */
  let linePrefixed = false;
  const push = (oom: OomLine, env: Envelope, lineNo: number, text: string, stamp: LineStamp): void => {
    if (linePrefixed) result.prefixedLines++;
    if (env.fromKernel !== true && env.uptime === null) result.kernelLines++;
    assembler.push({ oom, evidence: { lineNo, text, stamp }, caller: env.caller });
  };
  const flushPending = (): void => {
    const held = pending;
    pending = null;
    if (!held) return;
    if (held.oom) push(held.oom, held.env, held.lineNo, held.text, held.stamp);
    else if (looksLikeOomLine(held.message)) result.unparsedLines++;
  };
  /** True when the next line may be the rest of this one: joined, they read as a whole OOM line. */
  const joinsPending = (env: Envelope, message: string): boolean => {
    const held = pending;
    if (!held || (env.shape !== 'bare' && env.shape !== held.env.shape) || env.local !== null || env.uptime !== null || env.epochMs !== null) return false;
    if (recogniseOomLine(message) !== null) return false;
    const joined = held.message + message;
    const oom = recogniseOomLine(joined);
    if (!oom) return false;
    if (looksCut(oom, joined)) {
      // Still short of its end: wrapped over more lines (a few at most).
      if (held.joins >= MAX_WRAP_JOINS) return false;
      pending = { ...held, message: joined, text: `${held.text}\n${message}`, oom, joins: held.joins + 1 };
      return true;
    }
    pending = null;
    push(oom, held.env, held.lineNo, `${held.text}\n${message}`, held.stamp);
    return true;
  };

  const onMessage = (env: Envelope, message: string, lineNo: number, text: string, stamp: LineStamp): void => {
    if (pending) {
      if (joinsPending(env, message)) return;
      flushPending();
    }
    if (env.fromKernel !== false) {
      const oom = recogniseOomLine(message);
      if (oom && looksCut(oom, message)) {
        pending = { env, message, lineNo, text, stamp, oom, joins: 0 };
        return;
      }
      if (oom) {
        push(oom, env, lineNo, text, stamp);
        return;
      }
      if (looksLikeOomLine(message) || TASK_HEADER_START.test(message)) {
        pending = { env, message, lineNo, text, stamp, oom: null, joins: 0 };
        return;
      }
    } else {
      const user = recogniseUserspaceLine(message, env.ident);
      if (user) {
        pushUserspace(records, user, { lineNo, text, stamp });
        return;
      }
    }
  };

  return {
    read: result,
    wantsEveryLine: () => assembler.wantsNextLines || pending !== null,
    finish() {
      flushPending();
      assembler.finish();
      result.blocksWithoutKill = assembler.blocksWithoutKill;
    },
    line(bytes, lineNo) {
      result.lines = Math.max(result.lines, lineNo);
      let text = bytes.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      const found = findKernelText(text);
      const env = found.env;
      linePrefixed = found.prefixed;
      if (env.fromKernel === true || env.uptime !== null) result.kernelLines++;
      else if (result.kernelLines === 0) tallyLookalike(result.lookalike, env, text);
      shapes.set(env.shape, (shapes.get(env.shape) ?? 0) + 1);
      if (env.problem) problems.set(env.problem, (problems.get(env.problem) ?? 0) + 1);

      const boot = clock.boot({ uptime: env.uptime, bootId: env.bootId, linuxVersion: env.message.startsWith('Linux version ') });
      if (env.uptime !== null) {
        result.firstUptime ??= { boot, uptime: env.uptime };
        result.lastUptime = { boot, uptime: env.uptime };
      }

      let stamp: LineStamp;
      if (env.local === null && env.epochMs === null && env.uptime === null) {
        // Unstamped continuation lines belong to the previous stamped line's moment.
        stamp = env.continuation ? lastStamp : { uptime: null, local: null, yearIndex: 0, fold: false, epochMs: null, boot };
      } else {
        const { yearIndex, fold } = env.local !== null ? clock.wallStamp(env.local) : { yearIndex: 0, fold: false };
        if (env.local !== null && env.local.year === null) result.yearless = true;
        stamp = { uptime: env.uptime, local: env.local, yearIndex, fold, epochMs: env.epochMs, boot };
        lastStamp = stamp;
        const span = spans.at(-1);
        if (!span || span.boot !== boot) {
          const startsHere = boot > 0 || (env.uptime !== null && env.uptime < BOOT_START_UPTIME);
          spans.push({ boot, first: stamp, last: stamp, start: startsHere ? { lineNo, text, stamp } : null });
        } else {
          span.last = stamp;
        }
        if (env.local !== null || env.epochMs !== null) {
          const wall: WallStamp = { local: env.local, yearIndex, fold, epochMs: env.epochMs };
          result.firstWall ??= wall;
          result.lastWall = wall;
          if (env.uptime !== null && env.fromKernel !== false) clock.sample(boot, env.uptime, wall);
        }
      }
      assembler.tick(lineNo, env.uptime);

      const message = env.message;
      if (message.includes('#012')) {
        // rsyslog's imjournal escapes the newlines of a multi-line kernel record.
        for (const part of message.split('#012')) onMessage(env, part.trimEnd(), lineNo, text, stamp);
      } else {
        onMessage(env, message, lineNo, text, stamp);
      }
      result.boots = Math.max(result.boots, boot + 1);
      result.blocksWithoutKill = assembler.blocksWithoutKill;
    },
  };
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


/** Records looked back through for earlyoom's SIGTERM before its SIGKILL (seconds apart): bounded, so a flood of kills stays linear. */
const TERM_BEFORE_KILL_RECORDS = 256;

function sentTermJustBefore(records: KernelRecord[], pid: number | null): boolean {
  if (userspaceDroppedPids.get(records)?.includes(pid)) return true;
  for (let i = records.length - 1; i >= 0 && i >= records.length - TERM_BEFORE_KILL_RECORDS; i--) {
    const r = records[i]!;
    if (r.kind === 'event' && r.eventKind === 'userspace-kill' && r.pid === pid) return true;
  }
  return false;
}

/** User-space killers' records past the bound are only counted (per records array, i.e. per source)… */
const userspaceNotKept = new WeakMap<KernelRecord[], number>();
/** …and the last pids of those not kept are remembered, so a SIGKILL after a SIGTERM not kept is not counted twice. */
const userspaceDroppedPids = new WeakMap<KernelRecord[], (number | null)[]>();

/** How many user-space killer records of this read were counted but not kept (see MAX_RECORDS). */
export function userspaceRecordsNotKept(read: KernelLogRead): number {
  return userspaceNotKept.get(read.records) ?? 0;
}

/** Keeps a record while the source holds fewer than twice MAX_RECORDS (the report keeps MAX_RECORDS of them). */
function keep(records: KernelRecord[], record: KernelRecord): void {
  if (records.length >= 2 * MAX_RECORDS) {
    userspaceNotKept.set(records, (userspaceNotKept.get(records) ?? 0) + 1);
    if (record.kind === 'event' && record.eventKind === 'userspace-kill') {
      const pids = userspaceDroppedPids.get(records) ?? [];
      pids.push(record.pid);
      if (pids.length > TERM_BEFORE_KILL_RECORDS) pids.shift();
      userspaceDroppedPids.set(records, pids);
    }
    return;
  }
  records.push(record);
}

function pushUserspace(records: KernelRecord[], user: NonNullable<ReturnType<typeof recogniseUserspaceLine>>, line: EvidenceLine): void {
  const evidence = line.text.length > 8192 ? { ...line, text: clipText(line.text, 8192) } : line;
  const base = { kind: 'event' as const, at: evidence.stamp, evidence: [evidence], rssKb: null, cgroup: null, unit: null, detail: null, pid: null, name: null };
  switch (user.kind) {
    case 'userspace-kill':
      if (user.signal === 'SIGKILL' && sentTermJustBefore(records, user.pid)) return;
      keep(records, { ...base, eventKind: 'userspace-kill', killer: user.killer, pid: user.pid, name: user.name, rssKb: user.rssKb, detail: user.signal });
      return;
    case 'oomd-kill':
      keep(records, { ...base, eventKind: 'userspace-kill', killer: 'systemd-oomd', cgroup: user.cgroup, detail: user.detail });
      return;
    case 'unit-exit':
      keep(records, { ...base, eventKind: 'unit-exit', killer: 'systemd', unit: user.unit, detail: user.code === 'exited' ? `exit status ${user.status}` : `${user.code} by ${user.signal}` });
      return;
    case 'unit-notice':
      keep(records, { ...base, eventKind: 'unit-notice', killer: user.detail === 'oomd-killed' ? 'systemd-oomd' : 'kernel', unit: user.unit, detail: user.detail });
      return;
  }
}
