#!/usr/bin/env node
// The single executable against `node dist/cli.js`: its file size, and the start-up of `--version` (spawn → exit)
// of each, alternating which goes first, the median of --rounds runs. Reported, never asserted.
//
// Usage: npm run bench:exe [-- --rounds 21]
// (builds dist/ and dist/oomscope-linux-<arch> first; prints a Markdown table to paste into bench/RESULTS.md)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXE = join(ROOT, 'dist', `oomscope-${process.platform}-${process.arch}`);
const CLI = join(ROOT, 'dist', 'cli.js');
const roundsAt = process.argv.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : 21;

for (const path of [EXE, CLI]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: run npm run build && npm run build:exe (npm run bench:exe does both)`);
    process.exit(1);
  }
}

/** Seconds from spawn to exit of one run; fails on a wrong answer rather than timing it. */
function timeOnce(argv) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0 || !/^\d+\.\d+\.\d+/.test(result.stdout)) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const commands = { exe: [EXE, '--version'], node: [process.execPath, CLI, '--version'] };
const times = { exe: [], node: [] };
// One untimed run of each first: the page cache then holds both.
for (const argv of Object.values(commands)) timeOnce(argv);
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? ['exe', 'node'] : ['node', 'exe'];
  for (const name of order) times[name].push(timeOnce(commands[name]));
}

const mib = (bytes) => (bytes / 1048576).toFixed(1);
console.log(`oomscope single executable — ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPU(s), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${ROUNDS} rounds of \`--version\`, alternating, median wall time from spawn to exit\n`);
console.log('| what | size | --version median s | fastest s | slowest s |');
console.log('|---|---:|---:|---:|---:|');
console.log(`| dist/oomscope-${process.platform}-${process.arch} | ${mib(statSync(EXE).size)} MiB | ${median(times.exe).toFixed(3)} | ${Math.min(...times.exe).toFixed(3)} | ${Math.max(...times.exe).toFixed(3)} |`);
console.log(`| node dist/cli.js | (needs Node: ${mib(statSync(process.execPath).size)} MiB binary + the package) | ${median(times.node).toFixed(3)} | ${Math.min(...times.node).toFixed(3)} | ${Math.max(...times.node).toFixed(3)} |`);
