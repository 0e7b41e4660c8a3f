// The central parts of a fleet for the chain test: a Prometheus running contrib/prometheus/ and an Alertmanager
// running contrib/alertmanager/, each from a copy with test timings. The copies are made by exact replacements that
// throw when the contrib file no longer has what they replace, so an edit of contrib/ cannot silently escape the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCommand, httpGet, waitFor } from '../support/real-kernel-proc.js';
import { projectRoot } from '../support/paths.js';

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

export interface Server {
  port: number;
  log(): string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/** SIGKILLs what is left (for `after` hooks). */
export function killServers(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
}

async function startServer(name: string, command: string, args: string[], cwd: string, port: number): Promise<Server> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (data: string) => (log += data));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    children.delete(child);
  };
  try {
    await waitFor(`${name} to be ready`, 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
      try {
        return (await httpGet(port, '/-/ready', 500)).status === 200;
      } catch {
        return false;
      }
    }, 100);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, log: () => log, stop };
}

export async function startAlertmanager(dir: string, port: number, config: string): Promise<Server> {
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
  return startServer('Alertmanager', alertmanagerCommand() ?? 'alertmanager', args, dir, port);
}

export async function startPrometheusWithRules(dir: string, port: number, config: string, alerts: string): Promise<Server> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'prometheus.yml'), config);
  writeFileSync(join(dir, 'alerts.yml'), alerts);
  const args = [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  return startServer('Prometheus', findCommand('prometheus') ?? 'prometheus', args, dir, port);
}

/** An instant query against Prometheus's HTTP API: its result vector ([] on any error). */
export async function promQuery(port: number, expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  try {
    const res = await httpGet(port, `/api/v1/query?query=${encodeURIComponent(expr)}`, 2000);
    const body = JSON.parse(res.body) as { status: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') return [];
    return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  } catch {
    return [];
  }
}
