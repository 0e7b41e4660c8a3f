// parseEnvelope beyond one shape's sample lines (those are in envelope-samples.test.ts, from
// the tables beside each parser): whole captures read line by line, what every line gets
// (a carriage return dropped), garbage and hostile input, and the shared corpus of real logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvelope, type Envelope, type LocalStamp } from '../../../src/recognise/kernel/envelope/index.js';
import { corpusDir, fixture, isCI } from '../../support/paths.js';

/** Assert only the fields named in `want`. */
function expectEnvelope(line: string, want: Partial<Envelope>): Envelope {
  const got = parseEnvelope(line);
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(want)) picked[key] = got[key as keyof Envelope];
  assert.deepEqual(picked, want, `for line ${JSON.stringify(line.length > 200 ? line.slice(0, 200) + '…' : line)}`);
  return got;
}

function local(year: number | null, month: number, day: number, hour: number, minute: number, second: number, micros = 0): LocalStamp {
  return { year, month, day, hour, minute, second, micros };
}

const SHAPES = new Set([
  'syslog-rfc3164', 'syslog-rfc3339', 'dmesg', 'dmesg-raw', 'dmesg-delta', 'dmesg-reltime', 'dmesg-ctime', 'dmesg-iso',
  'kmsg', 'journal-short', 'journal-short-iso', 'journal-short-precise', 'journal-short-monotonic', 'journal-short-unix',
  'journal-json', 'bare',
]);

// ---------------------------------------------------------------------------------------
// Every line

test('strips a trailing carriage return', () => {
  expectEnvelope('[12345.678901] msg\r', { shape: 'dmesg', message: 'msg' });
  expectEnvelope('plain text\r', { shape: 'bare', message: 'plain text' });
});

// ---------------------------------------------------------------------------------------
// Whole captures

test('reads a /dev/kmsg capture line by line', () => {
  const lines = readFileSync(fixture('test', 'recognise', 'kernel', 'fixtures', 'kmsg-sample.txt'), 'utf8').split('\n');
  const got = lines.filter((l) => l !== '').map(parseEnvelope);
  assert.deepEqual(
    got.map((e) => [e.shape, e.sequence, e.uptime, e.caller, e.continuation, e.fromKernel]),
    [
      ['kmsg', 1201, 5864.70844, null, false, true],
      ['kmsg', 1202, 5864.708446, 'T13536', false, true],
      ['kmsg', null, null, null, true, null],
      ['kmsg', null, null, null, true, null],
      ['kmsg', 1203, 5864.708607, null, false, true],
      ['kmsg', 1204, 5864.709, null, false, false],
    ],
  );
  assert.equal(got[2]?.message, 'SUBSYSTEM=cpu');
  assert.equal(got[4]?.message, 'Memory cgroup out of memory: Killed process 13536 (café\\bar) total-vm:33558652kB');
});

test('reads a journal JSON export file line by line', () => {
  const lines = readFileSync(fixture('test', 'recognise', 'kernel', 'fixtures', 'journal-kernel.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
  const got = lines.map(parseEnvelope);
  assert.deepEqual(
    got.map((e) => [e.shape, e.epochMs, e.epochMicrosRemainder, e.uptime, e.fromKernel, e.ident, e.identPid]),
    [
      ['journal-json', 1721700241123, 456, 12345.678901, true, 'kernel', null],
      ['journal-json', 1721700241200, 0, 12345.755, true, 'kernel', null],
      ['journal-json', 1721700242000, 1, 12346.556, false, 'earlyoom', 812],
    ],
  );
  assert.equal(got[1]?.message, 'oom_reaper: (\uFFFD)');
  assert.equal(got[0]?.bootId, '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
});

// ---------------------------------------------------------------------------------------
// Garbage and hostile input

test('turns garbage into bare lines without throwing', () => {
  for (const line of ['', '[', ']', '<', '<>', '{', '{}', '[]', '[12345.678901', '[12345.]', '<4', '6,', '6,1,2,-', '2024-07-23T', 'Jul', 'Jul 23', ' ', '\t', '\r', '\uFEFF']) {
    const got = parseEnvelope(line);
    assert.ok(SHAPES.has(got.shape), line);
    assert.equal(typeof got.message, 'string');
  }
  expectEnvelope('[', { shape: 'bare', message: '[' });
  expectEnvelope('', { shape: 'bare', message: '', continuation: false });
  expectEnvelope('[12345.678901', { shape: 'bare', message: '[12345.678901' });
  expectEnvelope('{}', { shape: 'bare', message: '{}' });
});

test('survives NUL bytes and control characters', () => {
  expectEnvelope('\0\0\0', { shape: 'bare', message: '\0\0\0' });
  expectEnvelope('[12345.678901] a\0b', { shape: 'dmesg', message: 'a\0b' });
  expectEnvelope('Jul 23 10:04:01 web\0 kernel: x', { ident: 'kernel', host: 'web\0' });
  expectEnvelope('[\0\0\0] x', { shape: 'bare' });
});

test('does not throw on input that is not a string', () => {
  const got = parseEnvelope(undefined as unknown as string);
  assert.equal(got.shape, 'bare');
  assert.equal(got.message, '');
});

test('handles 64 MiB hostile lines in linear time', () => {
  // Built one at a time so that only one big string is alive at once.
  const hostile: Array<(size: number) => string> = [
    (size) => '['.repeat(size),
    (size) => '[' + ' '.repeat(size),
    (size) => '[' + '1'.repeat(size),
    (size) => '[12345.' + '1'.repeat(size),
    (size) => '<' + '4'.repeat(size),
    (size) => '9'.repeat(size),
    (size) => '6,' + '1'.repeat(size),
    (size) => '2024-07-23T' + '1'.repeat(size),
    (size) => 'Jul' + ' '.repeat(size),
    (size) => 'Jul 23 10:04:01 ' + 'h'.repeat(size),
    (size) => 'Jul 23 10:04:01 web01 kernel: [' + ' '.repeat(size),
    (size) => '[Tue ' + ':'.repeat(size),
    (size) => ' ' + 'A'.repeat(size),
    (size) => '{' + ' '.repeat(size),
  ];
  const size = 64 * 1024 * 1024;
  // Work grows with the input, not faster: 16 times the input may take at most 64 times as long (a quadratic blowup
  // would take 256 times). A ratio of the same machine's times, not a wall-clock bound: load slows both alike.
  const timeAt = (n: number): number => {
    const started = process.hrtime.bigint();
    for (const make of hostile) assert.ok(SHAPES.has(parseEnvelope(make(n)).shape));
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const small = Math.max(timeAt(size / 16), 50);
  const big = timeAt(size);
  assert.ok(big / small < 64, `16× the input took ${(big / small).toFixed(1)}× as long (${small.toFixed(0)} ms → ${big.toFixed(0)} ms)`);
  const long = parseEnvelope('[12345.678901] ' + 'x'.repeat(size));
  assert.equal(long.shape, 'dmesg');
  assert.equal(long.message.length, size);
  const escaped = parseEnvelope('6,1,1,-;' + '\\x41'.repeat(size / 16));
  assert.equal(escaped.message.length, size / 16);
});

// ---------------------------------------------------------------------------------------
// The shared corpus of real logs (../shared/corpus/kernel)

function corpusLines(name: string): string[] {
  return readFileSync(join(corpusDir, name), 'utf8').split('\n');
}

test('reads every line of the real kernel logs without throwing', (t) => {
  if (!existsSync(corpusDir)) {
    if (isCI) throw new Error(`corpus ${corpusDir} is missing; CI must have ../shared beside the project`);
    t.skip('../shared/corpus/kernel is absent (clone without ../shared)');
    return;
  }
  const files = readdirSync(corpusDir).sort();
  assert.ok(files.length > 0);
  const byPrefix = (prefix: string): string => {
    const name = files.find((f) => f.startsWith(prefix));
    assert.ok(name !== undefined, `corpus file ${prefix}* is missing`);
    return name;
  };

  for (const name of files) {
    for (const line of corpusLines(name)) {
      const got = parseEnvelope(line);
      assert.ok(SHAPES.has(got.shape), `${name}: ${line}`);
      assert.equal(typeof got.message, 'string');
      if (got.shape === 'bare') assert.equal(got.message, line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  }

  // 23: dmesg -T with German day names; every stamped line reads [Di Aug 12 03:54:03 2025].
  const f23 = corpusLines(byPrefix('23_'));
  let stamped = 0;
  for (const [i, line] of f23.entries()) {
    if (i === 0 || line === '') continue; // `# source:` header
    const got = parseEnvelope(line);
    if (line.startsWith('[')) {
      stamped++;
      assert.equal(got.shape, 'dmesg-ctime', `23 line ${i + 1}`);
      assert.deepEqual(got.local, local(2025, 8, 12, 3, 54, 3), `23 line ${i + 1}`);
      assert.equal(got.problem, null);
      assert.equal(got.fromKernel, true);
    } else {
      // memory.stat lines of the cgroup report, indented under the stamp
      assert.equal(got.shape, 'bare');
      assert.equal(got.continuation, true);
    }
  }
  assert.equal(stamped, 120); // 160 lines − header − 39 indented stat lines
  // line 160 is the kill
  assert.equal(parseEnvelope(f23[159] ?? '').message.startsWith('Memory cgroup out of memory: Killed process 3902942 (php-fpm)'), true);

  // 02: hostname-stripped syslog; kernel lines carry [uptime] from 5864.708440 (line 6) to 5864.708608 (line 36).
  const f02 = corpusLines(byPrefix('02_'));
  const first = parseEnvelope(f02[5] ?? '');
  assert.equal(first.shape, 'syslog-rfc3164');
  assert.equal(first.uptime, 5864.70844);
  assert.equal(first.fromKernel, true);
  assert.equal(first.host, null);
  assert.deepEqual(first.local, local(null, 1, 5, 15, 19, 27));
  assert.equal(first.message, 'memorymonster invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0');
  let kernelLines = 0;
  for (const line of f02) {
    const got = parseEnvelope(line);
    if (got.ident !== 'kernel') continue;
    kernelLines++;
    assert.equal(got.fromKernel, true);
    assert.ok(got.uptime !== null && got.uptime >= 5864.70844 && got.uptime <= 5864.708608, line);
  }
  assert.equal(kernelLines, 31);
  const cron = parseEnvelope(f02[1] ?? '');
  assert.deepEqual([cron.ident, cron.identPid, cron.fromKernel], ['CRON', 14500, false]);

  // 01: raw dmesg then syslog from host "localhost"; no dmesg line is taken for journal short-monotonic.
  for (const line of corpusLines(byPrefix('01_'))) {
    const got = parseEnvelope(line);
    if (line.startsWith('[')) assert.equal(got.shape, 'dmesg', line);
    if (line.includes(' localhost kernel: [')) {
      assert.equal(got.shape, 'syslog-rfc3164', line);
      assert.equal(got.host, 'localhost');
      assert.notEqual(got.uptime, null);
    }
  }

  // 20, 21, 22: raw kernel text without any stamp: every line is bare (task tables, CPU: lines, frames).
  for (const prefix of ['20_', '21_', '22_']) {
    for (const line of corpusLines(byPrefix(prefix))) {
      assert.equal(parseEnvelope(line).shape, 'bare', `${prefix}: ${line}`);
    }
  }

  // 04: rsyslog via imjournal: no [uptime], #012 kept, host hnsin-varnish.
  const f04 = corpusLines(byPrefix('04_')).slice(1).filter((l) => l !== '');
  for (const line of f04) {
    const got = parseEnvelope(line);
    assert.equal(got.fromKernel, true, line);
    assert.equal(got.host, 'hnsin-varnish');
    assert.equal(got.uptime, null);
    assert.equal(got.local?.month, 9);
    assert.equal(got.local?.day, 29);
  }
  assert.ok(f04.some((l) => parseEnvelope(l).message.includes('#012')));
});
