// `oomscope relay`: receives Alertmanager's webhook posts and forwards each alert to chat robots with watch's
// templates and signing (createWebhookSender), so a fleet's chat messages look the same with or without Alertmanager.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readAlertmanagerPayload, type AlertmanagerAlert } from '../../fleet/alertmanager-payload.js';
import type { Lang } from '../../i18n/messages.js';
import { UsageError } from '../../usage-error.js';
import { alertText } from './alert-text.js';
import { oneLine, stderrLog, type Log } from './reporter.js';
import { chatBody, type WebhookTemplate } from './templates.js';
import { createWebhookSender, type WebhookReporterOptions } from './webhook.js';
import { stopServing } from './metrics-server.js';

/** A body larger than this is refused (Alertmanager's, with max_alerts 20, is a few KiB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface RelayOptions extends Omit<WebhookReporterOptions, 'template' | 'lang'> {
  listen: { host: string; port: number };
  template: Exclude<WebhookTemplate, 'generic'>;
  lang: Lang;
}

export interface Relay {
  address(): { host: string; port: number };
  /** Resolves when every received alert was delivered or given up. */
  idle(): Promise<void>;
  stats(): { received: number; delivered: number; failed: number; dropped: number };
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const log: Log = options.log ?? stderrLog;
  const sender = createWebhookSender<AlertmanagerAlert>(
    { ...options, log },
    (alert) => chatBody(options.template, (escape) => alertText(alert, options.lang, escape)),
    (alert) => `${alert.status} ${oneLine(`${alert.labels.alertname ?? '?'} ${alert.labels.instance ?? '?'}`, 120)}`,
  );
  let received = 0;
  const server = createServer((req, res) => {
    void receive(req, res).then((alerts) => {
      received += alerts.length;
      for (const alert of alerts) sender.add(alert);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(UsageError.of('relay.listen-failed', { where: `--listen ${options.listen.host}:${options.listen.port}`, error: error.code ?? error.message })));
    server.listen(options.listen.port, options.listen.host, () => resolve());
  });
  server.on('error', (error) => log(`relay: ${oneLine(error.message)}`));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.listen.port;
  return {
    address: () => ({ host: options.listen.host, port }),
    idle: () => sender.idle(),
    stats: () => ({ received, ...sender.stats() }),
    close: async () => {
      await stopServing(server);
      await sender.close();
    },
  };
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

/** Reads one post: the alerts to forward (answered 200), or [] after answering what was wrong. */
async function receive(req: IncomingMessage, res: ServerResponse): Promise<AlertmanagerAlert[]> {
  if (req.method !== 'POST') {
    answer(res, 405, 'oomscope relay takes Alertmanager webhook POSTs');
    return [];
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      answer(res, 413, 'body too large');
      req.destroy();
      return [];
    }
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    answer(res, 400, 'not JSON');
    return [];
  }
  const payload = readAlertmanagerPayload(parsed);
  if (!payload) {
    answer(res, 400, 'not an Alertmanager webhook body (no alerts[])');
    return [];
  }
  answer(res, 200, 'ok');
  return payload.alerts;
}
