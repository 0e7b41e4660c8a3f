import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createMetricsReporter, parseMetricsAddress, type MetricsReporter } from '../../../src/tell/reporters/metrics.js';
import { UsageError } from '../../../src/usage-error.js';
import { notice, sampleKill } from './helpers.js';

async function scrape(m: MetricsReporter, path = '/metrics'): Promise<{ status: number; type: string; text: string }> {
  const { host, port } = m.address();
  const response = await fetch(`http://${host}:${port}${path}`);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** `name{labels} value` lines of one metric, as a map from the label part to the value. */
function samples(text: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (m) out.set(m[1] ?? '', Number(m[2]));
  }
  return out;
}

test('--metrics PORT listens on 127.0.0.1 only; other addresses are spelled out', () => {
  assert.deepEqual(parseMetricsAddress('9101'), { host: '127.0.0.1', port: 9101 });
  assert.deepEqual(parseMetricsAddress('0.0.0.0:9101'), { host: '0.0.0.0', port: 9101 });
  assert.deepEqual(parseMetricsAddress('[::1]:9101'), { host: '::1', port: 9101 });
  assert.deepEqual(parseMetricsAddress('localhost:0'), { host: 'localhost', port: 0 });
  for (const bad of [':9101', '99999', 'abc', '::1:9101', '1.2.3.4:', '']) assert.throws(() => parseMetricsAddress(bad), UsageError, bad);
});

test('serves the counters of deaths, downtime, OOM kills and its own reading over HTTP', async () => {
  const m = await createMetricsReporter({ listen: '127.0.0.1:0', processes: ['anqicms'] });
  try {
    assert.equal(m.address().host, '127.0.0.1');
    let s = await scrape(m);
    assert.equal(samples(s.text, 'oomscope_deaths_total').get('{process="anqicms",verdict="kernel-oom"}'), 0, 'series exist at 0 from the start');

    await m.report(notice('incident'));
    await m.report(notice('incident')); // the same incident told twice counts once
    await m.report(notice('update', { restartedAt: '2024-07-23T10:04:01.000+08:00', downtimeSeconds: 23.9 }));
    await m.report(notice('update', { restartedAt: '2024-07-23T10:04:01.000+08:00', downtimeSeconds: 30 }));
    await m.report(notice('incident', { id: 'i-2', verdict: 'go-panic', diedAt: '2024-07-24T00:00:00.000Z', downtimeSeconds: 5 }));
    m.countOomKill(sampleKill());
    m.countOomKill(sampleKill()); // same id
    m.countOomKill(sampleKill({ id: 'k-2', name: 'mysqld', constraint: 'memcg' }));
    m.countOomKill(sampleKill({ id: 'k-3', name: null, constraint: null }));
    m.health({ input: '/var/log/kern.log', linesRead: 100, lastReadMs: 1_721_700_000_000, parseErrors: 1 });
    m.health({ input: '/var/log/kern.log', linesRead: 250, lastReadMs: 1_721_700_060_000, parseErrors: 1 });
    m.health({ input: 'journal', linesRead: 7, lastReadMs: null, parseErrors: 0 });

    s = await scrape(m);
    assert.equal(s.status, 200);
    assert.match(s.type, /^text\/plain; version=0\.0\.4/);
    const deaths = samples(s.text, 'oomscope_deaths_total');
    assert.equal(deaths.get('{process="anqicms",verdict="kernel-oom"}'), 1);
    assert.equal(deaths.get('{process="anqicms",verdict="go-panic"}'), 1);
    assert.equal(samples(s.text, 'oomscope_downtime_seconds_total').get('{process="anqicms"}'), 35);
    assert.equal(samples(s.text, 'oomscope_last_death_timestamp_seconds').get('{process="anqicms"}'), Date.parse('2024-07-24T00:00:00.000Z') / 1000);
    const kills = samples(s.text, 'oomscope_oom_kills_total');
    assert.deepEqual(
      [...kills].sort(),
      [
        ['{victim="anqicms",constraint="global"}', 1],
        ['{victim="mysqld",constraint="memcg"}', 1],
        ['{victim="unknown",constraint="unknown"}', 1],
      ],
    );
    assert.equal(samples(s.text, 'oomscope_inputs_followed').get(''), 2);
    assert.equal(samples(s.text, 'oomscope_lines_read_total').get('{input="/var/log/kern.log"}'), 250);
    assert.equal(samples(s.text, 'oomscope_lines_read_total').get('{input="journal"}'), 7);
    assert.equal(samples(s.text, 'oomscope_parse_errors_total').get('{input="/var/log/kern.log"}'), 1);
    assert.equal(samples(s.text, 'oomscope_last_read_timestamp_seconds').get('{input="/var/log/kern.log"}'), 1_721_700_060);
    assert.equal(samples(s.text, 'oomscope_last_read_timestamp_seconds').has('{input="journal"}'), false);

    // A watcher whose count starts again (input reopened) adds its new total.
    m.health({ input: 'journal', linesRead: 3, lastReadMs: null, parseErrors: 0 });
    m.setInputsFollowed(5);
    s = await scrape(m);
    assert.equal(samples(s.text, 'oomscope_lines_read_total').get('{input="journal"}'), 10);
    assert.equal(samples(s.text, 'oomscope_inputs_followed').get(''), 5);

    const root = await scrape(m, '/');
    assert.equal(root.status, 200);
    assert.equal(root.text, 'oomscope: Prometheus metrics are at /metrics\n');
    assert.equal((await scrape(m, '/nope')).status, 404);
    assert.equal((await scrape(m, '/metrics/')).status, 404);

    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: s.text, encoding: 'utf8' });
    if (!promtool.error) assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);
  } finally {
    await m.close();
  }
});

test('label values from logs are capped: 100 distinct victim names give at most 20 series and `other`', async () => {
  const m = await createMetricsReporter({ listen: '0', maxLabelValues: 20 });
  try {
    let id = 0;
    for (let i = 0; i < 100; i++) m.countOomKill(sampleKill({ id: `k-${id++}`, name: `victim-${i}\n"` }));
    for (let i = 0; i < 5; i++) m.countOomKill(sampleKill({ id: `k-${id++}`, name: 'mysqld' }));
    for (let i = 0; i < 30; i++) m.health({ input: `/var/log/app-${i}.log`, linesRead: 1, lastReadMs: 1000 * i, parseErrors: 0 });
    const { text } = await scrape(m);
    const kills = samples(text, 'oomscope_oom_kills_total');
    const victims = new Set([...kills.keys()].map((k) => /victim="((?:[^"\\]|\\.)*)"/.exec(k)![1]));
    assert.ok(victims.size <= 21, `${victims.size} victim labels`);
    assert.ok(victims.has('other'));
    assert.ok(victims.has('mysqld'), 'a victim seen more often than the others gets its own series');
    assert.equal([...kills.values()].reduce((a, b) => a + b, 0), 105, 'no kill is lost');
    const lines = samples(text, 'oomscope_lines_read_total');
    assert.equal(lines.size, 21);
    assert.equal(lines.get('{input="other"}'), 10);
    assert.equal(samples(text, 'oomscope_inputs_followed').get(''), 30);
    const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (!promtool.error) assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);
  } finally {
    await m.close();
  }
});

test('counters survive a restart: export to plain JSON, import into a new reporter; garbage is ignored', async () => {
  const a = await createMetricsReporter({ listen: '0' });
  const b = await createMetricsReporter({ listen: '0' });
  try {
    await a.report(notice('incident', { downtimeSeconds: 12 }));
    await a.report(notice('incident', { id: 'i-2', verdict: 'cgroup-oom' }));
    a.countOomKill(sampleKill());
    a.countOomKill(sampleKill({ id: 'k-2', name: 'mysqld' }));
    a.health({ input: '/var/log/kern.log', linesRead: 42, lastReadMs: 5000, parseErrors: 2 });
    const saved = JSON.parse(JSON.stringify(a.exportCounters())) as unknown;
    assert.equal(b.importCounters(saved), true);
    const counters = (text: string): string[] => text.split('\n').filter((l) => /^oomscope_(deaths|oom_kills|downtime_seconds|lines_read|parse_errors)_total\{|^oomscope_last_death/.test(l)).sort();
    assert.deepEqual(counters((await scrape(b)).text), counters((await scrape(a)).text));
    // What was counted before the restart is not counted again when the log is read again.
    b.countOomKill(sampleKill());
    await b.report(notice('incident', { downtimeSeconds: 12 }));
    assert.deepEqual(counters((await scrape(b)).text), counters((await scrape(a)).text));

    for (const garbage of [null, 42, 'x', [], {}, { format: 'oomscope-metrics', version: 2 }, { format: 'oomscope-metrics', version: 1, deaths: 'x' }]) {
      assert.equal(b.importCounters(garbage), false, JSON.stringify(garbage));
    }
    assert.equal(
      b.importCounters({ format: 'oomscope-metrics', version: 1, deaths: [['p', 'kernel-oom', -1], ['p', 'BAD VERDICT', 1], ['p'], 'junk', ['p', 'kernel-oom', Infinity]], oomKills: [[1, 2, 3]] }),
      false,
    );
    assert.deepEqual(counters((await scrape(b)).text), counters((await scrape(a)).text), 'garbage changed nothing');
  } finally {
    await a.close();
    await b.close();
  }
});

test('a port in use is a usage error naming the address', async () => {
  const a = await createMetricsReporter({ listen: '127.0.0.1:0' });
  try {
    await assert.rejects(createMetricsReporter({ listen: `127.0.0.1:${a.address().port}` }), (e: Error) => e instanceof UsageError && /--metrics 127\.0\.0\.1:\d+: cannot listen \(EADDRINUSE\)/.test(e.message));
  } finally {
    await a.close();
  }
});
