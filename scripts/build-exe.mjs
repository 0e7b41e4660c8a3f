#!/usr/bin/env node
// Builds the single executable: src/cli.ts bundled by esbuild into one CommonJS script (scripts/bundle-cli.mjs, the
// same bundle the npm package runs as dist/oomscope.cjs), made into a Node
// single executable application blob (with V8's code cache) and injected with postject into a copy of this
// Node binary. The demo sample rides along as SEA assets and the version as a literal, so the executable reads
// nothing from beside itself; the byte scanner's WebAssembly is already inlined as base64 in the source.
//
// Usage: node scripts/build-exe.mjs [--arch x64|arm64] [--out FILE]
//   default FILE: dist/oomscope-linux-<arch>; default arch: this machine's (dist/oomscope-linux-x64 here).
//   For this machine's arch the Node binary is the one running this script (`process.execPath`, a Node 20 with the
//   SEA fuse). For another arch it is the same Node version for that arch from the registry package
//   node-linux-<arch> (kept in .build/node-cache/), and the blob has no code cache: V8 makes it for its own arch.
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, '.build', 'exe');
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** The demo sample, embedded under the keys src/commands/demo-samples.ts reads. */
const SAMPLE_FILES = ['check.log', 'running.log', 'kern.log'];

/** The default output name, as the README and install.sh spell it: oomscope-linux-x64, oomscope-linux-arm64. */
export function exeName(platform = process.platform, arch = process.arch) {
  return `oomscope-${platform}-${arch}`;
}

function seaConfig(main, blob, useCodeCache) {
  const assets = Object.fromEntries(SAMPLE_FILES.map((name) => [`samples/anqicms/${name}`, join(ROOT, 'samples', 'anqicms', name)]));
  return { main, output: blob, disableExperimentalSEAWarning: true, useCodeCache, useSnapshot: false, assets };
}

/** This Node version built for `arch`, from the registry package node-linux-<arch> (fetched once with npm pack). */
function nodeBinaryFor(arch) {
  const dir = join(ROOT, '.build', 'node-cache', `node-linux-${arch}-${process.versions.node}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('npm', ['pack', `node-linux-${arch}@${process.versions.node}`, '--pack-destination', dir], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack node-linux-${arch}@${process.versions.node} gave no tarball`);
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  if (!readFileSync(binary).includes(SENTINEL_FUSE)) throw new Error(`${binary} has no single-executable fuse`);
  return binary;
}

/**
 * postject's command, run as a child so that its ELF library's warnings about Node's unnamed note sections
 * (harmless: the sections are kept as they are) can be left out; everything else it prints is shown.
 */
function injectBlob(out, blob) {
  const cli = join(dirname(createRequire(import.meta.url).resolve('postject')), 'cli.js');
  const result = spawnSync(process.execPath, [cli, out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SENTINEL_FUSE], { encoding: 'utf8' });
  const noise = /^warning: Can't find string offset for section name '\.note[^']*'$/;
  const shown = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line !== '' && !noise.test(line));
  if (shown.length > 0) console.log(shown.join('\n'));
  if (result.status !== 0) throw new Error(`postject failed (exit ${result.status ?? result.signal})`);
}

export async function buildExecutable({ arch = process.arch, out = join(ROOT, 'dist', exeName(process.platform, arch)) } = {}) {
  if (!['x64', 'arm64'].includes(arch)) throw new Error(`no executable for the architecture ${arch} (x64 and arm64 are built)`);
  const [major] = process.versions.node.split('.').map(Number);
  if (major !== 20) throw new Error(`the executable is built with Node 20 (the project's Node); this is Node ${process.versions.node}`);
  if (!readFileSync(process.execPath).includes(SENTINEL_FUSE)) {
    throw new Error(`${process.execPath} has no single-executable fuse (${SENTINEL_FUSE}): use an official Node 20 build`);
  }
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const main = join(WORK, 'oomscope.cjs');
  const blob = join(WORK, 'sea-prep.blob');
  const configPath = join(WORK, 'sea-config.json');
  await bundleCli({ outfile: main, executable: true });
  const native = arch === process.arch;
  writeFileSync(configPath, `${JSON.stringify(seaConfig(main, blob, native), null, 2)}\n`);
  execFileSync(process.execPath, ['--experimental-sea-config', configPath], { stdio: 'inherit' });

  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  copyFileSync(native ? process.execPath : nodeBinaryFor(arch), out);
  chmodSync(out, 0o755);
  injectBlob(out, blob);
  return { out, bytes: statSync(out).size, version, arch, codeCache: native };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const options = {};
  if (value('--arch')) options.arch = value('--arch');
  if (value('--out')) options.out = value('--out');
  const { out, bytes, version, arch, codeCache } = await buildExecutable(options);
  console.log(`built ${relative(process.cwd(), out)}: oomscope ${version} for linux-${arch}, ${(bytes / 1048576).toFixed(1)} MiB${codeCache ? ', with code cache' : ', no code cache (cross-built)'}`);
}
