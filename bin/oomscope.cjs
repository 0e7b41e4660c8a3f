#!/usr/bin/env node
// The installed `oomscope` command. Written so that any Node parses it (var, no arrows, no import): on Node
// before 20 it says so in one line and exits 2, where dist/cli.js would end in a syntax error's stack trace.
'use strict';
var major = Number(String(process.versions.node).split('.')[0]);
if (!(major >= 20)) {
  process.stderr.write(
    'oomscope: needs Node.js 20 or newer, and this is Node.js ' + process.versions.node +
      ': upgrade Node, or use the single executable, which needs no Node (README.md, "Install")\n'
  );
  process.exit(2);
}
require('./oomscope-start.cjs');
