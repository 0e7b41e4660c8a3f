// The renderer of `--webhook`: one message body as the HTTP request of one attempt, in the template's shape and signed the
// way its receiver checks.
import { VERSION } from '../../version.js';
import { dingtalkSign, dingtalkSignedUrl, feishuSign, genericSignature } from './signing.js';
import type { WebhookTemplate } from './templates.js';

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The signature sent, if any (kept out of logs). */
  sign?: string;
}

/** The request carrying a template's `body` (a notice's, or the relay's alert), signed as `template`'s receiver checks. */
export function signedRequest(template: WebhookTemplate, url: string, body: Record<string, unknown>, options: { secret?: string; nowMs: number }): WebhookRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'user-agent': `oomscope/${VERSION}` };
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
