// `--webhook URL` (repeatable): one POST per notice and URL, delivered in the background with a timeout, retries
// with capped exponential backoff, and a bounded queue per URL (the oldest waiting notice is dropped when full).
// The secret (`--webhook-secret` or OOMSCOPE_WEBHOOK_SECRET) signs requests and is never written anywhere.
import { defaultLang, type Lang } from '../../i18n/messages.js';
import { UsageError } from '../../usage-error.js';
import { VERSION } from '../../version.js';
import { dingtalkSign, dingtalkSignedUrl, feishuSign, genericSignature } from './signing.js';
import { templateBody, type WebhookTemplate } from './templates.js';
import { oneLine, stderrLog, type IncidentNotice, type Log, type Reporter } from './reporter.js';

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

interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The signature sent, if any (kept out of logs). */
  sign?: string;
}

/** The request for one attempt: body of the template, signed with the secret at `nowMs` where the receiver signs. */
function buildWebhookRequest(
  template: WebhookTemplate,
  url: string,
  notice: IncidentNotice,
  options: { lang: Lang; secret?: string; nowMs: number },
): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': `oomscope/${VERSION}` };
  const body = templateBody(template, notice, options.lang);
  const secret = options.secret || undefined;
  if (secret && template === 'dingtalk') {
    return { url: dingtalkSignedUrl(url, secret, options.nowMs), headers, body: JSON.stringify(body), sign: dingtalkSign(secret, options.nowMs) };
  }
  if (secret && template === 'feishu') {
    const timestamp = Math.floor(options.nowMs / 1000);
    const sign = feishuSign(secret, timestamp);
    // Feishu takes timestamp (a string of seconds) and sign in the body, beside the message.
    return { url, headers, body: JSON.stringify({ timestamp: String(timestamp), sign, ...body }), sign };
  }
  const text = JSON.stringify(body);
  if (secret && template === 'generic') {
    const timestamp = Math.floor(options.nowMs / 1000);
    headers['x-oomscope-timestamp'] = String(timestamp);
    headers['x-oomscope-signature'] = genericSignature(secret, timestamp, text);
    return { url, headers, body: text, sign: headers['x-oomscope-signature'] };
  }
  return { url, headers, body: text };
}

/**
 * The URL for logs: scheme, host and path, without user info, query (DingTalk's access_token, WeCom's key, our sign)
 * or fragment; path segments long enough to be tokens (Slack's `/services/T…/B…/X…`, Feishu's hook id) as `***`.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname
      .split('/')
      .map((segment) => (looksLikeToken(segment) ? '***' : segment))
      .join('/');
    return `${u.protocol}//${u.host}${path}`;
  } catch {
    return '(unparsable URL)';
  }
}

function looksLikeToken(segment: string): boolean {
  return segment.length >= 16 || (segment.length >= 8 && /\d/.test(segment) && /[a-z]/i.test(segment));
}

/** Checks the URLs and the template's use of the secret, as the CLI does before watching; throws UsageError. */
function checkWebhookUrls(urls: readonly string[]): void {
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--webhook: not a URL: ${oneLine(redactUrl(url), 200)}`, 'give a full http:// or https:// URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new UsageError(`--webhook: ${parsed.protocol} URLs are not supported`, 'give an http:// or https:// URL');
    }
  }
}

type Outcome = { ok: true } | { ok: false; retry: boolean; why: string; retryAfterMs?: number };

// Chat services answer HTTP 200 with an error code in the body; these codes mean "too fast, try later".
const RATE_LIMIT_CODES = new Set([130101 /* DingTalk: send too fast */, 45009 /* WeCom: api freq out of limit */, 11232 /* Feishu: frequency limited */]);

interface Job {
  notice: IncidentNotice;
}

interface Target {
  url: string;
  label: string;
  waiting: Job[];
  busy: boolean;
}

export function createWebhookReporter(options: WebhookReporterOptions): WebhookReporter {
  checkWebhookUrls(options.urls);
  const template = options.template ?? 'generic';
  const secret = options.secret || (options.env ?? process.env)[WEBHOOK_SECRET_ENV] || undefined;
  const lang = options.lang ?? defaultLang();
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const queueSize = Math.max(1, options.queueSize ?? 100);
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const rawLog = options.log ?? stderrLog;
  // Whatever is logged, the secret (plain or URL-encoded) and full URLs never are: defence in depth over redactUrl.
  const secrets = secret ? [secret, encodeURIComponent(secret)] : [];
  // Credentials in the URLs (DingTalk's access_token, WeCom's key, Slack's and Feishu's path tokens, a password) are
  // kept out of logs too, even when a receiver echoes them in an error answer.
  for (const url of options.urls) {
    const u = new URL(url);
    for (const value of u.searchParams.values()) if (value.length >= 6) secrets.push(value, encodeURIComponent(value));
    for (const segment of u.pathname.split('/')) if (looksLikeToken(segment)) secrets.push(segment);
    if (u.password) secrets.push(u.password);
  }
  const fullUrls = [...options.urls];
  // A DingTalk or Feishu signature does not cover the body: whoever sees one can post for an hour. The last ones
  // made are kept out of logs like the secret.
  const recentSigns: string[] = [];
  const scrub = (text: string): string => {
    let safe = text;
    for (const url of fullUrls) if (!redactUrl(url).includes(url)) safe = safe.split(url).join(redactUrl(url));
    for (const s of [...secrets, ...recentSigns]) safe = safe.split(s).join('***');
    return safe;
  };
  const log: Log = (line) => rawLog(scrub(line));

  if (secret && (template === 'slack' || template === 'wecom')) {
    log(
      template === 'slack'
        ? 'webhook: the secret is not used by the slack template (incoming webhooks are not signed: keep the URL secret)'
        : 'webhook: the secret is not used by the wecom template (WeCom group robots have no request signing: keep the URL\'s key secret)',
    );
  }

  const targets: Target[] = options.urls.map((url, index) => ({ url, label: `webhook #${index + 1} ${redactUrl(url)}`, waiting: [], busy: false }));
  const counts = { delivered: 0, failed: 0, dropped: 0 };
  let closing = false;
  let closed = false;
  /** Cuts waits between attempts short when closing. */
  const wake = new AbortController();
  /** Aborts attempts in flight when close()'s deadline passes. */
  const hardStop = new AbortController();
  let idleWaiters: (() => void)[] = [];

  const isIdle = (): boolean => targets.every((t) => !t.busy && t.waiting.length === 0);
  const settleIdle = (): void => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  async function attempt(target: Target, job: Job): Promise<Outcome> {
    const request = buildWebhookRequest(template, target.url, job.notice, { lang, secret, nowMs: now() });
    if (request.sign) {
      recentSigns.push(request.sign, encodeURIComponent(request.sign));
      if (recentSigns.length > 64) recentSigns.splice(0, recentSigns.length - 64);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const onHardStop = (): void => controller.abort(new Error('stopped'));
    hardStop.signal.addEventListener('abort', onHardStop);
    try {
      const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: controller.signal, redirect: 'manual' });
      const text = scrub(await readSome(response, 16 * 1024));
      if (response.status >= 300 && response.status < 400) return { ok: false, retry: false, why: `HTTP ${response.status} redirect (not followed)` };
      if (!response.ok) {
        const retry = response.status === 408 || response.status === 425 || response.status === 429 || response.status >= 500;
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        return { ok: false, retry, why: `HTTP ${response.status}${text ? ` ${oneLine(text, 120)}` : ''}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      }
      if (template !== 'generic' && template !== 'slack') {
        const code = chatErrorCode(text);
        if (code) return { ok: false, retry: RATE_LIMIT_CODES.has(code.code), why: `answered error ${code.code}${code.message ? ` ${oneLine(code.message, 120)}` : ''}` };
      }
      return { ok: true };
    } catch (error) {
      const reason = controller.signal.aborted ? (controller.signal.reason as Error | undefined)?.message ?? 'aborted' : describeFetchError(error);
      return { ok: false, retry: !hardStop.signal.aborted, why: reason };
    } finally {
      clearTimeout(timer);
      hardStop.signal.removeEventListener('abort', onHardStop);
    }
  }

  async function deliver(target: Target, job: Job): Promise<void> {
    const id = job.notice.incident.id;
    for (let n = 1; ; n++) {
      if (hardStop.signal.aborted) {
        counts.dropped++;
        return;
      }
      const outcome = await attempt(target, job);
      if (outcome.ok) {
        counts.delivered++;
        return;
      }
      const last = !outcome.retry || n >= maxAttempts || closing;
      if (last) {
        counts.failed++;
        const why = !outcome.retry ? 'not retried' : closing && n < maxAttempts ? 'not retried while stopping' : `gave up after ${n} attempts`;
        log(`${target.label}: ${job.notice.kind} ${id} not delivered: ${outcome.why} (${why})`);
        return;
      }
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (n - 1));
      const delay = Math.min(maxDelayMs, Math.max(backoff * (1 + Math.random() * 0.2), outcome.retryAfterMs ?? 0));
      log(`${target.label}: ${job.notice.kind} ${id}: ${outcome.why} (attempt ${n} of ${maxAttempts}), retrying in ${formatSeconds(delay)}`);
      await sleep(delay, wake.signal);
    }
  }

  async function pump(target: Target): Promise<void> {
    if (target.busy) return;
    target.busy = true;
    try {
      for (let job = target.waiting.shift(); job; job = target.waiting.shift()) {
        try {
          await deliver(target, job);
        } catch (error) {
          counts.failed++;
          log(`${target.label}: ${oneLine((error as Error).message)}`);
        }
      }
    } finally {
      target.busy = false;
      settleIdle();
    }
  }

  const reporter: WebhookReporter = {
    name: `webhook (${template})`,
    async report(notice) {
      if (closing) return;
      for (const target of targets) {
        if (target.waiting.length >= queueSize) {
          const dropped = target.waiting.shift();
          counts.dropped++;
          log(`${target.label}: ${queueSize} notices waiting, dropped the oldest (${dropped?.notice.kind} ${dropped?.notice.incident.id})`);
        }
        target.waiting.push({ notice });
        void pump(target);
      }
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    stats() {
      return { ...counts };
    },
    async close() {
      if (closed) return;
      closing = true;
      wake.abort();
      if (!isIdle()) {
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), closeTimeoutMs);
        });
        const result = await Promise.race([reporter.idle().then(() => 'done' as const), deadline]);
        clearTimeout(timer);
        if (result === 'late') {
          const left = targets.reduce((sum, t) => sum + t.waiting.length, 0);
          for (const t of targets) t.waiting.length = 0;
          counts.dropped += left;
          hardStop.abort();
          await reporter.idle();
          log(`webhook: stopped after ${formatSeconds(closeTimeoutMs)} with ${left} notice(s) still queued: not delivered`);
        }
      }
      closed = true;
    },
  };
  return reporter;
}

async function readSome(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size < max) chunks.push(value.subarray(0, max - size));
      size += value.length;
      if (size >= max) {
        await reader.cancel();
        break;
      }
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `{"errcode":310000,"errmsg":"…"}` (DingTalk, WeCom) or `{"code":19021,"msg":"…"}` (Feishu); null when fine. */
function chatErrorCode(text: string): { code: number; message: string } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const o = parsed as Record<string, unknown>;
  const code = typeof o.errcode === 'number' ? o.errcode : typeof o.code === 'number' ? o.code : typeof o.StatusCode === 'number' ? o.StatusCode : 0;
  if (code === 0) return null;
  const message = typeof o.errmsg === 'string' ? o.errmsg : typeof o.msg === 'string' ? o.msg : typeof o.StatusMessage === 'string' ? o.StatusMessage : '';
  return { code, message };
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** undici's `fetch failed` hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, a TLS error): one line of it. */
function describeFetchError(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return oneLine(cause ? `${e.message ?? 'error'}: ${cause}` : e.message ?? String(error), 200);
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
