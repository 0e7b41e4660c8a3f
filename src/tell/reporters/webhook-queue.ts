// The delivery side of `--webhook`: a bounded queue per URL (the oldest waiting notice is dropped when full), one
// notice at a time and in order per URL, retries with capped exponential backoff, and a deadline for close().
import type { Log } from './reporter.js';
import { noticeId, oneLine, type AnyNotice } from './reporter.js';
import type { Outcome } from './webhook-post.js';

export interface DeliveryCounts {
  delivered: number;
  failed: number;
  dropped: number;
}

/** How a queued notice is named in logs: `<kind> <id>` for watch's notices (the relay names its alerts). */
function describeNotice(notice: unknown): string {
  const n = notice as AnyNotice;
  return `${n.kind} ${noticeId(n)}`;
}

export interface WebhookQueueOptions<T = AnyNotice> {
  /** One queue each; `label` names the target in logs (no credentials). */
  targets: readonly { url: string; label: string }[];
  /** One attempt to deliver `notice` to `url`; it must give up when `stop` aborts. */
  send(url: string, notice: T, stop: AbortSignal): Promise<Outcome>;
  /** Names a notice in logs (no credentials). Default: `<kind> <id>` of watch's notices. */
  describe?: (notice: T) => string;
  /** Attempts per notice and URL, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of one wait between attempts. */
  maxDelayMs: number;
  /** Notices waiting per URL. */
  queueSize: number;
  /** How long close() goes on delivering what is queued (one attempt each, no waits). */
  closeTimeoutMs: number;
  log: Log;
  /** The jitter of the waits, in [0, 1). Default Math.random. */
  random?: () => number;
  /** Waits between attempts; resolves early when `wake` aborts. */
  sleep?: (ms: number, wake: AbortSignal) => Promise<void>;
}

interface Target<T> {
  url: string;
  label: string;
  waiting: T[];
  busy: boolean;
}

/**
 * The wait before attempt `failed + 1`: the base doubled per failed attempt, plus up to 20% jitter, at least what the
 * receiver asked for (Retry-After), and never over the cap.
 */
export function retryDelayMs(failed: number, retryAfterMs: number | undefined, o: { baseDelayMs: number; maxDelayMs: number }, random: number): number {
  const backoff = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (failed - 1));
  return Math.min(o.maxDelayMs, Math.max(backoff * (1 + random * 0.2), retryAfterMs ?? 0));
}

export class WebhookQueue<T = AnyNotice> {
  private readonly targets: Target<T>[];
  private readonly describe: (notice: T) => string;
  private readonly counts: DeliveryCounts = { delivered: 0, failed: 0, dropped: 0 };
  private closing = false;
  private closed = false;
  /** Cuts waits between attempts short when closing. */
  private readonly wake = new AbortController();
  /** Aborts attempts in flight when close()'s deadline passes. */
  private readonly hardStop = new AbortController();
  private idleWaiters: (() => void)[] = [];
  private readonly random: () => number;
  private readonly sleep: (ms: number, wake: AbortSignal) => Promise<void>;

  constructor(private readonly o: WebhookQueueOptions<T>) {
    this.describe = o.describe ?? describeNotice;
    this.targets = o.targets.map(({ url, label }) => ({ url, label, waiting: [], busy: false }));
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? sleep;
  }

  /** Queues the notice for every URL and returns at once; ignored once closing. */
  add(notice: T): void {
    if (this.closing) return;
    for (const target of this.targets) {
      if (target.waiting.length >= this.o.queueSize) {
        const dropped = target.waiting.shift();
        this.counts.dropped++;
        this.o.log(`${target.label}: ${this.o.queueSize} notices waiting, dropped the oldest (${dropped === undefined ? '' : this.describe(dropped)})`);
      }
      target.waiting.push(notice);
      void this.pump(target);
    }
  }

  /** Resolves when nothing is queued or being delivered. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): DeliveryCounts {
    return { ...this.counts };
  }

  /** Takes no more; delivers what is queued without waits between attempts; at the deadline drops the rest. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    this.wake.abort();
    if (!this.isIdle() && (await this.idleBefore(this.o.closeTimeoutMs)) === 'late') {
      const left = this.targets.reduce((sum, t) => sum + t.waiting.length, 0);
      for (const t of this.targets) t.waiting.length = 0;
      this.counts.dropped += left;
      this.hardStop.abort();
      await this.idle();
      this.o.log(`webhook: stopped after ${formatSeconds(this.o.closeTimeoutMs)} with ${left} notice(s) still queued: not delivered`);
    }
    this.closed = true;
  }

  private async idleBefore(ms: number): Promise<'done' | 'late'> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ms);
    });
    const result = await Promise.race([this.idle().then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    return result;
  }

  private isIdle(): boolean {
    return this.targets.every((t) => !t.busy && t.waiting.length === 0);
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Delivers the target's notices one after another; a second call while busy does nothing. */
  private async pump(target: Target<T>): Promise<void> {
    if (target.busy) return;
    target.busy = true;
    try {
      for (let notice = target.waiting.shift(); notice !== undefined; notice = target.waiting.shift()) {
        try {
          await this.deliver(target, notice);
        } catch (error) {
          this.counts.failed++;
          this.o.log(`${target.label}: ${oneLine((error as Error).message)}`);
        }
      }
    } finally {
      target.busy = false;
      this.settleIdle();
    }
  }

  private async deliver(target: Target<T>, notice: T): Promise<void> {
    const { maxAttempts, log } = this.o;
    const what = this.describe(notice);
    for (let n = 1; ; n++) {
      if (this.hardStop.signal.aborted) {
        this.counts.dropped++;
        return;
      }
      const outcome = await this.o.send(target.url, notice, this.hardStop.signal);
      if (outcome.ok) {
        this.counts.delivered++;
        return;
      }
      if (!outcome.retry || n >= maxAttempts || this.closing) {
        this.counts.failed++;
        const why = !outcome.retry ? 'not retried' : this.closing && n < maxAttempts ? 'not retried while stopping' : `gave up after ${n} attempts`;
        log(`${target.label}: ${what} not delivered: ${outcome.why} (${why})`);
        return;
      }
      const delay = retryDelayMs(n, outcome.retryAfterMs, this.o, this.random());
      log(`${target.label}: ${what}: ${outcome.why} (attempt ${n} of ${maxAttempts}), retrying in ${formatSeconds(delay)}`);
      await this.sleep(delay, this.wake.signal);
    }
  }
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 100) / 10} s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
