// The library's main job: read every input, assemble, place in time, join, and return plain data.
import { createHash } from 'node:crypto';
import { readKernelLog, type KernelLogRead } from './assemble/kernel-log.js';
import type { EventRecord, KillRecord } from './assemble/kernel-records.js';
import { mergeDuplicateEvents, mergeDuplicateKills, type Placed } from './join/merge-duplicates.js';
import type { DiagnoseOptions } from './options.js';
import { InputError } from './read/input-error.js';
import { currentBootTimeMs, isLiveSource, openLiveSource } from './read/live-source.js';
import { openInput } from './read/open-input.js';
import type { Evidence, OomEvent, OomKill, Report, SourceReport, Warning } from './report.js';
import { placeKernelLog, type Placement } from './time/place-kernel-log.js';
import { formatInstant, isValidZone, systemZone } from './time/zone.js';
import { UsageError } from './usage-error.js';
import { VERSION } from './version.js';

export interface DiagnoseIo {
  stdin?: NodeJS.ReadableStream;
}

interface KernelSourceResult {
  path: string;
  read: KernelLogRead;
  placement: Placement;
  complete: boolean;
}

/** Diagnoses the given inputs; throws UsageError for wrong options, never for unreadable inputs (those become warnings). */
export async function diagnose(options: DiagnoseOptions = {}, io: DiagnoseIo = {}): Promise<Report> {
  const tz = options.tz ?? systemZone();
  if (!isValidZone(tz)) throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA name such as Asia/Shanghai or UTC');
  const bootTimeMs = parseBootTime(options.bootTime);
  if (options.year !== undefined && (!Number.isInteger(options.year) || options.year < 1970 || options.year > 9999)) {
    throw new UsageError(`--year ${options.year} is not a year`, 'give four digits, such as 2024');
  }
  const kernelPaths = options.kernel ?? [];
  if ((kernelPaths.filter((p) => p === '-').length) > 1) throw new UsageError('stdin (-) can be read only once');

  const warnings: Warning[] = [];
  const sources: KernelSourceResult[] = [];
  for (const path of kernelPaths) {
    const result = await readKernelSource(path, { tz, year: options.year, bootTimeMs }, io, warnings);
    if (result) sources.push(result);
  }

  const kills: Placed<OomKill>[] = [];
  const events: Placed<OomEvent>[] = [];
  for (const source of sources) {
    const sourceKills: OomKill[] = [];
    let unplaced = 0;
    for (const record of source.read.records) {
      const timeMs = source.placement.timeOf(record.at);
      if (timeMs === null && record.at.uptime !== null) unplaced++;
      if (record.kind === 'kill') {
        const kill = toOomKill(record, source, timeMs, tz);
        sourceKills.push(kill);
        kills.push({ item: kill, timeMs });
      } else {
        events.push({ item: toOomEvent(record, source, timeMs, tz), timeMs });
      }
    }
    warnings.push(...source.placement.warnings, ...sourceWarnings(source, sourceKills, unplaced));
  }

  return {
    schemaVersion: 1,
    generator: `oomscope ${VERSION}`,
    sources: sources.map((source) => sourceReport(source, tz)),
    oomKills: mergeDuplicateKills(kills).map((placed) => placed.item),
    oomEvents: mergeDuplicateEvents(events).map((placed) => placed.item),
    warnings,
  };
}

function parseBootTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // An ISO time needs its zone: without one it would silently take the machine's.
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    throw new UsageError(`--boot-time "${text}" is not an ISO time with a zone`, 'for example 2024-07-20T08:00:00+08:00 (from `uptime -s` on that boot, plus the zone)');
  }
  const ms = Date.parse(text.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms)) throw new UsageError(`--boot-time "${text}" is not a valid time`);
  return ms;
}

async function readKernelSource(
  path: string,
  settings: { tz: string; year: number | undefined; bootTimeMs: number | undefined },
  io: DiagnoseIo,
  warnings: Warning[],
): Promise<KernelSourceResult | null> {
  let mtimeMs: number | null = null;
  let liveBootTimeMs: number | undefined;
  let complete = true;
  let read: KernelLogRead;
  try {
    let chunks: AsyncIterable<Buffer>;
    if (isLiveSource(path)) {
      chunks = openLiveSource(path).chunks;
      liveBootTimeMs = path === 'journal' ? undefined : (currentBootTimeMs() ?? undefined);
    } else {
      const opened = await openInput(path, io.stdin);
      chunks = opened.chunks;
      mtimeMs = opened.mtimeMs;
    }
    const guarded = guardChunks(path, chunks, (error) => {
      complete = false;
      warnings.push(inputWarning(error));
    });
    read = await readKernelLog(guarded);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    warnings.push(inputWarning(error));
    return null;
  }
  const placement = placeKernelLog(read, {
    tz: settings.tz,
    year: settings.year,
    bootTimeMs: settings.bootTimeMs,
    liveBootTimeMs,
    mtimeMs,
    path,
  });
  return { path, read, placement, complete };
}

/** Ends the chunk stream quietly at a read error (truncated gzip, I/O error), reporting it, so what was read still counts. */
async function* guardChunks(path: string, chunks: AsyncIterable<Buffer>, onError: (error: InputError) => void): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of chunks) yield chunk;
  } catch (error) {
    onError(error instanceof InputError ? error : InputError.fromSystem(path, error));
  }
}

function inputWarning(error: InputError): Warning {
  const code = error.code === 'truncated-gzip' ? 'input-truncated' : 'input-unreadable';
  return { code, path: error.path, message: error.message };
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

function killId(kill: { pid: number | null; name: string | null; uptime: number | null; timeMs: number | null }): string {
  const key = `${kill.pid}|${kill.name}|${kill.uptime ?? ''}|${kill.timeMs === null ? '' : Math.round(kill.timeMs / 1000)}`;
  return 'k-' + createHash('sha1').update(key).digest('hex').slice(0, 8);
}

function toOomKill(record: KillRecord, source: KernelSourceResult, timeMs: number | null, tz: string): OomKill {
  const { kind: _kind, at, evidence: _evidence, ...fields } = record;
  return {
    id: killId({ pid: record.pid, name: record.name, uptime: at.uptime, timeMs }),
    time: iso(timeMs, tz),
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

/** Fields checked for "missing from every kill of a source", which gets one warning, not one per kill. */
const REPORTED_FIELDS: (keyof OomKill)[] = ['uid', 'totalVmKb', 'anonRssKb', 'fileRssKb', 'shmemRssKb', 'pgtablesKb', 'oomScoreAdj', 'ramKb', 'swapTotalKb', 'kernelVersion', 'topConsumers'];

function sourceWarnings(source: KernelSourceResult, kills: OomKill[], unplaced: number): Warning[] {
  const path = source.path;
  const read = source.read;
  const out: Warning[] = [];
  if (kills.length > 0) {
    const missing = REPORTED_FIELDS.filter((field) => kills.every((kill) => kill[field] === null));
    if (missing.length > 0) {
      out.push({ code: 'fields-not-printed', path, message: `this log does not state ${missing.join(', ')} for any kill (the kernel that wrote it did not print them, or the lines are missing); they are null` });
    }
  }
  const incomplete = kills.filter((kill) => kill.incomplete).length;
  if (incomplete > 0) out.push({ code: 'incomplete-kill', path, message: `${incomplete} kill record(s) were cut off before the kill line; what was there is reported with incomplete: true` });
  if (unplaced > 0) {
    out.push({ code: 'no-wall-time', path, message: `${unplaced} record(s) carry only the kernel's uptime and no line ties it to the wall clock; their time is null (pass --boot-time, e.g. from \`uptime -s\` on that boot, with its zone)` });
  }
  if (read.blocksWithoutKill > 0) {
    out.push({ code: 'oom-block-without-kill', path, message: `${read.blocksWithoutKill} OOM block(s) ended without naming a victim (the victim was already exiting, or lines were lost)` });
  }
  if (read.overlongLines > 0) out.push({ code: 'overlong-line', path, message: `${read.overlongLines} line(s) longer than 1 MiB were read only up to 1 MiB` });
  for (const [problem, count] of read.problems) {
    out.push({ code: problem, path, message: `${count} line(s) have a stamp that could not be read (${problem}); they are read without it` });
  }
  return out;
}
