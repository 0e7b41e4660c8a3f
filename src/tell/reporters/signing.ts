// Request signing of the chat robots that have it. Each rule is the service's own documented one.
import { createHmac } from 'node:crypto';

/**
 * DingTalk custom robot, "加签" (sign request):
 * https://open.dingtalk.com/document/robots/customize-robot-security-settings
 * (English: https://help.dingtalk.io/open/dingstart/customize-robot-security-settings)
 * "Use timestamp + "\n" + secret as the string to sign, compute HmacSHA256 with the secret as key, Base64-encode it,
 * then urlEncode it (UTF-8)"; `timestamp` is in milliseconds and must be within 1 hour of DingTalk's clock. Both go
 * in the query: `…/robot/send?access_token=…&timestamp=T&sign=S`.
 * Returns the Base64 value; the caller URL-encodes it once, as a query parameter.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The DingTalk webhook URL with `timestamp` and `sign` set (any old pair replaced). */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestampMs));
  // URLSearchParams encodes `+`, `/` and `=` of the Base64 value: the documented urlEncode.
  u.searchParams.set('sign', dingtalkSign(secret, timestampMs));
  return u.toString();
}

/**
 * Feishu (Lark) custom bot, "签名校验" (signature verification):
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 * (English: https://open.larksuite.com/document/client-docs/bot-v3/add-custom-bot)
 * "timestamp + "\n" + secret is the string to sign; compute HmacSHA256 and Base64-encode it". The official samples
 * (Python: `hmac.new(key=f'{timestamp}\n{secret}', msg=b'')`, Go: `hmac.New(sha256.New, []byte(stringToSign))` with
 * no data) use that string as the HMAC *key* over empty data — unlike DingTalk. `timestamp` is in seconds and must
 * be within 1 hour; both go in the JSON body: `{ "timestamp": "1599360473", "sign": "…", "msg_type": … }`.
 * A wrong sign answers HTTP 200 with `{"code":19021,"msg":"sign match fail or timestamp is not within one hour …"}`.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/**
 * The generic template's own signature (oomscope's, for receivers that want one): header
 * `X-Oomscope-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with
 * `X-Oomscope-Timestamp: <unix seconds>`; a receiver recomputes it over the raw body and rejects old timestamps.
 */
export function genericSignature(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}
