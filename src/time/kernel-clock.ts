// The kernel log's clock while it is read: which boot each line is in, the year of each year-less stamp, the DST
// fold, and the samples that place each boot's uptime on the wall clock. The reader feeds it; placement reads its calibration.
import type { KernelClock, WallStamp } from '../model/kernel-log-read.js';
import type { LocalStamp } from '../model/stamps.js';
import { BootCalibration } from './boot-calibration.js';
import { YearRollover } from './year-rollover.js';
import { wallClockMs } from './zone.js';

export class KernelLogClock implements KernelClock {
  readonly calibration = new BootCalibration<WallStamp>();
  private readonly years = new YearRollover();
  private readonly folds = new FoldTracker();
  private currentBoot = 0;
  private lastUptime: number | null = null;
  private lastBootId: string | null = null;
  private sawUptime = false;

  boot(line: { uptime: number | null; bootId: string | null; linuxVersion: boolean }): number {
    if (line.bootId !== null) {
      if (this.lastBootId !== null && line.bootId !== this.lastBootId) this.currentBoot++;
      this.lastBootId = line.bootId;
    } else if (line.uptime !== null && this.lastUptime !== null && line.uptime + 5 < this.lastUptime) {
      this.currentBoot++;
    } else if (line.uptime === null && this.sawUptime && line.linuxVersion && (this.lastUptime ?? 0) > 5) {
      this.currentBoot++;
      this.lastUptime = 0;
    }
    if (line.uptime !== null) {
      this.lastUptime = line.uptime;
      this.sawUptime = true;
    }
    return this.currentBoot;
  }

  wallStamp(local: LocalStamp): { yearIndex: number; fold: boolean } {
    const yearIndex = local.year === null ? this.years.next(local.month) : 0;
    const fold = this.folds.next(wallClockMs(local, local.year ?? 2000 + yearIndex));
    return { yearIndex, fold };
  }

  sample(boot: number, uptime: number, wall: WallStamp): void {
    const provisionalMs = wall.epochMs ?? wallClockMs(wall.local!, wall.local!.year ?? 2000 + wall.yearIndex);
    this.calibration.add(boot, uptime, { provisionalMs, ref: wall });
  }
}

/**
 * Tells the second pass through a repeated hour by line order: when the zone-less wall clock steps back by
 * 15 minutes to 2 hours (DST ends), the stamps until it passes the point it stepped back from are the second occurrence.
 */
export class FoldTracker {
  private last: number | null = null;
  private foldUntil: number | null = null;

  next(wallMs: number): boolean {
    const last = this.last;
    this.last = wallMs;
    if (last !== null && wallMs < last - 15 * 60_000 && wallMs > last - 2 * 3_600_000) {
      this.foldUntil = Math.max(this.foldUntil ?? last, last);
    }
    if (this.foldUntil !== null && wallMs > this.foldUntil) this.foldUntil = null;
    return this.foldUntil !== null;
  }
}
