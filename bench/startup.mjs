#!/usr/bin/env node
// Start-up: the installed command (bin/oomscope.cjs → dist/oomscope.cjs with V8's code cache) against `node -e 0`,
// for `--version` and for a diagnosis of a 10 KiB kernel log (cut from samples/anqicms/kern.log: its mysqld kill and the
// lines before it), and, for comparison, the same two through `node dist/cli.js` (the ES modules tsc writes).
// Each round runs every command once, in a rotating order; the medians are reported, never asserted.
//
// Usage: node bench/startup.mjs [--rounds 21] [--root DIR]   (`npm run build` first; bench/run.mjs also calls it)
//   --root: the folder holding bin/ and dist/ (default: this checkout)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const TEN_KIB = 10 * 1024;

/**
 * The 10 KiB log, into `dir`: the whole lines of samples/anqicms/kern.log that end before its second OOM block
 * (line 92), as many as fit, so that it holds the first block whole (mysqld, pid 1771) and the noise before it.
 */
function tenKibLog(dir) {
  const lines = readFileSync(join(ROOT, 'samples', 'anqicms', 'kern.log'), 'utf8').split('\n');
  const secondBlock = lines.findIndex((line) => line.includes('anqicms invoked oom-killer'));
  if (secondBlock < 0) throw new Error('samples/anqicms/kern.log no longer has its anqicms OOM block');
  const kept = [];
  let bytes = 0;
  for (let i = secondBlock - 1; i >= 0 && bytes + Buffer.byteLength(lines[i]) + 1 <= TEN_KIB; i--) {
    kept.unshift(lines[i]);
    bytes += Buffer.byteLength(lines[i]) + 1;
  }
  const text = kept.map((line) => `${line}\n`).join('');
  if (!text.includes('mysqld invoked oom-killer') || !text.includes('Killed process 1771 (mysqld)')) throw new Error('the 10 KiB before the second block of samples/anqicms/kern.log no longer hold the mysqld kill');
  const path = join(dir, 'kern-10k.log');
  writeFileSync(path, text);
  return { path, bytes };
}

/** Seconds from spawn to exit of one run; a wrong exit status stops the benchmark rather than being timed. */
function timeOnce({ argv, okStatus }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== okStatus) throw new Error(`${argv.join(' ')} exited ${result.status ?? result.signal}: ${result.stderr}`);
  return seconds;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
};

/**
 * Runs the rounds and returns the Markdown lines of the table (times in ms, ratio to `node -e 0`).
 * `root` holds bin/oomscope.cjs and dist/ (bench/run.mjs passes its snapshot).
 */
export function measureStartup({ rounds = 21, root = ROOT } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-startup-'));
  try {
    const log = tenKibLog(dir);
    const node = process.execPath;
    const bin = join(root, 'bin', 'oomscope.cjs');
    const esm = join(root, 'dist', 'cli.js');
    const diagnose = ['diagnose', '--kernel', log.path, '--format', 'json', '--tz', 'UTC', '--year', '2024'];
    const commands = [
      { name: '`node -e 0`', argv: [node, '-e', '0'], okStatus: 0 },
      { name: '`oomscope --version`', argv: [node, bin, '--version'], okStatus: 0 },
      { name: `\`oomscope diagnose --kernel\` (${(log.bytes / 1024).toFixed(1)} KiB) \`--format json\``, argv: [node, bin, ...diagnose], okStatus: 0 },
      { name: '`node dist/cli.js --version` (ES modules, for comparison)', argv: [node, esm, '--version'], okStatus: 0 },
      { name: '`node dist/cli.js diagnose …` (ES modules, same log)', argv: [node, esm, ...diagnose], okStatus: 0 },
    ];
    // One untimed run of each: the page cache then holds every file, and a missing code cache is written.
    for (const command of commands) timeOnce(command);
    const times = commands.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < commands.length; k++) {
        const i = (round + k) % commands.length;
        times[i].push(timeOnce(commands[i]));
      }
    }
    const base = median(times[0]);
    const ms = (seconds) => (seconds * 1000).toFixed(1);
    const lines = [`start-up: ${rounds} rounds, each command once per round in a rotating order; median wall time from spawn to exit`, '',
      '| command | median ms | fastest ms | slowest ms | ÷ `node -e 0` |', '|---|---:|---:|---:|---:|'];
    commands.forEach((command, i) => {
      lines.push(`| ${command.name} | ${ms(median(times[i]))} | ${ms(Math.min(...times[i]))} | ${ms(Math.max(...times[i]))} | ${(median(times[i]) / base).toFixed(2)}× |`);
    });
    return { lines, ratios: { version: median(times[1]) / base, diagnose: median(times[2]) / base } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const { lines } = measureStartup({ rounds: Number(value('--rounds') ?? 21), root: value('--root') ? resolve(value('--root')) : ROOT });
  console.log(lines.join('\n'));
}
