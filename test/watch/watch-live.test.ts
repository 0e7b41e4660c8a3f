// `oomscope watch` on real parts (issue 7): the CLI as a child process, a real OOM kill on the real kernel told to a
// webhook receiver and stdout, Prometheus scraping its /metrics, rotation of the files it follows, a restart of the
// watcher in the middle, and hostile label values. The tests run one after another and share the real kill.
// Needs root and a memory cgroup (tests 1-2) and Debian's prometheus (test 2); without them they skip with the
// reason, except under CI=true, where a skip is a failure. Tests 3-5 use made-up logs with current times.
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isCI } from '../support/paths.js';
import { freeLoopbackPort, sleep, waitFor } from '../support/real-kernel-proc.js';
import { realKernelUnavailable, runScenario, type ScenarioResult } from '../support/real-kernel-scenario.js';
import {
  appStart,
  checkLine,
  kernelNoise,
  killAllChildren,
  killBlock,
  prometheusUnavailable,
  sample,
  samples,
  scrape,
  startPrometheus,
  startWatcher,
  startWebhookReceiver,
  type Notice,
  type PrometheusChild,
  type WatcherChild,
} from '../support/watch-processes.js';

/** Cleanups run in reverse order after the last test, whatever happened; then every child left is SIGKILLed. */
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch(() => undefined);
  killAllChildren();
});

function cannotRun(t: TestContext, reason: string): void {
  if (isCI) throw new Error(`CI=true, so this may not be skipped: ${reason}`);
  t.skip(reason);
}

function tempDir(): string {
  // Never `oomscope-rk-` (the real-kernel harness kills processes whose command line names such a directory).
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A watcher stopped (SIGTERM) in the after hook if the test did not stop it. */
function watcher(args: string[], options: { cwd?: string } = {}): WatcherChild {
  const w = startWatcher(args, options);
  cleanups.push(async () => {
    await w.stop();
  });
  return w;
}

const incidents = (w: WatcherChild, kind: 'incident' | 'update' = 'incident'): Notice[] => w.notices.filter((n) => n.json.notice === kind);

async function freePort(): Promise<number> {
  for (;;) {
    const port = await freeLoopbackPort();
    if (port !== 9090) return port;
  }
}

/** Waits until the watcher's /metrics shows that its first pass read `input` (health is recorded after each pass). */
async function firstPassDone(metricsPort: number, input: string, timeoutMs = 15_000): Promise<string> {
  return waitFor(`the watcher's first pass over ${input} (/metrics on ${metricsPort})`, timeoutMs, async () => {
    const text = await scrape(metricsPort);
    return sample(text, 'oomscope_lines_read_total', { input }) !== undefined ? text : undefined;
  }, 100);
}

// ---- 1 and 2: a real OOM kill, told live; Prometheus scraping it ----

interface Live {
  result: ScenarioResult;
  watcher: WatcherChild;
  prometheus: PrometheusChild | null;
  /** oomscope_oom_kills_total{victim="anqicms"} in Prometheus before the trigger (0 when absent). */
  promKillsBefore: number;
}
let live: Live | null = null;
let liveSkipped: string | null = null;

test('a real OOM kill, live: webhook and ndjson within 5 s of the death, then an update once the guardian restarted it', { timeout: 120_000 }, async (t) => {
  const reason = realKernelUnavailable();
  if (reason) {
    liveSkipped = reason;
    cannotRun(t, reason);
    return;
  }
  const dir = tempDir();
  const hook = await startWebhookReceiver();
  cleanups.push(() => hook.close());
  const metricsPort = await freePort();

  // Prometheus first: it waits about 5 s before its first scrape of a new target; that wait overlaps the set-up.
  let prometheus: PrometheusChild | null = null;
  if (!prometheusUnavailable()) {
    prometheus = await startPrometheus(join(dir, 'prometheus'), await freePort(), `127.0.0.1:${metricsPort}`);
    const p = prometheus;
    cleanups.push(() => p.stop());
  }

  let w: WatcherChild | undefined;
  let watcherStartedAt = Number.NaN;
  let promKillsBefore = 0;
  const result = await runScenario('leak', {
    beforeTrigger: async (run) => {
      // Relative paths from the install dir: the watcher's command line must not name the scenario's directory
      // (start.sh counts `\<anqicms\>` in `ps -ef`; another scenario's clean-up kills what names `oomscope-rk-`).
      watcherStartedAt = Date.now();
      w = watcher(
        [
          '--kernel', 'kmsg', '--check', 'check.log', '--app', 'running.log', '--state', join(dir, 'state.json'),
          '--poll', '200', '--settle', '5', '--format', 'ndjson',
          '--webhook', `http://127.0.0.1:${hook.port}/hook`, '--metrics', `127.0.0.1:${metricsPort}`,
        ],
        { cwd: dirname(run.checkLog) },
      );
      const text = await firstPassDone(metricsPort, 'kmsg');
      // The ring buffer's earlier kills (other anqicms pids) are history: not counted, not told.
      assert.equal(sample(text, 'oomscope_oom_kills_total', { victim: 'anqicms', constraint: 'memcg' }) ?? 0, 0, 'earlier kills counted as new');
      if (prometheus) {
        const p = prometheus;
        await waitFor('Prometheus to scrape the watcher', 15_000, async () => (await p.query('up{job="oomscope"}')).some((r) => r.value === 1), 200);
        promKillsBefore = (await p.query('sum(oomscope_oom_kills_total{victim="anqicms"})'))[0]?.value ?? 0;
      }
    },
  });
  // The scenario's directory is removed once the watcher is done with it and everything passed (else kept for a look).
  assert.ok(w, 'beforeTrigger ran');
  const watching = w;
  live = { result, watcher: watching, prometheus, promKillsBefore };
  t.diagnostic(`pid ${result.pid} died at ${result.vanishedAt.toISOString()}, restarted as ${result.restartedPid}; ${result.durationMs} ms`);

  const told = (json: Record<string, unknown> | null): boolean => json?.notice === 'incident' && json.pid === result.pid;
  const deadline = result.vanishedAt.getTime() + 5000;
  const post = await waitFor('the webhook POST of the death', Math.max(0, deadline - Date.now()) + 200, () => hook.posts.find((p) => told(p.json)));
  assert.equal(post.path, '/hook');
  assert.equal(post.json?.verdict, 'cgroup-oom', post.body);
  assert.ok(post.at <= deadline, `webhook POST ${post.at - result.vanishedAt.getTime()} ms after the death`);
  const line = await watching.waitForNotice('the ndjson line of the death', Math.max(0, deadline - Date.now()) + 200, told);
  assert.equal(line.json.verdict, 'cgroup-oom');
  assert.equal(line.json.id, post.json?.id);
  assert.ok(line.at <= deadline, `ndjson line ${line.at - result.vanishedAt.getTime()} ms after the death`);
  t.diagnostic(`told ${post.at - result.vanishedAt.getTime()} ms (webhook) and ${line.at - result.vanishedAt.getTime()} ms (stdout) after the death`);

  const update = await watching.waitForNotice('the update with restartedAt', 15_000, (j) => j.notice === 'update' && j.id === line.json.id);
  assert.equal(update.json.pid, result.pid);
  assert.equal(typeof update.json.restartedAt, 'string');
  assert.ok(Date.parse(update.json.restartedAt as string) >= Date.parse(line.json.diedAt as string), 'restartedAt after diedAt');
  await waitFor('the webhook POST of the update', 5000, () => hook.posts.find((p) => p.json?.notice === 'update' && p.json.id === line.json.id));

  // Told once; nothing from the ring buffer's history. (Deaths after the watcher started may be told: this run's
  // restarted instance is killed at the end, and other test files' scenarios may kill theirs meanwhile.)
  assert.equal(incidents(watching).filter((n) => n.json.id === line.json.id).length, 1);
  for (const n of incidents(watching)) {
    const diedAt = typeof n.json.diedAt === 'string' ? Date.parse(n.json.diedAt) : Number.NaN;
    assert.ok(n.json.pid === result.pid || diedAt >= watcherStartedAt - 1000, `an earlier death told as new: ${JSON.stringify(n.json)}`);
  }
  if (!prometheus) {
    assert.equal((await watching.stop()).code, 0, watching.stderr());
    result.cleanup();
  }
});

test('Prometheus scrapes the watcher: deaths_total{verdict="cgroup-oom"} ≥ 1 and the anqicms OOM kills went up', { timeout: 30_000 }, async (t) => {
  const noProm = prometheusUnavailable();
  if (liveSkipped || !live) {
    cannotRun(t, liveSkipped ?? 'the real OOM kill (previous test) did not run');
    return;
  }
  if (noProm || !live.prometheus) {
    cannotRun(t, noProm ?? 'Prometheus did not start');
    return;
  }
  const { prometheus, watcher: w, promKillsBefore } = live;
  const started = Date.now();
  const deaths = await waitFor('Prometheus to see oomscope_deaths_total{verdict="cgroup-oom"} >= 1', 10_000, async () => {
    const r = (await prometheus.query('oomscope_deaths_total')).filter((s) => s.metric.verdict === 'cgroup-oom' && s.metric.process === 'anqicms');
    return r.some((s) => s.value >= 1) ? r : undefined;
  }, 250);
  assert.equal(deaths[0]?.metric.job, 'oomscope');
  const kills = await waitFor('Prometheus to see more oomscope_oom_kills_total{victim="anqicms"}', 10_000, async () => {
    const v = (await prometheus.query('sum(oomscope_oom_kills_total{victim="anqicms"})'))[0]?.value;
    return v !== undefined && v >= promKillsBefore + 1 ? v : undefined;
  }, 250);
  t.diagnostic(`Prometheus: deaths ${deaths[0]?.value}, anqicms kills ${promKillsBefore} → ${kills}, ${Date.now() - started} ms into this test`);

  await prometheus.stop();
  const end = await w.stop();
  assert.equal(end.code, 0, `the watcher's exit after SIGTERM (stderr: ${w.stderr()})`);
  live.result.cleanup();
});

// ---- 3-5: made-up logs with current times (kernel lines carry wall time and uptime of one boot) ----

interface Files {
  dir: string;
  kern: string;
  check: string;
  running: string;
  state: string;
  bootMs: number;
  install: string;
}

/** check.log, running.log and kern.log as a minute of an AnQiCMS server up to now, the app up since a minute ago. */
function serverFiles(): Files {
  const dir = tempDir();
  const now = Date.now();
  const bootMs = now - 3 * 86_400_000 - 777; // a boot three days ago; uptime = wall time − boot time
  const files: Files = {
    dir,
    kern: join(dir, 'kern.log'),
    check: join(dir, 'check.log'),
    running: join(dir, 'running.log'),
    state: join(dir, 'state.json'),
    bootMs,
    install: '/www/wwwroot/site.example',
  };
  writeFileSync(files.kern, kernelNoise({ bootMs, atMs: now - 50_000 }));
  writeFileSync(files.running, appStart(now - 60_000, files.install));
  writeFileSync(files.check, checkLine(now - 58_000, 1) + checkLine(now - 30_000, 1));
  return files;
}

function fileWatcher(f: Files, extra: string[] = []): WatcherChild {
  return watcher(['--kernel', f.kern, '--check', f.check, '--app', f.running, '--state', f.state, '--tz', 'UTC', '--poll', '100', '--settle', '2', '--format', 'ndjson', ...extra]);
}

/** A death by OOM kill at about now (pid `pid`) and the guardian's 0 after it. */
function kill(f: Files, pid: number): void {
  const at = Date.now();
  appendFileSync(f.kern, killBlock({ bootMs: f.bootMs, atMs: at, pid }));
  appendFileSync(f.check, checkLine(at + 300, 0));
}

/** The guardian starts the app again: its start in running.log, then check: 1. */
function restart(f: Files): void {
  const at = Date.now();
  appendFileSync(f.running, appStart(at, f.install));
  appendFileSync(f.check, checkLine(at + 1000, 1));
}

/** The watcher's first start takes everything before it as history: kills must come after it (whole-second stamps). */
async function pastHorizon(): Promise<void> {
  await sleep(1500);
}

test('rotation while watching (rename-and-create, then copytruncate of all three files): a later kill is told exactly once', { timeout: 30_000 }, async (t) => {
  const f = serverFiles();
  const metricsPort = await freePort();
  const w = fileWatcher(f, ['--metrics', `127.0.0.1:${metricsPort}`]);
  await firstPassDone(metricsPort, f.kern);
  await pastHorizon();

  // logrotate's default: rename, create an empty file, the writers go on in the new one.
  for (const path of [f.kern, f.check, f.running]) renameSync(path, `${path}.1`);
  const now = Date.now();
  writeFileSync(f.kern, kernelNoise({ bootMs: f.bootMs, atMs: now }));
  writeFileSync(f.check, checkLine(now, 1));
  writeFileSync(f.running, `${new Date(now).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} isLimiting 1 429\n`);
  await waitFor('the watcher to say the files were rotated', 5000, () => (w.stderr().match(/was rotated/g) ?? []).length >= 3 || undefined);

  // copytruncate: copied aside, then truncated in place.
  await sleep(300);
  for (const path of [f.kern, f.check, f.running]) {
    copyFileSync(path, `${path}.2`);
    truncateSync(path, 0);
  }
  // check.log gets its next line before the watcher looks again: as long as before the truncation, yet new.
  appendFileSync(f.check, checkLine(now + 1000, 1));
  await waitFor('the watcher to say the files were truncated', 5000, () => (w.stderr().match(/was truncated/g) ?? []).length >= 3 || undefined);

  kill(f, 30001);
  const told = await w.waitForNotice('the kill written after rotation', 5000, (j) => j.notice === 'incident' && j.pid === 30001);
  assert.equal(told.json.verdict, 'kernel-oom');
  restart(f);
  await w.waitForNotice('its update', 5000, (j) => j.notice === 'update' && j.id === told.json.id);
  await sleep(2500); // past --settle: a silent death made of the rotations would be told by now
  assert.deepEqual(incidents(w).map((n) => n.json.pid), [30001], `exactly one death told:\n${w.stdout()}`);
  assert.equal(incidents(w, 'update').length, 1);
  t.diagnostic(w.stderr().trim().split('\n').join(' | '));
  assert.equal((await w.stop()).code, 0);
});

test('a restart of the watcher in the middle: nothing told twice, a kill while it was down told when it is back', { timeout: 30_000 }, async () => {
  const f = serverFiles();
  const port1 = await freePort();
  const first = fileWatcher(f, ['--metrics', `127.0.0.1:${port1}`]);
  await firstPassDone(port1, f.kern);
  await pastHorizon();
  kill(f, 30002);
  const one = await first.waitForNotice('the first death', 5000, (j) => j.notice === 'incident' && j.pid === 30002);
  restart(f);
  await first.waitForNotice('its update', 5000, (j) => j.notice === 'update' && j.id === one.json.id);
  const before = await scrape(port1);
  assert.equal(sample(before, 'oomscope_deaths_total', { process: 'anqicms', verdict: 'kernel-oom' }), 1);
  assert.equal((await first.stop()).code, 0, first.stderr());

  // While it is down: another death and restart.
  await sleep(1200);
  kill(f, 30003);
  await sleep(1000);
  restart(f);

  const port2 = await freePort();
  const second = fileWatcher(f, ['--metrics', `127.0.0.1:${port2}`]);
  const two = await second.waitForNotice('the death while it was down', 5000, (j) => j.notice === 'incident' && j.pid === 30003);
  assert.notEqual(two.json.id, one.json.id);
  await sleep(2500); // past --settle: a silent death re-read from check.log would be told by now
  const told = second.notices.map((n) => `${n.json.notice} ${n.json.pid}`).filter((s) => s !== 'update 30003');
  assert.deepEqual(told, ['incident 30003'], `second run told:\n${second.stdout()}`);
  // The counters came back from the state file, and the first death was not counted again.
  const after = await scrape(port2);
  assert.equal(sample(after, 'oomscope_deaths_total', { process: 'anqicms', verdict: 'kernel-oom' }), 2, after);
  assert.equal(sample(after, 'oomscope_oom_kills_total', { victim: 'anqicms', constraint: 'global' }), 2, after);
  assert.equal((await second.stop()).code, 0);
});

test('hostile label values: 100 distinct victim names give at most the cap (20) + other on /metrics', { timeout: 30_000 }, async (t) => {
  const f = serverFiles();
  const metricsPort = await freePort();
  const w = fileWatcher(f, ['--metrics', `127.0.0.1:${metricsPort}`]);
  await firstPassDone(metricsPort, f.kern);
  await pastHorizon();
  const nasty = ['q"uote', 'back\\slash', 'a{b}=c,d', '进程名', 'sp ace', 'x\u202etxt', 'mysqld'];
  const names = Array.from({ length: 100 }, (_, i) => `${nasty[i % nasty.length]!.slice(0, 11)}${i}`.slice(0, 15));
  assert.equal(new Set(names).size, 100);
  const at = Date.now();
  appendFileSync(f.kern, names.map((name, i) => killBlock({ bootMs: f.bootMs, atMs: at + i * 10, pid: 40000 + i, name })).join(''));
  const text = await waitFor('100 OOM kills on /metrics', 10_000, async () => {
    const body = await scrape(metricsPort);
    const total = samples(body, 'oomscope_oom_kills_total').reduce((s, x) => s + x.value, 0);
    return total >= 100 ? body : undefined;
  }, 200);
  const kills = samples(text, 'oomscope_oom_kills_total');
  const victims = new Set(kills.map((s) => s.labels.victim));
  t.diagnostic(`${victims.size} victim label values: ${JSON.stringify([...victims]).replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}`);
  assert.equal(kills.reduce((s, x) => s + x.value, 0), 100, 'every kill counted once');
  assert.ok(victims.has('other'), 'the rest under other');
  assert.ok(victims.size <= 21, `${victims.size} victim label values`);
  for (const v of victims) assert.ok(v === 'other' || (v !== undefined && names.includes(v)), `label ${JSON.stringify(v)} is not one of the names`);
  // Every sample line parses (labels escaped per the exposition format).
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/, `malformed line: ${line}`);
  }
  assert.deepEqual(incidents(w), [], 'no death of anqicms');
  assert.equal((await w.stop()).code, 0);
});
