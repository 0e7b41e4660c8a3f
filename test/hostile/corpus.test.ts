// A corpus of bad inputs, each run through the CLI as a person or a script would: what the report says about it
// (warnings and their codes, sources[].complete, unparsedLines), the exit code, and one stderr line per problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, constants, openSync, symlinkSync, readFileSync, truncateSync, writeFileSync, writeSync, closeSync, ftruncateSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openInput } from '../../src/read/open-input.js';
import { InputError } from '../../src/read/input-error.js';
import type { Report } from '../../src/model/report.js';
import { fixture, isCI } from '../support/paths.js';
import { cli, kernelLog, peakRss, runCli, startCli, tempDir, writeTemp, type Role } from './support.js';

const here = (name: string): string => fixture('test', 'hostile', 'fixtures', name);
const sample = fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log');
const BASE = ['--tz', 'UTC', '--year', '2024', '--lang', 'en'];

function json(args: string[], options: Parameters<typeof runCli>[1] = {}): { code: number | null; report: Report; stderr: string } {
  const result = runCli(['diagnose', ...args, ...BASE, '--format', 'json'], options);
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, `a stack trace reached stderr:\n${result.stderr}`);
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`no JSON on stdout (exit ${result.code}):\n${result.stdout.slice(0, 500)}\n${result.stderr}`);
  }
  return { code: result.code, report, stderr: result.stderr };
}

/** The same as `json`, without blocking, so that several runs share the machine's cores. */
async function jsonAsync(args: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const result = await startCli(['diagnose', ...args, ...BASE, '--format', 'json']).done;
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, `a stack trace reached stderr:\n${result.stderr}`);
  return { code: result.code, report: JSON.parse(result.stdout) as Report, stderr: result.stderr };
}

const flag = (role: Role): string => `--${role}`;
const codes = (report: Report): string[] => report.warnings.map((w) => w.code);
/** stderr lines the CLI wrote about inputs (each starts with `oomscope: `). */
const problemLines = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('oomscope: '));

const ROLES: Role[] = ['kernel', 'check', 'app'];

test('an empty file, for each role: read (0 lines, complete), nothing found, exit 0, nothing on stderr', async () => {
  await Promise.all(ROLES.map(async (role) => {
    const { code, report, stderr } = await jsonAsync([flag(role), here('empty.log')]);
    assert.equal(code, 0, stderr);
    assert.equal(report.sources.length, 1);
    assert.deepEqual({ ...report.sources[0], format: undefined, role: undefined }, { path: here('empty.log'), format: undefined, role: undefined, lines: 0, from: null, to: null, unparsedLines: 0, complete: true });
    assert.equal(report.oomKills.length + report.incidents.length, 0);
    assert.equal(stderr, '');
  }));
});

test('only blank lines (spaces, tabs, CRLF), for each role: counted, nothing made of them', async () => {
  await Promise.all(ROLES.map(async (role) => {
    const { code, report } = await jsonAsync([flag(role), here('blank-lines.log')]);
    assert.equal(code, 0);
    assert.equal(report.sources[0]!.lines, 6);
    assert.equal(report.sources[0]!.complete, true);
    assert.equal(report.oomKills.length + report.incidents.length + report.oomEvents.length, 0);
  }));
});

test('binary bytes and NUL runs, for each role: no crash, valid JSON, the text report shows no raw control bytes', async () => {
  await Promise.all(ROLES.map(async (role) => {
    const { code, report } = await jsonAsync([flag(role), here('binary-nul.bin')]);
    assert.equal(code, 0);
    assert.equal(report.sources[0]!.complete, true);
    const text = await startCli(['diagnose', flag(role), here('binary-nul.bin'), ...BASE]).done;
    assert.equal(text.code, 0);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  }));
});

test('invalid UTF-8: names keep U+FFFD for the bad bytes, a marker line that cannot be read is counted in unparsedLines, JSON is valid UTF-8', () => {
  const raw = spawnSync(process.execPath, [cli, 'diagnose', '--kernel', here('invalid-utf8.kern.log'), ...BASE, '--format', 'json']);
  assert.equal(raw.status, 0, raw.stderr.toString());
  assert.ok(isUtf8(raw.stdout), 'stdout is valid UTF-8');
  const report = JSON.parse(raw.stdout.toString('utf8')) as Report;
  assert.equal(report.oomKills.length, 1);
  assert.equal(report.oomKills[0]!.pid, 21880);
  assert.equal(report.oomKills[0]!.name, 'anqi\uFFFD(cms');
  assert.equal(report.sources[0]!.unparsedLines, 1);
});

test('a running.log in GBK: the Chinese goodbye and the port-in-use failure are recognised, with a gb18030-lines warning', () => {
  const { code, report } = json(['--app', here('running-gbk.log')]);
  assert.equal(code, 0);
  assert.deepEqual(report.incidents.map((i) => i.verdict), ['stopped', 'startup-failure']);
  assert.ok(report.incidents[0]!.evidence.some((e) => e.text.includes('退出 terminated')), JSON.stringify(report.incidents[0]!.evidence));
  assert.ok(codes(report).includes('gb18030-lines'));
});

test('CRLF line ends read like LF ones: the same kill, evidence without the \\r', () => {
  const crlf = json(['--kernel', here('crlf.kern.log')]).report;
  const lf = json(['--kernel', sample]).report;
  const withoutPaths = (r: Report) => r.oomKills.map((k) => ({ ...k, evidence: k.evidence.map((e) => [e.line, e.text]) }));
  assert.deepEqual(withoutPaths(crlf), withoutPaths(lf));
  for (const e of crlf.oomKills[0]!.evidence) assert.ok(!e.text.endsWith('\r'));
});

test('ANSI colour codes: dmesg --color output still gives its kill; a coloured running.log its panic; the terminal gets no escape', () => {
  const kernel = json(['--kernel', here('ansi.dmesg')]).report;
  assert.deepEqual(kernel.oomKills.map((k) => [k.pid, k.name, k.anonRssKb]), [[21880, 'anqicms', 1462300]]);
  const app = json(['--app', here('running-ansi.log')]).report;
  assert.deepEqual(app.incidents.map((i) => i.verdict), ['go-panic']);
  assert.match(app.incidents[0]!.crashSite ?? '', /ArticleDetail/);
  for (const args of [['--kernel', here('ansi.dmesg')], ['--app', here('running-ansi.log')]]) {
    for (const format of ['text', 'md']) {
      const out = runCli(['diagnose', ...args, ...BASE, '--format', format]);
      assert.ok(!out.stdout.includes('\x1b'), `${format}: an escape sequence reached the output`);
      assert.ok(!out.stdout.includes('\u202e'), `${format}: a bidi override reached the output`);
    }
  }
});

test('an OOM block cut off in the middle: no kill (no line names a victim), an oom-unfinished event with what was there', () => {
  const { code, report } = json(['--kernel', here('cut-block.kern.log')]);
  assert.equal(code, 0);
  assert.equal(report.oomKills.length, 0, 'a kill is a kill line: this block has none');
  const events = report.oomEvents.filter((e) => e.kind === 'oom-unfinished');
  assert.equal(events.length, 1);
  const event = events[0]!;
  assert.equal(event.pid, null);
  // Line 4: `anqicms invoked oom-killer`; line 5: `CPU: 1 PID: 21880 Comm: anqicms`.
  assert.equal(event.trigger?.name, 'anqicms');
  assert.equal(event.trigger?.pid, 21880);
  assert.equal(event.figures?.ramKb, 524158 * 4);
  assert.equal(event.figures?.constraint, null, 'nothing said which limit was hit');
  assert.equal(event.detail, 'input-ended');
  assert.ok(codes(report).includes('oom-unfinished'));
  assert.ok(!codes(report).includes('incomplete-kill'), 'no kill was cut off before its kill line: there is no kill');
  assert.equal(report.summary.otherKills.length, 0, 'summaries count kills only');
  assert.equal(report.incidents.length, 0, 'an OOM invocation without a victim is no death of the watched process');
});

test('a kill line with no block around it: the kill, incomplete: true, with what the line says', () => {
  const { code, report } = json(['--kernel', here('lone-kill.kern.log')]);
  assert.equal(code, 0);
  assert.deepEqual(report.oomKills.map((k) => [k.pid, k.name, k.anonRssKb, k.incomplete, k.trigger]), [[21880, 'anqicms', 1462300, true, null]]);
  assert.ok(codes(report).includes('incomplete-kill'));
});

test('two OOM blocks interleaved: two kills, each with its own victim and trigger; what could be either block\'s is null', () => {
  const { code, report } = json(['--kernel', here('interleaved.kern.log')]);
  assert.equal(code, 0);
  const kills = report.oomKills.map((k) => ({ pid: k.pid, name: k.name, anon: k.anonRssKb, trigger: k.trigger?.pid, top: k.topConsumers, swapFree: k.swapFreeKb }));
  assert.deepEqual(kills, [
    { pid: 4101, name: 'java', anon: 3600000, trigger: 4101, top: null, swapFree: null },
    { pid: 4202, name: 'mysqld', anon: 1600000, trigger: 4202, top: null, swapFree: null },
  ]);
});

test('a directory, a missing path: exit 2, one stderr line each naming the path and the fix, listed in the report', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'no-such.log');
  const { code, report, stderr } = json(['--kernel', dir, '--app', missing]);
  assert.equal(code, 2);
  assert.deepEqual(report.sources, []);
  assert.deepEqual(report.warnings.map((w) => [w.code, w.path]).sort(), [['input-unreadable', dir], ['input-unreadable', missing]].sort());
  const lines = problemLines(stderr);
  assert.equal(lines.length, 2, stderr);
  assert.ok(lines.some((l) => l.startsWith(`oomscope: ${dir}: is a directory`) && /--dir/.test(l)), stderr);
  assert.ok(lines.some((l) => l.startsWith(`oomscope: ${missing}: no such file`) && /check the path/.test(l)), stderr);
  const text = runCli(['diagnose', '--kernel', dir, ...BASE]);
  assert.equal(text.code, 2);
  assert.match(text.stdout, new RegExp(`Warnings[\\s\\S]*${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is a directory`));
});

/**
 * How to run the CLI so that a chmod 000 file cannot be read, or why that cannot be done here. As root, the
 * process drops every capability (root then obeys file modes like anyone, yet can still read the project,
 * which a checkout in a private temp dir would not let `nobody` do).
 */
function asNobody(): { prefix: string[] } | { skip: string } {
  if (process.getuid?.() !== 0) return { prefix: [] }; // not root: chmod 000 is enough
  for (const [tool, prefix] of [
    ['setpriv', ['setpriv', '--bounding-set=-all', '--inh-caps=-all']],
  ] as const) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (found.status === 0) return { prefix: [...prefix] };
  }
  // setpriv comes with util-linux, which is Essential in Debian: missing under CI means a broken image.
  if (isCI) throw new Error('setpriv is not installed (util-linux); CI images must have it');
  return { skip: 'running as root without setpriv: cannot make a file unreadable' };
}

test('a file that cannot be read (permission denied): exit 2 alone, 3 beside a readable one; one stderr line with the fix', (t) => {
  const how = asNobody();
  if ('skip' in how) return t.skip(how.skip);
  const dir = tempDir(t);
  chmodSync(dir, 0o755);
  const secret = writeTemp(dir, 'kern.log', readFileSync(sample));
  chmodSync(secret, 0o000);
  const readable = writeTemp(dir, 'other.log', readFileSync(sample));
  chmodSync(readable, 0o644);
  const alone = runCli(['diagnose', '--kernel', secret, ...BASE, '--format', 'json'], { prefix: how.prefix });
  assert.equal(alone.code, 2, alone.stderr);
  assert.deepEqual(JSON.parse(alone.stdout).warnings.map((w: { code: string }) => w.code), ['input-unreadable']);
  assert.deepEqual(problemLines(alone.stderr), [`oomscope: ${secret}: permission denied (run with sudo or make the file readable)`]);
  const beside = runCli(['diagnose', '--kernel', readable, '--kernel', secret, ...BASE, '--format', 'json'], { prefix: how.prefix });
  assert.equal(beside.code, 3, beside.stderr);
  assert.equal(JSON.parse(beside.stdout).oomKills.length, 1);
  assert.equal(problemLines(beside.stderr).length, 1);
});

test('a FIFO is read like a file, and stdin like one too', async (t) => {
  const dir = tempDir(t);
  const fifo = join(dir, 'kern.fifo');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) return t.skip('mkfifo is not available');
  const run = startCli(['diagnose', '--kernel', fifo, ...BASE, '--format', 'json']);
  let exited = false;
  void run.done.then(() => (exited = true));
  // Open for writing only once the CLI opened it for reading (a blocking open would wait forever if it never did).
  let probe: number | null = null;
  const deadline = Date.now() + 10_000;
  while (probe === null && !exited && Date.now() < deadline) {
    try {
      probe = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  assert.ok(probe !== null, 'the CLI never opened the FIFO');
  const writer = openSync(fifo, 'w');
  closeSync(probe);
  writeSync(writer, readFileSync(sample));
  closeSync(writer);
  const result = await run.done;
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Report;
  assert.deepEqual(report.oomKills.map((k) => k.pid), [21880]);
  assert.equal(report.sources[0]!.complete, true);

  const piped = json(['--kernel', '-'], { input: readFileSync(sample) });
  assert.equal(piped.code, 0);
  assert.deepEqual(piped.report.oomKills.map((k) => k.pid), [21880]);
  assert.equal(piped.report.sources[0]!.path, '-');
});

test('stdin named twice is wrong usage (it can be read once): exit 2, one line, no report', () => {
  const result = runCli(['diagnose', '--check', '-', '--app', '-', ...BASE]);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /^oomscope: stdin \(-\) can be read only once/);
  assert.equal(result.stdout, '');
});

test('a truncated or damaged .gz: what came before the cut is reported, complete: false, input-truncated, exit 3', (t) => {
  const dir = tempDir(t);
  const gz = gzipSync(readFileSync(sample));
  const cut = writeTemp(dir, 'kern.log.2.gz', gz.subarray(0, Math.floor(gz.length * 0.7)));
  const damaged = Buffer.from(gz);
  for (let i = 40; i < 60; i++) damaged[i] = damaged[i]! ^ 0x5a;
  const broken = writeTemp(dir, 'kern.log.3.gz', damaged);
  for (const path of [cut, broken]) {
    const { code, report, stderr } = json(['--kernel', path]);
    assert.equal(code, 3, path);
    assert.equal(report.sources.length, 1);
    assert.equal(report.sources[0]!.complete, false);
    assert.ok(codes(report).includes('input-truncated'), JSON.stringify(report.warnings));
    assert.equal(problemLines(stderr).length, 1, stderr);
    assert.ok(problemLines(stderr)[0]!.startsWith(`oomscope: ${path}: the gzip data`), stderr);
  }
  assert.ok(json(['--kernel', cut]).report.sources[0]!.lines > 10, 'the lines before the cut were read');
});

test('a 64 MiB single line: read up to 1 MiB with an overlong-line warning; the lines after it still count; memory bounded', async (t) => {
  const dir = tempDir(t);
  const kill = kernelLog([{ pid: 777, name: 'anqicms', uptime: 3000.5, rssPages: 100000 }]).join('\n') + '\n';
  const path = join(dir, 'long.log');
  writeFileSync(path, Buffer.concat([Buffer.from('Jul 20 00:16:40 web01 kernel: [ 1000.000000] '), Buffer.alloc(64 << 20, 0x61), Buffer.from('\n' + kill)]));
  const [kernel, app] = await Promise.all(['--kernel', '--app'].map((role) => peakRss(['diagnose', role, path, ...BASE, '--format', 'json'])));
  for (const run of [kernel!, app!]) {
    assert.equal(run.result.code, 0, run.result.stderr);
    assert.ok(run.mib < 300, `peak RSS ${run.mib.toFixed(0)} MiB`);
  }
  t.diagnostic(`64 MiB line: peak RSS ${kernel!.mib.toFixed(0)} MiB (kernel), ${app!.mib.toFixed(0)} MiB (app)`);
  const report = JSON.parse(kernel!.result.stdout) as Report;
  assert.deepEqual(report.oomKills.map((k) => k.pid), [777]);
  assert.ok(codes(report).includes('overlong-line'));
  assert.equal(report.sources[0]!.lines, 1 + kill.split('\n').length - 1);
  assert.equal((JSON.parse(app!.result.stdout) as Report).sources[0]!.lines, report.sources[0]!.lines);
});

test('a file truncated while it is read: the reader ends with changed-while-reading, what was read still counts', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'kern.log');
  writeFileSync(path, Buffer.alloc(32 << 20, 0x61)); // more than the reader reads ahead (two 4 MiB chunks)
  const opened = await openInput(path);
  const iterator = opened.chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.ok(!first.done && first.value.length > 0);
  truncateSync(path, 0); // logrotate's copytruncate, while we read
  await assert.rejects(async () => {
    for (;;) if ((await iterator.next()).done) break;
  }, (error: unknown) => error instanceof InputError && error.code === 'changed-while-reading' && error.warningCode === 'input-truncated');
});

test('a file rotated or truncated while the CLI reads it: no crash, and either a cut-short warning or a consistent report', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'kern.log');
  const block = readFileSync(sample);
  const copies = Math.ceil((48 << 20) / block.length);
  const fd = openSync(path, 'w');
  for (let i = 0; i < copies; i++) writeSync(fd, block);
  closeSync(fd);
  const run = startCli(['diagnose', '--kernel', path, '--app', path, ...BASE, '--format', 'json']);
  await run.opened(path); // the CLI has the file open: change it under the reader
  const rotated = `${path}.1`;
  spawnSync('mv', [path, rotated]); // rotation by rename: the open file is read to its end
  const cutter = openSync(rotated, 'r+');
  ftruncateSync(cutter, 1 << 20); // then copy-truncate style: the data under the reader goes away
  closeSync(cutter);
  const result = await run.done;
  assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/);
  assert.ok(result.code === 0 || result.code === 2 || result.code === 3, `exit ${result.code}: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as Report;
  for (const source of report.sources) {
    const cutShort = !source.complete;
    const warned = report.warnings.some((w) => w.path === source.path && (w.code === 'input-truncated' || w.code === 'input-unreadable'));
    assert.equal(cutShort, warned, `complete:${source.complete} goes with a warning: ${JSON.stringify(report.warnings)}`);
    if (cutShort) assert.equal(result.code, 3);
  }
  // Whatever was read, every kill in it is whole: the sample's kill, at most once per copy read.
  for (const kill of report.oomKills) assert.ok(kill.pid === 21880 || kill.incomplete, JSON.stringify(kill).slice(0, 200));
  assert.ok(report.oomKills.length <= copies);
});

test('the same running.log and check.log named twice (or through a symlink) are read once: the same deaths, a duplicate-input warning', (t) => {
  const dir = tempDir(t);
  const source = fixture('test', 'join', 'fixtures', 'kernel-oom');
  const app = writeTemp(dir, 'running.log', readFileSync(join(source, 'running.log')));
  const check = writeTemp(dir, 'check.log', readFileSync(join(source, 'check.log')));
  const link = join(dir, 'running-link.log');
  symlinkSync(app, link);
  const once = json(['--app', app, '--check', check, '--tz', 'Asia/Shanghai']);
  const twice = json(['--app', app, '--app', link, '--check', check, '--check', check, '--dir', dir, '--tz', 'Asia/Shanghai']);
  assert.equal(twice.code, 0);
  assert.deepEqual(twice.report.incidents, once.report.incidents);
  assert.deepEqual(twice.report.sources, once.report.sources);
  assert.ok(codes(twice.report).filter((c) => c === 'duplicate-input').length >= 2, JSON.stringify(twice.report.warnings));
});
