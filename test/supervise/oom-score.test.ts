// The supervisor lowers its own oom_score_adj to -900 where it may (root with CAP_SYS_RESOURCE), and its app starts
// with the value the supervisor inherited, not -900: checked on real processes through /proc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkWithOomScoreAdj, readOomScoreAdj } from '../../src/supervise/oom-score.js';
import { mayLowerOomScore, readTextIfExists, signalQuietly, waitFor } from '../support/real-kernel-proc.js';
import { cannotRun, CLI } from './support.js';

const OWN = '/proc/self/oom_score_adj';
const adjOf = (pid: number): number => Number(readFileSync(`/proc/${pid}/oom_score_adj`, 'utf8'));
/** A shell that prints its own oom_score_adj (a builtin read: no other process in between). */
const PRINT_OWN = 'read adj < /proc/self/oom_score_adj; echo "life $$ $adj"';

test('forkWithOomScoreAdj: the file holds the child value while the fork runs, and its own value after', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-svoom-'));
  try {
    const file = join(dir, 'oom_score_adj');
    writeFileSync(file, '-900\n');
    assert.equal(forkWithOomScoreAdj(100, () => readFileSync(file, 'utf8'), file), '100');
    assert.equal(readOomScoreAdj(file), -900);
    writeFileSync(file, '-900\n');
    assert.equal(forkWithOomScoreAdj(null, () => readFileSync(file, 'utf8'), file), '-900\n', 'null: left as it is');
    assert.throws(() => forkWithOomScoreAdj(100, () => { throw new Error('spawn failed'); }, file), /spawn failed/);
    assert.equal(readOomScoreAdj(file), -900, 'put back when the fork throws too');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a child started through forkWithOomScoreAdj has the given value; this process keeps its own', (t) => {
  const own = readOomScoreAdj(OWN);
  if (own === null || own > 700) {
    cannotRun(t, `needs /proc/self/oom_score_adj at 700 or less (it is ${own}): the child gets 300 more, which needs no privilege`);
    return;
  }
  const child = forkWithOomScoreAdj(own + 300, () => spawnSync('sh', ['-c', PRINT_OWN], { encoding: 'utf8' }));
  assert.match(child.stdout, new RegExp(`^life \\d+ ${own + 300}\\n$`));
  assert.equal(readOomScoreAdj(OWN), own);
});

test('supervise as root: itself at -900 where it may lower (else as it was), each life of its app at the value it inherited', { timeout: 60_000 }, async (t) => {
  if (process.getuid?.() !== 0) {
    cannotRun(t, 'needs root (supervise shields itself only as root)');
    return;
  }
  assert.notEqual(readOomScoreAdj(OWN), -900, "the test itself is not shielded, so a -900 is the supervisor's doing");
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-sv-oom-'));
  const runningLog = join(dir, 'running.log');
  // The supervisor starts at 100, set by this wrapper before node runs (raising needs no privilege).
  const argv = ['-c', 'echo 100 > /proc/self/oom_score_adj && exec "$0" "$@"', process.execPath, CLI, 'supervise', '--kernel', 'none', '--log', runningLog,
    '--backoff-initial', '0.2', '--', 'sh', '-c', `${PRINT_OWN}; exec sleep 60`];
  const supervisor = spawn('sh', argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  supervisor.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => supervisor.on('exit', (code) => resolve(code)));
  const lives = (): { pid: number; adj: number }[] =>
    [...readTextIfExists(runningLog).matchAll(/^life (\d+) (-?\d+)$/gm)].map((m) => ({ pid: Number(m[1]), adj: Number(m[2]) }));
  try {
    const first = await waitFor(`the app's first line in running.log (stderr: ${err})`, 15_000, () => lives()[0]);
    const shielded = mayLowerOomScore() ? -900 : 100;
    if (shielded === 100) t.diagnostic('root here lacks CAP_SYS_RESOURCE: checked that the supervisor, denied, runs on at 100 and so does its app');
    assert.equal(adjOf(supervisor.pid!), shielded);
    assert.equal(first.adj, 100, 'the app starts with the value the supervisor inherited');
    assert.equal(adjOf(first.pid), 100);
    signalQuietly(first.pid, 'SIGKILL');
    const second = await waitFor(`the app's second life (stderr: ${err})`, 15_000, () => lives()[1]);
    assert.notEqual(second.pid, first.pid);
    assert.equal(second.adj, 100, 'a restart too');
    assert.equal(adjOf(supervisor.pid!), shielded, 'the supervisor lowered itself again after the start');
  } finally {
    supervisor.kill('SIGTERM');
    assert.equal(await exited, 0, err);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('supervise --help says so, in English and in Chinese', () => {
  const help = (lang: string): string => spawnSync(process.execPath, [CLI, 'supervise', '--help', '--lang', lang], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  assert.match(help('en'), /As root it sets its own oom_score_adj to -900, so that the kernel kills the app before its supervisor; the app starts with the value oomscope had before/);
  assert.match(help('zh-CN'), /以 root 运行时，它会把自己的 oom_score_adj 设为 -900/);
});
