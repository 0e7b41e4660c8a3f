import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExecReporter, noticeEnv } from '../../../src/tell/reporters/exec.js';
import { noticeJson } from '../../../src/tell/reporters/reporter.js';
import { collectLog, notice } from './helpers.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-exec-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('runs the command with the notice JSON on stdin and OOMSCOPE_* variables, without the webhook secret', async (t) => {
  const dir = tempDir(t);
  const script = join(dir, 'hook.sh');
  writeFileSync(script, `#!/bin/sh\nenv | grep '^OOMSCOPE_' | sort > "$OUT.env"\ncat > "$OUT.json"\n`);
  const { lines, log } = collectLog();
  const reporter = createExecReporter({
    command: `sh ${script}`,
    env: { ...process.env, OUT: join(dir, 'out'), OOMSCOPE_WEBHOOK_SECRET: 'do-not-pass' },
    log,
  });
  const n = notice('update', { restartedAt: '2024-07-23T10:04:01.000+08:00', downtimeSeconds: 23.9, reason: "quotes ' \" and $(rm -rf /) stay data" });
  const started = Date.now();
  await reporter.report(n);
  assert.ok(Date.now() - started < 50, 'report() does not wait for the command');
  await reporter.idle();
  await reporter.close();
  assert.deepEqual(lines, []);
  const env = Object.fromEntries(
    readFileSync(join(dir, 'out.env'), 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  assert.deepEqual(env, {
    OOMSCOPE_CONFIDENCE: 'confirmed',
    OOMSCOPE_DIED_AT: '2024-07-23T10:03:37.123+08:00',
    OOMSCOPE_DOWNTIME_SECONDS: '23.9',
    OOMSCOPE_HOST: 'web01',
    OOMSCOPE_ID: 'i-7c01d9e4',
    OOMSCOPE_NOTICE: 'update',
    OOMSCOPE_PID: '21877',
    OOMSCOPE_PROCESS: 'anqicms',
    OOMSCOPE_RESTARTED_AT: '2024-07-23T10:04:01.000+08:00',
    OOMSCOPE_VERDICT: 'kernel-oom',
  });
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')), JSON.parse(JSON.stringify(noticeJson(n))));
});

test('unknown values are empty variables', () => {
  const env = noticeEnv(notice('incident', { pid: null, diedAt: null }));
  assert.equal(env.OOMSCOPE_PID, '');
  assert.equal(env.OOMSCOPE_DIED_AT, '');
  assert.equal(env.OOMSCOPE_RESTARTED_AT, '');
  assert.equal(env.OOMSCOPE_DOWNTIME_SECONDS, '');
});

test('stderr and a failed exit status are logged, without the command line', async () => {
  const { lines, log } = collectLog();
  const reporter = createExecReporter({ command: '/usr/bin/env sh -c "echo oops >&2; echo \\"\\033[31mred\\" >&2; exit 3" token=abc123', log });
  await reporter.report(notice());
  await reporter.idle();
  await reporter.close();
  assert.deepEqual(lines, [
    'exec #1 (env): i-7c01d9e4: stderr: oops',
    'exec #1 (env): i-7c01d9e4: stderr: \\x1b[31mred',
    'exec #1 (env): i-7c01d9e4: exit status 3',
  ]);
});

test('a command past its timeout is killed with its whole process group', async (t) => {
  const dir = tempDir(t);
  const pidFile = join(dir, 'child.pid');
  const { lines, log } = collectLog();
  const reporter = createExecReporter({ command: `sleep 30 & echo $! > ${pidFile}; wait`, timeoutMs: 200, log });
  const started = Date.now();
  await reporter.report(notice());
  await reporter.idle();
  const took = Date.now() - started;
  await reporter.close();
  assert.ok(took >= 200 && took < 2000, `killed after the timeout: ${took} ms`);
  assert.deepEqual(lines, ['exec #1 (sleep): i-7c01d9e4: killed after 0.2 s']);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(!existsSync(`/proc/${pid}`) || /\bZ\b|zombie/.test(readFileSync(`/proc/${pid}/status`, 'utf8')), 'the background sleep died too');
});

test('at most maxConcurrent commands run at once; all notices are run in the end', async (t) => {
  const dir = tempDir(t);
  const trace = join(dir, 'trace');
  const reporter = createExecReporter({ command: `echo start >> ${trace}; sleep 0.15; echo end >> ${trace}`, maxConcurrent: 2, log: () => {} });
  for (let i = 0; i < 5; i++) await reporter.report(notice('incident', { id: `i-${i}` }));
  await reporter.idle();
  await reporter.close();
  const events = readFileSync(trace, 'utf8').trim().split('\n');
  let running = 0;
  let most = 0;
  for (const e of events) {
    running += e === 'start' ? 1 : -1;
    most = Math.max(most, running);
  }
  assert.equal(events.filter((e) => e === 'start').length, 5);
  assert.equal(most, 2);
});

test('a full queue drops the oldest waiting notice with a warning', async () => {
  const { lines, log } = collectLog();
  const reporter = createExecReporter({ command: 'sleep 0.1', maxConcurrent: 1, queueSize: 1, log });
  for (let i = 1; i <= 3; i++) await reporter.report(notice('incident', { id: `i-${i}` }));
  await reporter.close();
  assert.deepEqual(lines, ['exec #1 (sleep): 1 notices waiting, dropped the oldest (incident i-2)']);
});
