// What signals to the supervisor mean. SIGTERM and SIGINT stop it: the app gets the same signal, and SIGKILL when it
// still runs after the grace period (a second SIGTERM/SIGINT: at once). SIGHUP restarts the app: it gets SIGHUP, and
// one still running after the grace period took it as a reload.
import { formatDuration } from '../tell/sizes.js';
import type { SayCode } from '../i18n/supervise-messages.js';
import type { Lang } from '../i18n/messages.js';
import type { CheckLog } from './check-log.js';
import { signalLife, type Life } from './life.js';

export interface SignalRelayOptions {
  name: string;
  graceMs: number;
  log: (line: string) => void;
  say: (code: SayCode, params?: Record<string, string | number>) => string;
  /** The language of the durations in its lines. */
  lang: Lang;
  check: CheckLog | null;
  /** The life running now, if any. */
  current: () => Life | null;
}

export class SignalRelay {
  /** Set by the first SIGTERM or SIGINT: no more restarts. */
  stopping: { signal: string } | null = null;
  /** Resolves with the first SIGTERM or SIGINT. */
  readonly stopped: Promise<void>;
  private wake: () => void = () => {};
  private graceTimer: NodeJS.Timeout | null = null;
  private readonly handlers: [NodeJS.Signals, () => void][];

  constructor(private readonly o: SignalRelayOptions) {
    this.stopped = new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    this.handlers = (['SIGTERM', 'SIGINT', 'SIGHUP'] as const).map((signal) => [signal, () => this.onSignal(signal)]);
  }

  listen(): void {
    for (const [signal, handler] of this.handlers) process.on(signal, handler);
  }

  close(): void {
    this.lifeEnded();
    for (const [signal, handler] of this.handlers) process.off(signal, handler);
  }

  /** The life ended: no SIGKILL is due. */
  lifeEnded(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
  }

  private onSignal(signal: NodeJS.Signals): void {
    const life = this.o.current();
    if (signal === 'SIGHUP') {
      this.restart(life, signal);
    } else if (this.stopping) {
      this.killNow(life, signal);
    } else {
      this.stopping = { signal };
      this.wake();
      if (life?.alive) this.stop(life, signal);
    }
  }

  private restart(life: Life | null, signal: NodeJS.Signals): void {
    if (!life?.alive || this.stopping) return;
    this.o.log(this.o.say('log.forward', { signal, name: this.o.name, pid: life.pid }));
    life.request = { kind: 'restart', signal, killed: false, graceSeconds: this.o.graceMs / 1000 };
    signalLife(life, signal);
    setTimeout(() => {
      if (life.alive && life.request?.kind === 'restart') life.request = null;
    }, this.o.graceMs).unref();
  }

  /** A second SIGTERM/SIGINT: no more waiting. */
  private killNow(life: Life | null, signal: NodeJS.Signals): void {
    if (!life?.alive) return;
    this.o.log(this.o.say('log.grace-over', { name: this.o.name, pid: life.pid, grace: formatDuration(0, this.o.lang), signal }));
    if (life.request) life.request.killed = true;
    signalLife(life, 'SIGKILL');
  }

  private stop(life: Life, signal: NodeJS.Signals): void {
    const { name, graceMs, log, say, lang } = this.o;
    const grace = formatDuration(graceMs / 1000, lang);
    log(say('log.stopping', { name, pid: life.pid, signal, grace }));
    life.request = { kind: 'stop', signal, killed: false, graceSeconds: graceMs / 1000 };
    this.o.check?.stopping(life.pid);
    signalLife(life, signal);
    this.graceTimer = setTimeout(() => {
      if (!life.alive) return;
      log(say('log.grace-over', { name, pid: life.pid, grace, signal }));
      if (life.request) life.request.killed = true;
      signalLife(life, 'SIGKILL');
    }, graceMs);
  }
}
