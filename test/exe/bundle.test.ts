// The installed command's way in: bin/oomscope.cjs → bin/oomscope-start.cjs → dist/oomscope.cjs (the one-file bundle
// of scripts/bundle-cli.mjs) compiled with V8's code cache beside it. Here in a copy of the package's layout, so the
// cache files it writes land in a temporary folder. It must answer as `node .build/src/cli.js` (the tsc build) does.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { projectRoot } from '../support/paths.js';
import { cannotRun } from './support.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
const SAMPLE = join(projectRoot, 'samples', 'anqicms');

let pkg = '';
let built: boolean | undefined;
before(() => {
  pkg = mkdtempSync(join(tmpdir(), 'oomscope-bundle-'));
});
after(() => rmSync(pkg, { recursive: true, force: true }));

/** bin/ and samples/ copied, dist/oomscope.cjs bundled into the copy; false after a skip. */
function install(t: TestContext): boolean {
  if (built !== undefined) return built;
  built = false;
  if (!existsSync(join(projectRoot, 'node_modules', 'esbuild', 'package.json'))) {
    cannotRun(t, 'the devDependency esbuild is not installed (npm ci)');
    return false;
  }
  for (const name of ['oomscope.cjs', 'oomscope-start.cjs']) {
    mkdirSync(join(pkg, 'bin'), { recursive: true });
    copyFileSync(join(projectRoot, 'bin', name), join(pkg, 'bin', name));
  }
  cpSync(SAMPLE, join(pkg, 'samples', 'anqicms'), { recursive: true });
  const script = `import { bundleCli } from ${JSON.stringify(pathToFileURL(join(projectRoot, 'scripts', 'bundle-cli.mjs')).href)};
await bundleCli({ outfile: ${JSON.stringify(join(pkg, 'dist', 'oomscope.cjs'))}, executable: false });`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  built = true;
  return true;
}

function run(args: string[]) {
  return spawnSync(process.execPath, [join(pkg, 'bin', 'oomscope.cjs'), ...args], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });
}

/** The cache the launcher keeps for this bundle (its build id, on its first line) and this Node, with no V8 flags. */
function cacheFile(): string {
  const build = /^\/\* oomscope build ([0-9a-f]{16}) \*\//.exec(readFileSync(join(pkg, 'dist', 'oomscope.cjs'), 'latin1'));
  assert.ok(build, 'the bundle names its build on its first line');
  return join(pkg, 'dist', `oomscope.cjs.${build[1]}.${process.versions.v8}-${process.arch}.cache`);
}
/** `--version` with `--lang`: the same answer, but through the bundle (a bare `--version` never loads it). */
const VERSION_THROUGH_BUNDLE = ['--lang', 'en', '--version'];
const leftovers = (): string[] => readdirSync(join(pkg, 'dist')).filter((name) => name.endsWith('.tmp'));

test('the bundle is ASCII: the launcher reads it as latin1', (t) => {
  if (!install(t)) return;
  const bytes = readFileSync(join(pkg, 'dist', 'oomscope.cjs'));
  assert.equal(bytes.findIndex((byte) => byte > 0x7f), -1);
});

test('the first run writes the code cache at exit; the next run uses it and leaves it as it is', (t) => {
  if (!install(t)) return;
  rmSync(cacheFile(), { force: true });
  const first = run(VERSION_THROUGH_BUNDLE);
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout, `${version}\n`);
  assert.equal(first.stderr, '');
  assert.ok(statSync(cacheFile()).size > 1000, 'a code cache was written');
  const written = readFileSync(cacheFile());
  const second = run(VERSION_THROUGH_BUNDLE);
  assert.equal(second.stdout, `${version}\n`);
  assert.deepEqual(readFileSync(cacheFile()), written, 'an accepted cache is not written again');
  assert.deepEqual(leftovers(), []);
});

test('a cache V8 rejects (not a cache at all) is ignored, and replaced at exit', (t) => {
  if (!install(t)) return;
  writeFileSync(cacheFile(), 'not a V8 code cache\n');
  const result = run(VERSION_THROUGH_BUNDLE);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, `${version}\n`);
  assert.equal(result.stderr, '');
  assert.notEqual(readFileSync(cacheFile(), 'utf8'), 'not a V8 code cache\n');
  assert.deepEqual(leftovers(), []);
});

test('where the cache cannot be read or written (its name is taken by a folder), the command still runs', (t) => {
  if (!install(t)) return;
  rmSync(cacheFile(), { force: true });
  mkdirSync(cacheFile());
  try {
    const result = run(VERSION_THROUGH_BUNDLE);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
    assert.equal(result.stderr, '');
    assert.deepEqual(leftovers(), []);
  } finally {
    rmSync(cacheFile(), { recursive: true, force: true });
  }
});

test('a diagnosis through the bundle is the one the tsc build gives, in JSON and text', (t) => {
  if (!install(t)) return;
  const inputs = ['--kernel', join(SAMPLE, 'kern.log'), '--app', join(SAMPLE, 'running.log'), '--check', join(SAMPLE, 'check.log'), '--tz', 'Asia/Shanghai'];
  for (const format of ['json', 'text']) {
    const args = ['diagnose', ...inputs, '--format', format];
    const bundled = run(args);
    const fromTsc = spawnSync(process.execPath, [CLI, ...args], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });
    assert.equal(bundled.status, fromTsc.status, bundled.stderr);
    assert.equal(bundled.stderr, fromTsc.stderr);
    assert.equal(bundled.stdout, fromTsc.stdout);
  }
});

test('a .gz kernel log (zlib, loaded when first needed) reads as through the tsc build', (t) => {
  if (!install(t)) return;
  const gz = join(pkg, 'kern.log.gz');
  writeFileSync(gz, gzipSync(readFileSync(join(SAMPLE, 'kern.log'))));
  const args = ['diagnose', '--kernel', gz, '--tz', 'Asia/Shanghai', '--format', 'json'];
  const bundled = run(args);
  const fromTsc = spawnSync(process.execPath, [CLI, ...args], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });
  assert.equal(bundled.stderr, fromTsc.stderr);
  assert.equal(bundled.status, fromTsc.status);
  assert.equal(bundled.stdout, fromTsc.stdout);
  // kern.log of the sample: mysqld (pid 1771) and anqicms (pid 4137) killed.
  assert.deepEqual((JSON.parse(bundled.stdout) as { oomKills: { pid: number }[] }).oomKills.map((k) => k.pid), [1771, 4137]);
});

test('demo finds the samples folder above dist/, in English and Chinese', (t) => {
  if (!install(t)) return;
  const english = run(['demo']);
  assert.equal(english.status, 0, english.stderr);
  // samples/anqicms (scripts/make-demo-sample.mjs): 8 deaths, the kernel OOM kill of pid 4137 among them.
  assert.match(english.stdout, /anqicms died 8 times/);
  assert.ok(english.stdout.includes(join(pkg, 'samples', 'anqicms')), 'the report names the copy beside the bundle');
  const chinese = run(['demo', '--lang', 'zh-CN']);
  assert.equal(chinese.status, 0, chinese.stderr);
  assert.match(chinese.stdout, /anqicms 退出了 8 次/);
});

test('help and wrong usage read as from the tsc build: the root help lists every command; an unknown one is named', (t) => {
  if (!install(t)) return;
  for (const args of [['--help'], ['help', 'watch'], ['diagnose', '--help', '--lang', 'zh-CN'], ['diagnos'], ['--version', '--help']]) {
    const bundled = run(args);
    const fromTsc = spawnSync(process.execPath, [CLI, ...args], { cwd: pkg, encoding: 'utf8', timeout: 60_000 });
    assert.equal(bundled.status, fromTsc.status, args.join(' '));
    assert.equal(bundled.stdout, fromTsc.stdout, args.join(' '));
    assert.equal(bundled.stderr, fromTsc.stderr, args.join(' '));
  }
  assert.match(run(['--help']).stdout, /diagnose[\s\S]*demo[\s\S]*watch[\s\S]*supervise[\s\S]*relay[\s\S]*fleet[\s\S]*setup/);
});

test('a bare --version or -V prints what the bundle prints, without loading the bundle', (t) => {
  if (!install(t)) return;
  const throughBundle = run(VERSION_THROUGH_BUNDLE);
  assert.equal(throughBundle.stdout, `${version}\n`);
  for (const flag of ['--version', '-V']) {
    const fast = run([flag]);
    assert.equal(fast.status, 0, fast.stderr);
    assert.equal(fast.stdout, throughBundle.stdout, flag);
    assert.equal(fast.stderr, '');
  }
  // A copy with the version file but no bundle: --version still answers, anything else cannot load it (exit 70).
  const bare = mkdtempSync(join(tmpdir(), 'oomscope-bare-'));
  try {
    cpSync(join(pkg, 'bin'), join(bare, 'bin'), { recursive: true });
    mkdirSync(join(bare, 'dist'));
    copyFileSync(join(pkg, 'dist', 'oomscope.version'), join(bare, 'dist', 'oomscope.version'));
    const inBare = (args: string[]) => spawnSync(process.execPath, [join(bare, 'bin', 'oomscope.cjs'), ...args], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(inBare(['--version']).stdout, `${version}\n`);
    const needsBundle = inBare(['--help']);
    assert.equal(needsBundle.status, 70);
    assert.match(needsBundle.stderr, /cannot load dist\/oomscope\.cjs/);
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
});

test('without its version file (a bundle built before it), --version goes through the bundle', (t) => {
  if (!install(t)) return;
  const versionFile = join(pkg, 'dist', 'oomscope.version');
  const kept = readFileSync(versionFile);
  rmSync(versionFile);
  try {
    const result = run(['--version']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  } finally {
    writeFileSync(versionFile, kept);
  }
});

test('another build of the bundle does not use this build\'s cache, even at the same length', (t) => {
  if (!install(t)) return;
  run(VERSION_THROUGH_BUNDLE);
  const cache = readFileSync(cacheFile());
  const bundlePath = join(pkg, 'dist', 'oomscope.cjs');
  const original = readFileSync(bundlePath, 'latin1');
  // Same length, other build id, other code: the version literal changed (V8 alone would take the old cache).
  const other = original.replace(/^\/\* oomscope build [0-9a-f]{16} \*\//, '/* oomscope build 0000000000000000 */').replace(`"${version}"`, `"${version.replace(/\d$/, (d) => String((Number(d) + 1) % 10))}"`);
  assert.equal(other.length, original.length);
  writeFileSync(bundlePath, other, 'latin1');
  try {
    const result = run(VERSION_THROUGH_BUNDLE);
    assert.equal(result.status, 0, result.stderr);
    assert.notEqual(result.stdout, `${version}\n`, 'the edited bundle ran, not the cached code of the old one');
    assert.ok(existsSync(join(pkg, 'dist', `oomscope.cjs.0000000000000000.${process.versions.v8}-${process.arch}.cache`)), 'it wrote a cache of its own');
  } finally {
    writeFileSync(bundlePath, original, 'latin1');
  }
  assert.deepEqual(readFileSync(cacheFile()), cache, 'the first build\'s cache is left as it was');
});

test('a run with V8 flags keeps a cache of its own and leaves the plain one as it was', (t) => {
  if (!install(t)) return;
  run(VERSION_THROUGH_BUNDLE);
  const plain = readFileSync(cacheFile());
  const flagged = spawnSync(process.execPath, ['--max-old-space-size=128', join(pkg, 'bin', 'oomscope.cjs'), ...VERSION_THROUGH_BUNDLE], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(flagged.status, 0, flagged.stderr);
  assert.equal(flagged.stdout, `${version}\n`);
  assert.deepEqual(readFileSync(cacheFile()), plain);
  const prefix = `${cacheFile().slice(join(pkg, 'dist').length + 1, -'.cache'.length)}-`;
  assert.equal(readdirSync(join(pkg, 'dist')).filter((name) => name.startsWith(prefix) && name.endsWith('.cache')).length, 1);
});
