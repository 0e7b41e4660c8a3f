// The single executable for the tests that run it as a user would: built once per change of what goes into it
// (scripts/build-exe.mjs, the same build as `npm run build:exe`), kept under .build/exe-cache/<hash of the inputs>/.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TestContext } from 'node:test';
import { isCI, projectRoot } from '../support/paths.js';

const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const CACHE = join(projectRoot, '.build', 'exe-cache');

/** Skips with the reason; under CI=true fails instead. */
export function cannotRun(t: TestContext, reason: string): void {
  if (isCI) throw new Error(`CI=true, so this may not be skipped: ${reason}`);
  t.skip(reason);
}

/** Why the executable cannot be built here, or undefined. */
function buildUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `the executable is built for Linux only (this is ${process.platform})`;
  if (process.versions.node.split('.')[0] !== '20') return `the executable is built with Node 20 (this is ${process.versions.node})`;
  for (const tool of ['esbuild', 'postject']) {
    if (!existsSync(join(projectRoot, 'node_modules', tool, 'package.json'))) return `the devDependency ${tool} is not installed (npm ci)`;
  }
  if (!readFileSync(process.execPath).includes(SENTINEL_FUSE)) return `${process.execPath} has no single-executable fuse`;
  return undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A hash of everything the build reads: a change to any of them builds again. */
function inputsHash(): string {
  const hash = createHash('sha256').update(process.version);
  const inputs = [
    ...filesUnder(join(projectRoot, 'src')),
    ...filesUnder(join(projectRoot, 'samples')),
    ...['package.json', 'package-lock.json', 'scripts/build-exe.mjs', 'scripts/bundle-cli.mjs'].map((name) => join(projectRoot, name)),
  ].sort();
  for (const path of inputs) hash.update(relative(projectRoot, path)).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The path of an executable built from the working tree for `arch` (default: this machine's), or undefined after
 * skipping the test with the reason. Another arch's build fetches that Node from the registry (npm pack) once.
 */
export function builtExecutable(t: TestContext, arch: string = process.arch): string | undefined {
  const reason = buildUnavailable();
  if (reason) {
    cannotRun(t, reason);
    return undefined;
  }
  const key = inputsHash();
  const out = join(CACHE, key, `oomscope-linux-${arch}`);
  if (existsSync(out)) return out;
  // Only the builds of the current sources are kept: each is a whole Node binary (about 100 MB).
  if (existsSync(CACHE)) for (const old of readdirSync(CACHE).filter((name) => name !== key)) rmSync(join(CACHE, old), { recursive: true, force: true });
  mkdirSync(join(CACHE, key), { recursive: true });
  const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build-exe.mjs'), '--arch', arch, '--out', out], { cwd: projectRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`scripts/build-exe.mjs failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return out;
}

/**
 * A PATH for a machine without Node: a folder of links to the few tools named (the system's own folders cannot
 * be used here, since Node lives in /usr/bin on this machine). Checks that `node` is not found on it.
 */
export function pathWithout(dir: string, tools: string[]): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const tool of tools) {
    const found = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => join(d, tool)).find((p) => existsSync(p));
    if (!found) throw new Error(`the tool ${tool} is not on this machine`);
    symlinkSync(found, join(bin, tool));
  }
  const probe = spawnSync('/bin/sh', ['-c', 'command -v node'], { env: { PATH: bin }, encoding: 'utf8' });
  if (probe.status === 0) throw new Error(`node is on the PATH meant to have none: ${probe.stdout}`);
  return bin;
}
