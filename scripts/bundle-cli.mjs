#!/usr/bin/env node
// Bundles the command (src/cli.ts with commander and prom-client) into one CommonJS file with esbuild: the same
// bundle is the single executable's main script (scripts/build-exe.mjs) and, as dist/oomscope.cjs, what the
// installed command runs (bin/oomscope-start.cjs). One file instead of ~175 ES modules is what lets `oomscope`
// start about as fast as `node` itself, with V8's code cache (bench/startup.mjs measures it).
//
// Usage: node scripts/bundle-cli.mjs    (run by `npm run build` after tsc)
//   writes dist/oomscope.cjs and dist/oomscope.version, then runs the command once on the demo sample so that the launcher leaves V8's code
//   cache for this Node beside it (dist/oomscope.cjs.<build>.<V8 version>-<arch>.cache; see bin/oomscope-start.cjs).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Files under src/ that may use import.meta: each has a branch the executable takes instead (see the file). */
const IMPORT_META_ALLOWED = new Set(['src/commands/demo-samples.ts', 'src/read/worker-script.ts']);
/** In dist/oomscope.cjs, import.meta.url is the bundle's own URL: demo-samples.ts looks for samples/ above it. */
const IMPORT_META_URL = '__oomscopeBundleUrl';

/**
 * An esbuild plugin: src/version.ts (which looks for package.json above itself) becomes the version as a literal,
 * and any other src file that still uses import.meta stops the build, since in the executable it would point
 * beside the executable.
 */
function cliSources(version) {
  return {
    name: 'oomscope-cli-sources',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const name = relative(ROOT, args.path).split('\\').join('/');
        if (name === 'src/version.ts') {
          return { contents: `export const VERSION: string = ${JSON.stringify(version)};\n`, loader: 'ts' };
        }
        const text = readFileSync(args.path, 'utf8');
        if (text.includes('import.meta') && !IMPORT_META_ALLOWED.has(name)) {
          return { errors: [{ text: `${name} uses import.meta, which would read beside the executable: give it an executable branch and list it in IMPORT_META_ALLOWED` }] };
        }
        return { contents: text, loader: 'ts' };
      });
    },
  };
}

/**
 * An esbuild plugin: commander loads node:child_process on start, for executable subcommands (`git-style`), which
 * oomscope has none of; with net and stream behind it that is about a fifth of `node`'s own start-up. It is loaded
 * when first used instead. A commander whose line reads otherwise stops the build, to be looked at.
 */
function lazyChildProcessInCommander() {
  const eager = "const childProcess = require('node:child_process');";
  const lazy = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
  return {
    name: 'oomscope-lazy-child-process',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(eager)) return { errors: [{ text: `${args.path} no longer has the line ${eager}: update scripts/bundle-cli.mjs` }] };
        return { contents: text.replace(eager, lazy), loader: 'js' };
      });
    },
  };
}

/**
 * Bundles src/cli.ts and its dependencies into one CommonJS file. `executable`: for the single executable, where
 * import.meta is left empty (its one use has an executable branch); otherwise import.meta.url is the bundle's URL.
 */
export async function bundleCli({ outfile, executable, minify = true }) {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    plugins: [cliSources(version), lazyChildProcessInCommander()],
    // The allowed import.meta uses sit in branches the executable never takes; keep every other warning loud.
    logOverride: { 'empty-import-meta': 'silent' },
    ...(executable
      ? {}
      : { define: { 'import.meta.url': IMPORT_META_URL }, banner: { js: `var ${IMPORT_META_URL} = require('node:url').pathToFileURL(__filename).href;` } }),
    // Half the bytes to read and compile (error messages name no functions: `--debug` stacks show short names).
    minify,
    logLevel: 'warning',
    legalComments: 'eof',
  });
  if (result.warnings.length > 0) throw new Error('esbuild warned; see above');
  // The SEA main script and the launcher's vm.Script compile it as a CommonJS function body, where `#!` is not allowed.
  // esbuild leaves the Chinese in regular expressions as it is: escaped too, the file is ASCII, which the launcher
  // reads as latin1 into a one-byte string, faster to read and to compile than UTF-8 decoded into a two-byte one.
  // (Sound because no tagged template in the bundle reads its raw text: String.raw would see the escapes.)
  const text = readFileSync(outfile, 'utf8')
    .replace(/^#!.*\n/, '')
    .replace(/[^\x00-\x7f]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.includes('String.raw')) throw new Error(`${outfile} uses String.raw, which would see the escaped non-ASCII text`);
  // esbuild keeps `await import('node:zlib')` (a builtin loaded when first needed) as it is, but neither the launcher's
  // vm.Script nor the single executable has a loader for import(): it becomes require, which they have.
  const loaded = text.replace(/\bimport\("(node:[a-z_/]+)"\)/g, 'Promise.resolve().then(()=>require("$1"))');
  const left = /\bimport\([^)]{0,40}/.exec(loaded);
  if (left) throw new Error(`${outfile} still has a dynamic import, which fails in the bundle: ${left[0]}`);
  if (executable) {
    writeFileSync(outfile, loaded);
    return { version };
  }
  // For bin/oomscope-start.cjs: the build's id on the first line names its code cache (V8 checks only a source's
  // length), and the version beside the bundle answers a bare `--version` without loading it.
  // Wrapped here as Node wraps a CommonJS module, so that the launcher compiles the file's text as it is read: wrapping
  // it at start-up made a second copy of 0.6 MiB for V8 to flatten, and a scavenge more.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${loaded}\n})`;
  const buildId = createHash('sha256').update(wrapped).digest('hex').slice(0, 16);
  writeFileSync(outfile, `/* oomscope build ${buildId} */\n${wrapped}`);
  writeFileSync(join(dirname(outfile), 'oomscope.version'), `${version}\n`);
  return { version };
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const dist = join(ROOT, 'dist');
  const outfile = join(dist, 'oomscope.cjs');
  // A cache made for an earlier bundle would be rejected by V8 (and then replaced): start clean.
  for (const name of readdirSync(dist)) if (/^oomscope\.cjs\..*\.cache$/.test(name)) rmSync(join(dist, name));
  await bundleCli({ outfile, executable: false });
  // The first run leaves the code cache (of the functions that run: reading, recognising, judging, telling).
  const sample = join(ROOT, 'samples', 'anqicms');
  const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'oomscope.cjs'), 'diagnose', '--kernel', join(sample, 'kern.log'),
    '--app', join(sample, 'running.log'), '--check', join(sample, 'check.log'), '--tz', 'Asia/Shanghai', '--format', 'json'], { encoding: 'utf8' });
  if (run.status !== 0 || run.error) throw new Error(`the bundled command failed on the demo sample (exit ${run.status ?? run.signal}): ${run.stderr}`);
  const caches = readdirSync(dist).filter((name) => /^oomscope\.cjs\..*\.cache$/.test(name));
  console.log(`bundled ${relative(process.cwd(), outfile)}${caches.length > 0 ? `, code cache ${caches.join(', ')}` : ', no code cache written'}`);
}
