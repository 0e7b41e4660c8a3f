// The guardian and application stage: read check.log and running.log, and place their zone-less stamps in --tz.
import { MAX_INSTANCES, type AppRecord } from '../assemble/app-instances.js';
import { MAX_GUARDIAN_RECORDS, type GuardianRecord, type GuardianRef } from '../assemble/guardian-timeline.js';
import { readAppLog, readGuardianLog, type AppLogRead, type GuardianLogRead } from '../assemble/local-log.js';
import type { TimedEvidence } from '../join/death-drafts.js';
import type { LineMap } from '../read/line-map.js';
import type { LocalStamp } from '../model/stamps.js';
import type { SourceReport, Warning } from '../model/report.js';
import { formatInstant, localToEpoch } from '../time/zone.js';

export interface LocalInputs {
  guardian: GuardianLogRead | null;
  app: AppLogRead | null;
  sources: SourceReport[];
  warnings: Warning[];
  /** The latest stamped moment of either log (they carry years): the kernel log's year-less stamps follow it. */
  latestMs: number | null;
  earliestMs: number | null;
  placeLocal: (stamp: LocalStamp | null) => number | null;
  guardianTime: (ref: GuardianRef) => number | null;
  guardianEvidence: (ref: GuardianRef) => TimedEvidence;
  appEvidence: (line: number, text: string, timeMs: number | null) => TimedEvidence;
}

export async function readLocalInputs(checkPaths: string[], appPaths: string[], tz: string, stdin?: NodeJS.ReadableStream): Promise<LocalInputs> {
  const warnings: Warning[] = [];
  const guardian = checkPaths.length > 0 ? await readGuardianLog(checkPaths, warnings, stdin) : null;
  const app = appPaths.length > 0 ? await readAppLog(appPaths, warnings, stdin) : null;
  return collectLocal(guardian, app, tz, warnings);
}

/** Places the guardian's and the app's stamps in --tz; the reads may still be growing (watch). */
export function collectLocal(guardian: GuardianLogRead | null, app: AppLogRead | null, tz: string, warningsSoFar: Warning[] = []): LocalInputs {
  const warnings: Warning[] = [...warningsSoFar];
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
      warnings.push({ code: 'guardian-unrecognised', path: guardian.files[0]?.path, message: `no line of this file is a guardian check (\`YYYYMMDD HH:MM:SS anqicms PID check: N\`); is it check.log?` });
    }
    if (guardian.stats.recordsNotKept > 0) {
      warnings.push({ code: 'records-capped', path: guardian.files[0]?.path, message: `only the first ${MAX_GUARDIAN_RECORDS} downs and returns of the guardian log are used; ${guardian.stats.recordsNotKept} later one(s) were counted but not kept (split the log to see them)` });
    }
  }
  if (app) {
    const first = placeLocal(app.stats.firstStamp?.stamp.local ?? null);
    const last = placeLocal(app.stats.lastStamp?.stamp.local ?? null);
    for (const ms of [first, last]) if (ms !== null) bounds.push(ms);
    for (const file of app.files) {
      sources.push({ path: file.path, role: 'app', format: 'go-log', lines: file.lines, from: null, to: null, unparsedLines: 0, complete: file.complete });
      if (file.gb18030Lines > 0) warnings.push({ code: 'gb18030-lines', path: file.path, message: `${file.gb18030Lines} line(s) were not UTF-8 and were read as GB18030 (GBK)` });
      if (file.undecodableLines > 0) warnings.push({ code: 'undecodable-lines', path: file.path, message: `${file.undecodableLines} line(s) are neither UTF-8 nor GB18030; bad bytes are shown as U+FFFD` });
    }
    spanAcrossFiles(sources, app.files.map((f) => f.path), format(first), format(last));
    if (app.stats.livesNotKept > 0) {
      const at = app.stats.firstLifeNotKept !== null ? app.lineMap.locate(app.stats.firstLifeNotKept) : null;
      warnings.push({
        code: 'records-capped', path: at?.path ?? app.files[0]?.path,
        message: `the application log has more than ${MAX_INSTANCES} starts; only the first ${MAX_INSTANCES} lives are used${at ? ` (those that begin before line ${at.line})` : ''}; ${app.stats.livesNotKept} later one(s) were read but not kept: deaths after that are judged from the other logs alone (split the log to see them)`,
      });
    }
  }
  if (dst.repeated > 0) warnings.push({ code: 'dst-repeated', message: `${dst.repeated} guardian/app stamps fell in a repeated daylight-saving hour of ${tz}; the first occurrence was taken` });
  if (dst.skipped > 0) warnings.push({ code: 'dst-skipped', message: `${dst.skipped} guardian/app stamps fell in an hour that ${tz} skips; they were moved forward by the gap` });
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

export type { AppRecord, GuardianRecord };
