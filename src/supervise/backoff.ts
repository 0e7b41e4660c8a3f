// When to start the app again after it died: capped exponential backoff, reset by a stable run, and crash-loop
// detection (contract.md: 3 or more deaths within 10 minutes), which slows restarts down to the cap. A stable run
// (--stable-after) ends a crash loop: the deaths before it no longer count.

export interface RestartPolicy {
  /** The first delay after a quick death. */
  initialMs: number;
  /** The cap; also the delay while in a crash loop. */
  maxMs: number;
  /** A life at least this long was stable: the backoff starts again from initialMs. */
  stableMs: number;
  /** A crash loop is this many deaths… */
  crashLoopDeaths: number;
  /** …within this long. */
  crashLoopWindowMs: number;
}

export const DEFAULT_POLICY: RestartPolicy = {
  initialMs: 1000,
  maxMs: 60_000,
  stableMs: 300_000,
  crashLoopDeaths: 3,
  crashLoopWindowMs: 600_000,
};

export interface RestartPlan {
  /** How long to wait before the next start. */
  delayMs: number;
  /** Deaths within the crash-loop window, this one included. */
  recentDeaths: number;
  /** This death makes (or keeps) it a crash loop. */
  crashLoop: boolean;
  /** The crash loop began with this death (announce it once). */
  crashLoopStarted: boolean;
  /** The life before this death was stable, so the backoff started again. */
  reset: boolean;
  /** A crash loop ended: the life before this death was stable. */
  crashLoopEnded: boolean;
}

export class RestartPlanner {
  private quickDeaths = 0;
  private readonly deaths: number[] = [];
  private looping = false;

  constructor(readonly policy: RestartPolicy = DEFAULT_POLICY) {}

  get inCrashLoop(): boolean {
    return this.looping;
  }

  /** A life that started at `startedAtMs` ended at `diedAtMs` (not on purpose): when to start the next one. */
  onDeath(startedAtMs: number, diedAtMs: number): RestartPlan {
    const p = this.policy;
    const stable = diedAtMs - startedAtMs >= p.stableMs;
    let crashLoopEnded = false;
    if (stable) {
      // It had recovered: the deaths before this stable life are not part of a loop any more.
      this.quickDeaths = 0;
      this.deaths.length = 0;
      if (this.looping) crashLoopEnded = true;
      this.looping = false;
    }
    this.quickDeaths++;
    const exponent = Math.min(this.quickDeaths - 1, 30);
    let delayMs = Math.min(p.maxMs, p.initialMs * 2 ** exponent);

    this.deaths.push(diedAtMs);
    while (this.deaths.length > 0 && diedAtMs - this.deaths[0]! > p.crashLoopWindowMs) this.deaths.shift();
    const recentDeaths = this.deaths.length;
    const crashLoop = recentDeaths >= p.crashLoopDeaths;
    const crashLoopStarted = crashLoop && !this.looping;
    if (crashLoop) {
      this.looping = true;
      delayMs = Math.max(delayMs, p.maxMs);
    }
    return { delayMs, recentDeaths, crashLoop, crashLoopStarted, reset: stable, crashLoopEnded };
  }
}
