// contract.md §Exit codes, for a person at a terminal: 0 / 1 (--fail-on) / 2 / 3 with the precedence 2, then 1,
// then 3; errors one line on stderr naming the file and the fix; never a stack trace (unless --debug).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { exitCodeFor } from '../../src/commands/report-options.js';
import type { Report } from '../../src/model/report.js';
import { fixture } from '../support/paths.js';
import { cli, kernelLog, runCli, tempDir, writeTemp } from './support.js';

const BASE = ['--tz', 'UTC', '--year', '2024', '--lang', 'en'];
const killed = fixture('test', 'join', 'fixtures', 'kernel-oom');
const STACK = /\n\s+at .+:\d+:\d+/;

test('exit codes and their precedence: 2 (nothing readable), then 1 (--fail-on), then 3 (some input unreadable)', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'missing.log');
  const inputs = ['--check', join(killed, 'check.log'), '--app', join(killed, 'running.log'), '--kernel', join(killed, 'kern.log'), '--tz', 'Asia/Shanghai', '--lang', 'en'];
  const cases: { name: string; args: string[]; code: number }[] = [
    { name: 'all read, nothing asked', args: inputs, code: 0 },
    { name: 'all read, --fail-on matched', args: [...inputs, '--fail-on', 'kernel-oom'], code: 1 },
    { name: 'all read, --fail-on not matched', args: [...inputs, '--fail-on', 'go-panic,stopped'], code: 0 },
    { name: 'one unreadable', args: [...inputs, '--kernel', missing], code: 3 },
    { name: 'one unreadable and --fail-on matched: 1 before 3', args: [...inputs, '--kernel', missing, '--fail-on', 'kernel-oom'], code: 1 },
    { name: 'nothing readable and --fail-on: 2 before 1', args: ['--kernel', missing, '--app', dir, '--fail-on', 'kernel-oom'], code: 2 },
    { name: 'wrong usage: unknown verdict', args: [...inputs, '--fail-on', 'oom'], code: 2 },
    { name: 'wrong usage: unknown zone', args: [...inputs, '--tz', 'Mars/Olympus'], code: 2 },
    { name: 'wrong usage: unknown flag', args: [...inputs, '--kernal', 'x'], code: 2 },
  ];
  for (const c of cases) {
    const result = runCli(['diagnose', ...c.args]);
    assert.equal(result.code, c.code, `${c.name}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, STACK, c.name);
  }
});

test('exitCodeFor: the same precedence on report data, including cut-short sources without a warning', () => {
  const base: Report = JSON.parse(JSON.stringify({
    schemaVersion: 1, generator: 'oomscope test', sources: [], oomKills: [], oomEvents: [], incidents: [],
    summary: { window: { from: null, to: null }, deaths: 0, byVerdict: {}, downtimeSeconds: 0, downtimeUnknown: 0, availability: null, crashLoops: [], otherKills: [] },
    warnings: [],
  }));
  const source = { path: 'a', role: 'kernel', format: 'dmesg', lines: 1, from: null, to: null, unparsedLines: 0, complete: true } as const;
  const incident = { verdict: 'kernel-oom' } as unknown as Report['incidents'][number];
  const unreadable = { code: 'input-unreadable', path: 'b', message: 'no such file' };
  assert.equal(exitCodeFor(base), 0, 'no input named, nothing read: not an error by itself');
  assert.equal(exitCodeFor({ ...base, warnings: [unreadable] }), 2);
  assert.equal(exitCodeFor({ ...base, warnings: [unreadable] }, ['kernel-oom']), 2);
  assert.equal(exitCodeFor({ ...base, sources: [source], warnings: [unreadable] }), 3);
  assert.equal(exitCodeFor({ ...base, sources: [{ ...source, complete: false }] }), 3);
  assert.equal(exitCodeFor({ ...base, sources: [source], incidents: [incident], warnings: [unreadable] }, ['kernel-oom']), 1);
  assert.equal(exitCodeFor({ ...base, sources: [source], incidents: [incident] }, ['go-panic']), 0);
  assert.equal(exitCodeFor({ ...base, sources: [source], warnings: [{ code: 'records-capped', path: 'a', message: '…' }] }), 0, 'a memory cap is no unreadable input');
});

test('each unreadable input: one stderr line naming the file and the fix; the text report lists it under Warnings', (t) => {
  const dir = tempDir(t);
  const good = writeTemp(dir, 'kern.log', kernelLog([{ pid: 4242, name: 'anqicms', uptime: 3000.5, rssPages: 100000 }]).join('\n') + '\n');
  const missingA = join(dir, 'gone.log');
  const missingB = join(dir, 'running.log');
  const result = runCli(['diagnose', '--kernel', good, '--kernel', missingA, '--app', missingB, ...BASE]);
  assert.equal(result.code, 3, result.stderr);
  const lines = result.stderr.split('\n').filter((l) => l.length > 0);
  assert.deepEqual(lines.sort(), [
    `oomscope: ${missingA}: no such file (check the path)`,
    `oomscope: ${missingB}: no such file (check the path)`,
  ].sort());
  const warnings = result.stdout.slice(result.stdout.indexOf('Warnings'));
  assert.ok(warnings.includes(`${missingA}: no such file (check the path)`), result.stdout);
  assert.ok(warnings.includes(`${missingB}: no such file (check the path)`), result.stdout);
  assert.ok(!warnings.includes(`${missingA}: ${missingA}`), 'the path is said once');
  const toFile = runCli(['diagnose', '--kernel', good, '--kernel', missingA, ...BASE, '-o', join(dir, 'report.txt')]);
  assert.equal(toFile.code, 3);
  assert.equal(toFile.stdout, '');
  assert.equal(toFile.stderr, `oomscope: ${missingA}: no such file (check the path)\n`, 'with -o too');
});

test('a reader that stops early (| head) ends the run quietly: no stack trace, no "internal error"', async (t) => {
  const dir = tempDir(t);
  // Enough kills that the report is bigger than a pipe's buffer.
  const kills = Array.from({ length: 400 }, (_, i) => ({ pid: 1000 + i, name: `worker-${i}`, uptime: 2000.25 + i * 60, rssPages: 10000 + i }));
  const path = writeTemp(dir, 'kern.log', kernelLog(kills).join('\n') + '\n');
  const child = spawn(process.execPath, [cli, 'diagnose', '--kernel', path, ...BASE, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.once('data', () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.doesNotMatch(stderr, STACK);
  assert.doesNotMatch(stderr, /internal error|EPIPE/);
  assert.equal(code, 0);
});

test('--debug is accepted and changes nothing for a good run; usage errors stay one line', () => {
  const plain = runCli(['diagnose', '--kernel', join(killed, 'kern.log'), ...BASE, '--format', 'json']);
  const debug = runCli(['diagnose', '--kernel', join(killed, 'kern.log'), ...BASE, '--format', 'json', '--debug']);
  assert.equal(debug.code, plain.code);
  assert.equal(debug.stdout, plain.stdout);
  const usage = runCli(['diagnose', '--kernel', join(killed, 'kern.log'), '--year', '24', '--debug']);
  assert.equal(usage.code, 2);
  assert.doesNotMatch(usage.stderr, STACK);
});
