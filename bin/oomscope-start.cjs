// Loaded by bin/oomscope.cjs once Node is new enough. Runs dist/oomscope.cjs, the command and its dependencies in
// one CommonJS file (scripts/bundle-cli.mjs), compiled with V8's code cache so that start-up costs about what
// `node` itself does. The cache sits beside the bundle, one per V8 version and architecture
// (dist/oomscope.cjs.<V8>-<arch>.cache): `npm run build` makes one for its Node; where V8 rejects it (another Node,
// other V8 flags) or there is none, the first run writes a fresh one at exit, if it may write there.
// A cache that cannot be read or written costs only the compile time it would have saved.
'use strict';
var fs = require('node:fs');
var path = require('node:path');
var vm = require('node:vm');
var nodeModule = require('node:module');

var bundle = path.join(__dirname, '..', 'dist', 'oomscope.cjs');
var cacheFile = bundle + '.' + process.versions.v8 + '-' + process.arch + '.cache';

function cannotLoad(error) {
  process.stderr.write('oomscope: cannot load dist/oomscope.cjs (' + error.message + '): reinstall oomscope\n');
  process.exit(70);
}

/** Writes the cache under a private name, then renames it: two first runs at once cannot leave half a file. */
function saveCodeCache(script) {
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

var source;
var script;
try {
  // ASCII by construction (scripts/bundle-cli.mjs): latin1 makes the one-byte string V8 reads fastest.
  source = fs.readFileSync(bundle, 'latin1');
} catch (error) {
  cannotLoad(error);
}
var cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch (_error) {
  cachedData = undefined;
}
try {
  script = new vm.Script(nodeModule.wrap(source), { filename: bundle, cachedData: cachedData });
} catch (error) {
  cannotLoad(error);
}
// At exit, the cache also holds the functions this run compiled, not just the top level.
if (cachedData === undefined || script.cachedDataRejected) process.once('exit', function () { saveCodeCache(script); });
var bundleModule = { exports: {}, filename: bundle, id: bundle, loaded: false };
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, nodeModule.createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
