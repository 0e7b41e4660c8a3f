// install.sh, run by each POSIX shell here (sh, dash, busybox sh, bash --posix) into a fresh DESTDIR: installs the
// executable, which then runs; re-installs over itself (also from its own installed path); uninstalls; refuses a
// file for another architecture, an architecture without an executable, and a missing file. As root it installs
// to /usr/local/bin; as another user (setpriv) to ~/.local/bin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { findCommand } from '../support/real-kernel-proc.js';
import { builtExecutable, cannotRun } from './support.js';

const SCRIPT = join(projectRoot, 'install.sh');
const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
const isRoot = process.getuid?.() === 0;
const arch = process.arch === 'x64' ? 'x64' : process.arch;

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomscope-install-'));
  chmodSync(dir, 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The shells to run install.sh with: [name, argv before the script]. */
function shells(): [string, string[]][] {
  const found: [string, string[]][] = [['sh', ['/bin/sh']]];
  const dash = findCommand('dash');
  if (dash) found.push(['dash', [dash]]);
  const busybox = findCommand('busybox');
  if (busybox) found.push(['busybox sh', [busybox, 'sh']]);
  const bash = findCommand('bash');
  if (bash) found.push(['bash --posix', [bash, '--posix']]);
  return found;
}

function run(shell: string[], args: string[], env: Record<string, string>, options: { uid?: number } = {}) {
  // Another user may not reach the checkout (a clone in a 0700 folder): it runs a copy of the script from `dir`.
  let script = SCRIPT;
  if (options.uid !== undefined) {
    script = join(dir, 'install.sh');
    copyFileSync(SCRIPT, script);
    chmodSync(script, 0o755);
  }
  const argv = options.uid === undefined ? [...shell, script, ...args] : ['setpriv', `--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', ...shell, script, ...args];
  const result = spawnSync(argv[0]!, argv.slice(1), { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

let exe: string | undefined;
function executable(t: Parameters<typeof cannotRun>[0]): string | undefined {
  exe ??= builtExecutable(t);
  return exe;
}

test('each shell: install into DESTDIR, run it, install again over itself (from its own path too), uninstall', (t) => {
  const built = executable(t);
  if (!built) return;
  const home = '/home/someone';
  const installed = isRoot ? '/usr/local/bin/oomscope' : `${home}/.local/bin/oomscope`;
  for (const [name, shell] of shells()) {
    const destdir = join(dir, name.replace(/\W+/g, '-'));
    const env = { DESTDIR: destdir, HOME: home };
    const first = run(shell, [built], env);
    assert.equal(first.code, 0, `${name}: ${first.err}`);
    const target = join(destdir, installed);
    assert.equal(statSync(target).mode & 0o777, 0o755, name);
    assert.equal(spawnSync(target, ['--version'], { encoding: 'utf8' }).stdout, `${version}\n`, name);
    assert.match(first.out, new RegExp(`^Installed oomscope ${version.replace(/\./g, '\\.')} as ${installed}\\.$`, 'm'), name);
    // PATH (/usr/bin:/bin) lacks the folder: the next step names the full path and how to add the folder.
    assert.match(first.out, new RegExp(`^Next: ${installed} demo`, 'm'), name);
    assert.match(first.out, /is not on your PATH/, name);

    const again = run(shell, [built], env);
    assert.equal(again.code, 0, `${name} again: ${again.err}`);
    const fromItself = run(shell, [target], env);
    assert.equal(fromItself.code, 0, `${name} from itself: ${fromItself.err}`);
    assert.equal(spawnSync(target, ['--version'], { encoding: 'utf8' }).stdout, `${version}\n`, `${name}: still whole`);
    assert.deepEqual(readdirSync(join(target, '..')), ['oomscope'], `${name}: no temporary file left`);

    const removed = run(shell, ['--uninstall'], env);
    assert.equal(removed.code, 0, removed.err);
    assert.equal(existsSync(target), false, name);
    assert.match(removed.out, new RegExp(`^Removed ${installed}\\.$`, 'm'));
    const twice = run(shell, ['--uninstall'], env);
    assert.equal(twice.code, 0);
    assert.match(twice.out, /Nothing to remove/);
  }
});

test('as a user other than root it installs to ~/.local/bin; with the folder on PATH the next step is plain `oomscope demo`', (t) => {
  const built = executable(t);
  if (!built) return;
  if (!isRoot || !findCommand('setpriv')) {
    cannotRun(t, 'needs root and setpriv (util-linux) to run install.sh as another user');
    return;
  }
  const destdir = join(dir, 'user');
  mkdirSync(destdir, { mode: 0o777 });
  chmodSync(destdir, 0o777);
  const source = join(dir, 'oomscope-linux-user');
  copyFileSync(built, source);
  chmodSync(source, 0o755);
  const result = run(['/bin/sh'], [source], { DESTDIR: destdir, HOME: '/home/u', PATH: '/home/u/.local/bin:/usr/bin:/bin' }, { uid: 65534 });
  assert.equal(result.code, 0, result.err);
  assert.ok(existsSync(join(destdir, 'home/u/.local/bin/oomscope')));
  assert.match(result.out, /^Next: oomscope demo/m);
  assert.doesNotMatch(result.out, /not on your PATH/);
});

test('refusals: a missing file, a file for another architecture, a machine with no executable; nothing is left behind', (t) => {
  const built = executable(t);
  if (!built) return;
  const destdir = join(dir, 'refusals');
  const env = { DESTDIR: destdir, HOME: '/home/someone' };
  const missing = run(['/bin/sh'], [join(dir, 'no-such-file')], env);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no-such-file is not a file/);

  // An ELF header that says aarch64 (e_machine 0xb7) on this x64 machine (or x86-64, 0x3e, on arm64).
  const other = join(dir, 'oomscope-linux-other');
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header.writeUInt16LE(arch === 'x64' ? 0xb7 : 0x3e, 18);
  writeFileSync(other, header);
  const wrong = run(['/bin/sh'], [other], env);
  assert.equal(wrong.code, 1);
  assert.match(wrong.err, new RegExp(`not an oomscope executable for this machine \\(${arch}\\): it is ${arch === 'x64' ? 'arm64' : 'x64'}`));
  const text = join(dir, 'not-elf');
  writeFileSync(text, '<html>404</html>\n');
  assert.match(run(['/bin/sh'], [text], env).err, /it is not-elf/);

  // A uname that says riscv64: there is no executable for it.
  const fakeBin = join(dir, 'fake-uname');
  mkdirSync(fakeBin);
  writeFileSync(join(fakeBin, 'uname'), '#!/bin/sh\nif [ "$1" = -m ]; then echo riscv64; else echo Linux; fi\n', { mode: 0o755 });
  const riscv = run(['/bin/sh'], [built], { ...env, PATH: `${fakeBin}:/usr/bin:/bin` });
  assert.equal(riscv.code, 1);
  assert.match(riscv.err, /no oomscope executable for the architecture riscv64/);

  const installDir = join(destdir, isRoot ? 'usr/local/bin' : 'home/someone/.local/bin');
  assert.deepEqual(existsSync(installDir) ? readdirSync(installDir) : [], [], 'no oomscope and no temporary file');
});

test('without a source it downloads the release for this architecture (OOMSCOPE_RELEASE_URL, here a loopback server); a 404 is refused', async (t) => {
  const built = executable(t);
  if (!built) return;
  if (!findCommand('curl') && !findCommand('wget')) {
    cannotRun(t, 'neither curl nor wget is installed');
    return;
  }
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    if (request.url === `/download/oomscope-linux-${arch}`) response.end(readFileSync(built));
    else response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  /** Async: the server answers from this process's event loop. */
  const runAsync = (args: string[], env: Record<string, string>) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn('/bin/sh', [SCRIPT, ...args], { env: { PATH: '/usr/bin:/bin', HOME: '/home/someone', ...env } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
  try {
    const destdir = join(dir, 'download');
    const result = await runAsync([], { DESTDIR: destdir, OOMSCOPE_RELEASE_URL: `http://127.0.0.1:${port}/download` });
    assert.equal(result.code, 0, result.err);
    assert.deepEqual(asked, [`/download/oomscope-linux-${arch}`]);
    const target = join(destdir, isRoot ? 'usr/local/bin' : 'home/someone/.local/bin', 'oomscope');
    assert.equal(spawnSync(target, ['--version'], { encoding: 'utf8' }).stdout, `${version}\n`);
    const missing = await runAsync([`http://127.0.0.1:${port}/download/v9.9.9/oomscope-linux-${arch}`], { DESTDIR: join(dir, 'download-404') });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /could not download http:\/\/127\.0\.0\.1:\d+\/download\/v9\.9\.9/);
  } finally {
    server.close();
  }
});

test('shellcheck finds nothing in install.sh as POSIX sh', (t) => {
  const shellcheck = findCommand('shellcheck');
  if (!shellcheck) {
    cannotRun(t, 'shellcheck is not installed (Debian package shellcheck; .ci/run installs it)');
    return;
  }
  const result = spawnSync(shellcheck, ['--shell=sh', SCRIPT], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout);
});
