// `--metrics [ADDR:]PORT`: Prometheus metrics of the deaths and OOM kills seen, and of oomscope's own reading.
// Label values come from logs, so their number is capped: the most frequent values get their own series, the rest
// are counted under `other`. Counters are kept in plain maps (exportable to the state file, so that they survive a
// restart of oomscope) and handed to prom-client at each scrape.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import { VERDICTS } from '../../model/report.js';
import type { OomKill } from '../../model/report.js';
import { UsageError } from '../../usage-error.js';
import { oneLine, stderrLog, type IncidentNotice, type Log, type Reporter } from './reporter.js';

export const OTHER = 'other';
const CONSTRAINTS = ['global', 'memcg', 'cpuset', 'mempolicy'];
/** How many ids of counted incidents and kills are remembered (and saved) so that a re-read log is not counted twice. */
const REMEMBERED_IDS = 2000;

/** What the watcher says about one input; `linesRead` and `parseErrors` are its running totals since it opened the input. */
export interface HealthSample {
  input: string;
  linesRead: number;
  /** When a line was last read (ms since the epoch); null when none yet. */
  lastReadMs: number | null;
  parseErrors: number;
}

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
  const fix = 'give PORT (listens on 127.0.0.1) or ADDR:PORT, e.g. 0.0.0.0:9101 or [::1]:9101';
  const text = spec.trim();
  let host: string;
  let portText: string;
  const v6 = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text);
  const v4 = /^([^:\s\[\]]+):(\d+)$/.exec(text);
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
    throw new UsageError(`--metrics ${oneLine(spec, 80)}: not PORT or ADDR:PORT`, fix);
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--metrics ${oneLine(spec, 80)}: port out of range`, fix);
  return { host, port };
}

/**
 * The label values of one dimension, at most `limit` of them; others are `other`. With `promote`, a value counted
 * more often than the least frequent admitted one takes its place (the evicted one's counts are folded into
 * `other` by `onEvict`, so sums never go down and the series count stays bounded).
 */
class LabelCap {
  private readonly admitted = new Map<string, number>();
  private readonly candidates = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly promote: boolean,
    private readonly onEvict: (value: string) => void,
  ) {}

  /** The label for one more occurrence of `raw`. */
  count(raw: string, weight = 1): string {
    const value = labelValue(raw);
    const seen = this.admitted.get(value);
    if (seen !== undefined) {
      this.admitted.set(value, seen + weight);
      return value;
    }
    if (value === OTHER) return OTHER;
    if (this.admitted.size < this.limit) {
      this.admitted.set(value, (this.candidates.get(value) ?? 0) + weight);
      this.candidates.delete(value);
      return value;
    }
    if (!this.promote) return OTHER;
    const frequency = (this.candidates.get(value) ?? 0) + weight;
    this.candidates.set(value, frequency);
    let least: [string, number] | undefined;
    for (const entry of this.admitted) if (!least || entry[1] < least[1]) least = entry;
    if (least && frequency > least[1]) {
      this.admitted.delete(least[0]);
      this.candidates.set(least[0], least[1]);
      this.candidates.delete(value);
      this.admitted.set(value, frequency);
      this.onEvict(least[0]);
      this.trim();
      return value;
    }
    this.trim();
    return OTHER;
  }

  /** The label `raw` is counted under now, without counting it. */
  current(raw: string): string {
    const value = labelValue(raw);
    return this.admitted.has(value) ? value : OTHER;
  }

  // Frequencies of values not admitted are kept for a bounded number of them: the rarer half goes when full.
  private trim(): void {
    if (this.candidates.size <= 50 * this.limit) return;
    const sorted = [...this.candidates].sort((a, b) => b[1] - a[1]);
    this.candidates.clear();
    for (const [v, f] of sorted.slice(0, 25 * this.limit)) this.candidates.set(v, f);
  }
}

/** A label value from a log: at most 128 characters, never empty. */
function labelValue(raw: string): string {
  const value = raw.length > 128 ? raw.slice(0, 128) : raw;
  return value.length === 0 ? 'unknown' : value;
}

class RememberedIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value as string);
  }
  list(): string[] {
    return [...this.ids];
  }
}

type Nested = Map<string, Map<string, number>>;

function addNested(map: Nested, a: string, b: string, value: number): void {
  let inner = map.get(a);
  if (!inner) map.set(a, (inner = new Map()));
  inner.set(b, (inner.get(b) ?? 0) + value);
}

function add(map: Map<string, number>, key: string, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

function foldNested(map: Nested, from: string): void {
  const inner = map.get(from);
  if (!inner) return;
  map.delete(from);
  for (const [b, v] of inner) addNested(map, OTHER, b, v);
}

function fold(map: Map<string, number>, from: string, combine: (a: number, b: number) => number = (a, b) => a + b): void {
  const v = map.get(from);
  if (v === undefined) return;
  map.delete(from);
  const o = map.get(OTHER);
  map.set(OTHER, o === undefined ? v : combine(o, v));
}

export async function createMetricsReporter(options: MetricsReporterOptions): Promise<MetricsReporter> {
  const listen = parseMetricsAddress(options.listen);
  const limit = Math.max(1, options.maxLabelValues ?? 20);
  const log = options.log ?? stderrLog;

  const deaths: Nested = new Map();
  const oomKills: Nested = new Map();
  const downtime = new Map<string, number>();
  const lastDeath = new Map<string, number>();
  const linesRead = new Map<string, number>();
  const parseErrors = new Map<string, number>();
  const lastRead = new Map<string, number>();
  const previousTotals = new Map<string, { lines: number; errors: number }>();
  const countedIncidents = new RememberedIds(REMEMBERED_IDS);
  const countedKills = new RememberedIds(REMEMBERED_IDS);
  const downtimeCounted = new Map<string, number>();
  let inputsFollowed: number | null = null;

  const processes = new LabelCap(limit, true, (p) => {
    foldNested(deaths, p);
    fold(downtime, p);
    fold(lastDeath, p, Math.max);
  });
  const victims = new LabelCap(limit, true, (v) => foldNested(oomKills, v));
  const inputs = new LabelCap(limit, false, () => {});

  for (const p of options.processes ?? []) {
    const label = processes.count(p, 0);
    for (const verdict of VERDICTS) addNested(deaths, label, verdict, 0);
    add(downtime, label, 0);
  }

  const registry = new Registry();
  new Counter({
    name: 'oomscope_deaths_total',
    help: 'Deaths of the watched process, by verdict (one per incident).',
    labelNames: ['process', 'verdict'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [process, inner] of deaths) for (const [verdict, v] of inner) this.inc({ process, verdict }, v);
    },
  });
  new Counter({
    name: 'oomscope_oom_kills_total',
    help: 'Kernel OOM kills of any process, by victim name and constraint (global, memcg, cpuset, mempolicy).',
    labelNames: ['victim', 'constraint'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [victim, inner] of oomKills) for (const [constraint, v] of inner) this.inc({ victim, constraint }, v);
    },
  });
  new Counter({
    name: 'oomscope_downtime_seconds_total',
    help: 'Seconds the watched process was down after its deaths (counted once the restart is known).',
    labelNames: ['process'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [process, v] of downtime) this.inc({ process }, v);
    },
  });
  new Gauge({
    name: 'oomscope_last_death_timestamp_seconds',
    help: 'When the watched process last died (Unix seconds).',
    labelNames: ['process'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [process, v] of lastDeath) this.set({ process }, v);
    },
  });
  new Gauge({
    name: 'oomscope_inputs_followed',
    help: 'Inputs (logs, live sources) oomscope is following.',
    registers: [registry],
    collect() {
      this.set(inputsFollowed ?? previousTotals.size);
    },
  });
  new Counter({
    name: 'oomscope_lines_read_total',
    help: 'Lines oomscope has read, by input.',
    labelNames: ['input'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [input, v] of linesRead) this.inc({ input }, v);
    },
  });
  new Gauge({
    name: 'oomscope_last_read_timestamp_seconds',
    help: 'When oomscope last read a line of the input (Unix seconds).',
    labelNames: ['input'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [input, v] of lastRead) this.set({ input }, v);
    },
  });
  new Counter({
    name: 'oomscope_parse_errors_total',
    help: 'Lines with an OOM or death marker that oomscope could not read, by input.',
    labelNames: ['input'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [input, v] of parseErrors) this.inc({ input }, v);
    },
  });

  // One death per incident id, whichever notice brings it first (an update of an incident told before a restart
  // that lost the state counts it then); downtime is added as it becomes known or grows.
  function countDeath(notice: IncidentNotice): void {
    const i = notice.incident;
    const verdict = /^[a-z][a-z-]{0,31}$/.test(i.verdict) ? i.verdict : OTHER;
    if (!countedIncidents.has(i.id)) {
      countedIncidents.add(i.id);
      const label = processes.count(i.process);
      addNested(deaths, label, verdict, 1);
      const died = i.diedAt ? Date.parse(i.diedAt) / 1000 : Date.now() / 1000;
      if (Number.isFinite(died)) lastDeath.set(label, Math.max(lastDeath.get(label) ?? 0, died));
    }
    if (i.downtimeSeconds !== null && Number.isFinite(i.downtimeSeconds) && i.downtimeSeconds > 0) {
      const before = downtimeCounted.get(i.id) ?? 0;
      if (i.downtimeSeconds > before) {
        add(downtime, processes.current(i.process), i.downtimeSeconds - before);
        downtimeCounted.delete(i.id);
        downtimeCounted.set(i.id, i.downtimeSeconds);
        if (downtimeCounted.size > REMEMBERED_IDS) downtimeCounted.delete(downtimeCounted.keys().next().value as string);
      }
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        (error: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end(`error: ${oneLine(error.message)}\n`);
        },
      );
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('oomscope: Prometheus metrics are at /metrics\n');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found: oomscope serves /metrics\n');
  }

  const server: Server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `--metrics ${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
      const fix =
        error.code === 'EADDRINUSE' ? 'another program listens there: choose another port'
        : error.code === 'EACCES' ? 'ports below 1024 need privileges: choose a port above 1024'
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'this machine has no such address: use 127.0.0.1, 0.0.0.0 or one of its own'
        : undefined;
      reject(new UsageError(`${where}: cannot listen (${error.code ?? error.message})`, fix));
    };
    server.once('error', onError);
    server.listen(listen.port, listen.host, () => {
      server.off('error', onError);
      server.on('error', (error) => log(`metrics: ${oneLine(error.message)}`));
      resolve();
    });
  });

  const reporter: MetricsReporter = {
    name: 'metrics',
    async report(notice) {
      countDeath(notice);
    },
    countOomKill(kill) {
      if (countedKills.has(kill.id)) return;
      countedKills.add(kill.id);
      const constraint = kill.constraint && CONSTRAINTS.includes(kill.constraint) ? kill.constraint : 'unknown';
      addNested(oomKills, victims.count(kill.name ?? 'unknown'), constraint, 1);
    },
    health(sample) {
      const raw = labelValue(sample.input);
      // Every distinct input counts toward inputs_followed, also those whose series are `other` (bounded all the same).
      if (!previousTotals.has(raw) && previousTotals.size >= 1000) return;
      const label = inputs.count(raw);
      const before = previousTotals.get(raw) ?? { lines: 0, errors: 0 };
      const lines = finiteCount(sample.linesRead);
      const errors = finiteCount(sample.parseErrors);
      // Totals that went down mean the watcher started counting again (input reopened): the new total is all new.
      add(linesRead, label, lines >= before.lines ? lines - before.lines : lines);
      add(parseErrors, label, errors >= before.errors ? errors - before.errors : errors);
      previousTotals.set(raw, { lines, errors });
      if (sample.lastReadMs !== null && Number.isFinite(sample.lastReadMs)) {
        lastRead.set(label, Math.max(lastRead.get(label) ?? 0, sample.lastReadMs / 1000));
      }
    },
    setInputsFollowed(count) {
      inputsFollowed = finiteCount(count);
    },
    exportCounters() {
      const flat = (map: Nested): [string, string, number][] => [...map].flatMap(([a, inner]) => [...inner].map(([b, v]) => [a, b, v] as [string, string, number]));
      return {
        format: 'oomscope-metrics',
        version: 1,
        deaths: flat(deaths),
        oomKills: flat(oomKills),
        downtimeSeconds: [...downtime],
        lastDeathSeconds: [...lastDeath],
        linesRead: [...linesRead],
        parseErrors: [...parseErrors],
        countedIncidents: countedIncidents.list(),
        countedKills: countedKills.list(),
        downtimeCounted: [...downtimeCounted],
      };
    },
    importCounters(saved) {
      if (typeof saved !== 'object' || saved === null) return false;
      const s = saved as Record<string, unknown>;
      if (s.format !== 'oomscope-metrics' || s.version !== 1) return false;
      const triples = (v: unknown): [string, string, number][] =>
        Array.isArray(v)
          ? v.filter((e): e is [string, string, number] => Array.isArray(e) && e.length === 3 && isName(e[0]) && isName(e[1]) && isAmount(e[2]))
          : [];
      const pairs = (v: unknown): [string, number][] =>
        Array.isArray(v) ? v.filter((e): e is [string, number] => Array.isArray(e) && e.length === 2 && isName(e[0]) && isAmount(e[1])) : [];
      const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((e): e is string => typeof e === 'string' && e.length > 0 && e.length <= 128).slice(-REMEMBERED_IDS) : []);
      // The most frequent first, so that they are the ones admitted when there are more than the cap.
      const byValue = <T extends unknown[]>(list: T[]): T[] => [...list].sort((a, b) => (b[b.length - 1] as number) - (a[a.length - 1] as number));
      let used = 0;
      for (const [process, verdict, v] of byValue(triples(s.deaths))) {
        if (!/^[a-z][a-z-]{0,31}$/.test(verdict)) continue;
        addNested(deaths, processes.count(process, v), verdict, v);
        used++;
      }
      for (const [victim, constraint, v] of byValue(triples(s.oomKills))) {
        addNested(oomKills, victims.count(victim, v), CONSTRAINTS.includes(constraint) ? constraint : 'unknown', v);
        used++;
      }
      for (const [process, v] of pairs(s.downtimeSeconds)) {
        add(downtime, processes.current(process), v);
        used++;
      }
      for (const [process, v] of pairs(s.lastDeathSeconds)) {
        const label = processes.current(process);
        lastDeath.set(label, Math.max(lastDeath.get(label) ?? 0, v));
        used++;
      }
      for (const [input, v] of byValue(pairs(s.linesRead))) {
        add(linesRead, inputs.count(input), v);
        used++;
      }
      for (const [input, v] of pairs(s.parseErrors)) {
        add(parseErrors, inputs.current(input), v);
        used++;
      }
      for (const id of ids(s.countedIncidents)) countedIncidents.add(id);
      for (const id of ids(s.countedKills)) countedKills.add(id);
      for (const [id, v] of pairs(s.downtimeCounted).slice(-REMEMBERED_IDS)) downtimeCounted.set(id, v);
      return used > 0 || ids(s.countedIncidents).length > 0 || ids(s.countedKills).length > 0;
    },
    address() {
      const a = server.address() as AddressInfo;
      return { host: a.address, port: a.port };
    },
    metricsText() {
      return registry.metrics();
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return reporter;
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 256;
}

function isAmount(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function finiteCount(v: number): number {
  return Number.isFinite(v) && v > 0 ? v : 0;
}
