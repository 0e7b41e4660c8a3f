// The CLI's discovery per role (issue 14, item 4), run for real: OOMSCOPE_ROOT stands for the machine's disk, so
// /var/log under it is "the system's", and nothing of this machine's own logs is read.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/index.js';
import { fixture, projectRoot } from '../support/paths.js';

const cli = join(projectRoot, '.build', 'src', 'cli.js');
const scenario = fixture('test', 'join', 'fixtures', 'kernel-oom');
const root = mkdtempSync(join(tmpdir(), 'oomscope-cli-find-'));
const install = join(root, 'www', 'wwwroot', 'anqicms.com');
const logDir = join(root, 'var', 'log');
mkdirSync(install, { recursive: true });
mkdirSync(logDir, { recursive: true });
copyFileSync(join(scenario, 'check.log'), join(install, 'check.log'));
copyFileSync(join(scenario, 'running.log'), join(install, 'running.log'));
copyFileSync(join(scenario, 'kern.log'), join(logDir, 'kern.log'));
after(() => rmSync(root, { recursive: true, force: true }));

function diagnose(args: string[], cwd = root): Report {
  const run = spawnSync(process.execPath, [cli, 'diagnose', ...args, '--tz', 'Asia/Shanghai', '--format', 'json'], {
    cwd, encoding: 'utf8', env: { ...process.env, OOMSCOPE_ROOT: root, LANG: 'C', LC_ALL: '' },
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Report;
}

test('--dir alone: the kernel log under /var/log is found, so the death is the kernel OOM kill it is', () => {
  const report = diagnose(['--dir', install]);
  assert.deepEqual(report.sources.map((s) => s.path).sort(), [join(install, 'check.log'), join(install, 'running.log'), join(logDir, 'kern.log')].sort());
  // kern.log:43 of the scenario is the kill of anqicms pid 21877 (test/join/verdicts.test.ts).
  assert.deepEqual(report.incidents.map((i) => i.verdict), ['kernel-oom']);
  const notes = report.warnings.filter((w) => w.code === 'discovered').map((w) => w.message);
  assert.ok(notes.some((n) => n.includes(join(logDir, 'kern.log'))), notes.join('\n'));
});

test('--no-kernel: no kernel log is read, and the verdict cannot be the kernel OOM killer', () => {
  const report = diagnose(['--dir', install, '--no-kernel']);
  assert.deepEqual(report.sources.map((s) => s.path).sort(), [join(install, 'check.log'), join(install, 'running.log')].sort());
  assert.equal(report.incidents.length, 1);
  assert.notEqual(report.incidents[0]!.verdict, 'kernel-oom');
});

test('run in the install directory with --kernel: check.log and running.log there are read; --no-app drops one', () => {
  const both = diagnose(['--kernel', join(logDir, 'kern.log')], install);
  assert.deepEqual(both.sources.map((s) => s.path).sort(), [join(install, 'check.log'), join(install, 'running.log'), join(logDir, 'kern.log')].sort());
  const noApp = diagnose(['--kernel', join(logDir, 'kern.log'), '--no-app'], install);
  assert.deepEqual(noApp.sources.map((s) => s.path).sort(), [join(install, 'check.log'), join(logDir, 'kern.log')].sort());
});
