#!/usr/bin/env node
// oomscope's speed and memory against the manual method, `grep -c -iE 'oom|out of memory|killed process'`,
// on the same generated files, in one process, alternating the two commands round by round. Then the whole job
// (syslog + running.log + check.log) against grep over the three files and over the syslog alone, start-up against
// `node -e 0` (bench/startup.mjs), and, where bench/daemon.mjs exists, the daemons' idle RSS and CPU.
//
// Usage: node bench/run.mjs [--sizes 64M,256M] [--full] [--rounds 5] [--no-gz] [--only-gz] [--out DIR]
//                           [--kills N] [--seed N] [--days D] [--no-snapshot] [--startup-rounds 21] [--no-daemons]
// (`npm run bench` builds first; pass options after `--`: `npm run bench -- --full --rounds 3`.)
// Missing data is generated first (bench/generate.mjs); existing data with the same parameters is reused.
// Exit code: 1 if oomscope crashed (non-zero exit, no JSON) or its kills differ from the truth file; else 0.
// Speed is reported, never asserted.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir, release } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OUT, FULL_SIZES, generate, GREP_PATTERN, pathsFor, QUICK_SIZES } from './generate.mjs';
import { measureStartup } from './startup.mjs';
import { parseSize, sizeLabel } from './lib/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const DIST = join(ROOT, 'dist');
const GNU_TIME = '/usr/bin/time';

// ---------------------------------------------------------------------------------------
// Running one command: wall time (hrtime around spawn → exit), peak RSS, stdout.

/**
 * Peak RSS, by the first method available:
 *  - `time`: GNU time's %M (the child's ru_maxrss, KiB) — exact; Debian package `time`.
 *  - `vmhwm`: /proc/<pid>/status VmHWM polled every 10 ms until exit — the kernel's own high-water
 *    mark, so it misses only growth in the last 10 ms of the process's life. For a shell wrapper
 *    (zgrep) it sees the shell only, so grep's RSS is then shown as "-".
 */
const RSS_METHOD = existsSync(GNU_TIME) ? 'time' : existsSync('/proc/self/status') ? 'vmhwm' : 'none';

function runCommand(argv, { keepStdout }) {
  return new Promise((resolvePromise) => {
    const tmp = mkdtempSync(join(tmpdir(), 'oomscope-bench-'));
    const timeFile = join(tmp, 'time');
    const full = RSS_METHOD === 'time' ? [GNU_TIME, '-f', '%M', '-o', timeFile, ...argv] : argv;
    const start = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let outBytes = 0;
    const err = [];
    child.stdout.on('data', (chunk) => {
      outBytes += chunk.length;
      if (keepStdout) out.push(chunk);
    });
    child.stderr.on('data', (chunk) => err.push(chunk));
    let hwmKb = 0;
    let poll = null;
    if (RSS_METHOD === 'vmhwm') {
      const read = () => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
        } catch {
          // gone
        }
      };
      read();
      poll = setInterval(read, 10);
    }
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (poll) clearInterval(poll);
      let rssKb = null;
      if (RSS_METHOD === 'time') {
        try {
          const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
          rssKb = Number(lines[lines.length - 1]);
          if (!Number.isFinite(rssKb)) rssKb = null;
        } catch {
          rssKb = null;
        }
      } else if (RSS_METHOD === 'vmhwm') {
        rssKb = hwmKb || null;
      }
      rmSync(tmp, { recursive: true, force: true });
      resolvePromise({ code, signal, seconds, rssKb, stdout: keepStdout ? Buffer.concat(out).toString('utf8') : '', outBytes, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

// ---------------------------------------------------------------------------------------
// Truth check: the kills oomscope reported against the generator's truth file.

function checkTruth(report, truth) {
  const problems = [];
  const warnings = [];
  const key = (pid, name) => `${pid}\u0000${name}`;
  const want = new Map();
  for (const k of truth.kills) want.set(key(k.pid, k.name), k);
  const seen = new Map();
  for (const k of report.oomKills) {
    const id = key(k.pid, k.name);
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  for (const [id, k] of want) {
    if (!seen.has(id)) problems.push(`missing kill pid ${k.pid} (${k.name}) [${k.variant}] — truth line ${k.line}: ${k.text}`);
  }
  for (const k of report.oomKills) {
    const id = key(k.pid, k.name);
    if (!want.has(id)) {
      const ev = k.evidence.map((e) => `      line ${e.line}: ${e.text.slice(0, 220)}`).join('\n');
      problems.push(`invented kill pid ${k.pid} (${k.name}) at ${k.time}, evidence:\n${ev}`);
    } else if (seen.get(id) > 1) {
      problems.push(`kill pid ${k.pid} (${k.name}) reported ${seen.get(id)} times`);
      seen.set(id, 1);
    }
  }
  // Quality notes (reported, not failing): cut-off records, times, constraints.
  for (const k of report.oomKills) {
    const t = want.get(key(k.pid, k.name));
    if (!t) continue;
    if (k.incomplete) {
      const first = k.evidence[0];
      warnings.push(`pid ${k.pid} (${k.name}) [${t.variant}] reported incomplete: true, but the block is complete from its header, line ${t.headerLine}: ${t.headerText?.slice(0, 160)} (oomscope's first evidence line: ${first?.line})`);
    }
    if (k.constraint !== t.constraint) warnings.push(`pid ${k.pid} (${k.name}) [${t.variant}] constraint ${k.constraint}, truth ${t.constraint}`);
    if (k.time === null) warnings.push(`pid ${k.pid} (${k.name}) [${t.variant}] time null, truth ${t.time}`);
    else {
      const dt = (Date.parse(k.time) - Date.parse(t.time)) / 1000;
      // syslog stamps are whole seconds and the logger may lag: 2 s is the honest tolerance.
      if (Math.abs(dt) > 2) warnings.push(`pid ${k.pid} (${k.name}) [${t.variant}] time ${k.time}, truth ${t.time} (${dt.toFixed(3)} s off)`);
    }
    if (t.uptimeSeconds !== null && k.uptimeSeconds !== t.uptimeSeconds) warnings.push(`pid ${k.pid} (${k.name}) [${t.variant}] uptime ${k.uptimeSeconds}, truth ${t.uptimeSeconds}`);
  }
  return { ok: problems.length === 0, problems, warnings, found: report.oomKills.length, expected: truth.kills.length };
}

// ---------------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { sizes: QUICK_SIZES, rounds: 5, gz: true, plain: true, out: DEFAULT_OUT, gen: {}, snapshot: true, startupRounds: 21, daemons: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = val().split(',').filter(Boolean);
    else if (a === '--full') o.sizes = FULL_SIZES;
    else if (a === '--rounds') o.rounds = Math.max(1, Number(val()));
    else if (a === '--no-gz') o.gz = false;
    else if (a === '--only-gz') o.plain = false;
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--no-snapshot') o.snapshot = false;
    else if (a === '--startup-rounds') o.startupRounds = Math.max(0, Number(val()));
    else if (a === '--no-daemons') o.daemons = false;
    else if (a === '--kills') o.gen.kills = Number(val());
    else if (a === '--seed') o.gen.seed = Number(val());
    else if (a === '--days') o.gen.days = Number(val());
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const USAGE = `usage: node bench/run.mjs [--sizes 64M,256M] [--full] [--rounds 5] [--no-gz] [--only-gz] [--out DIR]
  --sizes   syslog sizes to run (default ${QUICK_SIZES.join(',')}; --full: ${FULL_SIZES.join(',')})
  --rounds  rounds per input; each round runs oomscope and grep once, alternating which goes first
  --no-gz   skip the .gz inputs (zgrep vs oomscope on gzip)
  --no-snapshot  run bin/ and dist/ themselves instead of a copy taken at start (a rebuild mid-run then changes the numbers)
  --startup-rounds  rounds of the start-up measure (bench/startup.mjs; 0 skips it)
  --no-daemons  skip bench/daemon.mjs (the daemons' idle RSS and CPU), which runs when it exists`;

const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const mib = (kb) => (kb === null || kb === undefined ? '-' : (kb / 1024).toFixed(0));

/** The machine, as RESULTS.md names it. */
function machine() {
  return `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Linux ${release()}, node ${process.version}`;
}

const killsCell = (r) => (r.check ? `${r.check.found}/${r.check.expected}${r.check.ok ? ' OK' : ' MISMATCH'}` : 'CRASH');

/** grep -c over several files prints `path:count` lines: the syslog's count (one file: the bare count). */
function kernelCount(stdout, kernelPath) {
  const lines = stdout.trim().split('\n');
  if (lines.length === 1 && !lines[0].includes(':')) return Number(lines[0]);
  const line = lines.find((l) => l.startsWith(`${kernelPath}:`));
  return line === undefined ? null : Number(line.slice(kernelPath.length + 1));
}

/** The whole job: oomscope on the three files against one grep over the three, and against grep of the syslog alone. */
function wholeJobTable(rows, log) {
  if (rows.length === 0) return;
  log('\nThe whole job: `oomscope diagnose --kernel syslog --app running.log --check check.log` against `grep -c -iE … syslog running.log check.log` (one run) and against grep of the syslog alone\n');
  log('| size | syslog MiB | running.log MiB | check.log MiB | MiB read | oomscope s | grep (3 files) s | ratio | grep (syslog alone) s | ratio | oomscope peak RSS MiB | kills found/truth |');
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const syslogMiB = r.dataMiB - r.appMiB - r.checkMiB;
    log(`| ${r.label} | ${fmt(syslogMiB, 1)} | ${fmt(r.appMiB, 1)} | ${fmt(r.checkMiB, 2)} | ${fmt(r.dataMiB, 1)} | ${fmt(r.oomSec, 3)} | ${fmt(r.grepSec, 3)} | ${fmt(r.ratio, 1)}× | ${fmt(r.grepAloneSec, 3)} | ${fmt(r.oomSec / r.grepAloneSec, 1)}× | ${mib(r.oomRssKb)} | ${killsCell(r)} |`);
  }
}

/** bench/daemon.mjs (the daemons' idle RSS and CPU), run as a child where it exists; its output goes in as printed. */
function daemonSection(log) {
  const script = join(HERE, 'daemon.mjs');
  if (!existsSync(script)) {
    log('\ndaemons: bench/daemon.mjs is not in this checkout; their idle RSS and CPU were not measured');
    return;
  }
  log('\ndaemons (bench/daemon.mjs):');
  const result = spawnSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
  for (const line of result.stdout.trimEnd().split('\n')) log(line);
  if (result.status !== 0) log(`bench/daemon.mjs exited ${result.status ?? result.signal}: ${result.stderr.trim().split('\n').slice(-5).join(' / ')}`);
}

// (Over 80 lines: one run's sequence, read top to bottom; the tables and sections are functions above.)
async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (o.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (!existsSync(join(DIST, 'oomscope.cjs'))) {
    process.stderr.write(`bench: ${relative(process.cwd(), join(DIST, 'oomscope.cjs'))} is missing: run \`npm run build\` (or \`npm run bench\`, which builds)\n`);
    return 2;
  }
  await generate({ sizes: o.sizes, out: o.out, gzip: o.gz, ...o.gen });
  // Every round must time the same build, even if dist/ is rebuilt meanwhile: run a copy of it. The copy
  // sits inside the project (bench/data is git-ignored), so `commander` and package.json resolve as usual.
  // oomscope runs as installed: bin/oomscope.cjs, which loads the bundle dist/oomscope.cjs with its code cache.
  let cliRoot = ROOT;
  const builtAt = statSync(join(DIST, 'oomscope.cjs')).mtime.toISOString();
  if (o.snapshot) {
    cliRoot = join(HERE, 'data', '.dist-snapshot');
    rmSync(cliRoot, { recursive: true, force: true });
    cpSync(DIST, join(cliRoot, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(cliRoot, 'bin'), { recursive: true });
  }
  const CLI = join(cliRoot, 'bin', 'oomscope.cjs');

  // Everything printed is also kept for bench/RESULTS.md.
  const printed = [];
  const log = (s = '') => {
    printed.push(s);
    process.stdout.write(s + '\n');
  };
  log(`\noomscope bench — node ${process.version}, ${o.rounds} round(s), median wall time; peak RSS via ${RSS_METHOD === 'time' ? 'GNU time %M' : RSS_METHOD === 'vmhwm' ? '/proc/<pid>/status VmHWM (polled)' : 'unavailable'}`);
  log(`oomscope: node bin/oomscope.cjs diagnose --kernel F --format json --tz UTC --year 2024   (stdout read through a pipe; dist/oomscope.cjs built ${builtAt}${o.snapshot ? ', run from a copy' : ''})`);
  log(`grep:     grep -c -iE '${GREP_PATTERN}' F   (zgrep for .gz)`);
  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  const loadAtStart = load();
  log(`machine:  ${machine()}; load average ${loadAtStart} at start (other work on the machine skews both tools' times)\n`);

  const rows = [];
  let failed = false;
  for (const sizeText of o.sizes) {
    const label = sizeLabel(parseSize(sizeText));
    const paths = pathsFor(o.out, label);
    const truth = JSON.parse(readFileSync(paths.truth, 'utf8'));
    const inputs = [];
    if (o.plain) inputs.push({ kind: 'plain', file: paths.kernel });
    if (o.gz) inputs.push({ kind: 'gz', file: paths.kernelGz });
    // The whole job: syslog + running.log + check.log together, against one grep over the three files and against
    // the grep of the syslog alone (the manual method's least: target ≤ 1.5×).
    if (o.plain && existsSync(paths.app) && existsSync(paths.check)) inputs.push({ kind: 'all', file: paths.kernel, app: paths.app, check: paths.check });
    for (const input of inputs) {
      const fileBytes = statSync(input.file).size;
      // Uncompressed: what both tools read (for the whole job, the three files).
      const dataBytes = input.kind === 'all' ? truth.files.kernel.bytes + truth.files.app.bytes + truth.files.check.bytes : truth.files.kernel.bytes;
      const oomArgs = [process.execPath, CLI, 'diagnose', '--kernel', input.file, ...(input.app ? ['--app', input.app, '--check', input.check] : []), '--format', 'json', '--tz', 'UTC', '--year', '2024'];
      const grepArgs = [input.kind === 'gz' ? 'zgrep' : 'grep', '-c', '-iE', GREP_PATTERN, input.file, ...(input.app ? [input.app, input.check] : [])];
      const grepAloneArgs = ['grep', '-c', '-iE', GREP_PATTERN, input.file];
      // Warm the page cache once (untimed), so round 1 is not a cold-cache outlier.
      await runCommand(grepArgs, { keepStdout: false });
      const oom = [];
      const grep = [];
      const grepAlone = [];
      let check = null;
      let grepCount = null;
      process.stdout.write(`${label} ${input.kind}: `);
      for (let round = 0; round < o.rounds; round++) {
        const order = round % 2 === 0 ? ['oom', 'grep'] : ['grep', 'oom'];
        if (input.kind === 'all') order.splice(round % 3, 0, 'grepAlone');
        for (const which of order) {
          if (which === 'oom') {
            const r = await runCommand(oomArgs, { keepStdout: true });
            oom.push(r);
            let report = null;
            try {
              report = JSON.parse(r.stdout);
            } catch {
              report = null;
            }
            if (r.code !== 0 || r.signal || !report) {
              failed = true;
              log(`\n!!! CRASH or failed run: oomscope exited with ${r.signal ?? r.code} on ${input.file}\n${r.stderr.slice(0, 2000)}`);
            } else {
              const c = checkTruth(report, truth);
              if (check === null) check = c;
              else if (c.found !== check.found || c.ok !== check.ok) check.problems.push(`round ${round + 1} found ${c.found} kills, round 1 found ${check.found}`);
            }
          } else if (which === 'grepAlone') {
            grepAlone.push(await runCommand(grepAloneArgs, { keepStdout: false }));
          } else {
            const r = await runCommand(grepArgs, { keepStdout: true });
            grep.push(r);
            grepCount = kernelCount(r.stdout, input.file);
          }
          process.stdout.write('.');
        }
      }
      process.stdout.write('\n');
      const oomSec = median(oom.map((r) => r.seconds));
      const grepSec = median(grep.map((r) => r.seconds));
      const oomRss = Math.max(...oom.map((r) => r.rssKb ?? 0)) || null;
      const grepRss = Math.max(...grep.map((r) => r.rssKb ?? 0)) || null;
      const row = {
        label,
        kind: input.kind,
        fileMiB: fileBytes / 1048576,
        dataMiB: dataBytes / 1048576,
        grepSec,
        oomSec,
        ratio: oomSec / grepSec,
        grepMBs: dataBytes / 1048576 / grepSec,
        oomMBs: dataBytes / 1048576 / oomSec,
        oomRssKb: oomRss,
        grepRssKb: grepRss,
        check,
        grepCount,
        grepAloneSec: grepAlone.length > 0 ? median(grepAlone.map((r) => r.seconds)) : NaN,
        grepAloneMBs: truth.files.kernel.bytes / 1048576 / median(grepAlone.map((r) => r.seconds)),
        appMiB: truth.files.app.bytes / 1048576,
        checkMiB: truth.files.check.bytes / 1048576,
      };
      rows.push(row);
      log(
        `  grep ${fmt(grepSec, 3)} s, oomscope ${fmt(oomSec, 3)} s → ratio ${fmt(row.ratio, 1)}×; ${fmt(row.oomMBs, 1)} MiB/s vs ${fmt(row.grepMBs, 1)} MiB/s; oomscope peak RSS ${mib(oomRss)} MiB` +
          `  (runs oomscope: ${oom.map((r) => r.seconds.toFixed(2)).join(' ')}; grep: ${grep.map((r) => r.seconds.toFixed(2)).join(' ')})`,
      );
      if (input.kind === 'all') log(`  whole job: grep over the three files ${fmt(grepSec, 3)} s; grep of the syslog alone ${fmt(row.grepAloneSec, 3)} s → ratio ${fmt(oomSec / row.grepAloneSec, 1)}×`);
      if (grepCount !== truth.files.kernel.grepCount) log(`  WARN grep counted ${grepCount} matching lines, the generator ${truth.files.kernel.grepCount}: the data file is not what the truth describes (regenerate with --force)`);
      if (check) {
        if (check.ok) log(`  truth: OK — ${check.found}/${check.expected} kills, same pids and names`);
        else {
          failed = true;
          log(`  !!!!!!!! MISMATCH: oomscope's kills differ from the truth (oomscope ${check.found}, truth ${check.expected}) !!!!!!!!`);
          for (const p of check.problems) log(`  MISMATCH ${p}`);
        }
        for (const w of check.warnings) log(`  note: ${w}`);
      }
    }
  }

  // Final table.
  log('\n| size | input | MiB read | grep s | oomscope s | ratio oomscope/grep | grep MiB/s | oomscope MiB/s | oomscope peak RSS MiB | grep peak RSS MiB | kills found/truth |');
  log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows.filter((row) => row.kind !== 'all')) {
    log(`| ${r.label} | ${r.kind === 'gz' ? `.gz (${fmt(r.fileMiB, 0)} MiB)` : 'plain'} | ${fmt(r.dataMiB, 0)} | ${fmt(r.grepSec, 3)} | ${fmt(r.oomSec, 3)} | ${fmt(r.ratio, 1)}× | ${fmt(r.grepMBs, 0)} | ${fmt(r.oomMBs, 1)} | ${mib(r.oomRssKb)} | ${mib(r.grepRssKb)} | ${killsCell(r)} |`);
  }
  wholeJobTable(rows.filter((row) => row.kind === 'all'), log);
  for (const kind of ['plain', 'gz']) {
    const rs = rows.filter((r) => r.kind === kind && r.oomRssKb);
    if (rs.length < 2) continue;
    const small = rs.reduce((a, b) => (b.dataMiB < a.dataMiB ? b : a));
    const large = rs.reduce((a, b) => (b.dataMiB > a.dataMiB ? b : a));
    log(`\nmemory flatness (${kind}): peak RSS ${mib(small.oomRssKb)} MiB at ${small.label} vs ${mib(large.oomRssKb)} MiB at ${large.label} → ratio ${fmt(large.oomRssKb / small.oomRssKb, 2)} for ${fmt(large.dataMiB / small.dataMiB, 0)}× the input (flat ≈ 1.0)`);
  }
  const worst = rows.filter((r) => Number.isFinite(r.ratio)).reduce((a, b) => (!a || b.ratio > a.ratio ? b : a), null);
  if (worst) log(`bar "at least as fast as grep": ${rows.every((r) => r.ratio <= 1) ? 'met on every input' : `not met (worst ${fmt(worst.ratio, 1)}× at ${worst.label} ${worst.kind})`}`);
  if (o.startupRounds > 0) {
    log('');
    for (const line of measureStartup({ rounds: o.startupRounds, root: cliRoot }).lines) log(line);
  }
  if (o.daemons) daemonSection(log);
  const loadAtEnd = load();
  log(`\nload average at the end: ${loadAtEnd}`);
  log(failed ? '\nRESULT: FAILED (crash or truth mismatch, see above)' : '\nRESULT: ok (every run exited 0 and found exactly the kills in the truth files)');
  const results = ['# oomscope benchmark results', '', `Run ${new Date().toISOString()} by \`npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}\` on: ${machine()}.`,
    `Load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAtEnd}.`, '', '```', ...printed, '```', ''];
  writeFileSync(join(HERE, 'RESULTS.md'), results.join('\n'));
  log(`written to ${relative(process.cwd(), join(HERE, 'RESULTS.md'))}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
