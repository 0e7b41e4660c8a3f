// `--metrics [ADDR:]PORT`: Prometheus metrics of the deaths and OOM kills seen, and of oomscope's own reading.
// Three parts: the counter set (plain maps with capped label values, saved in the state file across restarts of
// oomscope), the table of metric definitions that reads it at each scrape, and the HTTP server.
import type { AddressInfo } from 'node:net';
import type { OomKill } from '../../model/report.js';
import { UsageError } from '../../usage-error.js';
import { MetricCounters, type HealthSample } from './metric-counters.js';
import { metricsRegistry } from './metric-definitions.js';
import { serveMetrics, stopServing } from './metrics-server.js';
import { oneLine, stderrLog, type Log, type Reporter } from './reporter.js';

export interface MetricsReporter extends Reporter {
  /** Every OOM kill the watcher sees, of any process (counted once per kill id). */
  countOomKill(kill: OomKill): void;
  health(sample: HealthSample): void;
  /** How many inputs are being followed; without a call, the number of inputs health() has named. */
  setInputsFollowed(count: number): void;
  /** The counters as plain JSON, for the state file. */
  exportCounters(): unknown;
  /** Adds saved counters (exportCounters' JSON); anything malformed is ignored. False when nothing was usable. */
  importCounters(saved: unknown): boolean;
  /** Where it listens (the real port when 0 was asked). */
  address(): { host: string; port: number };
  /** The exposition text, as /metrics serves it. */
  metricsText(): Promise<string>;
}

export interface MetricsReporterOptions {
  /** `PORT` (= 127.0.0.1:PORT), `ADDR:PORT`, `[IPv6]:PORT`. */
  listen: string;
  /** Watched process names: their series exist from the start at 0, so that the first death is an increase. */
  processes?: readonly string[];
  /** Distinct victim names / process names / inputs with their own series. Default 20 each. */
  maxLabelValues?: number;
  log?: Log;
}

/** `--metrics PORT` means 127.0.0.1:PORT; any other address is spelled out (`0.0.0.0:9101`, `[::]:9101`). */
export function parseMetricsAddress(spec: string): { host: string; port: number } {
  const text = spec.trim();
  let host: string;
  let portText: string;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  const v4 = /^([^:\s[\]]+):(\d+)$/.exec(text);
  if (/^\d+$/.test(text)) {
    host = '127.0.0.1';
    portText = text;
  } else if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
  } else if (v4) {
    host = v4[1]!;
    portText = v4[2]!;
  } else {
    throw UsageError.of('address.invalid', { flag: '--metrics', value: oneLine(spec, 80) });
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw UsageError.of('address.port-range', { flag: '--metrics', value: oneLine(spec, 80) });
  return { host, port };
}

export async function createMetricsReporter(options: MetricsReporterOptions): Promise<MetricsReporter> {
  const listen = parseMetricsAddress(options.listen);
  const counters = new MetricCounters({ maxLabelValues: Math.max(1, options.maxLabelValues ?? 20), processes: options.processes ?? [] });
  const registry = metricsRegistry(counters);
  const server = await serveMetrics(listen, registry, options.log ?? stderrLog);
  return {
    name: 'metrics',
    async report(notice) {
      counters.countDeath(notice.incident);
    },
    countOomKill: (kill) => counters.countOomKill(kill),
    health: (sample) => counters.health(sample),
    setInputsFollowed: (count) => counters.setInputsFollowed(count),
    exportCounters: () => counters.exportCounters(),
    importCounters: (saved) => counters.importCounters(saved),
    address() {
      const a = server.address() as AddressInfo;
      return { host: a.address, port: a.port };
    },
    metricsText: () => registry.metrics(),
    close: () => stopServing(server),
  };
}
