// contrib/: the systemd unit, the cron fallback and the Prometheus files are checked by the tools that read them,
// where those tools are installed (Debian: systemd, prometheus); a real Prometheus scrapes the metrics reporter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsReporter } from '../../../src/tell/reporters/metrics.js';
import { projectRoot } from '../../support/paths.js';
import { notice, sampleKill } from './helpers.js';

const contrib = join(projectRoot, 'contrib');

function has(tool: string): boolean {
  return !spawnSync(tool, ['--version'], { encoding: 'utf8' }).error;
}

const noPromtool = has('promtool') ? false : 'promtool is not installed (Debian: apt-get install prometheus)';
// Prometheus hands new targets to its scrapers after a fixed 5 s: this test takes about 6 s, so it runs on request.
const noPrometheus =
  process.env.OOMSCOPE_SLOW_TESTS !== '1' ? 'takes ~6 s (Prometheus starts scraping after 5 s): set OOMSCOPE_SLOW_TESTS=1'
  : has('prometheus') ? false
  : 'prometheus is not installed (Debian: apt-get install prometheus)';
const noSystemd = has('systemd-analyze') ? false : 'systemd-analyze is not installed';

test('promtool: scrape.yml is a valid config, alerts.yml valid rules, and the rules pass their unit tests', { skip: noPromtool }, () => {
  for (const args of [['check', 'config', 'scrape.yml'], ['check', 'rules', 'alerts.yml'], ['test', 'rules', 'alerts.test.yml']]) {
    const r = spawnSync('promtool', args, { cwd: join(contrib, 'prometheus'), encoding: 'utf8' });
    assert.equal(r.status, 0, `promtool ${args.join(' ')}\n${r.stdout}${r.stderr}`);
  }
});

test('systemd-analyze verify accepts the unit', { skip: noSystemd }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-unit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // verify wants the binary to exist: /bin/true stands in for oomscope.
  const unit = readFileSync(join(contrib, 'oomscope-watch.service'), 'utf8').replace(/^ExecStart=\S+/m, 'ExecStart=/bin/true');
  writeFileSync(join(dir, 'oomscope-watch.service'), unit);
  const r = spawnSync('systemd-analyze', ['verify', join(dir, 'oomscope-watch.service')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stderr.trim(), '', 'no warnings');
});

test('the unit keeps the hardening that still lets it read /dev/kmsg, the journal and the logs', () => {
  const unit = readFileSync(join(contrib, 'oomscope-watch.service'), 'utf8');
  for (const line of [
    'Restart=always',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ProtectHome=read-only',
    'PrivateTmp=yes',
    'StateDirectory=oomscope',
    'CapabilityBoundingSet=CAP_SYSLOG CAP_DAC_READ_SEARCH',
    'AmbientCapabilities=CAP_SYSLOG CAP_DAC_READ_SEARCH',
    'SupplementaryGroups=adm systemd-journal',
    'DeviceAllow=/dev/kmsg r',
    'ProtectKernelLogs=no',
    'MemoryDenyWriteExecute=no',
  ]) {
    assert.ok(unit.split('\n').includes(line), line);
  }
  assert.doesNotMatch(unit, /^PrivateDevices=yes/m);
  assert.doesNotMatch(unit, /^Environment=.*SECRET/m, 'secrets go in the EnvironmentFile');
});

test('the cron fallback: @reboot and every minute, one at a time under flock, no % in commands', () => {
  const lines = readFileSync(join(contrib, 'oomscope-watch.cron'), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const jobs = lines.filter((l) => !/^[A-Z_]+=/.test(l));
  assert.equal(jobs.length, 2);
  assert.match(jobs[0]!, /^@reboot\s+root\s+flock -n (\S+) /);
  assert.match(jobs[1]!, /^\* \* \* \* \*\s+root\s+flock -n (\S+) /);
  assert.equal(/flock -n (\S+)/.exec(jobs[0]!)?.[1], /flock -n (\S+)/.exec(jobs[1]!)?.[1], 'the same lock');
  for (const job of jobs) {
    assert.ok(!job.includes('%'), 'cron turns % into a newline');
    assert.match(job, /exec oomscope watch /);
    assert.match(job, /NODE_OPTIONS="--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1"; .*exec oomscope/, 'the heap flags of the units');
    assert.doesNotMatch(job, /SECRET=/);
  }
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a real Prometheus scrapes /metrics and evaluates the alert rules on it', { skip: noPrometheus, timeout: 20_000 }, async (t) => {
  const metrics = await createMetricsReporter({ listen: '127.0.0.1:0', processes: ['anqicms'] });
  t.after(() => metrics.close());
  await metrics.report(notice('incident'));
  metrics.countOomKill(sampleKill({ id: 'k-1', name: 'mysqld' }));
  metrics.health({ input: '/var/log/kern.log', linesRead: 10, lastReadMs: Date.now(), parseErrors: 0 });

  const dir = mkdtempSync(join(tmpdir(), 'oomscope-prom-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'alerts.yml'), readFileSync(join(contrib, 'prometheus', 'alerts.yml')));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'rule_files: [alerts.yml]',
      'scrape_configs:',
      '  - job_name: oomscope',
      '    static_configs: [ { targets: ["127.0.0.1:' + metrics.address().port + '"] } ]',
      '    relabel_configs:',
      "      - { source_labels: [__address__], regex: '(.+):\\d+', target_label: instance, replacement: '$1' }",
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const prometheus = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=error'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  prometheus.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  t.after(() => void prometheus.kill('SIGKILL'));

  const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = (await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data.result;
  };
  const deadline = Date.now() + 15_000;
  let deaths: Awaited<ReturnType<typeof query>> = [];
  while (Date.now() < deadline) {
    try {
      deaths = await query('oomscope_deaths_total{verdict="kernel-oom"}');
      if (deaths.length > 0) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(deaths.length, 1, `Prometheus scraped nothing; its stderr: ${stderr}`);
  assert.deepEqual(deaths[0]!.metric, { __name__: 'oomscope_deaths_total', instance: '127.0.0.1', job: 'oomscope', process: 'anqicms', verdict: 'kernel-oom' });
  assert.equal(deaths[0]!.value[1], '1');
  const kills = await query('oomscope_oom_kills_total');
  assert.deepEqual(kills.map((k) => [k.metric.victim, k.value[1]]), [['mysqld', '1']]);
  const up = await query('up{job="oomscope"}');
  assert.equal(up[0]?.value[1], '1');
  // The rules load and evaluate against real series (the alerts themselves are tested with promtool).
  const rules = (await (await fetch(`http://127.0.0.1:${port}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string; name: string }[] }[] } };
  const all = rules.data.groups.flatMap((g) => g.rules);
  assert.equal(all.length, 8);
  for (const rule of all) assert.notEqual(rule.health, 'err', rule.name);
});
