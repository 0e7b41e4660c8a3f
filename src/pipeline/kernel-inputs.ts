// The kernel stage of a diagnosis: read each kernel source, place its records in time, merge what two logs both saw.
import { shortId } from '../model/short-id.js';
import { readKernelFileInParallel, readKernelLog, readsInParallel, userspaceRecordsNotKept, type KernelReadPlan } from '../assemble/kernel-log.js';
import type { KernelLogRead } from '../model/kernel-log-read.js';
import { KernelLogClock } from '../time/kernel-clock.js';
import { MAX_RECORDS } from '../assemble/oom-blocks.js';
import type { EventRecord, KillRecord } from '../model/kernel-records.js';
import type { BootSighting } from '../join/death-drafts.js';
import { foldParentSliceNotices, mergeDuplicateEvents, mergeDuplicateKills, type Placed } from '../join/merge-duplicates.js';
import { InputError } from '../read/input-error.js';
import { currentBootTimeMs, isLiveSource, openLiveSource } from '../read/live-source.js';
import { openInput, plainFileInfo } from '../read/open-input.js';
import type { Evidence, OomEvent, OomKill, SourceReport } from '../model/report.js';
import type { Notice } from '../i18n/warning-messages.js';
import { placeKernelLog, type Placement } from '../time/place-kernel-log.js';
import { formatInstant } from '../time/zone.js';
import { sourceWarnings } from './kernel-warnings.js';
import { uncertaintySeconds } from '../time/range.js';
import { UsageError } from '../usage-error.js';

export interface DiagnoseIo {
  stdin?: NodeJS.ReadableStream;
}

/** How large kernel logs are cut for threads: not public (tests force tiny ranges; `threads` comes from the options). */
export type KernelCutting = Omit<KernelReadPlan, 'threads'>;

interface KernelSourceResult {
  path: string;
  read: KernelLogRead;
  placement: Placement;
  complete: boolean;
}

export interface KernelSettings {
  tz: string;
  year: number | undefined;
  bootTimeMs: number | undefined;
  /** The span the guardian and app logs cover (they carry years), for year-less kernel stamps. */
  referenceRange: { from: number; to: number } | undefined;
}

export interface KernelInputs {
  sources: SourceReport[];
  kills: Placed<OomKill>[];
  events: Placed<OomEvent>[];
  /** Boots that started inside a kernel input, on the wall clock. */
  boots: BootSighting[];
  /** Each boot's span of each kernel input on the wall clock: a death inside one was seen by the kernel. */
  spans: { from: number; to: number }[];
  warnings: Notice[];
}

/** Reads each kernel source to the end; unreadable ones become warnings. */
export async function readKernelSources(paths: string[], io: DiagnoseIo, warnings: Notice[], plan: KernelReadPlan = { threads: 1 }): Promise<ReadSource[]> {
  if (paths.filter((p) => p === '-').length > 1) throw UsageError.of('stdin.twice-kernel');
  const reads: ReadSource[] = [];
  for (const path of paths) {
    const read = await readKernelSource(path, io, warnings, plan);
    if (read) reads.push(read);
  }
  return reads;
}

/** Places what the sources hold in time and merges what two of them saw; `reads` may still be growing (watch). */
export function collectKernel(reads: ReadSource[], settings: KernelSettings, warningsSoFar: Notice[] = []): KernelInputs {
  const warnings: Notice[] = [...warningsSoFar];
  const paths = reads.map((r) => r.path);
  // Inputs whose stamps carry a year are placed first; their span then dates the year-less ones.
  const sources: KernelSourceResult[] = [];
  let range = settings.referenceRange;
  for (const read of reads.filter((r) => !r.read.yearless)) {
    const placed = place(read, settings, undefined);
    sources.push(placed);
    if (placed.placement.from !== null && placed.placement.to !== null) range = widen(range, placed.placement.from, placed.placement.to);
  }
  for (const read of reads.filter((r) => r.read.yearless)) sources.push(place(read, settings, range));
  sources.sort((a, b) => paths.indexOf(a.path) - paths.indexOf(b.path));
  const { tz } = settings;
  const kills: Placed<OomKill>[] = [];
  const events: Placed<OomEvent>[] = [];
  const boots: BootSighting[] = [];
  const spans: { from: number; to: number }[] = [];
  for (const source of sources) {
    const sourceKills: OomKill[] = [];
    const sourceEvents: OomEvent[] = [];
    let unplaced = 0;
    let untimed = 0;
    // The assembler keeps MAX_RECORDS of its own; with the user-space killers' lines, the source keeps as many in all.
    let kept = 0;
    let notKept = 0;
    for (const record of source.read.records) {
      if (kept >= MAX_RECORDS) {
        notKept++;
        continue;
      }
      kept++;
      const timeMs = source.placement.timeOf(record.at);
      const range = source.placement.rangeOf(record.at);
      if (timeMs === null && record.at.uptime !== null) unplaced++;
      else if (timeMs === null) untimed++;
      if (record.kind === 'kill') {
        const kill = toOomKill(record, source, timeMs, tz, range ? uncertaintySeconds(range) : 0);
        sourceKills.push(kill);
        kills.push({ item: kill, timeMs, range });
      } else {
        const event = toOomEvent(record, source, timeMs, tz);
        sourceEvents.push(event);
        events.push({ item: event, timeMs, range });
      }
    }
    for (const span of source.read.bootSpans) {
      const from = source.placement.timeOf(span.first);
      const to = source.placement.timeOf(span.last);
      if (from !== null && to !== null) spans.push({ from, to });
      if (span.start) {
        const bootMs = span.first.uptime !== null ? source.placement.timeOf({ ...span.first, uptime: 0 }) : from;
        if (bootMs !== null) {
          boots.push({
            timeMs: bootMs,
            evidence: { path: source.path, line: span.start.lineNo, role: 'kernel', text: span.start.text, time: iso(bootMs, tz), timeMs: bootMs },
          });
        }
      }
    }
    warnings.push(...source.placement.warnings, ...sourceWarnings(source, { kills: sourceKills, events: sourceEvents, unplaced, untimed }, notKept + userspaceRecordsNotKept(source.read)));
  }
  const mergedKills = mergeDuplicateKills(kills);
  return {
    sources: sources.map((source) => sourceReport(source, tz)),
    kills: mergedKills,
    events: markKernelRecords(foldParentSliceNotices(mergeDuplicateEvents(events)), mergedKills),
    boots: dedupeBoots(boots),
    spans,
    warnings,
  };
}

/** systemd's word that the kernel's OOM killer struck is backed by a kill record near it, or it says there is none. */
const NOTICE_TO_KILL_MS = 10_000;

function markKernelRecords(events: Placed<OomEvent>[], kills: Placed<OomKill>[]): Placed<OomEvent>[] {
  const times = kills.map((k) => k.timeMs).filter((t): t is number => t !== null);
  return events.map((e) => {
    if (e.item.kind !== 'unit-notice' || e.item.killer !== 'kernel' || e.timeMs === null) return e;
    const backed = times.some((t) => Math.abs(t - e.timeMs!) <= NOTICE_TO_KILL_MS);
    return { ...e, item: { ...e.item, kernelRecord: backed } };
  });
}

/** The same boot read from two logs is one boot. */
function dedupeBoots(boots: BootSighting[]): BootSighting[] {
  const out: BootSighting[] = [];
  for (const boot of [...boots].sort((a, b) => a.timeMs - b.timeMs)) {
    if (!out.some((seen) => Math.abs(seen.timeMs - boot.timeMs) < 60_000)) out.push(boot);
  }
  return out;
}

export interface ReadSource {
  path: string;
  read: KernelLogRead;
  /** The clock the reader fed: each boot's start, for placing uptimes. */
  clock: KernelLogClock;
  complete: boolean;
  mtimeMs: number | null;
  liveBootTimeMs: number | undefined;
}

function widen(range: { from: number; to: number } | undefined, from: number, to: number): { from: number; to: number } {
  return range ? { from: Math.min(range.from, from), to: Math.max(range.to, to) } : { from, to };
}

function place(source: ReadSource, settings: KernelSettings, referenceRange: { from: number; to: number } | undefined): KernelSourceResult {
  const placement = placeKernelLog(source.read, source.clock, {
    tz: settings.tz,
    year: settings.year,
    bootTimeMs: settings.bootTimeMs,
    liveBootTimeMs: source.liveBootTimeMs,
    mtimeMs: source.mtimeMs,
    referenceRange,
    path: source.path,
  });
  return { path: source.path, read: source.read, placement, complete: source.complete };
}

async function readKernelSource(path: string, io: DiagnoseIo, warnings: Notice[], plan: KernelReadPlan): Promise<ReadSource | null> {
  let mtimeMs: number | null = null;
  let liveBootTimeMs: number | undefined;
  let complete = true;
  let gaps = (): number => 0;
  const plain = plan.threads !== 1 && !isLiveSource(path) ? await plainFileInfo(path) : null;
  if (plain !== null && readsInParallel(plain.size, plan)) {
    try {
      const clock = new KernelLogClock();
      const read = await readKernelFileInParallel(path, plain.size, clock, plan);
      return { path, read, clock, complete, mtimeMs: plain.mtimeMs, liveBootTimeMs };
    } catch (error) {
      // The file went away or could not be read between the look and the read: the serial read says why.
      if (!(error instanceof Error) || !('code' in error)) throw error;
    }
  }
  try {
    let chunks: AsyncIterable<Buffer>;
    if (isLiveSource(path)) {
      const live = openLiveSource(path);
      chunks = live.chunks;
      gaps = live.gaps;
      liveBootTimeMs = path === 'journal' ? undefined : (currentBootTimeMs() ?? undefined);
    } else {
      const opened = await openInput(path, io.stdin);
      chunks = opened.chunks;
      mtimeMs = opened.mtimeMs;
    }
    const guarded = guardChunks(path, chunks, (error) => {
      complete = false;
      warnings.push(error.notice);
    });
    const clock = new KernelLogClock();
    const read = await readKernelLog(guarded, clock, plan.scan);
    const lost = gaps();
    if (lost > 0) {
      // Records the ring buffer overwrote before they were read: what they held is not in the report.
      complete = false;
      warnings.push({ key: 'input-truncated/ring-buffer', path, params: { count: lost } });
    }
    return { path, read, clock, complete, mtimeMs, liveBootTimeMs };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    warnings.push(error.notice);
    return null;
  }
}

/** Ends the chunk stream quietly at a read error (truncated gzip, I/O error), reporting it, so what was read still counts. */
async function* guardChunks(path: string, chunks: AsyncIterable<Buffer>, onError: (error: InputError) => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of chunks) yield chunk;
  } catch (error) {
    onError(error instanceof InputError ? error : InputError.fromSystem(path, error));
  }
}

function iso(timeMs: number | null, tz: string): string | null {
  return timeMs === null ? null : formatInstant(timeMs, tz);
}

function evidenceOf(record: KillRecord | EventRecord, source: KernelSourceResult, tz: string): Evidence[] {
  return record.evidence.map((line) => ({
    path: source.path,
    line: line.lineNo,
    time: iso(source.placement.timeOf(line.stamp), tz),
    role: 'kernel' as const,
    text: line.text,
  }));
}

/**
 * Names a kill by what its own line says (pid, name, the kernel's clock, or the line's stamp when it has no uptime),
 * never by derived time, so the id stays the same while `watch` learns more and in every log that holds it.
 */
function killId(kill: { pid: number | null; name: string | null; uptime: number | null; stampText: string }): string {
  const key = `${kill.pid}|${kill.name}|${kill.uptime ?? kill.stampText}`;
  return shortId('k-', key);
}

/** The kill line's wall stamp as written (without the message), for kills the kernel's clock does not name. */
function stampTextOf(record: KillRecord): string {
  const line = record.evidence.find((e) => e.text.includes('Killed process'))?.text ?? record.evidence.at(-1)?.text ?? '';
  const at = line.indexOf('Killed process');
  return at > 0 ? line.slice(0, Math.min(at, 40)) : '';
}

function toOomKill(record: KillRecord, source: KernelSourceResult, timeMs: number | null, tz: string, uncertainty: number): OomKill {
  const { kind: _kind, at, evidence: _evidence, ...fields } = record;
  return {
    id: killId({ pid: record.pid, name: record.name, uptime: at.uptime, stampText: stampTextOf(record) }),
    time: iso(timeMs, tz),
    // Only where the time is not exact (issue 20): a whole-second boot time or receipt stamp.
    ...(timeMs !== null && uncertainty > 0 ? { timeUncertaintySeconds: uncertainty } : {}),
    uptimeSeconds: at.uptime,
    ...fields,
    evidence: evidenceOf(record, source, tz),
  };
}

function toOomEvent(record: EventRecord, source: KernelSourceResult, timeMs: number | null, tz: string): OomEvent {
  return {
    kind: record.eventKind,
    time: iso(timeMs, tz),
    uptimeSeconds: record.at.uptime,
    killer: record.killer,
    pid: record.pid,
    name: record.name,
    rssKb: record.rssKb,
    cgroup: record.cgroup,
    unit: record.unit,
    detail: record.detail,
    ...(record.trigger !== undefined ? { trigger: record.trigger } : {}),
    ...(record.figures !== undefined ? { figures: record.figures } : {}),
    evidence: evidenceOf(record, source, tz),
  };
}

function sourceFormat(read: KernelLogRead): string {
  let best: string = 'bare';
  let bestCount = -1;
  for (const [shape, count] of read.shapes) {
    // Bare lines are the unstamped rest of stamped logs (continuations, blank lines): a stamped shape wins any tie.
    const weight = shape === 'bare' ? count / 2 : count;
    if (weight > bestCount) {
      best = shape;
      bestCount = weight;
    }
  }
  return best;
}

function sourceReport(source: KernelSourceResult, tz: string): SourceReport {
  return {
    path: source.path,
    role: 'kernel',
    format: sourceFormat(source.read),
    lines: source.read.lines,
    from: iso(source.placement.from, tz),
    to: iso(source.placement.to, tz),
    unparsedLines: source.read.unparsedLines,
    complete: source.complete,
  };
}

