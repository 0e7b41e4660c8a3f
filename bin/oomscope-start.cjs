// Loaded by bin/oomscope.cjs once Node is new enough: the command itself is an ES module.
'use strict';
import('../dist/cli.js').catch(function (error) {
  process.stderr.write('oomscope: cannot load dist/cli.js (' + error.message + '): reinstall oomscope\n');
  process.exit(70);
});
