// `oomscope watch` as root lowers its own oom_score_adj to -900 (the witness outlives the app); as another user it
// cannot, and runs on with the value it inherited. `setup watch` is not the watcher and leaves it alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { shieldSupervisor, shieldWitness } from '../../src/commands/witness-oom-score.js';
import { findCommand, freeLoopbackPort, mayLowerOomScore, waitFor } from '../support/real-kernel-proc.js';
import { scrape } from '../support/watch-processes.js';
import { cannotRun } from '../exe/support.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const isRoot = process.getuid?.() === 0;
const ownAdj = (): number => Number(readFileSync('/proc/self/oom_score_adj', 'utf8'));

/** Starts the watcher (as `uid` when given), waits until /metrics answers, returns its oom_score_adj, stops it. */
async function watcherScore(dir: string, uid?: number): Promise<number> {
  const port = await freeLoopbackPort();
  const args = [CLI, 'watch', '--kernel', join(dir, 'kern.log'), '--state', join(dir, 'state.json'), '--metrics', `127.0.0.1:${port}`, '--poll', '200'];
  const argv = uid === undefined ? [process.execPath, ...args] : ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', process.execPath, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await waitFor(`the watcher's /metrics (stderr: ${err})`, 15_000, async () => ((await scrape(port)) !== '' ? true : undefined), 100);
    return Number(readFileSync(`/proc/${child.pid}/oom_score_adj`, 'utf8'));
  } finally {
    child.kill('SIGTERM');
    assert.equal(await exited, 0, err);
  }
}

test('with CAP_SYS_RESOURCE (root) watch sets its oom_score_adj to -900; without it, it keeps the inherited value and runs', { timeout: 60_000 }, async (t) => {
  if (!isRoot || !findCommand('setpriv')) {
    cannotRun(t, 'needs root (to lower oom_score_adj) and setpriv (util-linux) to run as another user');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-witness-'));
  chmodSync(dir, 0o777);
  try {
    writeFileSync(join(dir, 'kern.log'), '', { mode: 0o644 });
    assert.notEqual(ownAdj(), -900, 'the test itself is not shielded, so a -900 is the watcher\'s doing');
    if (mayLowerOomScore()) assert.equal(await watcherScore(dir), -900);
    else {
      t.diagnostic('root here lacks CAP_SYS_RESOURCE: checked that the watcher, denied, runs on unshielded');
      assert.equal(await watcherScore(dir), ownAdj());
    }
    rmSync(join(dir, 'state.json'), { force: true });
    // Another user must reach the checkout to run it; a clone in a 0700 folder (mktemp -d) is out of its reach.
    const reachable = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', CLI]).status === 0;
    if (reachable) assert.equal(await watcherScore(dir, 65534), ownAdj());
    else t.diagnostic(`not checked as nobody: ${CLI} is not readable by that user (the checkout's folder is closed to others)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('watch --help says so', () => {
  const help = spawnSync(process.execPath, [CLI, 'watch', '--help'], { encoding: 'utf8' }).stdout;
  assert.match(help, /As root it sets its own oom_score_adj to -900/);
});

test('shieldWitness writes -900 to the file it is given, and says false where it cannot write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-witness-'));
  try {
    const file = join(dir, 'oom_score_adj');
    writeFileSync(file, '0\n');
    assert.equal(shieldWitness(file), true);
    assert.equal(readFileSync(file, 'utf8'), '-900');
    assert.equal(shieldWitness(join(dir, 'missing', 'oom_score_adj')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a value already at or below -900 is kept (never raised); shieldSupervisor answers the value it replaced', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-witness-'));
  try {
    const file = join(dir, 'oom_score_adj');
    writeFileSync(file, '-1000\n');
    assert.equal(shieldWitness(file), false);
    assert.equal(readFileSync(file, 'utf8'), '-1000\n');
    assert.equal(shieldSupervisor(file), null, 'nothing changed: the app inherits -1000 as the supervisor has it');
    writeFileSync(file, '100\n');
    assert.equal(shieldSupervisor(file), 100);
    assert.equal(readFileSync(file, 'utf8'), '-900');
    assert.equal(shieldSupervisor(join(dir, 'missing', 'oom_score_adj')), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
