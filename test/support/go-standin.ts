// The Go stand-in for AnQiCMS (test/real-kernel/standin-go): building it with the machine's Go toolchain (once per test
// run, per build mode), making it die one way with the real runtime, and comparing its traces with the captured ones
// in test/fixtures/go/ (the drift check). Building needs `go` (Debian's golang-go, Go 1.19); no network is used.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCommand, freeLoopbackPort } from './real-kernel-proc.js';
import { fixture } from './paths.js';

export const GO_STANDIN_SOURCE = fixture('test', 'real-kernel', 'standin-go');
export const GO_FIXTURES = fixture('test', 'fixtures', 'go');

/**
 * `trimpath`: `go build -trimpath` (frames read `kandaoni.com/anqicms/provider/x.go`, `github.com/…@v3.0.1/x.go`).
 * `paths`: no -trimpath, the source laid out as on a server — the app in /www/go/anqicms, its dependencies in the
 * module cache /root/go/pkg/mod/…@version — under a temporary root whose prefix the compiler strips
 * (`-gcflags=all=-trimpath=<root>/www=>/www;<root>/root=>/root`), so frames read `/www/go/anqicms/provider/x.go` and the standard library keeps
 * its real GOROOT path.
 */
export type BuildMode = 'trimpath' | 'paths';
export const BUILD_MODES: readonly BuildMode[] = ['trimpath', 'paths'];

/** How the stand-in dies (test/real-kernel/standin-go/README.md). */
export type GoDeath = 'panic' | 'panic-value' | 'repanic' | 'map-writes' | 'stack' | 'oom-as' | 'oom-data' | 'db-down' | 'panic-system';

export interface GoBuild {
  mode: BuildMode;
  binary: string;
  /** `go1.19.8` */
  goVersion: string;
  /** The flags given to go build, for the record. */
  flags: string[];
}

/** The dependencies' versions, as go.mod requires them. */
const DEPENDENCIES = [
  { module: 'github.com/kataras/iris/v12', version: 'v12.2.11', dir: 'third_party/iris' },
  { module: 'github.com/robfig/cron/v3', version: 'v3.0.1', dir: 'third_party/cron' },
];

/** Why the Go stand-in cannot be built here, or undefined. */
export function goUnavailable(): string | undefined {
  if (!findCommand('go')) return 'the Go toolchain is missing (Debian package golang-go)';
  const v = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (v.status !== 0) return `go version failed: ${v.stderr.trim()}`;
  return undefined;
}

export function goVersion(): string {
  return /\bgo(\d+\.\d+(?:\.\d+)?)\b/.exec(execFileSync('go', ['version'], { encoding: 'utf8' }))?.[0] ?? 'go-unknown';
}

function goEnv(): NodeJS.ProcessEnv {
  // Offline and reproducible: local replace directives only, a static binary (as release builds are), Go's own cache.
  return { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOSUMDB: 'off', GOWORK: 'off', CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
}

let buildRoot: string | undefined;
const builds = new Map<BuildMode, GoBuild>();

/** Builds the stand-in (once per process and mode) into a temporary directory, removed when the process exits. */
export function buildGoStandin(mode: BuildMode): GoBuild {
  const cached = builds.get(mode);
  if (cached) return cached;
  if (!buildRoot) {
    buildRoot = mkdtempSync(join(tmpdir(), 'oomscope-go-'));
    const root = buildRoot;
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  const out = join(buildRoot, `bin-${mode}`);
  mkdirSync(out, { recursive: true });
  const binary = join(out, 'anqicms');
  let dir = GO_STANDIN_SOURCE;
  let flags = ['-trimpath'];
  let env = goEnv();
  if (mode === 'paths') {
    const root = join(buildRoot, 'server');
    dir = join(root, 'www', 'go', 'anqicms');
    env = serverLayout(root, dir);
    // only for the app's and the dependencies' packages: the standard library's paths do not change, and its cached
    // build stays valid (the temporary root differs every run)
    const trim = `-trimpath=${root}/www=>/www;${root}/root=>/root`;
    flags = [`-gcflags=kandaoni.com/...=${trim}`, `-gcflags=github.com/...=${trim}`];
  }
  execFileSync('go', ['build', ...flags, '-o', binary, '.'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const build: GoBuild = { mode, binary, goVersion: goVersion(), flags: mode === 'paths' ? flags.map((f) => f.replaceAll(buildRoot!, '<tmp>')) : flags };
  builds.set(mode, build);
  return build;
}

/**
 * The server's layout under `root`: the app's source in www/go/anqicms without its replace directives, and the
 * dependencies served by a file-system GOPROXY (zips as the module proxy protocol has them), so that `go` itself puts
 * them in the module cache root/go/pkg/mod/…@version. Answers the build environment.
 */
function serverLayout(root: string, appDir: string): NodeJS.ProcessEnv {
  cpSync(GO_STANDIN_SOURCE, appDir, { recursive: true, filter: (src) => !src.includes('third_party') });
  const proxy = join(root, 'proxy');
  const env = { ...goEnv(), GOPROXY: `file://${proxy}`, GOMODCACHE: join(root, 'root', 'go', 'pkg', 'mod'), GOFLAGS: '-mod=mod -modcacherw' };
  for (const dep of DEPENDENCIES) {
    execFileSync('go', ['mod', 'edit', `-dropreplace=${dep.module}`], { cwd: appDir, env });
    const at = join(proxy, ...dep.module.split('/'), '@v');
    mkdirSync(at, { recursive: true });
    const src = join(GO_STANDIN_SOURCE, dep.dir);
    writeFileSync(join(at, 'list'), `${dep.version}\n`);
    writeFileSync(join(at, `${dep.version}.info`), JSON.stringify({ Version: dep.version, Time: '2024-01-01T00:00:00Z' }));
    writeFileSync(join(at, `${dep.version}.mod`), readFileSync(join(src, 'go.mod')));
    const files = readdirSync(src).map((name) => ({ name: `${dep.module}@${dep.version}/${name}`, data: readFileSync(join(src, name)) }));
    writeFileSync(join(at, `${dep.version}.zip`), storedZip(files));
  }
  return env;
}

/** A zip archive of `files`, stored without compression (what the module proxy's .zip needs, nothing more). */
function storedZip(files: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = Buffer.from(f.name);
    const crc = crc32(f.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(f.data.length, 18);
    local.writeUInt32LE(f.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(f.data.length, 20);
    entry.writeUInt32LE(f.data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    parts.push(local, name, f.data);
    central.push(entry, name);
    offset += 30 + name.length + f.data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}

/** The shell limits and environment each death needs beyond `ANQICMS_DIE`. */
export function deathSetup(death: GoDeath): { ulimit: string | null; env: Record<string, string>; die: string } {
  switch (death) {
    // RLIMIT_AS: the idle static binary maps ~715 MB of address space (mostly reserved, not resident); 760000 kB leaves
    // room for one more heap arena, so the next reservation fails at 64 MiB in use, below the tests' 96 MiB cgroup.
    case 'oom-as':
      return { ulimit: 'ulimit -v 760000', env: {}, die: 'leak' };
    // RLIMIT_DATA counts writable private mappings: committing heap pages fails (`fatal error: runtime: out of memory`).
    case 'oom-data':
      return { ulimit: 'ulimit -d 65536', env: {}, die: 'leak' };
    case 'db-down':
      return { ulimit: null, env: {}, die: '' };
    case 'panic-system':
      return { ulimit: null, env: { GOTRACEBACK: 'system' }, die: 'panic' };
    default:
      return { ulimit: null, env: {}, die: death };
  }
}

export interface Captured {
  output: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs the build until it dies `death` (right after its start-up), in UTC, as if installed in /www/wwwroot/anqicms.com. */
export async function captureDeath(build: GoBuild, death: GoDeath): Promise<Captured> {
  const setup = deathSetup(death);
  const port = await freeLoopbackPort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH, TZ: 'UTC', ANQICMS_PORT: String(port), ANQICMS_EXEC_DIR: '/www/wwwroot/anqicms.com', ANQICMS_DIE: setup.die, ...setup.env,
  };
  // the database's port: one that just was free, so nothing listens there
  if (death === 'db-down') env.ANQICMS_DB_ADDR = `127.0.0.1:${await freeLoopbackPort()}`;
  const script = `${setup.ulimit ?? ':'}; exec "$0"`;
  const child = spawn('sh', ['-c', script, build.binary], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  // stdout and stderr in one stream as nohup's `>> running.log 2>&1` would give (line order across them may differ)
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stderr.on('data', (d: Buffer) => chunks.push(d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  return { output: Buffer.concat(chunks).toString('utf8'), code, signal };
}

export function fixtureName(goVersion: string, mode: BuildMode, death: GoDeath): string {
  return `${goVersion}-${mode}-${death}.log`;
}

export function fixturePath(goVersion: string, mode: BuildMode, death: GoDeath): string {
  return join(GO_FIXTURES, fixtureName(goVersion, mode, death));
}

export const fixturesExist = (): boolean => existsSync(GO_FIXTURES);

/**
 * What must not drift: the crash report's lines from its first line to the end of the crashing goroutine (the first
 * `goroutine N […]:` block), with what differs from run to run masked — numbers in hex (addresses, pcs, offsets),
 * goroutine ids, `m=` and `sigcode=` values, the stamps and port of log lines. Other goroutines of a dump (their
 * states and order depend on the scheduler) and the register dump are left out.
 */
export function traceShape(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /^(?:panic: |fatal error: |runtime: |SIG[A-Z]+: |\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} Failed )/.test(l));
  if (start < 0) return [];
  const shape: string[] = [];
  let inGoroutine = false;
  for (const line of lines.slice(start)) {
    if (/^goroutine \d+ /.test(line)) inGoroutine = true;
    else if (inGoroutine && line === '') break;
    if (/^(?:r[a-z0-9]{1,3}|e[a-z]{2}|[a-z]{2,6}) +0x[0-9a-f]+$/.test(line)) continue;
    const masked =
      line
        .replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, 'YYYY/MM/DD HH:MM:SS ')
        .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
        .replace(/0x[0-9a-f]+\??/g, '0x_')
        .replace(/\(\d+ in use\)/, '(N in use)')
        .replace(/^goroutine \d+ /, 'goroutine N ')
        .replace(/\b(m|sigcode)=\d+/g, '$1=_');
    // two goroutines may both catch a concurrent map write: `fatal error: concurrent map writes` twice in a row (seen)
    if (masked !== shape.at(-1)) shape.push(masked);
  }
  return shape;
}
