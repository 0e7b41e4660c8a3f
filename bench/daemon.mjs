#!/usr/bin/env node
// What the daemons cost while they wait (issue 17, item 3): `oomscope watch` on a temporary check.log, running.log
// and kernel log, and `oomscope supervise -- sleep 1000000`, both started as the installed command (bin/oomscope.cjs),
// with the V8 heap flags the contrib/ units give them (NODE_OPTIONS) and, with --compare, without. Each phase
// samples RSS (/proc/<pid>/status VmRSS, every second; supervise's children apart) and CPU (utime + stime of
// /proc/<pid>/stat, over the phase): first idle, then with 1000 kernel lines a second appended to watch's kernel log.
//
// Usage: node bench/daemon.mjs [--seconds 60 | --minutes 10] [--rate 1000] [--compare] [--json]
// supervise reads /dev/kmsg, which this benchmark never writes to (other programs on the machine read it), so its
// "noise" phase is its idle phase again; the noise goes to watch's kernel log file. Needs `npm run build` first.
// Figures are reported, never asserted.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'oomscope.cjs');
const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux architecture Node runs on
/** Start-up, the catch-up read and V8's memory reducer (a few GCs in the first seconds) are not the idle cost. */
const WARM_UP_MS = 15_000;

function parseArgs(argv) {
  const options = { seconds: 60, rate: 1000, compare: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seconds') options.seconds = Number(argv[++i]);
    else if (arg === '--minutes') options.seconds = Number(argv[++i]) * 60;
    else if (arg === '--rate') options.rate = Number(argv[++i]);
    else if (arg === '--compare') options.compare = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('node bench/daemon.mjs [--seconds 60 | --minutes 10] [--rate 1000] [--compare] [--json]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  if (!(options.seconds > 0) || !(options.rate >= 0)) throw new Error('--seconds/--minutes and --rate take positive numbers');
  return options;
}

/** The NODE_OPTIONS line of a contrib unit: what the daemon runs with once installed. */
function unitNodeOptions(unit) {
  const text = readFileSync(join(ROOT, 'contrib', unit), 'utf8');
  const m = /^Environment="?NODE_OPTIONS=([^"\n]*)"?$/m.exec(text);
  return m ? m[1].trim() : '';
}

function vmRssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
  } catch {
    return null;
  }
}

/** The process's descendants (supervise's app and anything it started). */
function descendants(pid) {
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    let tasks = [];
    try {
      tasks = readdirSync(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8');
      } catch {
        // gone
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)];
};

function syslogStamp(ms) {
  const d = new Date(ms);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
}

/** `count` firewall lines, the kind a busy server's kernel log is full of (no OOM in them). */
function kernelNoise(count, bootMs) {
  let text = '';
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const uptime = ((now - bootMs) / 1000).toFixed(6).padStart(12, ' ');
    text += `${syslogStamp(now)} web01 kernel: [${uptime}] [UFW BLOCK] IN=eth0 OUT= MAC=00:16:3e:00:00:01 SRC=203.0.113.${i % 250} DST=10.0.0.5 LEN=44 PROTO=TCP SPT=${40000 + (i % 20000)} DPT=23 WINDOW=1024 SYN URGP=0\n`;
  }
  return text;
}

/** Samples `pid` (and, apart, its descendants) every second for `ms`; CPU over the whole span. */
async function sample(pid, ms) {
  const rss = [];
  const childRss = [];
  const startTicks = cpuTicks(pid);
  const started = process.hrtime.bigint();
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await sleep(Math.min(1000, Math.max(0, end - Date.now())));
    const own = vmRssKiB(pid);
    if (own !== null) rss.push(own);
    const kids = descendants(pid).map(vmRssKiB).filter((v) => v !== null);
    if (kids.length > 0) childRss.push(kids.reduce((a, b) => a + b, 0));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const endTicks = cpuTicks(pid);
  const cpu = startTicks === null || endTicks === null ? null : ((endTicks - startTicks) / TICKS_PER_SECOND / seconds) * 100;
  return { rssMedianMiB: mib(median(rss)), rssMaxMiB: mib(rss.length ? Math.max(...rss) : null), childRssMedianMiB: mib(median(childRss)), cpuPercent: cpu, seconds };
}

const mib = (kib) => (kib === null ? null : kib / 1024);

function start(args, nodeOptions, dir) {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions, STATE_DIRECTORY: dir, OOMSCOPE_NO_SYSTEM_LOGS: '1' };
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { child, stderr: () => stderr };
}

async function stop(run) {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 10_000);
  await new Promise((r) => run.child.once('exit', r));
  clearTimeout(timer);
}

/** Both daemons with one NODE_OPTIONS: idle, then noise in watch's kernel log. */
async function measure(label, watchOptions, superviseOptions, options) {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-bench-daemon-'));
  const bootMs = Date.now() - 86_400_000;
  const kern = join(dir, 'kern.log');
  writeFileSync(kern, kernelNoise(1000, bootMs));
  writeFileSync(join(dir, 'check.log'), '');
  writeFileSync(join(dir, 'running.log'), '');
  const watchRun = start(['watch', '--kernel', kern, '--check', join(dir, 'check.log'), '--app', join(dir, 'running.log'), '--state', join(dir, 'state.json'), '--tz', 'UTC', '--quiet'], watchOptions, dir);
  const superviseRun = start(['supervise', '--name', 'sleeper', '--', 'sleep', '1000000'], superviseOptions, dir);
  const rows = [];
  try {
    await sleep(WARM_UP_MS);
    for (const [name, run] of [['watch', watchRun], ['supervise', superviseRun]]) {
      if (run.child.exitCode !== null) throw new Error(`${name} exited early (${run.child.exitCode}): ${run.stderr()}`);
    }
    const ms = options.seconds * 1000;
    const [watchIdle, superviseIdle] = await Promise.all([sample(watchRun.child.pid, ms), sample(superviseRun.child.pid, ms)]);
    rows.push({ flags: label, daemon: 'watch', phase: 'idle', ...watchIdle }, { flags: label, daemon: 'supervise', phase: 'idle', ...superviseIdle });
    let writing = true;
    const writer = (async () => {
      const perTick = options.rate / 10;
      let owed = 0;
      while (writing) {
        owed += perTick;
        const count = Math.floor(owed);
        owed -= count;
        if (count > 0) appendFileSync(kern, kernelNoise(count, bootMs));
        await sleep(100);
      }
    })();
    const [watchNoise, superviseNoise] = await Promise.all([sample(watchRun.child.pid, ms), sample(superviseRun.child.pid, ms)]);
    writing = false;
    await writer;
    rows.push({ flags: label, daemon: 'watch', phase: `${options.rate} lines/s`, ...watchNoise }, { flags: label, daemon: 'supervise', phase: 'idle (kmsg untouched)', ...superviseNoise });
  } finally {
    await stop(watchRun);
    await stop(superviseRun);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const fixed = (v, digits) => (v === null || v === undefined ? '-' : v.toFixed(digits));

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist'))) throw new Error('no dist/: run `npm run build` first');
  const watchFlags = unitNodeOptions('oomscope-watch.service');
  const superviseFlags = unitNodeOptions('oomscope-supervise.service');
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const rows = await measure(`unit (${watchFlags || 'none'})`, watchFlags, superviseFlags, options);
  if (options.compare) rows.push(...(await measure('none', '', '', options)));
  const after = loadavg().map((l) => l.toFixed(2)).join(' ');
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ seconds: options.seconds, rate: options.rate, cpus: cpus().length, loadBefore: load, loadAfter: after, rows })}\n`);
    return;
  }
  process.stdout.write(`daemons, ${options.seconds} s a phase after ${WARM_UP_MS / 1000} s of warm-up; ${cpus().length} CPUs, load ${load} before, ${after} after\n`);
  process.stdout.write('| heap flags | daemon | phase | RSS median MiB | RSS max MiB | children RSS MiB | CPU % of one core |\n|---|---|---|---:|---:|---:|---:|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.flags} | ${r.daemon} | ${r.phase} | ${fixed(r.rssMedianMiB, 1)} | ${fixed(r.rssMaxMiB, 1)} | ${fixed(r.childRssMedianMiB, 1)} | ${fixed(r.cpuPercent, 3)} |\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench/daemon.mjs: ${error.message}\n`);
  process.exit(1);
});
