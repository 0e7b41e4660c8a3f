// The oomscope command as a person or a script meets it: output, errors, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, NO_SYSTEM_LOGS, projectRoot } from './support/paths.js';

const cli = join(projectRoot, '.build', 'src', 'cli.js');
const sample = fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log');
const child = fixture('test', 'diagnose', 'fixtures', 'sacrifice-child-3.10.log');

function run(args: string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', ...NO_SYSTEM_LOGS, ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('diagnose --format json prints the contract JSON and exits 0', () => {
  const { code, stdout, stderr } = run(['diagnose', '--kernel', sample, '--tz', 'Asia/Shanghai', '--year', '2024', '--format', 'json']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.equal(report.schemaVersion, 1);
  assert.match(report.generator, /^oomscope \d+\.\d+\.\d+/);
  assert.equal(report.oomKills.length, 1);
  assert.equal(report.oomKills[0].pid, 21880);
  assert.match(report.oomKills[0].time, /^2024-07-23T10:03:3\d\.\d{3}\+08:00$/);
});

test('the text report names the victim, its memory in MiB/GiB and where the proof is', () => {
  const { code, stdout } = run(['diagnose', '--kernel', sample, '--tz', 'Asia/Shanghai', '--year', '2024']);
  assert.equal(code, 0);
  assert.match(stdout, /anqicms \(pid 21880, uid 0\)/);
  assert.match(stdout, /anon 1\.4 GiB/); // 1462300 kB (kern.log line 61)
  assert.match(stdout, /mysqld 381\.0 MiB/); // 97544 pages × 4 KiB = 390176 KiB (line 54)
  assert.match(stdout, /kern\.log:4,/);
});

test('without --tz, times carry the offset of the process zone (TZ)', () => {
  const { stdout } = run(['diagnose', '--kernel', sample, '--year', '2024', '--format', 'json'], { env: { TZ: 'America/New_York' } });
  // July in New York is EDT, -04:00.
  assert.match(JSON.parse(stdout).oomKills[0].time, /-04:00$/);
});

test('- reads stdin', () => {
  const { code, stdout } = run(['diagnose', '--kernel', '-', '--format', 'json', '--tz', 'UTC'], { input: readFileSync(child) });
  assert.equal(code, 0);
  assert.equal(JSON.parse(stdout).oomKills[0].pid, 3201);
});

test('a missing only input exits 2 with one line naming the file and no stack trace', () => {
  const { code, stdout } = run(['diagnose', '--kernel', '/nonexistent/syslog', '--format', 'json']);
  assert.equal(code, 2);
  const report = JSON.parse(stdout);
  assert.equal(report.warnings[0].path, '/nonexistent/syslog');
});

test('one unreadable input among readable ones exits 3 and still reports the kills', () => {
  const { code, stdout } = run(['diagnose', '--kernel', sample, '--kernel', '/nonexistent/syslog', '--year', '2024', '--format', 'json']);
  assert.equal(code, 3);
  assert.equal(JSON.parse(stdout).oomKills.length, 1);
});

test('wrong usage exits 2 with a one-line reason: unknown zone, bad year, bad boot time, unknown flag', () => {
  for (const args of [
    ['diagnose', '--kernel', sample, '--tz', 'Mars/Olympus'],
    ['diagnose', '--kernel', sample, '--year', '24'],
    ['diagnose', '--kernel', sample, '--boot-time', 'yesterday'],
    ['diagnose', '--kernal', sample],
  ]) {
    const { code, stderr } = run(args);
    assert.equal(code, 2, args.join(' '));
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.ok(stderr.trim().length > 0);
  }
});

test('--help teaches the flags and --version prints the version, both exit 0', () => {
  const help = run(['diagnose', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--kernel <source>/);
  assert.match(help.stdout, /kmsg/);
  assert.match(help.stdout, /Exit codes/);
  const version = run(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test('-o writes the report to a file', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'oomscope-o-')), 'report.json');
  const { code, stdout } = run(['diagnose', '--kernel', child, '--format', 'json', '-o', out]);
  assert.equal(code, 0);
  assert.equal(stdout, '');
  assert.equal(JSON.parse(readFileSync(out, 'utf8')).oomKills[0].pid, 3201);
});

test('control characters from the log never reach the terminal raw', () => {
  const hostile = '[  100.000001] Out of memory: Killed process 77 (\u001b[31mevil\u0007) total-vm:10kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n';
  const { stdout } = run(['diagnose', '--kernel', '-', '--tz', 'UTC'], { input: hostile });
  assert.doesNotMatch(stdout, /\u001b|\u0007/);
  // Colour codes are taken out of kernel lines (dmesg --color); other control characters are shown escaped.
  assert.match(stdout, /evil\\x07/);
});

test('demo diagnoses the bundled sample through the same code path, one death of each common kind', () => {
  const { code, stdout } = run(['demo', '--format', 'json']);
  assert.equal(code, 0);
  const report = JSON.parse(stdout);
  assert.deepEqual(report.sources.map((s: { role: string }) => s.role), ['guardian', 'app', 'kernel']);
  // The story in scripts/make-demo-sample.mjs: panic, kernel OOM, kill -9, goodbye, reboot, three failed starts.
  assert.deepEqual(
    report.incidents.map((i: { verdict: string; count: number }) => `${i.verdict}×${i.count}`),
    ['go-panic×1', 'kernel-oom×1', 'killed×1', 'stopped×1', 'host-reboot×1', 'startup-failure×3'],
  );
  // The panic's first frames are a library's (freetype, under /pkg/mod/): the crash site is the app's own frame below.
  assert.equal(report.incidents[0].crashSite, 'kandaoni.com/anqicms/provider.(*Website).NewTitleImage at /www/go/anqicms/provider/titleImage.go:87');
  const oom = report.incidents[1];
  assert.equal(oom.pid, 4137);
  assert.equal(oom.restartedAt, '2024-07-22T03:13:01.000+08:00');
  assert.deepEqual(report.summary.otherKills.map((k: { name: string }) => k.name), ['mysqld']);
});

test('the text report speaks Chinese with --lang zh-CN', () => {
  const { code, stdout } = run(['demo', '--lang', 'zh-CN']);
  assert.equal(code, 0);
  assert.match(stdout, /退出了 8 次/);
  assert.match(stdout, /被内核 OOM killer 杀死/);
});
