// Alertmanager's webhook body (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config, version 4)
// read into plain alerts. The body comes from the network: anything not of the documented shape is left out, and
// every string is cut, so a hostile sender cannot make the relay hold or forward much.
export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339 as Alertmanager wrote it; null when absent or not a time. */
  startsAt: string | null;
  /** When it resolved; null while firing (Alertmanager writes the zero time `0001-01-01T00:00:00Z` then). */
  endsAt: string | null;
}

export interface AlertmanagerPayload {
  alerts: AlertmanagerAlert[];
  /** Alerts Alertmanager left out of this body (`max_alerts`). */
  truncatedAlerts: number;
}

/** At most this many alerts, labels per alert and characters per string are kept. */
const MAX_ALERTS = 100;
const MAX_PAIRS = 50;
const MAX_CHARS = 2000;

function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  let n = 0;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string' || n >= MAX_PAIRS) continue;
    out[key.slice(0, 200)] = v.slice(0, MAX_CHARS);
    n++;
  }
  return out;
}

function time(value: unknown): string | null {
  if (typeof value !== 'string' || value.startsWith('0001-01-01') || Number.isNaN(Date.parse(value))) return null;
  return value.slice(0, 64);
}

/** The alerts of a webhook body (already JSON-parsed); null when it is not Alertmanager's shape at all. */
export function readAlertmanagerPayload(body: unknown): AlertmanagerPayload | null {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { alerts?: unknown }).alerts)) return null;
  const raw = (body as { alerts: unknown[]; truncatedAlerts?: unknown }).alerts;
  const alerts: AlertmanagerAlert[] = [];
  for (const a of raw.slice(0, MAX_ALERTS)) {
    if (typeof a !== 'object' || a === null) continue;
    const o = a as Record<string, unknown>;
    if (o.status !== 'firing' && o.status !== 'resolved') continue;
    alerts.push({ status: o.status, labels: strings(o.labels), annotations: strings(o.annotations), startsAt: time(o.startsAt), endsAt: o.status === 'resolved' ? time(o.endsAt) : null });
  }
  const truncated = (body as { truncatedAlerts?: unknown }).truncatedAlerts;
  const more = Math.max(0, raw.length - MAX_ALERTS);
  return { alerts, truncatedAlerts: (typeof truncated === 'number' && Number.isFinite(truncated) && truncated > 0 ? Math.floor(truncated) : 0) + more };
}
