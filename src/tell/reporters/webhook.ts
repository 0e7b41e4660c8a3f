// `--webhook URL` (repeatable): one POST per notice and URL, delivered in the background. The parts: the renderer
// (webhook-request: template and signature), one attempt (webhook-post), the queue with its retries and backoff
// (webhook-queue), and the scrubbing of logs (webhook-redact). The secret (`--webhook-secret` or
// OOMSCOPE_WEBHOOK_SECRET) signs requests and is never written anywhere.
import { defaultLang, type Lang } from '../../i18n/messages.js';
import { UsageError } from '../../usage-error.js';
import { oneLine, stderrLog, type AnyNotice, type Log, type Reporter } from './reporter.js';
import { templateBody, type WebhookTemplate } from './templates.js';
import { postWebhook } from './webhook-post.js';
import { WebhookQueue } from './webhook-queue.js';
import { LogScrubber, redactUrl } from './webhook-redact.js';
import { signedRequest } from './webhook-request.js';

export { redactUrl } from './webhook-redact.js';

export const WEBHOOK_SECRET_ENV = 'OOMSCOPE_WEBHOOK_SECRET';

export interface WebhookReporterOptions {
  urls: readonly string[];
  template?: WebhookTemplate;
  /** Default: the OOMSCOPE_WEBHOOK_SECRET environment variable; empty means none. */
  secret?: string;
  env?: NodeJS.ProcessEnv;
  lang?: Lang;
  /** One attempt, connection to the end of the answer. Default 5 s. */
  timeoutMs?: number;
  /** Attempts per notice and URL, the first included. Default 6 (waits 1, 2, 4, 8, 16 s between). */
  maxAttempts?: number;
  baseDelayMs?: number;
  /** Cap of one wait between attempts. Default 60 s. */
  maxDelayMs?: number;
  /** Notices waiting per URL; when full, the oldest is dropped with a warning. Default 100. */
  queueSize?: number;
  /** How long close() goes on delivering what is queued (one attempt each, no waits). Default 10 s. */
  closeTimeoutMs?: number;
  log?: Log;
  /** The clock of the signatures (ms since the epoch). */
  now?: () => number;
}

export interface WebhookReporter extends Reporter {
  /** Resolves when nothing is queued or being delivered (for tests and for a supervisor about to exit). */
  idle(): Promise<void>;
  stats(): { delivered: number; failed: number; dropped: number };
}

/** Checks the URLs and the template's use of the secret, as the CLI does before watching; throws UsageError. */
function checkWebhookUrls(urls: readonly string[]): void {
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw UsageError.of('webhook.not-url', { url: oneLine(redactUrl(url), 200) });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw UsageError.of('webhook.protocol', { protocol: parsed.protocol });
    }
  }
}

export function createWebhookReporter(options: WebhookReporterOptions): WebhookReporter {
  const template = options.template ?? 'generic';
  const lang = options.lang ?? defaultLang();
  const sender = createWebhookSender<AnyNotice>(options, (notice) => templateBody(template, notice, lang));
  return {
    name: `webhook (${template})`,
    report: async (notice) => sender.add(notice),
    reportKill: async (notice) => sender.add(notice),
    idle: sender.idle,
    stats: sender.stats,
    close: sender.close,
  };
}

/** What delivers any message to the webhooks: watch's notices, the relay's alerts. */
export interface WebhookSender<T> {
  /** Queues `item` for every URL and returns at once. */
  add(item: T): void;
  idle(): Promise<void>;
  stats(): { delivered: number; failed: number; dropped: number };
  close(): Promise<void>;
}

/**
 * The queue, signing, posting and log scrubbing of `--webhook`, for items whose unsigned body is `body(item)` in the
 * options' template; `describe` names an item in logs (default: a notice's kind and id).
 */
export function createWebhookSender<T>(options: WebhookReporterOptions, body: (item: T) => Record<string, unknown>, describe?: (item: T) => string): WebhookSender<T> {
  checkWebhookUrls(options.urls);
  const template = options.template ?? 'generic';
  const secret = options.secret || (options.env ?? process.env)[WEBHOOK_SECRET_ENV] || undefined;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  const scrubber = new LogScrubber(secret, options.urls);
  const rawLog = options.log ?? stderrLog;
  const log: Log = (line) => rawLog(scrubber.scrub(line));
  if (secret && (template === 'slack' || template === 'wecom')) log(unusedSecretWarning(template));

  const queue = new WebhookQueue<T>({
    targets: options.urls.map((url, index) => ({ url, label: `webhook #${index + 1} ${redactUrl(url)}` })),
    send(url, item, stop) {
      const request = signedRequest(template, url, body(item), { secret, nowMs: now() });
      if (request.sign) scrubber.rememberSignature(request.sign);
      return postWebhook(request, { template, timeoutMs, stop, scrub: scrubber.scrub });
    },
    ...(describe ? { describe } : {}),
    maxAttempts: Math.max(1, options.maxAttempts ?? 6),
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
    queueSize: Math.max(1, options.queueSize ?? 100),
    closeTimeoutMs: options.closeTimeoutMs ?? 10_000,
    log,
  });
  return { add: (item) => queue.add(item), idle: () => queue.idle(), stats: () => queue.stats(), close: () => queue.close() };
}

function unusedSecretWarning(template: 'slack' | 'wecom'): string {
  return template === 'slack'
    ? 'webhook: the secret is not used by the slack template (incoming webhooks are not signed: keep the URL secret)'
    : 'webhook: the secret is not used by the wecom template (WeCom group robots have no request signing: keep the URL\'s key secret)';
}
