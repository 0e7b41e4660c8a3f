// The guardian and application stage: read check.log and running.log, and place their zone-less stamps in --tz.
import { MAX_INSTANCES } from '../assemble/app-instances.js';
import { MAX_GUARDIAN_RECORDS, type GuardianRef } from '../assemble/guardian-timeline.js';
import { readAppLog, readGuardianLog, type AppLogRead, type GuardianLogRead } from '../assemble/local-log.js';
import { readAppLogOnWorker } from '../assemble/local-log-thread.js';
import type { TimedEvidence } from '../join/death-drafts.js';
import type { LineMap } from '../read/line-map.js';
import type { LocalStamp } from '../model/stamps.js';
import type { SourceReport } from '../model/report.js';
import type { Notice } from '../i18n/warning-messages.js';
import { formatInstant, localToEpoch } from '../time/zone.js';

export interface LocalInputs {
  guardian: GuardianLogRead | null;
  app: AppLogRead | null;
  sources: SourceReport[];
  warnings: Notice[];
  /** The latest stamped moment of either log (they carry years): the kernel log's year-less stamps follow it. */
  latestMs: number | null;
  earliestMs: number | null;
  placeLocal: (stamp: LocalStamp | null) => number | null;
  guardianTime: (ref: GuardianRef) => number | null;
  guardianEvidence: (ref: GuardianRef) => TimedEvidence;
  appEvidence: (line: number, text: string, timeMs: number | null) => TimedEvidence;
}

/** Reads check.log and running.log; `appOnWorker` reads running.log on a worker thread meanwhile (appLogWantsWorker). */
export async function readLocalInputs(checkPaths: string[], appPaths: string[], tz: string, stdin?: NodeJS.ReadableStream, appOnWorker = false): Promise<LocalInputs> {
  const warnings: Notice[] = [];
  const appWarnings: Notice[] = [];
  const appRead = appOnWorker ? readAppLogOnWorker(appPaths, appWarnings) : null;
  // (A failed worker read is awaited below; this keeps it from counting as unhandled meanwhile.)
  appRead?.catch(() => {});
  const guardian = checkPaths.length > 0 ? await readGuardianLog(checkPaths, warnings, stdin) : null;
  const app = appRead !== null ? await appRead : appPaths.length > 0 ? await readAppLog(appPaths, appWarnings, stdin) : null;
  return collectLocal(guardian, app, tz, [...warnings, ...appWarnings]);
}

/** Places the guardian's and the app's stamps in --tz; the reads may still be growing (watch). */
export function collectLocal(guardian: GuardianLogRead | null, app: AppLogRead | null, tz: string, warningsSoFar: Notice[] = []): LocalInputs {
  const warnings: Notice[] = [...warningsSoFar];
  const dst = { repeated: 0, skipped: 0 };
  const placeLocal = (stamp: LocalStamp | null): number | null => {
    if (!stamp || stamp.year === null) return null;
    const zoned = localToEpoch(stamp, stamp.year, tz);
    if (zoned.note === 'dst-repeated') dst.repeated++;
    if (zoned.note === 'dst-skipped') dst.skipped++;
    return zoned.epochMs;
  };
  const format = (ms: number | null): string | null => (ms === null ? null : formatInstant(ms, tz));

  const guardianTime = (ref: GuardianRef): number | null => placeLocal(ref.stamp);
  const locate = (map: LineMap | undefined, line: number) => map?.locate(line) ?? { path: '?', line };
  const guardianEvidence = (ref: GuardianRef): TimedEvidence => {
    const at = locate(guardian?.lineMap, ref.line);
    const timeMs = guardianTime(ref);
    return { path: at.path, line: at.line, role: 'guardian', text: ref.text, time: format(timeMs), timeMs };
  };
  const appEvidence = (line: number, text: string, timeMs: number | null): TimedEvidence => {
    const at = locate(app?.lineMap, line);
    return { path: at.path, line: at.line, role: 'app', text, time: format(timeMs), timeMs };
  };

  const sources: SourceReport[] = [];
  const bounds: number[] = [];
  if (guardian) {
    const first = guardian.stats.first ? guardianTime(guardian.stats.first) : null;
    const last = guardian.stats.last ? guardianTime(guardian.stats.last) : null;
    for (const ms of [first, last]) if (ms !== null) bounds.push(ms);
    for (const file of guardian.files) {
      sources.push({ path: file.path, role: 'guardian', format: 'guardian', lines: file.lines, from: null, to: null, unparsedLines: 0, complete: file.complete });
    }
    spanAcrossFiles(sources, guardian.files.map((f) => f.path), format(first), format(last));
    if (guardian.stats.unrecognisedLines > 0 && guardian.stats.checks === 0) {
      warnings.push({ key: 'guardian-unrecognised', path: guardian.files[0]?.path, params: {} });
    }
    if (guardian.stats.recordsNotKept > 0) {
      warnings.push({ key: 'records-capped/guardian', path: guardian.files[0]?.path, params: { max: MAX_GUARDIAN_RECORDS, count: guardian.stats.recordsNotKept } });
    }
  }
  if (app) {
    const first = placeLocal(app.stats.firstStamp?.stamp.local ?? null);
    const last = placeLocal(app.stats.lastStamp?.stamp.local ?? null);
    for (const ms of [first, last]) if (ms !== null) bounds.push(ms);
    for (const file of app.files) {
      sources.push({ path: file.path, role: 'app', format: 'go-log', lines: file.lines, from: null, to: null, unparsedLines: 0, complete: file.complete });
      if (file.gb18030Lines > 0) warnings.push({ key: 'gb18030-lines', path: file.path, params: { count: file.gb18030Lines } });
      if (file.undecodableLines > 0) warnings.push({ key: 'undecodable-lines', path: file.path, params: { count: file.undecodableLines } });
    }
    spanAcrossFiles(sources, app.files.map((f) => f.path), format(first), format(last));
    if (app.stats.livesNotKept > 0) {
      const at = app.stats.firstLifeNotKept !== null ? app.lineMap.locate(app.stats.firstLifeNotKept) : null;
      const params = { max: MAX_INSTANCES, count: app.stats.livesNotKept, ...(at ? { line: at.line } : {}) };
      warnings.push({ key: 'records-capped/app', path: at?.path ?? app.files[0]?.path, params });
    }
  }
  if (dst.repeated > 0) warnings.push({ key: 'dst-repeated/local', params: { count: dst.repeated, tz } });
  if (dst.skipped > 0) warnings.push({ key: 'dst-skipped/local', params: { count: dst.skipped, tz } });
  return {
    guardian, app, sources, warnings,
    latestMs: bounds.length > 0 ? Math.max(...bounds) : null,
    earliestMs: bounds.length > 0 ? Math.min(...bounds) : null,
    placeLocal, guardianTime, guardianEvidence, appEvidence,
  };
}

/** Rotated files are read as one stream: the first file gets the stream's start, the last its end. */
function spanAcrossFiles(sources: SourceReport[], paths: string[], from: string | null, to: string | null): void {
  const mine = sources.filter((s) => paths.includes(s.path));
  if (mine.length === 0) return;
  mine[0]!.from = from;
  mine.at(-1)!.to = to;
}
