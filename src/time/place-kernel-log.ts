// Puts a kernel log's stamps on the wall clock by the time rules (README, "Time"): the year, the zone, and uptime → wall via each boot's start.
import type { KernelLogRead, WallStamp } from '../model/kernel-log-read.js';
import type { KernelLogClock } from './kernel-clock.js';
import type { LineStamp } from '../model/kernel-records.js';
import type { Notice } from '../i18n/warning-messages.js';
import { localToEpoch, offsetMinutesAt } from './zone.js';
import { aroundRange, pointRange, secondRange, type TimeRange } from './range.js';

/** A boot time given to the second (`--boot-time`, /proc/stat's btime) places each uptime within a second either way. */
const GIVEN_BOOT_SPREAD_MS = 1000;

export interface PlacementOptions {
  tz: string;
  /** `--year`: the year of the first line. */
  year?: number;
  /** `--boot-time`: the start of the input's last boot. */
  bootTimeMs?: number;
  /** /proc/stat btime, for a live source of the current boot. */
  liveBootTimeMs?: number;
  /** File modification time, for year-less stamps without --year. */
  mtimeMs: number | null;
  /** The span other inputs cover with full dates (check.log, running.log, ISO-stamped kernel logs): preferred over mtime. */
  referenceRange?: { from: number; to: number };
  path: string;
}

export interface Placement {
  /** Epoch ms of a stamped moment, or null when no wall time can be known. */
  timeOf(stamp: LineStamp): number | null;
  /** The same moment with the interval its source's precision allows (issue 20), or null when unknown. */
  rangeOf(stamp: LineStamp): TimeRange | null;
  from: number | null;
  to: number | null;
  warnings: Notice[];
}

export function placeKernelLog(read: KernelLogRead, clock: KernelLogClock, options: PlacementOptions): Placement {
  const warnings: Notice[] = [];
  const dstNotes = { repeated: 0, skipped: 0 };
  const baseYear = chooseBaseYear(read, options, warnings);
  const lastBoot = read.boots - 1;

  const wallOf = (wall: WallStamp): number | null => {
    if (wall.epochMs !== null) return wall.epochMs;
    if (wall.local === null) return null;
    const year = wall.local.year ?? (baseYear === null ? null : baseYear + wall.yearIndex);
    if (year === null) return null;
    const zoned = localToEpoch(wall.local, year, options.tz, wall.fold);
    if (zoned.note === 'dst-repeated') dstNotes.repeated++;
    if (zoned.note === 'dst-skipped') dstNotes.skipped++;
    return zoned.epochMs;
  };
  clock.calibration.resolve(wallOf);

  const bootStart = (boot: number, uptime: number): number | null => {
    if (boot === lastBoot && options.bootTimeMs !== undefined) return options.bootTimeMs;
    if (boot === lastBoot && options.liveBootTimeMs !== undefined) return options.liveBootTimeMs;
    return clock.calibration.bootTimeMs(boot, uptime);
  };

  const timeOf = (stamp: LineStamp): number | null => {
    if (stamp.uptime !== null) {
      const start = bootStart(stamp.boot, stamp.uptime);
      if (start !== null) return start + stamp.uptime * 1000;
    }
    if (stamp.epochMs !== null) return stamp.epochMs;
    if (stamp.local !== null) return wallOf({ local: stamp.local, yearIndex: stamp.yearIndex, fold: stamp.fold, epochMs: null });
    return null;
  };

  const rangeOf = (stamp: LineStamp): TimeRange | null => {
    const at = timeOf(stamp);
    if (at === null) return null;
    if (stamp.uptime !== null && bootStart(stamp.boot, stamp.uptime) !== null) {
      const given = stamp.boot === lastBoot && (options.bootTimeMs !== undefined || options.liveBootTimeMs !== undefined);
      const spread = given ? GIVEN_BOOT_SPREAD_MS : clock.calibration.spreadMs(stamp.boot);
      return spread === 0 ? pointRange(at) : aroundRange(at, spread);
    }
    // A receipt stamp: whole seconds name a second (the line came in during it), finer stamps are exact.
    const wholeSecond = stamp.epochMs !== null ? stamp.epochMs % 1000 === 0 : (stamp.local?.micros ?? 0) === 0;
    return wholeSecond ? secondRange(at) : pointRange(at);
  };

  const edge = (wall: WallStamp | null, uptime: { boot: number; uptime: number } | null): number | null => {
    if (wall) return wallOf(wall);
    if (uptime) return timeOf({ uptime: uptime.uptime, boot: uptime.boot, local: null, yearIndex: 0, fold: false, epochMs: null });
    return null;
  };
  const from = edge(read.firstWall, read.firstUptime);
  const to = edge(read.lastWall, read.lastUptime);

  if (dstNotes.repeated > 0) {
    warnings.push({ key: 'dst-repeated/kernel', path: options.path, params: { count: dstNotes.repeated, tz: options.tz } });
  }
  if (dstNotes.skipped > 0) {
    warnings.push({ key: 'dst-skipped/kernel', path: options.path, params: { count: dstNotes.skipped, tz: options.tz } });
  }
  return { timeOf, rangeOf, from, to, warnings };
}

function chooseBaseYear(read: KernelLogRead, options: PlacementOptions, warnings: Notice[]): number | null {
  if (!read.yearless) return null;
  if (options.year !== undefined) return options.year;
  const last = read.lastWall?.local ?? null;
  const lastIndex = read.lastWall?.yearIndex ?? 0;
  const lastAt = (year: number): number => (last ? localToEpoch(last, year, options.tz).epochMs : Date.UTC(year, 0, 1));
  const range = options.referenceRange;
  if (range) {
    // The year that puts the log's last line in, or nearest to, the span the dated inputs cover.
    const refYear = new Date(range.to + offsetMinutesAt(range.to, options.tz) * 60_000).getUTCFullYear();
    const distance = (year: number): number => {
      const at = lastAt(year);
      return at < range.from ? range.from - at : at > range.to ? at - range.to : 0;
    };
    const lastYear = [refYear - 1, refYear, refYear + 1].reduce((best, year) => (distance(year) < distance(best) ? year : best));
    const base = lastYear - lastIndex;
    warnings.push({ key: 'year-from-other-inputs', path: options.path, params: { year: base } });
    return base;
  }
  // The file was written at or after its last line: the latest year that keeps the last line before its mtime.
  const reference = options.mtimeMs ?? Date.now();
  const refYear = new Date(reference + offsetMinutesAt(reference, options.tz) * 60_000).getUTCFullYear();
  const slackMs = 86_400_000;
  const lastYear = lastAt(refYear) <= reference + slackMs ? refYear : refYear - 1;
  const base = lastYear - lastIndex;
  warnings.push({ key: options.mtimeMs !== null ? 'year-from-mtime' : 'year-assumed', path: options.path, params: { year: base } });
  return base;
}
