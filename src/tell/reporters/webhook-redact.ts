// What never reaches a log line of `--webhook`: the secret, the credentials in the URLs, and recent signatures.

/** How many signatures (each plain and URL-encoded) are remembered to be kept out of logs. */
const REMEMBERED_SIGNATURES = 64;

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

/** Scrubs log text; defence in depth over redactUrl, since a receiver may echo anything in an error answer. */
export class LogScrubber {
  private readonly secrets: string[];
  private readonly fullUrls: string[];
  private readonly recentSigns: string[] = [];

  /** `urls` must be valid URLs (checked before). */
  constructor(secret: string | undefined, urls: readonly string[]) {
    this.secrets = secret ? [secret, encodeURIComponent(secret)] : [];
    // Credentials in the URLs (DingTalk's access_token, WeCom's key, Slack's and Feishu's path tokens, a password).
    for (const url of urls) {
      const u = new URL(url);
      for (const value of u.searchParams.values()) if (value.length >= 6) this.secrets.push(value, encodeURIComponent(value));
      for (const segment of u.pathname.split('/')) if (looksLikeToken(segment)) this.secrets.push(segment);
      if (u.password) this.secrets.push(u.password);
    }
    this.fullUrls = [...urls];
  }

  // A DingTalk or Feishu signature does not cover the body: whoever sees one can post for an hour. The last ones
  // made are kept out of logs like the secret.
  rememberSignature(sign: string): void {
    this.recentSigns.push(sign, encodeURIComponent(sign));
    if (this.recentSigns.length > REMEMBERED_SIGNATURES) this.recentSigns.splice(0, this.recentSigns.length - REMEMBERED_SIGNATURES);
  }

  readonly scrub = (text: string): string => {
    let safe = text;
    for (const url of this.fullUrls) if (!redactUrl(url).includes(url)) safe = safe.split(url).join(redactUrl(url));
    for (const s of [...this.secrets, ...this.recentSigns]) safe = safe.split(s).join('***');
    return safe;
  };
}
