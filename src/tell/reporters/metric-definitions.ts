// The metrics `--metrics` serves: one row per metric, each reading its samples from the counter set at every scrape.
import { Counter, Gauge, Registry } from 'prom-client';
import type { CounterReadings } from './metric-counters.js';

type Labels = Record<string, string>;

interface MetricDefinition {
  kind: 'counter' | 'gauge';
  name: string;
  help: string;
  labelNames: string[];
  samples(counters: CounterReadings): Iterable<[Labels, number]>;
}

const METRICS: MetricDefinition[] = [
  {
    kind: 'counter',
    name: 'oomscope_deaths_total',
    help: 'Deaths of the watched process, by verdict (one per incident).',
    labelNames: ['process', 'verdict'],
    samples: (c) => nestedSamples(c.deaths, 'process', 'verdict'),
  },
  {
    kind: 'counter',
    name: 'oomscope_oom_kills_total',
    help: 'Kernel OOM kills of any process, by victim name and constraint (global, memcg, cpuset, mempolicy).',
    labelNames: ['victim', 'constraint'],
    samples: (c) => nestedSamples(c.oomKills, 'victim', 'constraint'),
  },
  {
    kind: 'counter',
    name: 'oomscope_downtime_seconds_total',
    help: 'Seconds the watched process was down after its deaths (counted once the restart is known).',
    labelNames: ['process'],
    samples: (c) => flatSamples(c.downtime, 'process'),
  },
  {
    kind: 'gauge',
    name: 'oomscope_last_death_timestamp_seconds',
    help: 'When the watched process last died (Unix seconds).',
    labelNames: ['process'],
    samples: (c) => flatSamples(c.lastDeath, 'process'),
  },
  {
    kind: 'gauge',
    name: 'oomscope_inputs_followed',
    help: 'Inputs (logs, live sources) oomscope is following.',
    labelNames: [],
    samples: (c) => [[{}, c.inputsFollowed()]],
  },
  {
    kind: 'counter',
    name: 'oomscope_lines_read_total',
    help: 'Lines oomscope has read, by input.',
    labelNames: ['input'],
    samples: (c) => flatSamples(c.linesRead, 'input'),
  },
  {
    kind: 'gauge',
    name: 'oomscope_last_read_timestamp_seconds',
    help: 'When oomscope last read a line of the input (Unix seconds).',
    labelNames: ['input'],
    samples: (c) => flatSamples(c.lastRead, 'input'),
  },
  {
    kind: 'counter',
    name: 'oomscope_parse_errors_total',
    help: 'Lines with an OOM or death marker that oomscope could not read, by input.',
    labelNames: ['input'],
    samples: (c) => flatSamples(c.parseErrors, 'input'),
  },
];

/**
 * A prom-client registry of every metric above. The counter set is the truth: at each scrape every metric is reset
 * and filled from it, so that counters imported from the state file or folded into `other` show as they are.
 */
export function metricsRegistry(counters: CounterReadings): Registry {
  const registry = new Registry();
  for (const metric of METRICS) {
    const { kind, name, help, labelNames } = metric;
    if (kind === 'counter') {
      new Counter({
        name, help, labelNames, registers: [registry],
        collect() {
          this.reset();
          for (const [labels, value] of metric.samples(counters)) this.inc(labels, value);
        },
      });
    } else {
      new Gauge({
        name, help, labelNames, registers: [registry],
        collect() {
          this.reset();
          for (const [labels, value] of metric.samples(counters)) this.set(labels, value);
        },
      });
    }
  }
  return registry;
}

function* nestedSamples(map: ReadonlyMap<string, ReadonlyMap<string, number>>, outer: string, inner: string): Iterable<[Labels, number]> {
  for (const [a, values] of map) for (const [b, value] of values) yield [{ [outer]: a, [inner]: b }, value];
}

function* flatSamples(map: ReadonlyMap<string, number>, label: string): Iterable<[Labels, number]> {
  for (const [a, value] of map) yield [{ [label]: a }, value];
}
