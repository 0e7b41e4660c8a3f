// Learns each boot's wall-clock start from lines that carry both a wall stamp and the kernel's uptime (README, "Time").

/** Samples are kept per boot and per hour of uptime: monotonic time drifts from wall time by seconds a day. */
const BUCKET_SECONDS = 3600;
/** How far from an event samples still count. */
const NEAR_BUCKETS = 6;

/** A wall stamp not yet placed in a zone and year; resolved once the source is read. */
export interface WallRef<T> {
  /** Comparable wall milliseconds within one bucket (exact for zoned stamps, provisional for local ones). */
  provisionalMs: number;
  ref: T;
}

interface Kept<T> {
  uptime: number;
  provisionalOffsetMs: number;
  ref: T;
}

export class BootCalibration<T> {
  private readonly boots = new Map<number, Map<number, Kept<T>>>();
  private readonly resolved = new Map<number, Map<number, number>>();
  /** Boots with a sample stamped below the second: their wall stamps are precise, not whole seconds. */
  private readonly subSecond = new Set<number>();

  add(boot: number, uptime: number, wall: WallRef<T>): void {
    let buckets = this.boots.get(boot);
    if (!buckets) this.boots.set(boot, (buckets = new Map()));
    const bucket = Math.floor(uptime / BUCKET_SECONDS);
    const offset = wall.provisionalMs - uptime * 1000;
    if (wall.provisionalMs % 1000 !== 0) this.subSecond.add(boot);
    const kept = buckets.get(bucket);
    if (!kept || offset < kept.provisionalOffsetMs) buckets.set(bucket, { uptime, provisionalOffsetMs: offset, ref: wall.ref });
  }

  hasSamples(boot: number): boolean {
    return this.boots.has(boot);
  }

  /** Turns each kept sample into an exact boot-time estimate (epoch ms), once years and zone are known. */
  resolve(toEpochMs: (ref: T) => number | null): void {
    this.resolved.clear();
    for (const [boot, buckets] of this.boots) {
      const out = new Map<number, number>();
      for (const [bucket, kept] of buckets) {
        const wall = toEpochMs(kept.ref);
        if (wall !== null) out.set(bucket, wall - kept.uptime * 1000);
      }
      if (out.size > 0) this.resolved.set(boot, out);
    }
  }

  /**
   * How far the boot time learnt for `boot` may be off (ms): whole-second receipt stamps put it anywhere in the second
   * before the truth (the minimum of wall − uptime is biased early by the stamps' cut fraction), so ±1 s; sub-second
   * stamps leave only the receipt lag of the least-lagged line, which the minimum already removes.
   */
  spreadMs(boot: number): number {
    return this.subSecond.has(boot) ? 0 : 1000;
  }

  /** The boot's start (epoch ms) as seen from the samples nearest `uptime`, or null without samples. */
  bootTimeMs(boot: number, uptime: number): number | null {
    const buckets = this.resolved.get(boot);
    if (!buckets) return null;
    const at = Math.floor(uptime / BUCKET_SECONDS);
    let best: number | null = null;
    for (let distance = 0; distance <= NEAR_BUCKETS; distance++) {
      for (const bucket of distance === 0 ? [at] : [at - distance, at + distance]) {
        const value = buckets.get(bucket);
        if (value !== undefined && (best === null || value < best)) best = value;
      }
    }
    if (best !== null) return best;
    let nearest: { distance: number; value: number } | null = null;
    for (const [bucket, value] of buckets) {
      const distance = Math.abs(bucket - at);
      if (!nearest || distance < nearest.distance || (distance === nearest.distance && value < nearest.value)) {
        nearest = { distance, value };
      }
    }
    return nearest?.value ?? null;
  }
}
