// Discovery per role (issue 14, item 4): each of guardian, app and kernel is looked for unless named or turned off;
// an install directory's own kern.log/syslog/messages is read beside the system's. Every place is a temp folder.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseInputs, type DiscoveryPlaces } from '../../src/read/find-inputs.js';
import { fixture } from '../support/paths.js';
import { cliMessage } from '../../src/i18n/cli-messages.js';

const scenario = fixture('test', 'join', 'fixtures', 'kernel-oom');
const root = mkdtempSync(join(tmpdir(), 'oomscope-find-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A fresh machine: an install dir with check.log and running.log, a system /var/log, and an empty current directory. */
function machine(name: string, options: { systemLog?: string; kernInInstall?: string } = {}): { places: DiscoveryPlaces; install: string; logDir: string; elsewhere: string } {
  const base = join(root, name);
  const install = join(base, 'www', 'wwwroot', 'site.example');
  const logDir = join(base, 'var', 'log');
  const elsewhere = join(base, 'home');
  for (const dir of [install, logDir, elsewhere]) mkdirSync(dir, { recursive: true });
  copyFileSync(join(scenario, 'check.log'), join(install, 'check.log'));
  copyFileSync(join(scenario, 'running.log'), join(install, 'running.log'));
  if (options.systemLog) copyFileSync(join(scenario, 'kern.log'), join(logDir, options.systemLog));
  if (options.kernInInstall) copyFileSync(join(scenario, 'kern.log'), join(install, options.kernInInstall));
  const places: DiscoveryPlaces = { cwd: elsewhere, siteRoots: [join(base, 'www', 'wwwroot')], goLogDirs: [], logDir, process: 'anqicms', journald: false, kmsgReadable: false };
  return { places, install, logDir, elsewhere };
}

test('--dir given: the kernel log is still looked for, and found in the system log folder', () => {
  const m = machine('dir-only', { systemLog: 'kern.log' });
  const found = chooseInputs({ dir: [m.install], discoverUnnamed: true, places: m.places }, 'anqicms');
  assert.deepEqual(found.check, [join(m.install, 'check.log')]);
  assert.deepEqual(found.app, [join(m.install, 'running.log')]);
  assert.deepEqual(found.kernel, [join(m.logDir, 'kern.log')]);
  assert.deepEqual(found.notes.at(-1), { code: 'found.system-log', params: { path: join(m.logDir, 'kern.log') } });
});

test('--check alone names the local pair: no running.log is added from elsewhere, the kernel log is found', () => {
  const m = machine('check-only', { systemLog: 'syslog' });
  const found = chooseInputs({ check: [join(m.install, 'check.log')], discoverUnnamed: true, places: m.places }, 'anqicms');
  assert.deepEqual(found.app, []);
  assert.deepEqual(found.kernel, [join(m.logDir, 'syslog')]);
});

test('run inside an install directory: its kern.log is read as well as the system one', () => {
  const m = machine('in-install', { systemLog: 'messages', kernInInstall: 'kern.log' });
  writeFileSync(join(m.install, 'kern.log.1'), '');
  const found = chooseInputs({ discoverUnnamed: true, places: { ...m.places, cwd: m.install } }, 'anqicms');
  assert.deepEqual(found.check, [join(m.install, 'check.log')]);
  // Rotated sibling first (oldest first), then the live file, then the system's.
  assert.deepEqual(found.kernel, [join(m.install, 'kern.log.1'), join(m.install, 'kern.log'), join(m.logDir, 'messages')]);
  assert.deepEqual(found.notes.find((n) => n.code === 'found.install-kernel-log'), { code: 'found.install-kernel-log', params: { path: join(m.install, 'kern.log'), dir: m.install, rotated: 1 } });
});

test('--kernel given in an install directory: its check.log and running.log are found', () => {
  const m = machine('kernel-named', {});
  const found = chooseInputs({ kernel: ['/x/kern.log'], discoverUnnamed: true, places: { ...m.places, cwd: m.install } }, 'anqicms');
  assert.deepEqual(found.kernel, ['/x/kern.log']);
  assert.deepEqual(found.check, [join(m.install, 'check.log')]);
  assert.deepEqual(found.app, [join(m.install, 'running.log')]);
});

test('--no-kernel, --no-check, --no-app turn a role off, named or not', () => {
  const m = machine('off', { systemLog: 'kern.log', kernInInstall: 'kern.log' });
  const noKernel = chooseInputs({ dir: [m.install], noKernel: true, discoverUnnamed: true, places: m.places }, 'anqicms');
  assert.deepEqual(noKernel.kernel, []);
  assert.equal(noKernel.check.length, 1);
  const onlyKernel = chooseInputs({ noCheck: true, noApp: true, discoverUnnamed: true, places: { ...m.places, cwd: m.install } }, 'anqicms');
  assert.deepEqual(onlyKernel.check, []);
  assert.deepEqual(onlyKernel.app, []);
  assert.deepEqual(onlyKernel.kernel, [join(m.install, 'kern.log'), join(m.logDir, 'kern.log')]);
  const noApp = chooseInputs({ dir: [m.install], noApp: true, noKernel: true, discoverUnnamed: true, places: m.places }, 'anqicms');
  assert.deepEqual(noApp.app, []);
  assert.deepEqual(noApp.check, [join(m.install, 'check.log')]);
});

test('no kernel log anywhere: a note says OOM kills cannot be seen and how to name one', () => {
  const m = machine('no-kernel', {});
  const found = chooseInputs({ dir: [m.install], discoverUnnamed: true, places: m.places }, 'anqicms');
  assert.deepEqual(found.kernel, []);
  assert.deepEqual(found.notes, [{ code: 'found.no-kernel', params: {} }]);
  assert.match(cliMessage('en', 'found.no-kernel'), /OOM kills cannot be seen; name one with --kernel/);
});

test('without discoverUnnamed (the library so far) a named input is all that is read', () => {
  const m = machine('library', { systemLog: 'kern.log' });
  const found = chooseInputs({ dir: [m.install], places: m.places }, 'anqicms');
  assert.deepEqual(found.kernel, []);
  assert.deepEqual(found.notes, []);
  const all = chooseInputs({ places: m.places }, 'anqicms');
  assert.deepEqual(all.check, [join(m.install, 'check.log')]);
  assert.deepEqual(all.kernel, [join(m.logDir, 'kern.log')]);
});
