// `oomscope setup supervise` and `setup undo` against a fake root: /proc with a running anqicms and a meminfo, the
// site's start.sh, root's crontab and /etc/crontab each with a line that runs it, /run/systemd/system. The CLI runs
// as a child process with --root (the record goes to ROOT/var/lib/oomscope-setup); systemctl is not run under it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { findCommand } from '../support/real-kernel-proc.js';
import { cannotRun } from '../exe/support.js';
import { superviseUnit } from '../../src/setup/supervise-plan.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function put(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

// AnQiCMS's start.sh as docs/formats.md §1 describes it: check.log and running.log in its own folder ($BINPATH).
const START_SH = `#!/bin/bash
BINNAME=anqicms
BINPATH="$( cd "$( dirname "\${BASH_SOURCE[0]}" )" && pwd )"
exists=\`ps -ef | grep '\\<anqicms\\>' |grep -v grep |wc -l\`
echo "$(date +'%Y%m%d %H:%M:%S') $BINNAME PID check: $exists" >> $BINPATH/check.log
if [ $exists -eq 0 ]; then
    cd $BINPATH && nohup $BINPATH/$BINNAME >> $BINPATH/running.log 2>&1 &
fi
`;

// Line 3 runs the site's start.sh; a Chinese comment, another site's line, and no newline at the end must survive.
const ROOT_CRONTAB = Buffer.from('MAILTO=""\n# 宝塔计划任务\n*/1 * * * * /www/wwwroot/site.example/start.sh > /dev/null 2>&1\n*/1 * * * * /www/wwwroot/blog.example/start.sh\n30 3 * * * /root/backup.sh', 'utf8');
// Line 2 runs it after a cd.
const ETC_CRONTAB = Buffer.from('SHELL=/bin/sh\n* * * * * root cd /www/wwwroot/site.example && sh start.sh >/dev/null 2>&1\n', 'utf8');

/** anqicms (pid 4321) running from /www/wwwroot/site.example; 2,000,000 kB of RAM. */
function fakeServer(options: { systemd?: boolean; cron?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'oomscope-setup-'));
  roots.push(root);
  put(root, 'proc/4321/comm', 'anqicms\n');
  symlinkSync('/www/wwwroot/site.example/anqicms', join(root, 'proc/4321/exe'));
  put(root, 'proc/meminfo', 'MemTotal:        2000000 kB\nMemFree:          500000 kB\n');
  put(root, 'www/wwwroot/site.example/start.sh', START_SH);
  put(root, 'var/spool/cron/crontabs/root', options.cron === false ? 'MAILTO=""\n' : ROOT_CRONTAB);
  chmodSync(join(root, 'var/spool/cron/crontabs/root'), 0o600);
  put(root, 'etc/crontab', options.cron === false ? 'SHELL=/bin/sh\n' : ETC_CRONTAB);
  if (options.systemd !== false) mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
  return root;
}

function run(root: string, args: string[]) {
  const result = spawnSync(process.execPath, [CLI, 'setup', ...args, '--root', root, '--lang', 'en'], { encoding: 'utf8', input: '' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => join(e.parentPath, e.name)).sort();
}

/** The content `Would write PATH:` printed, indented by four spaces, up to the next message. */
function printed(out: string, path: string): string {
  const lines = out.split('\n');
  const at = lines.indexOf(`Would write ${path}:`);
  assert.ok(at >= 0, `${path} not printed:\n${out}`);
  const body: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line !== '' && !line.startsWith('    ')) break;
    body.push(line.slice(4));
  }
  return body.join('\n');
}

const UNIT = '/etc/systemd/system/anqicms.service';
const ROOT_TAB = '/var/spool/cron/crontabs/root';

test('--dry-run shows the app, its logs as start.sh wrote them, the memory offered, the unit and both crontabs; writes nothing', () => {
  const root = fakeServer();
  const before = filesUnder(root);
  const { code, out, err } = run(root, ['supervise', '--dry-run']);
  assert.equal(code, 0, err);
  assert.match(out, /^Install folder: \/www\/wwwroot\/site\.example \(where the running anqicms is, pid 4321\)$/m);
  assert.match(out, /^start\.sh's cron line: \/etc\/crontab:2: /m);
  assert.match(out, /^start\.sh's cron line: \/var\/spool\/cron\/crontabs\/root:3: /m);
  assert.match(out, /^App: \/www\/wwwroot\/site\.example\/anqicms$/m);
  // START_SH: `>> $BINPATH/check.log`, `>> $BINPATH/running.log`.
  assert.match(out, /^start\.sh writes its checks to \/www\/wwwroot\/site\.example\/check\.log and the app's output to \/www\/wwwroot\/site\.example\/running\.log/m);
  // 2,000,000 kB = 1953.1 MiB; half is 976.6 MiB; down to 256 MiB steps: 768 MiB.
  assert.match(out, /^Memory limit for the app: 768M, half of this machine's RAM/m);
  const unit = printed(out, UNIT);
  const site = '/www/wwwroot/site.example';
  assert.match(unit, /^WorkingDirectory=\/www\/wwwroot\/site\.example$/m);
  assert.ok(
    unit.includes(`\nExecStart=${process.execPath} ${CLI} supervise --name anqicms --check-log ${site}/check.log --log ${site}/running.log ` +
      `--incidents ${site}/oomscope-incidents.ndjson --pidfile /run/oomscope-anqicms.pid --memory-max 768M --gomemlimit auto -- ${site}/anqicms\n`),
    unit,
  );
  // Each crontab as it would be: the one line commented out behind the marker, the rest as it was.
  assert.equal(printed(out, ROOT_TAB), 'MAILTO=""\n# 宝塔计划任务\n#oomscope-setup-supervise# */1 * * * * /www/wwwroot/site.example/start.sh > /dev/null 2>&1\n*/1 * * * * /www/wwwroot/blog.example/start.sh\n30 3 * * * /root/backup.sh');
  assert.match(printed(out, '/etc/crontab'), /^#oomscope-setup-supervise# \* \* \* \* \* root cd \/www\/wwwroot\/site\.example && sh start\.sh/m);
  assert.match(out, /^Would run: systemctl enable anqicms\.service$/m);
  assert.deepEqual(filesUnder(root), before);
});

test('--yes writes what the dry run showed, after a byte-identical backup of each crontab; undo puts them back byte for byte', () => {
  const root = fakeServer();
  const dry = run(root, ['supervise', '--dry-run', '--memory-max', '1G']);
  const { code, out, err } = run(root, ['supervise', '--yes', '--memory-max', '1G']);
  assert.equal(code, 0, err);
  assert.equal(readFileSync(join(root, UNIT), 'utf8'), printed(dry.out, UNIT));
  assert.equal(readFileSync(join(root, ROOT_TAB), 'utf8'), printed(dry.out, ROOT_TAB));
  assert.equal(statSync(join(root, ROOT_TAB)).mode & 0o777, 0o600, 'the crontab keeps its mode');
  // Kept out of cron's folder (cronie would read a copy there as a crontab), under the state dir.
  assert.deepEqual(readdirSync(join(root, 'var/spool/cron/crontabs')), ['root']);
  const backupDir = join(root, 'var/lib/oomscope-setup/backups/var/spool/cron/crontabs');
  const backups = readdirSync(backupDir).filter((name) => name.startsWith('root.oomscope-backup-'));
  assert.equal(backups.length, 1);
  assert.deepEqual(readFileSync(join(backupDir, backups[0]!)), ROOT_CRONTAB);
  assert.match(out, /^The old \/etc\/crontab is kept as \/etc\/crontab\.oomscope-backup-/m);
  assert.match(out, /^Recorded in \/var\/lib\/oomscope-setup\/setup-record\.json/m);
  assert.match(out, /^Not run, since --root is not \/: systemctl enable anqicms\.service$/m);
  assert.match(out, /^Next: the anqicms that cron started still runs\. .*kill 4321 && systemctl start anqicms\.service/m);

  const undoDry = run(root, ['undo', '--dry-run']);
  assert.equal(undoDry.code, 0, undoDry.err);
  assert.match(undoDry.out, /^Would run: systemctl disable --now anqicms\.service$/m);
  assert.match(undoDry.out, new RegExp(`^Would: Put back ${ROOT_TAB} from /var/lib/oomscope-setup/backups${ROOT_TAB}\\.oomscope-backup-`, 'm'));
  assert.match(undoDry.out, new RegExp(`^Would: Remove ${UNIT} \\(setup created it\\)$`, 'm'));
  assert.notDeepEqual(readFileSync(join(root, ROOT_TAB)), ROOT_CRONTAB, 'the dry run changed nothing');

  const undo = run(root, ['undo', '--yes']);
  assert.equal(undo.code, 0, undo.err);
  assert.deepEqual(readFileSync(join(root, ROOT_TAB)), ROOT_CRONTAB);
  assert.deepEqual(readFileSync(join(root, 'etc/crontab')), ETC_CRONTAB);
  assert.equal(statSync(join(root, ROOT_TAB)).mode & 0o777, 0o600);
  assert.equal(existsSync(join(root, UNIT)), false);
  assert.deepEqual(readdirSync(backupDir), [], 'no backup left behind');
  assert.deepEqual(readdirSync(join(root, 'etc')).filter((name) => name.includes('oomscope')), []);
  assert.match(undo.out, /^The record is kept as \/var\/lib\/oomscope-setup\/setup-record\.json\.undone-/m);
  assert.match(run(root, ['undo', '--yes']).out, /^Nothing to undo/m);
});

test('undo after setup watch and setup supervise undoes both; a crontab edited since is left alone and said so', () => {
  const root = fakeServer();
  assert.equal(run(root, ['watch', '--yes']).code, 0);
  assert.equal(run(root, ['supervise', '--yes']).code, 0);
  appendFileSync(join(root, ROOT_TAB), '\n0 4 * * * /root/later.sh\n');
  const undo = run(root, ['undo', '--yes']);
  assert.equal(undo.code, 0, undo.err);
  assert.match(undo.out, new RegExp(`^${ROOT_TAB} was changed after setup wrote it: left as it is; the file before setup is /var/lib/oomscope-setup/backups${ROOT_TAB}\\.oomscope-backup-`, 'm'));
  assert.match(readFileSync(join(root, ROOT_TAB), 'utf8'), /later\.sh/);
  assert.deepEqual(readFileSync(join(root, 'etc/crontab')), ETC_CRONTAB);
  assert.equal(existsSync(join(root, UNIT)), false);
  assert.equal(existsSync(join(root, 'etc/systemd/system/oomscope-watch.service')), false);
  assert.match(undo.out, /^Not run, since --root is not \/: systemctl disable --now anqicms\.service$/m);
  assert.match(undo.out, /^Not run, since --root is not \/: systemctl disable --now oomscope-watch\.service$/m);
});

test('two setup watch runs with different units: undo goes back through both, to no unit at all', () => {
  const root = fakeServer();
  const unit = join(root, 'etc/systemd/system/oomscope-watch.service');
  assert.equal(run(root, ['watch', '--yes', '--kernel', 'kmsg']).code, 0);
  assert.equal(run(root, ['watch', '--yes', '--kernel', 'journal']).code, 0);
  assert.match(readFileSync(unit, 'utf8'), /--kernel journal/);
  const undo = run(root, ['undo', '--yes']);
  assert.equal(undo.code, 0, undo.err);
  // The second run's backup (the kmsg unit) goes back first, then the first run's unit is removed.
  assert.match(undo.out, /^Done: Put back \/etc\/systemd\/system\/oomscope-watch\.service from .*\n^Done: Remove \/etc\/systemd\/system\/oomscope-watch\.service/m);
  assert.deepEqual(readdirSync(join(root, 'etc/systemd/system')), []);
});

test('refuses, exit 2, nothing written: no cron line runs start.sh, systemd absent, a bad --memory-max', () => {
  const noCron = fakeServer({ cron: false });
  const before = filesUnder(noCron);
  const refused = run(noCron, ['supervise', '--yes']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /no crontab line runs \/www\/wwwroot\/site\.example\/start\.sh: nothing to replace \(give the folder whose start\.sh cron runs/);
  assert.deepEqual(filesUnder(noCron), before);

  const noSystemd = run(fakeServer({ systemd: false }), ['supervise', '--yes']);
  assert.equal(noSystemd.code, 2);
  assert.match(noSystemd.err, /systemd is not running here: setup supervise replaces/);

  const bad = run(fakeServer(), ['supervise', '--yes', '--memory-max', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--memory-max: not a size: lots \(give a size such as 768M or 2G, or none\)/);

  // Once commented out, the line is not found again: a second run refuses rather than comment it twice.
  const root = fakeServer();
  assert.equal(run(root, ['supervise', '--yes']).code, 0);
  assert.equal(run(root, ['supervise', '--yes']).code, 2);
});

test('--memory-max none leaves the limit out; a Go project of the Baota panel is found by its pidfile', () => {
  const root = fakeServer();
  const none = run(root, ['supervise', '--dry-run', '--memory-max', 'none']);
  assert.match(none.out, /^No memory limit for the app\.$/m);
  assert.doesNotMatch(printed(none.out, UNIT), /--memory-max|--gomemlimit/);

  // Baota writes /var/tmp/gopids/NAME.pid for each Go project it starts; this one's binary has another name.
  rmSync(join(root, 'proc/4321'), { recursive: true });
  put(root, 'var/tmp/gopids/mysite.pid', '555\n');
  put(root, 'proc/555/comm', 'cms-server\n');
  symlinkSync('/www/wwwroot/go.example/cms-server', join(root, 'proc/555/exe'));
  put(root, 'var/tmp/gopids/stale.pid', '999\n'); // no such process
  const baota = run(root, ['watch', '--dry-run']);
  assert.equal(baota.code, 0, baota.err);
  assert.match(baota.out, /^Install folder: \/www\/wwwroot\/go\.example \(a Go project of the Baota panel, pid 555\)$/m);
  assert.match(baota.out, /^Also found: \/www\/wwwroot\/site\.example \(a site folder holding its files\)/m);
});

test('the unit is contrib/oomscope-supervise.service but for ExecStart=, WorkingDirectory= and Description=', () => {
  const contrib = readFileSync(join(projectRoot, 'contrib', 'oomscope-supervise.service'), 'utf8');
  const unit = superviseUnit({
    dir: '/www/wwwroot/anqicms.com', binary: '/www/wwwroot/anqicms.com/anqicms', processName: 'anqicms',
    checkLog: '/www/wwwroot/anqicms.com/check.log', runningLog: '/www/wwwroot/anqicms.com/running.log', memoryMax: '1G', command: ['/usr/local/bin/oomscope'],
  });
  const directives = (text: string) =>
    text.split('\n').filter((line) => line !== '' && !line.startsWith('#') && !/^\s/.test(line) && !/^(ExecStart|WorkingDirectory|Description)=/.test(line));
  assert.deepEqual(directives(unit), directives(contrib));
});

test('systemd-analyze verify accepts the supervise unit, also for a folder with a space and a %', (t) => {
  if (!findCommand('systemd-analyze')) {
    cannotRun(t, 'systemd-analyze is not installed (Debian package systemd; .ci/run installs it)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-unit-'));
  roots.push(dir);
  const path = join(dir, 'anqicms.service');
  const site = '/www/wwwroot/my site 100%';
  writeFileSync(path, superviseUnit({
    dir: site, binary: `${site}/anqicms`, processName: 'anqicms', checkLog: `${site}/check.log`, runningLog: `${site}/running.log`, memoryMax: '768M', command: [process.execPath, CLI],
  }));
  const result = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  // KillMode=process is contrib's choice, and newer systemd warns about it; any other line is a fault of the unit.
  const warnings = result.stderr.split('\n').filter((line) => line.trim() !== '' && !/KillMode=process/.test(line));
  assert.deepEqual(warnings, []);
  assert.match(readFileSync(path, 'utf8'), /^WorkingDirectory=\/www\/wwwroot\/my site 100%%$/m);
});
