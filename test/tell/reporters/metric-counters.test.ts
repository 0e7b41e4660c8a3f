import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident, OomKill } from '../../../src/model/report.js';
import { MetricCounters } from '../../../src/tell/reporters/metric-counters.js';
import { sampleIncident, sampleKill } from './helpers.js';

const at = (seconds: number): string => new Date(seconds * 1000).toISOString();

test('counter set: export is plain JSON, and importing it into a fresh set gives the same counters and remembered ids', () => {
  const a = new MetricCounters({ maxLabelValues: 2, processes: [] });
  a.countDeath(sampleIncident({ id: 'i-1', process: 'app', verdict: 'kernel-oom', diedAt: at(100), downtimeSeconds: null }));
  a.countDeath(sampleIncident({ id: 'i-1', process: 'app', verdict: 'kernel-oom', diedAt: at(100), downtimeSeconds: 30 }));
  a.countDeath(sampleIncident({ id: 'i-1', process: 'app', verdict: 'kernel-oom', diedAt: at(100), downtimeSeconds: 45 }));
  a.countDeath(sampleIncident({ id: 'i-2', process: 'web', verdict: 'go-panic', diedAt: at(200), downtimeSeconds: null }));
  // A third process with the cap at 2 and no more deaths than the others: `other`; so is a verdict not shaped like one.
  a.countDeath(sampleIncident({ id: 'i-3', process: 'db', verdict: 'Weird Verdict' as Incident['verdict'], diedAt: at(300), downtimeSeconds: null }));
  a.countOomKill(sampleKill({ id: 'k-1', name: 'mysqld', constraint: 'memcg' }));
  a.countOomKill(sampleKill({ id: 'k-1', name: 'mysqld', constraint: 'memcg' }));
  a.countOomKill(sampleKill({ id: 'k-2', name: null, constraint: 'bogus' as OomKill['constraint'] }));
  a.health({ input: 'kern.log', linesRead: 10, lastReadMs: 5000, parseErrors: 1 });

  const expected = {
    format: 'oomscope-metrics',
    version: 1,
    deaths: [['app', 'kernel-oom', 1], ['web', 'go-panic', 1], ['other', 'other', 1]],
    oomKills: [['mysqld', 'memcg', 1], ['unknown', 'unknown', 1]],
    downtimeSeconds: [['app', 45]],
    lastDeathSeconds: [['app', 100], ['web', 200], ['other', 300]],
    linesRead: [['kern.log', 10]],
    parseErrors: [['kern.log', 1]],
    countedIncidents: ['i-1', 'i-2', 'i-3'],
    countedKills: ['k-1', 'k-2'],
    downtimeCounted: [['i-1', 45]],
  };
  const saved: unknown = JSON.parse(JSON.stringify(a.exportCounters()));
  assert.deepEqual(saved, expected);

  const b = new MetricCounters({ maxLabelValues: 2, processes: [] });
  assert.equal(b.importCounters(saved), true);
  assert.deepEqual(b.exportCounters(), expected);
  assert.equal(b.lastRead.size, 0, 'when a line was last read is not saved');

  // The remembered ids came along: the same incident and kill do not count again; a longer downtime adds the difference.
  b.countDeath(sampleIncident({ id: 'i-1', process: 'app', verdict: 'kernel-oom', diedAt: at(100), downtimeSeconds: 50 }));
  b.countOomKill(sampleKill({ id: 'k-1', name: 'mysqld', constraint: 'memcg' }));
  assert.deepEqual(b.deaths.get('app'), new Map([['kernel-oom', 1]]));
  assert.deepEqual(b.downtime, new Map([['app', 50]]));
  assert.deepEqual(b.oomKills.get('mysqld'), new Map([['memcg', 1]]));
});

test('counter set: an import under a smaller cap admits the most frequent values; malformed entries are ignored', () => {
  const saved = {
    format: 'oomscope-metrics',
    version: 1,
    deaths: [['a', 'x', 1], ['b', 'x', 5], ['c', 'x', -1], ['d', 'Not A Verdict', 9], 'junk'],
    downtimeSeconds: [['a', 7], ['b', 3], ['b', Number.NaN]],
  };
  const c = new MetricCounters({ maxLabelValues: 1, processes: [] });
  assert.equal(c.importCounters(saved), true);
  // b (5) is read first and admitted; a (1) is then rarer than b, so it is `other`, and so is its downtime.
  assert.deepEqual(c.exportCounters().deaths, [['b', 'x', 5], ['other', 'x', 1]]);
  assert.deepEqual(c.exportCounters().downtimeSeconds, [['other', 7], ['b', 3]]);

  const d = new MetricCounters({ maxLabelValues: 1, processes: [] });
  assert.equal(d.importCounters(null), false);
  assert.equal(d.importCounters({ ...saved, version: 2 }), false);
  assert.equal(d.importCounters({ format: 'oomscope-metrics', version: 1, deaths: [['c', 'x', -1], ['d', 'BAD', 1]] }), false, 'nothing usable');
  assert.deepEqual(d.exportCounters().deaths, []);
  // Remembered ids alone are worth importing: that kill is not counted again.
  assert.equal(d.importCounters({ format: 'oomscope-metrics', version: 1, countedKills: ['k-9'] }), true);
  d.countOomKill(sampleKill({ id: 'k-9' }));
  assert.deepEqual(d.exportCounters().oomKills, []);
});
