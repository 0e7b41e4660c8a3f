// The central parts of a fleet for the chain test: a Prometheus running contrib/prometheus/ and an Alertmanager
// running contrib/alertmanager/, each from a copy with test timings. The copies are made by exact replacements that
// throw when the contrib file no longer has what they replace, so an edit of contrib/ cannot silently escape the test.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCommand } from '../support/real-kernel-proc.js';
import { projectRoot } from '../support/paths.js';
import { startServerChild, type ServerChild } from '../support/watch-processes.js';

const contrib = join(projectRoot, 'contrib');

/** Replaces every `from` in `text`, which must occur exactly `times` times. */
function replaceExactly(text: string, from: string | RegExp, to: string, times: number, file: string): string {
  const pattern = typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : new RegExp(from.source, 'g');
  const found = text.match(pattern)?.length ?? 0;
  if (found !== times) throw new Error(`${file}: expected ${times} × ${String(from)}, found ${found}: contrib changed, update the test copy`);
  return text.replace(pattern, to);
}

/** alerts.yml with windows of `windowSeconds` instead of 10 minutes and `for:` of 2 s (the rules are otherwise the same). */
export function testAlerts(windowSeconds: number): string {
  const file = 'contrib/prometheus/alerts.yml';
  let text = readFileSync(join(contrib, 'prometheus', 'alerts.yml'), 'utf8');
  text = replaceExactly(text, '[10m]', `[${windowSeconds}s]`, 2, file);
  text = replaceExactly(text, 'offset 10m', `offset ${windowSeconds}s`, 2, file);
  text = replaceExactly(text, /for: (5m|10m)/, 'for: 2s', 3, file);
  return text;
}

/** scrape.yml scraping `targets` every second, evaluating every second, sending alerts to `alertmanager` (host:port). */
export function testScrapeConfig(targets: readonly string[], alertmanager: string): string {
  const file = 'contrib/prometheus/scrape.yml';
  let text = readFileSync(join(contrib, 'prometheus', 'scrape.yml'), 'utf8');
  text = replaceExactly(text, 'scrape_interval: 30s', 'scrape_interval: 1s', 2, file);
  text = replaceExactly(text, 'evaluation_interval: 30s', 'evaluation_interval: 1s', 1, file);
  text = replaceExactly(text, 'scrape_timeout: 10s', 'scrape_timeout: 1s', 1, file);
  const list = targets.map((t) => `          - '${t}'\n`).join('');
  text = replaceExactly(text, / {4}static_configs:\n[\s\S]*?(?= {4}relabel_configs:)/, `    static_configs:\n      - targets:\n${list}`, 1, file);
  return `${text}\nalerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['${alertmanager}']\n`;
}

/** alertmanager.yml with 1 s grouping, sending to `urls` (the relay's and a test receiver's) instead of the example's. */
export function testAlertmanagerConfig(urls: readonly string[]): string {
  const file = 'contrib/alertmanager/alertmanager.yml';
  let text = readFileSync(join(contrib, 'alertmanager', 'alertmanager.yml'), 'utf8');
  text = replaceExactly(text, 'group_wait: 30s', 'group_wait: 1s', 1, file);
  text = replaceExactly(text, 'group_interval: 5m', 'group_interval: 1s', 1, file);
  const configs = urls.map((url) => `      - url: ${url}\n        send_resolved: true\n        max_alerts: 20\n`).join('');
  return replaceExactly(text, / {6}- url: http:\/\/127\.0\.0\.1:9102\/\n[\s\S]*?max_alerts: 20\n/, configs, 1, file);
}

function alertmanagerCommand(): string | undefined {
  return findCommand('prometheus-alertmanager') ?? findCommand('alertmanager');
}

/** Why the chain cannot run here, or undefined. */
export function chainUnavailable(): string | undefined {
  if (!findCommand('prometheus')) return 'prometheus is not installed (apt-get install -y --no-install-recommends prometheus)';
  if (!alertmanagerCommand()) return 'Alertmanager is not installed (apt-get install -y --no-install-recommends prometheus-alertmanager)';
  return undefined;
}

export async function startAlertmanager(dir: string, port: number, config: string): Promise<ServerChild> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const args = [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    // No cluster: its default 0.0.0.0:9094 would reach out for peers.
    '--cluster.listen-address=',
    '--log.level=warn',
  ];
  return startServerChild('Alertmanager', alertmanagerCommand() ?? 'alertmanager', args, dir, port);
}

export async function startPrometheusWithRules(dir: string, port: number, config: string, alerts: string): Promise<ServerChild> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'prometheus.yml'), config);
  writeFileSync(join(dir, 'alerts.yml'), alerts);
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  return startServerChild('Prometheus', findCommand('prometheus') ?? 'prometheus', args, dir, port);
}
