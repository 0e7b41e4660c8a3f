// The fleet's whole chain, for real: two `oomscope watch --metrics` standing for two servers (127.0.0.1 and 127.0.0.2,
// which scrape.yml's relabelling turns into their `instance`), one Prometheus running contrib/prometheus/ and one
// Alertmanager running contrib/alertmanager/ (copies with 1 s intervals and 6 s windows), a webhook receiver of the
// test. A kill appended to one server's kernel log must reach the receiver as exactly one OomscopeProcessDied and one
// OomscopeOomKill naming that server, the victim and the verdict, and nothing for the other; then resolve; then the
// other's watcher, stopped, must give OomscopeDown. Skips without prometheus/prometheus-alertmanager, except under CI=true.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, sleep, waitFor } from '../support/real-kernel-proc.js';
import { fixture, isCI } from '../support/paths.js';
import { kernelNoise, killAllChildren, killBlock, promQuery, scrape, startWatcher, startWebhookReceiver, type ReceivedPost } from '../support/watch-processes.js';
import { chromiumUnavailable, seeInChromium } from './fleet-browser.js';
import {
  chainUnavailable,
  startAlertmanager,
  startPrometheusWithRules,
  testAlertmanagerConfig,
  testAlerts,
  testScrapeConfig,
} from './chain-processes.js';

const WINDOW_SECONDS = 6;
const SECRET = 'SECfleet-chain-test';
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch(() => undefined);
  killAllChildren();
});

function cannotRun(t: TestContext, reason: string): void {
  if (isCI) throw new Error(`CI=true, so this may not be skipped: ${reason}`);
  t.skip(reason);
}

interface AlertOf {
  status: string;
  labels: Record<string, string>;
}
/** Alertmanager's webhook body (version 4): the alerts of one group, firing or resolved. */
interface Notification {
  status: string;
  alerts: AlertOf[];
  groupLabels: Record<string, string>;
}

function notifications(posts: readonly ReceivedPost[]): Notification[] {
  return posts.map((p) => p.json as unknown as Notification).filter((n) => n && Array.isArray(n.alerts));
}

/** Alerts of the notifications with `status`, as `alertname instance status` plus the labels asked for. */
function alertsOf(posts: readonly ReceivedPost[], filter: (a: AlertOf) => boolean): AlertOf[] {
  return notifications(posts).flatMap((n) => n.alerts.filter(filter));
}

test('two watchers, Prometheus and Alertmanager: one kill is one alert naming its server, victim and verdict; it resolves; a stopped watcher is OomscopeDown', { timeout: 60_000 }, async (t) => {
  const missing = chainUnavailable();
  if (missing) return cannotRun(t, missing);
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-fleet-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

  const receiver = await startWebhookReceiver();
  cleanups.push(() => receiver.close());
  const receiverUrl = `http://127.0.0.1:${receiver.port}/alertmanager`;
  // `oomscope relay` beside Alertmanager, forwarding to a stand-in for a DingTalk robot (signed, in Chinese).
  const robot = await startWebhookReceiver();
  cleanups.push(() => robot.close());
  const relayPort = await freeLoopbackPort();
  const relay = spawn(
    process.execPath,
    [fixture('.build', 'src', 'cli.js'), 'relay', '--listen', `127.0.0.1:${relayPort}`, '--webhook', `http://127.0.0.1:${robot.port}/robot/send?access_token=tok123456`, '--webhook-template', 'dingtalk', '--lang', 'zh-CN'],
    { env: { ...process.env, OOMSCOPE_WEBHOOK_SECRET: SECRET }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let relayLog = '';
  relay.stderr!.setEncoding('utf8').on('data', (d: string) => (relayLog += d));
  const relayExit = new Promise<number | null>((resolve) => relay.once('exit', (code) => resolve(code)));
  cleanups.push(() => void relay.kill('SIGKILL'));
  // In --lang zh-CN the relay's start line is the catalogue's relay.listening: `relay 正在监听 ADDR`.
  await waitFor('the relay to listen', 10_000, () => relayLog.includes('relay 正在监听 127.0.0.1:') || undefined);

  // Two servers: each its own kernel log (one harmless line), state file and metrics address.
  const bootMs = Date.now() - 86_400_000 - 321;
  const servers = await Promise.all(
    ['127.0.0.1', '127.0.0.2'].map(async (host, i) => {
      const kern = join(dir, `kern-${i + 1}.log`);
      writeFileSync(kern, kernelNoise({ bootMs, atMs: Date.now() - 20_000, host: `web0${i + 1}` }));
      const port = await freeLoopbackPort();
      const watcher = startWatcher(['--kernel', kern, '--state', join(dir, `state-${i + 1}.json`), '--tz', 'UTC', '--poll', '100', '--format', 'ndjson', '--metrics', `${host}:${port}`]);
      cleanups.push(async () => void (await watcher.stop()));
      return { host, port, kern, watcher, name: `web0${i + 1}` };
    }),
  );
  const [one, two] = servers as [(typeof servers)[0], (typeof servers)[0]];

  const amPort = await freeLoopbackPort();
  const am = await startAlertmanager(join(dir, 'alertmanager'), amPort, testAlertmanagerConfig([receiverUrl, `http://127.0.0.1:${relayPort}/`]));
  cleanups.push(() => am.stop());
  const promPort = await freeLoopbackPort();
  const prom = await startPrometheusWithRules(
    join(dir, 'prometheus'),
    promPort,
    testScrapeConfig(servers.map((s) => `${s.host}:${s.port}`), `127.0.0.1:${amPort}`),
    testAlerts(WINDOW_SECONDS),
  );
  cleanups.push(() => prom.stop());

  // Both scraped, as their own instance (scrape.yml cuts the port off).
  await waitFor('Prometheus to scrape both watchers', 20_000, async () => {
    const up = await promQuery(promPort, 'up{job="oomscope"} == 1');
    return up.length === 2 || undefined;
  }, 200);
  const instances = (await promQuery(promPort, 'oomscope_inputs_followed')).map((r) => r.metric.instance).sort();
  assert.deepEqual(instances, ['127.0.0.1', '127.0.0.2']);
  // The OOM-kill rule alerts on a victim's new series only on a target scraped a window ago (so that adding a host
  // does not alert on its old kills): wait out the window, and let the watchers' first start pass (whole seconds).
  await sleep((WINDOW_SECONDS + 1) * 1000);
  assert.deepEqual(alertsOf(receiver.posts, () => true), [], 'no alert before the kill');

  // The kill: test/diagnose/fixtures/anqicms-kill-5.15.kern.log's block, line 60 `constraint=CONSTRAINT_NONE` (global),
  // line 61 `Killed process 21880 (anqicms)`, re-stamped now with pid 41001.
  appendFileSync(one.kern, killBlock({ bootMs, atMs: Date.now(), pid: 41001, host: one.name }));
  const told = await one.watcher.waitForNotice('the watcher to tell the kill', 10_000, (j) => j.notice === 'incident' && j.pid === 41001);
  assert.equal(told.json.verdict, 'kernel-oom');
  assert.match(await scrape(one.port), /oomscope_deaths_total\{process="anqicms",verdict="kernel-oom"\} 1/);

  const firing = (name: string) => (a: AlertOf) => a.status === 'firing' && a.labels.alertname === name;
  await waitFor('Alertmanager to notify OomscopeProcessDied and OomscopeOomKill', 20_000, () =>
    (alertsOf(receiver.posts, firing('OomscopeProcessDied')).length > 0 && alertsOf(receiver.posts, firing('OomscopeOomKill')).length > 0) || undefined, 100);
  const resolved = (name: string) => (a: AlertOf) => a.status === 'resolved' && a.labels.alertname === name;
  // The windows pass: both resolve.
  await waitFor('both alerts to resolve', 25_000, () =>
    (alertsOf(receiver.posts, resolved('OomscopeProcessDied')).length > 0 && alertsOf(receiver.posts, resolved('OomscopeOomKill')).length > 0) || undefined, 100);

  const died = alertsOf(receiver.posts, firing('OomscopeProcessDied'));
  assert.equal(died.length, 1, JSON.stringify(died));
  assert.deepEqual(died[0]!.labels, { alertname: 'OomscopeProcessDied', job: 'oomscope', instance: '127.0.0.1', process: 'anqicms', verdict: 'kernel-oom', severity: 'warning' });
  const killed = alertsOf(receiver.posts, firing('OomscopeOomKill'));
  assert.equal(killed.length, 1, JSON.stringify(killed));
  assert.deepEqual(killed[0]!.labels, { alertname: 'OomscopeOomKill', job: 'oomscope', instance: '127.0.0.1', victim: 'anqicms', constraint: 'global', severity: 'warning' });
  assert.deepEqual(alertsOf(receiver.posts, (a) => a.labels.instance === '127.0.0.2'), [], 'nothing about the other server');

  // The other server's watcher stops: its scrapes fail, `up == 0` for the (test) 2 s gives OomscopeDown.
  assert.equal((await two.watcher.stop()).code, 0, two.watcher.stderr());
  await waitFor('OomscopeDown for the stopped watcher', 20_000, () => alertsOf(receiver.posts, firing('OomscopeDown')).length > 0 || undefined, 100);
  const down = alertsOf(receiver.posts, (a) => a.labels.alertname === 'OomscopeDown');
  assert.deepEqual(down.map((a) => [a.status, a.labels.instance]), [['firing', '127.0.0.2']]);
  // Every notification is one alert name and one server (group_by: [alertname, instance]).
  for (const n of notifications(receiver.posts)) assert.deepEqual(Object.keys(n.groupLabels).sort(), ['alertname', 'instance']);

  // The relay's messages: DingTalk markdown, signed (timestamp + "\n" + secret, HMAC-SHA256 keyed by the secret,
  // Base64), in Chinese, one per alert and status, the same ones the receiver got.
  await waitFor('the relay to forward OomscopeDown', 10_000, () => robot.posts.some((p) => p.body.includes('oomscope 没有上报')) || undefined, 100);
  const titles = robot.posts.map((p) => (p.json as { markdown: { title: string } }).markdown.title).sort();
  assert.deepEqual(titles, [
    '[oomscope] 127.0.0.1：anqicms 退出：被内核 OOM killer 杀死',
    '[oomscope] 127.0.0.1：内核 OOM killer 杀死了 anqicms（global）',
    '[oomscope] 127.0.0.2：oomscope 没有上报',
    '[oomscope] 已解除：127.0.0.1：anqicms 退出：被内核 OOM killer 杀死',
    '[oomscope] 已解除：127.0.0.1：内核 OOM killer 杀死了 anqicms（global）',
  ]);
  for (const post of robot.posts) {
    const url = new URL(post.path, 'http://robot');
    assert.equal(url.searchParams.get('access_token'), 'tok123456');
    const timestamp = url.searchParams.get('timestamp') ?? '';
    const expected = createHmac('sha256', SECRET).update(`${timestamp}\n${SECRET}`).digest('base64');
    assert.equal(url.searchParams.get('sign'), expected, 'DingTalk signature');
    assert.equal((post.json as { msgtype: string }).msgtype, 'markdown');
  }

  // `oomscope fleet` against this Prometheus: the kill above (one death, kernel-oom; one OOM kill of anqicms) on
  // 127.0.0.1, nothing on 127.0.0.2, whose watcher is silent (exit code 3).
  const fleet = (args: string[]) => spawnSync(process.execPath, [fixture('.build', 'src', 'cli.js'), 'fleet', '--prometheus', `http://127.0.0.1:${promPort}`, '--since', '1h', ...args], { encoding: 'utf8' });
  const json = fleet(['--format', 'json']);
  assert.equal(json.status, 3, json.stderr);
  const data = JSON.parse(json.stdout) as { servers: { instance: string; deaths: number; verdicts: unknown[]; oomKills: number; victims: unknown[]; lastDeath: string | null; up: boolean | null }[] };
  assert.deepEqual(data.servers.map((s) => [s.instance, s.deaths, s.verdicts, s.oomKills, s.victims, s.up]), [
    ['127.0.0.1', 1, [{ verdict: 'kernel-oom', process: 'anqicms', count: 1 }], 1, [{ victim: 'anqicms', count: 1 }], true],
    ['127.0.0.2', 0, [], 0, [], false],
  ]);
  assert.equal(data.servers[0]!.lastDeath, new Date(told.json.diedAt as string).toISOString(), 'oomscope_last_death_timestamp_seconds is the death told');
  const zh = fleet(['--lang', 'zh-CN']);
  assert.equal(zh.status, 3);
  assert.match(zh.stdout, /^127\.0\.0\.1 \| 1 \| anqicms 被内核 OOM killer 杀死 ×1 \| 1（anqicms ×1） \| .+ \| 正常$/m);
  assert.match(zh.stdout, /^127\.0\.0\.2 \| 0 \| - \| 0 \| 无 \| 失联$/m);
  assert.match(zh.stdout, /1 台服务器的监视器失联：/);
  const en = fleet(['--lang', 'en']);
  assert.match(en.stdout, /^127\.0\.0\.1 \| 1 \| anqicms killed by the kernel OOM killer ×1 \| 1 \(anqicms ×1\) \| .+ \| up$/m);
  t.diagnostic(zh.stdout);
  // The HTML page, both languages, in Chromium: nothing requested but the file, no error, the same rows, styled.
  const noBrowser = chromiumUnavailable();
  if (noBrowser && isCI) throw new Error(`CI=true needs the browser: ${noBrowser}`);
  if (noBrowser) t.diagnostic(`fleet HTML not checked in a browser: ${noBrowser}`);
  else {
    const pages = (['en', 'zh-CN'] as const).map((lang) => {
      const html = fleet(['--format', 'html', '--lang', lang]);
      assert.equal(html.status, 3, html.stderr);
      return { name: `fleet-${lang}`, html: html.stdout };
    });
    const [enPage, zhPage] = await seeInChromium(pages);
    for (const page of [enPage!, zhPage!]) {
      assert.deepEqual(page.requests, [page.url], 'requests other than the file itself');
      assert.deepEqual(page.errors, []);
      assert.ok(page.styled, 'the stylesheet applied');
    }
    assert.deepEqual(enPage!.rows.map((r) => [r[0], r[1], r[2], r[5]]), [['127.0.0.1', '1', 'anqicms killed by the kernel OOM killer ×1', 'up'], ['127.0.0.2', '0', '—', 'SILENT']]);
    assert.deepEqual(zhPage!.rows.map((r) => [r[0], r[1], r[2], r[3], r[5]]), [['127.0.0.1', '1', 'anqicms 被内核 OOM killer 杀死 ×1', '1anqicms ×1', '正常'], ['127.0.0.2', '0', '—', '0', '失联']]);
  }

  relay.kill('SIGTERM');
  assert.equal(await relayExit, 0, relayLog);
  assert.doesNotMatch(relayLog, new RegExp(SECRET), 'the secret never printed');
  t.diagnostic(`${receiver.posts.length} notifications: ${notifications(receiver.posts).map((n) => `${n.status} ${n.groupLabels.alertname}@${n.groupLabels.instance}`).join(', ')}`);
});
