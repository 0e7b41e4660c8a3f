// `oomscope setup watch` against a fake root: /proc with a running anqicms, /www/wwwroot sites, crontabs, and
// /run/systemd/system (systemd running) or not. The CLI runs as a child process with --root; nothing outside the
// fake root is touched, and systemctl is not run under it. The unit it writes is checked by systemd-analyze verify.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { findCommand } from '../support/real-kernel-proc.js';
import { cannotRun } from '../exe/support.js';
import { watchUnit } from '../../src/setup/watch-plan.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function put(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** A server: anqicms (pid 4321) running from /www/wwwroot/site.example, another site with logs, root's crontab. */
function fakeServer(options: { systemd: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'oomscope-setup-'));
  roots.push(root);
  put(root, 'proc/4321/comm', 'anqicms\n');
  symlinkSync('/www/wwwroot/site.example/anqicms', join(root, 'proc/4321/exe'));
  put(root, 'proc/77/comm', 'mysqld\n');
  symlinkSync('/usr/sbin/mysqld', join(root, 'proc/77/exe'));
  put(root, 'www/wwwroot/site.example/start.sh', '#!/bin/sh\n');
  put(root, 'www/wwwroot/site.example/check.log', '');
  put(root, 'www/wwwroot/blog.example/running.log', '');
  mkdirSync(join(root, 'www/wwwroot/empty.example'));
  put(root, 'var/spool/cron/crontabs/root', [
    'MAILTO=""',
    '# */1 * * * * /www/wwwroot/site.example/start.sh   (an old line, commented out)',
    '*/1 * * * * /www/wwwroot/blog.example/start.sh',
    '*/1 * * * * /www/wwwroot/site.example/start.sh > /dev/null 2>&1',
    '',
  ].join('\n'));
  if (options.systemd) mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
  return root;
}

function setup(root: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'setup', 'watch', '--root', root, '--lang', 'en', ...args], { encoding: 'utf8', input: '' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name)).sort();
}

const UNIT = '/etc/systemd/system/oomscope-watch.service';

test('--dry-run finds the running binary\'s folder and its start.sh cron line, prints the unit, and writes nothing', () => {
  const root = fakeServer({ systemd: true });
  const before = filesUnder(root);
  const { code, out, err } = setup(root, ['--dry-run']);
  assert.equal(code, 0, err);
  assert.match(out, /^Dry run: nothing is written or run\.$/m);
  assert.match(out, /^Install folder: \/www\/wwwroot\/site\.example \(where the running anqicms is, pid 4321\)$/m);
  // blog.example holds a running.log; empty.example holds nothing of it.
  assert.match(out, /^Also found: \/www\/wwwroot\/blog\.example \(a site folder holding its files\); give --dir to choose it\.$/m);
  assert.doesNotMatch(out, /empty\.example/);
  // Line 4 of the crontab; not the commented line 2, nor blog.example's line 3.
  assert.match(out, /^start\.sh's cron line: \/var\/spool\/cron\/crontabs\/root:4: \*\/1 \* \* \* \* \/www\/wwwroot\/site\.example\/start\.sh > \/dev\/null 2>&1$/m);
  assert.equal((out.match(/cron line/g) ?? []).length, 1);
  assert.match(out, new RegExp(`^Would write ${UNIT}:$`, 'm'));
  assert.match(out, new RegExp(`^ {4}ExecStart=${process.execPath} ${CLI} watch --kernel kmsg --dir /www/wwwroot/site\\.example --process anqicms --metrics 9101$`, 'm'));
  assert.match(out, /^Would run: systemctl enable --now oomscope-watch\.service$/m);
  assert.deepEqual(filesUnder(root), before);
});

test('--yes writes the unit, keeps a backup of the one it replaces, and does not run systemctl under --root', () => {
  const root = fakeServer({ systemd: true });
  put(root, UNIT, '[Service]\nExecStart=/old/oomscope watch\n');
  const dry = setup(root, ['--dry-run']);
  const { code, out, err } = setup(root, ['--yes', '--kernel', 'journal']);
  assert.equal(code, 0, err);
  const unit = readFileSync(join(root, UNIT), 'utf8');
  assert.match(unit, / watch --kernel journal --dir \/www\/wwwroot\/site\.example /);
  assert.equal(statSync(join(root, UNIT)).mode & 0o777, 0o644);
  const backups = readdirSync(join(root, 'etc/systemd/system')).filter((name) => name.startsWith('oomscope-watch.service.oomscope-backup-'));
  assert.equal(backups.length, 1);
  assert.equal(readFileSync(join(root, 'etc/systemd/system', backups[0]!), 'utf8'), '[Service]\nExecStart=/old/oomscope watch\n');
  assert.match(out, new RegExp(`^The old ${UNIT} is kept as ${UNIT}\\.oomscope-backup-`, 'm'));
  assert.match(out, /^Not run, since --root is not \/: systemctl daemon-reload$/m);
  // The dry run showed the same unit but for the kernel source.
  assert.ok(dry.out.includes(unit.replace('--kernel journal', '--kernel kmsg').replace(/^(?=.)/gm, '    ')));

  const again = setup(root, ['--yes', '--kernel', 'journal']);
  assert.equal(again.code, 0);
  assert.match(again.out, /already says this; left as it is/);
  assert.equal(readdirSync(join(root, 'etc/systemd/system')).length, 2, 'no second backup');
});

test('without systemd it writes /etc/cron.d/oomscope-watch, whose command sh can parse', () => {
  const root = fakeServer({ systemd: false });
  const { code, out, err } = setup(root, ['--yes', '--dir', '/www/wwwroot/my site/']);
  assert.equal(code, 0, err);
  assert.match(out, /systemd is not running here/);
  assert.match(out, /^Install folder: \/www\/wwwroot\/my site \(given with --dir\)$/m);
  const cron = readFileSync(join(root, 'etc/cron.d/oomscope-watch'), 'utf8');
  const lines = cron.split('\n').filter((line) => /^(@reboot|\* \* \* \* \*)/.test(line));
  assert.equal(lines.length, 2);
  for (const line of lines) {
    // minute-spec (1 or 5 fields), the user, then the command.
    const command = line.replace(/^(@reboot\s+|(\S+\s+){5})root\s+/, '');
    assert.match(command, /'\\''\/www\/wwwroot\/my site'\\''/, 'the folder with a space is quoted inside sh -c');
    assert.match(command, /NODE_OPTIONS='\\''--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1'\\''; .*exec /, 'the heap flags of the units');
    const parsed = spawnSync('/bin/sh', ['-n', '-c', command]);
    assert.equal(parsed.status, 0, command);
  }
  assert.equal(existsSync(join(root, UNIT)), false);
});

test('no folder found, or no terminal to ask on and no --yes: exit 2 with the fix, nothing written', () => {
  const empty = mkdtempSync(join(tmpdir(), 'oomscope-setup-'));
  roots.push(empty);
  const none = setup(empty, ['--dry-run']);
  assert.equal(none.code, 2);
  assert.match(none.err, /no install folder found \(no running anqicms, and nothing of it under \/www\/wwwroot\/\) \(give it: --dir/);
  const root = fakeServer({ systemd: true });
  const before = filesUnder(root);
  const unasked = setup(root, []);
  assert.equal(unasked.code, 2);
  assert.match(unasked.err, /add --yes to do it, or --dry-run/);
  assert.deepEqual(filesUnder(root), before);
});

test('the unit is contrib/oomscope-watch.service but for ExecStart= and Documentation=', () => {
  const contrib = readFileSync(join(projectRoot, 'contrib', 'oomscope-watch.service'), 'utf8');
  const unit = watchUnit({ dir: '/www/wwwroot/anqicms.com', processName: 'anqicms', kernel: 'kmsg', command: ['/usr/local/bin/oomscope'] });
  const directives = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !/^(ExecStart|Documentation)=/.test(line));
  assert.deepEqual(directives(unit), directives(contrib));
  // contrib's own ExecStart is what setup writes for the same settings.
  assert.equal(unit.split('\n').find((line) => line.startsWith('ExecStart=')), contrib.split('\n').find((line) => line.startsWith('ExecStart=')));
});

test('systemd-analyze verify accepts the written unit, also for a folder with a space and a %', (t) => {
  if (!findCommand('systemd-analyze')) {
    cannotRun(t, 'systemd-analyze is not installed (Debian package systemd; .ci/run installs it)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-unit-'));
  roots.push(dir);
  const path = join(dir, 'oomscope-watch.service');
  writeFileSync(path, watchUnit({ dir: '/www/wwwroot/my site 100%', processName: 'anqicms', kernel: 'kmsg', command: [process.execPath, CLI] }));
  const result = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.equal(result.stderr.trim(), '', 'no warnings');
  assert.match(readFileSync(path, 'utf8'), /--dir "\/www\/wwwroot\/my site 100%%"/);
});
