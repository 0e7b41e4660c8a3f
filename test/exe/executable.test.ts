// The single executable (npm run build:exe) as a user runs it on a server without Node: copied into an empty
// folder, started by its path with nothing in the environment but a PATH on which no `node` can be found.
// It must do what `node .build/src/cli.js` (the same sources, as tsc builds them) does.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { corpusDir, projectRoot } from '../support/paths.js';
import { freeLoopbackPort, sleep, waitFor } from '../support/real-kernel-proc.js';
import { appStart, checkLine, kernelNoise, killBlock, scrape } from '../support/watch-processes.js';
import { builtExecutable, cannotRun, pathWithout } from './support.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

let home = '';
let exe = '';
let bin = '';
before(() => {
  home = mkdtempSync(join(tmpdir(), 'oomscope-exe-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

/** The executable copied into the user's folder, and a node-less PATH; undefined after a skip. */
function userSetup(t: TestContext): string | undefined {
  if (exe !== '') return exe;
  const built = builtExecutable(t);
  if (built === undefined) return undefined;
  exe = join(home, 'oomscope');
  copyFileSync(built, exe);
  // `true` for supervise; nothing else is needed by the executable itself.
  bin = pathWithout(home, ['true']);
  return exe;
}

/** Runs the executable the way `env -i PATH=… ./oomscope ARGS` does, from the user's folder. */
function runExe(args: string[]) {
  return spawnSync(exe, args, { cwd: home, env: { PATH: bin }, encoding: 'utf8', timeout: 60_000 });
}

test('--version prints the package version, with no node on PATH', (t) => {
  if (!userSetup(t)) return;
  const result = runExe(['--version']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `${version}\n`);
  assert.equal(result.stderr, '');
});

test('demo prints the same report as node .build/src/cli.js demo; only the sample folder differs, and it is gone after', (t) => {
  if (!userSetup(t)) return;
  const fromExe = runExe(['demo']);
  const fromNode = spawnSync(process.execPath, [CLI, 'demo'], { cwd: home, env: { PATH: bin }, encoding: 'utf8', timeout: 60_000 });
  assert.equal(fromExe.stderr, fromNode.stderr);
  assert.equal(fromExe.status, fromNode.status);
  // The executable's sample is its embedded copy, written to a private temporary folder for the run.
  const extracted = /(\/\S*\/oomscope-demo-[^/\s]+)\/kern\.log/.exec(fromExe.stdout)?.[1];
  assert.ok(extracted, `the report names the sample's kern.log:\n${fromExe.stdout}`);
  assert.equal(existsSync(extracted), false, `${extracted} is removed at exit`);
  const same = (text: string, dir: string) => text.split(`${dir}/`).join('<sample>/');
  assert.equal(same(fromExe.stdout, extracted), same(fromNode.stdout, join(projectRoot, 'samples', 'anqicms')));
  // Not an empty agreement: the sample's story (scripts/make-demo-sample.mjs) has 8 deaths, the OOM kill of pid 4137 among them.
  assert.match(fromExe.stdout, /anqicms died 8 times/);
  assert.match(fromExe.stdout, /killed anqicms \(pid 4137\)/);
});

test('diagnose --kernel FILE --format json gives the library report, for every file of the kernel corpus', async (t) => {
  if (!userSetup(t)) return;
  if (!existsSync(corpusDir)) {
    cannotRun(t, `${corpusDir} is absent (clone without ../shared)`);
    return;
  }
  const files = readdirSync(corpusDir).filter((name) => name !== 'README.md');
  assert.ok(files.length >= 5, `corpus files: ${files.join(', ')}`);
  let kills = 0;
  for (const name of files) {
    const path = join(corpusDir, name);
    const result = runExe(['diagnose', '--kernel', path, '--format', 'json', '--tz', 'UTC']);
    assert.doesNotMatch(result.stderr, /internal error/, name);
    const expected = JSON.parse(JSON.stringify(await diagnose({ kernel: [path], tz: 'UTC', lang: 'en' }))) as { oomKills: unknown[] };
    assert.deepEqual(JSON.parse(result.stdout), expected, name);
    kills += expected.oomKills.length;
  }
  assert.ok(kills > 0, 'the corpus has OOM kills, so the comparison covers them');
});

test('watch follows growing logs for a few seconds: /metrics answers and a kill appended to kern.log is told', { timeout: 60_000 }, async (t) => {
  if (!userSetup(t)) return;
  const dir = join(home, 'site');
  mkdirSync(dir);
  const now = Date.now();
  const bootMs = now - 86_400_000 - 321;
  writeFileSync(join(dir, 'kern.log'), kernelNoise({ bootMs, atMs: now - 40_000 }));
  writeFileSync(join(dir, 'running.log'), appStart(now - 60_000, '/www/wwwroot/site.example'));
  writeFileSync(join(dir, 'check.log'), checkLine(now - 58_000, 1));
  const port = await freeLoopbackPort();
  const args = ['watch', '--kernel', 'kern.log', '--check', 'check.log', '--app', 'running.log', '--state', 'state.json',
    '--tz', 'UTC', '--poll', '100', '--settle', '2', '--format', 'ndjson', '--metrics', `127.0.0.1:${port}`];
  const child = spawn(exe, args, { cwd: dir, env: { PATH: bin }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (data: string) => (out += data));
  child.stderr.setEncoding('utf8').on('data', (data: string) => (err += data));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    // prom-client inside the executable: the first pass over kern.log is counted.
    await waitFor(`/metrics of the watcher (stderr: ${err})`, 15_000, async () => (/oomscope_lines_read_total\{[^}]*kern\.log/.test(await scrape(port)) ? true : undefined), 100);
    await sleep(1500); // the first start takes what came before it as history (whole-second stamps)
    const at = Date.now();
    appendFileSync(join(dir, 'kern.log'), killBlock({ bootMs, atMs: at, pid: 31337 }));
    appendFileSync(join(dir, 'check.log'), checkLine(at + 300, 0));
    const told = await waitFor(`the kill told on stdout (stdout: ${out}; stderr: ${err})`, 10_000, () =>
      out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((notice) => notice.notice === 'incident' && notice.pid === 31337));
    assert.equal(told.verdict, 'kernel-oom');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, err);
});

test('supervise -- true: each exit gets a death certificate; SIGTERM stops it with exit 0', { timeout: 60_000 }, async (t) => {
  if (!userSetup(t)) return;
  const dir = join(home, 'supervised');
  mkdirSync(dir);
  const child = spawn(exe, ['supervise', '--incidents', 'deaths.ndjson', '--backoff-initial', '1', '--backoff-max', '1', '--format', 'ndjson', '--', 'true'],
    { cwd: dir, env: { PATH: bin }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (data: string) => (err += data));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let first: Record<string, unknown>;
  try {
    first = await waitFor(`a death certificate in deaths.ndjson (stderr: ${err})`, 15_000, () => {
      const path = join(dir, 'deaths.ndjson');
      const line = existsSync(path) ? readFileSync(path, 'utf8').split('\n')[0] : '';
      return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
    });
  } finally {
    child.kill('SIGTERM');
  }
  // `true` exits by itself with code 0.
  assert.equal(first.notice, 'incident');
  assert.equal(first.process, 'true');
  assert.equal(first.verdict, 'exited');
  assert.equal((first.supervisor as { exitCode: number }).exitCode, 0);
  assert.equal(await exited, 0, err);
});

test('setup watch --dry-run writes the executable itself into ExecStart= (no node, no script path)', (t) => {
  if (!userSetup(t)) return;
  const root = join(home, 'fake-root');
  mkdirSync(join(root, 'run', 'systemd', 'system'), { recursive: true });
  const result = runExe(['setup', 'watch', '--root', root, '--dry-run', '--dir', '/www/wwwroot/site.example']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^ {4}ExecStart=${exe} watch --kernel kmsg --dir /www/wwwroot/site\\.example `, 'm'));
});
