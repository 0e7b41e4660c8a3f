// contrib/grafana/oomscope-fleet.json: every PromQL expression (panels and the instance variable) parses and runs
// on a real Prometheus (its query API answers `success`), and names only oomscope's metrics and recording rules.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, httpGet } from '../support/real-kernel-proc.js';
import { isCI, projectRoot } from '../support/paths.js';
import { chainUnavailable, startPrometheusWithRules, testAlerts } from './chain-processes.js';
import { killAllChildren } from '../support/watch-processes.js';

after(() => killAllChildren());

const dashboard = JSON.parse(readFileSync(join(projectRoot, 'contrib', 'grafana', 'oomscope-fleet.json'), 'utf8')) as {
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { name: string; definition?: string }[] };
};
const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
/** Grafana's variables as a query would see them: all instances, a week. */
const concrete = (expr: string): string => expr.replaceAll('$instance', '.*').replaceAll('$__range', '7d');

test('the dashboard uses only the metrics oomscope exports and the recording rule of alerts.yml', () => {
  const readme = readFileSync(join(projectRoot, 'contrib', 'README.md'), 'utf8');
  const alerts = readFileSync(join(projectRoot, 'contrib', 'prometheus', 'alerts.yml'), 'utf8');
  assert.ok(exprs.length >= 8);
  for (const { panel, expr } of exprs) {
    for (const name of expr.match(/oomscope[a-z_:0-9]*/g) ?? []) {
      assert.ok(readme.includes(`| \`${name}\` |`) || alerts.includes(`record: ${name}`), `${panel}: ${name} is neither a metric nor a recording rule`);
    }
  }
});

test('every PromQL expression of the dashboard runs on a real Prometheus', { timeout: 30_000 }, async (t) => {
  const missing = chainUnavailable();
  if (missing) {
    if (isCI) throw new Error(`CI=true, so this may not be skipped: ${missing}`);
    return t.skip(missing);
  }
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-grafana-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freeLoopbackPort();
  const prom = await startPrometheusWithRules(dir, port, 'global: { evaluation_interval: 1s }\nrule_files: [alerts.yml]\n', testAlerts(600));
  t.after(() => prom.stop());
  const variable = dashboard.templating.list.find((v) => v.name === 'instance')?.definition ?? '';
  const inner = /^label_values\((.+), instance\)$/.exec(variable)?.[1];
  assert.ok(inner, `the instance variable: ${variable}`);
  for (const { panel, expr } of [...exprs, { panel: 'variable instance', expr: inner }]) {
    const res = await httpGet(port, `/api/v1/query?query=${encodeURIComponent(concrete(expr))}`, 5000);
    const body = JSON.parse(res.body) as { status: string; error?: string };
    assert.equal(body.status, 'success', `${panel}: ${expr}: ${body.error}`);
  }
  // It does fail on a broken expression (the check is not vacuous).
  const broken = JSON.parse((await httpGet(port, `/api/v1/query?query=${encodeURIComponent('sum by (instance (up)')}`, 5000)).body) as { status: string };
  assert.equal(broken.status, 'error');
});
