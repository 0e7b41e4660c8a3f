// One attempt of `--webhook`: POST the request, and tell from the answer whether it arrived and, if not, whether to
// try again.
import { oneLine } from './reporter.js';
import type { WebhookTemplate } from './templates.js';
import type { WebhookRequest } from './webhook-request.js';

export type Outcome = { ok: true } | { ok: false; retry: boolean; why: string; retryAfterMs?: number };

// Chat services answer HTTP 200 with an error code in the body; these codes mean "too fast, try later".
const RATE_LIMIT_CODES = new Set([130101 /* DingTalk: send too fast */, 45009 /* WeCom: api freq out of limit */, 11232 /* Feishu: frequency limited */]);
/** How much of an answer is read (for its error code, and a bit of it for the log). */
const ANSWER_READ_BYTES = 16 * 1024;

export interface PostOptions {
  template: WebhookTemplate;
  /** Connection to the end of the answer. */
  timeoutMs: number;
  /** Aborts the attempt; an attempt stopped this way is not to be retried. */
  stop: AbortSignal;
  /** Applied to the answer before it goes into `why`. */
  scrub: (text: string) => string;
}

export async function postWebhook(request: WebhookRequest, options: PostOptions): Promise<Outcome> {
  const { template, timeoutMs, stop } = options;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  const onStop = (): void => controller.abort(new Error('stopped'));
  stop.addEventListener('abort', onStop);
  try {
    const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: controller.signal, redirect: 'manual' });
    const text = options.scrub(await readSome(response, ANSWER_READ_BYTES));
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
    return { ok: false, retry: !stop.aborted, why: reason };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
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
