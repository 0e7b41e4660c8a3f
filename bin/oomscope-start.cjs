// Loaded by bin/oomscope.cjs once Node is new enough. Runs dist/oomscope.cjs, the command and its dependencies in
// one CommonJS file (scripts/bundle-cli.mjs), compiled with V8's code cache so that start-up costs about what
// `node` itself does (bench/startup.mjs measures it).
// - A bare `oomscope --version` (or `-V`) prints dist/oomscope.version, written with the bundle, and loads nothing.
// - The cache sits beside the bundle, one per build of it, V8 version, architecture and V8 flags
//   (dist/oomscope.cjs.<build>.<V8>-<arch>[-<flags>].cache): V8 checks only a source's length, so the build's id
//   keeps a cache made for another bundle of the same length from being run against this one, and the flags
//   (NODE_OPTIONS or node's own, as the daemons' heap flags), which V8 rejects a cache for, get one of their own
//   instead of replacing the plain one at every start. `npm run build` makes the plain one after a diagnosis of the
//   demo sample, so it holds the functions a diagnosis runs; where there is none or V8 rejects it, the run writes a
//   fresh one at exit, if it may write there. A cache that cannot be read or written costs only the compile time.
'use strict';
var fs = require('node:fs');
var path = require('node:path');

var dist = path.join(__dirname, '..', 'dist');
var bundle = path.join(dist, 'oomscope.cjs');

/** Writes all of `text` to stdout without making process.stdout (a pipe's costs loading net and streams). */
function writeStdout(text) {
  var bytes = Buffer.from(text, 'utf8');
  var done = 0;
  try {
    while (done < bytes.length) done += fs.writeSync(1, bytes, done);
  } catch (error) {
    // A non-blocking pipe that is full: Node's stream waits for it. Any other error is the CLI's: ignored (cli.ts).
    if (error.code === 'EAGAIN') process.stdout.write(bytes.subarray(done));
  }
}

/** The version the bundle was built with, or null where the file is missing or not a version. */
function builtVersion() {
  try {
    var text = fs.readFileSync(path.join(dist, 'oomscope.version'), 'latin1');
    return /^[0-9A-Za-z.+-]{1,64}\n$/.test(text) ? text : null;
  } catch (_error) {
    return null;
  }
}

function cannotLoad(error) {
  process.stderr.write('oomscope: cannot load dist/oomscope.cjs (' + error.message + '): reinstall oomscope\n');
  process.exit(70);
}

/** A short tag of the V8 flags this process was started with, '' for none (FNV-1a: no crypto to load). */
function flagsTag() {
  var flags = process.execArgv.join(' ') + '\0' + (process.env.NODE_OPTIONS || '');
  if (flags === '\0') return '';
  var hash = 0x811c9dc5;
  for (var i = 0; i < flags.length; i++) hash = Math.imul(hash ^ flags.charCodeAt(i), 0x01000193);
  return '-' + (hash >>> 0).toString(16);
}

/** Writes the cache under a private name, then renames it: two first runs at once cannot leave half a file. */
function saveCodeCache(script, cacheFile) {
  var temporary = cacheFile + '.' + process.pid + '.tmp';
  try {
    fs.writeFileSync(temporary, script.createCachedData(), { flag: 'wx', mode: 0o644 });
    fs.renameSync(temporary, cacheFile);
  } catch (_error) {
    try {
      fs.unlinkSync(temporary);
    } catch (_gone) {
      // never written
    }
  }
}

function runBundle() {
  var vm = require('node:vm');
  var nodeModule = require('node:module');
  var source;
  try {
    // ASCII by construction (scripts/bundle-cli.mjs): latin1 makes the one-byte string V8 reads fastest.
    source = fs.readFileSync(bundle, 'latin1');
  } catch (error) {
    cannotLoad(error);
  }
  // The bundle's first line names its build (scripts/bundle-cli.mjs); a bundle without one gets no cache.
  var build = /^\/\* oomscope build ([0-9a-f]{16}) \*\//.exec(source.slice(0, 40));
  var cacheFile = build && bundle + '.' + build[1] + '.' + process.versions.v8 + '-' + process.arch + flagsTag() + '.cache';
  var cachedData;
  try {
    cachedData = cacheFile ? fs.readFileSync(cacheFile) : undefined;
  } catch (_error) {
    cachedData = undefined;
  }
  var script;
  try {
    // The file is already a CommonJS module's function (scripts/bundle-cli.mjs): no wrapped copy to make.
    script = new vm.Script(source, { filename: bundle, cachedData: cachedData });
  } catch (error) {
    cannotLoad(error);
  }
  // At exit, the cache also holds the functions this run compiled, not just the top level.
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', function () {
      saveCodeCache(script, cacheFile);
    });
  }
  var bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
  script
    .runInThisContext()
    .call(bundleModule.exports, bundleModule.exports, nodeModule.createRequire(bundle), bundleModule, bundle, dist);
}

var args = process.argv.slice(2);
var version = args.length === 1 && (args[0] === '--version' || args[0] === '-V') ? builtVersion() : null;
if (version !== null) {
  writeStdout(version);
} else {
  runBundle();
}
