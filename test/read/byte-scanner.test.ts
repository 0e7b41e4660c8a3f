import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  createByteScanner, createJsByteScanner, createWasmByteScanner, hasWasmSimd, MAX_WASM_RANGE, type ByteScanner,
} from '../../src/read/byte-scanner.js';
import { projectRoot } from '../support/paths.js';

const KERNEL_NEEDLES = ['oom', 'Killed process', 'OOM', 'Linux version'];

/** The wasm scanner: Node 20 has WebAssembly SIMD, so its absence is a failure here, not a fallback. */
function wasmScanner(needles: readonly string[]): ByteScanner {
  const scanner = createWasmByteScanner(needles);
  assert.ok(scanner, 'WebAssembly SIMD is available on Node >= 20');
  return scanner;
}

/** Both implementations, each fresh. */
function scanners(needles: readonly string[]): ByteScanner[] {
  return [wasmScanner(needles), createJsByteScanner(needles)];
}

/** The obvious answer: split [from, to) at '\n', keep the lines that hold a needle byte for byte. */
function naiveLineStarts(chunk: Uint8Array, from: number, to: number, needles: readonly string[]): number[] {
  const needleBytes = needles.map((needle) => Buffer.from(needle, 'latin1'));
  const holds = (start: number, end: number): boolean =>
    needleBytes.some((needle) => {
      for (let at = start; at + needle.length <= end; at++) {
        let i = 0;
        while (i < needle.length && chunk[at + i] === needle[i]) i++;
        if (i === needle.length) return true;
      }
      return false;
    });
  const starts: number[] = [];
  let start = from;
  while (start < to) {
    let end = start;
    while (end < to && chunk[end] !== 10) end++;
    if (holds(start, end)) starts.push(start);
    start = end + 1;
  }
  return starts;
}

function naiveNewlines(chunk: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let at = from; at < to; at++) if (chunk[at] === 10) count++;
  return count;
}

/** Every scanner agrees with the naive answer on chunk[from, to), counts included. */
function check(needles: readonly string[], chunk: Buffer, from = 0, to = chunk.length, expected?: number[]): void {
  const want = naiveLineStarts(chunk, from, to, needles);
  if (expected !== undefined) assert.deepEqual(want, expected, 'the naive reference itself');
  for (const scanner of scanners(needles)) {
    assert.deepEqual(scanner.lineStartsWithNeedles(chunk, from, to), want, `${scanner.kind} line starts`);
    assert.equal(scanner.countNewlines(chunk, from, to), naiveNewlines(chunk, from, to), `${scanner.kind} newlines`);
  }
}

const text = (s: string): Buffer => Buffer.from(s, 'latin1');

test('this runtime has WebAssembly SIMD and createByteScanner picks it', () => {
  assert.equal(hasWasmSimd(), true);
  assert.equal(createByteScanner(KERNEL_NEEDLES).kind, 'wasm-simd');
  assert.equal(createJsByteScanner(KERNEL_NEEDLES).kind, 'js');
});

test('the committed wasm is what byte-scanner.wat assembles to', () => {
  const result = spawnSync(process.execPath, [join(projectRoot, 'scripts', 'build-wasm.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr + result.stdout);
});

test('lines holding a needle, by their starts', () => {
  const chunk = text('hello\nan oom here\nnothing\nKilled process 12 (x)\nOOMx oom\nlast oo');
  check(KERNEL_NEEDLES, chunk, 0, chunk.length, [6, 26, 48]);
});

test('a needle at the start and at the end of the range', () => {
  check(KERNEL_NEEDLES, text('oom at the start\nmiddle\nat the end: oom'), undefined, undefined, [0, 24]);
  check(KERNEL_NEEDLES, text('oom'), undefined, undefined, [0]);
  check(KERNEL_NEEDLES, text('x\noom\n'), undefined, undefined, [2]);
  // A needle cut by the range's end is not in the range.
  const chunk = text('line\nends in oo');
  check(KERNEL_NEEDLES, Buffer.concat([chunk, text('m\n')]), 0, chunk.length, []);
  check(KERNEL_NEEDLES, Buffer.concat([chunk, text('m\n')]), 0, chunk.length + 1, [5]);
});

test('a needle across the edge of a 16-byte vector, at every offset', () => {
  for (const needle of ['oom', 'Killed process', 'Linux version']) {
    for (let at = 0; at < 40; at++) {
      const chunk = Buffer.concat([text('a\n'), text('x'.repeat(at)), text(needle), text(' tail\nnext line\n')]);
      check(KERNEL_NEEDLES, chunk, 0, chunk.length, [2]);
      // and the same needle ending exactly at the end of the range, with no newline after it
      const cut = Buffer.concat([text('a\n'), text('y'.repeat(at)), text(needle)]);
      check(KERNEL_NEEDLES, cut, 0, cut.length, [2]);
    }
  }
});

test('several needles in one line give its start once', () => {
  check(KERNEL_NEEDLES, text('one\nOOM oom Killed process oom OOM\ntwo\n'), undefined, undefined, [4]);
  check(KERNEL_NEEDLES, text('oomoomoomoom\noom\n'), undefined, undefined, [0, 13]);
});

test('overlapping needles', () => {
  const needles = ['aaa', 'aab', 'abx'];
  check(needles, text('aaaa\n'), undefined, undefined, [0]);
  check(needles, text('xaabx\n'), undefined, undefined, [0]);
  check(needles, text('aa\naab\naa\nabx'), undefined, undefined, [3, 10]);
  check(['OOM', 'OOMkill', 'Mki'], text('xx OOMkiller\nOOMk\n Mk\n'), undefined, undefined, [0, 13]);
});

test('a needle must end inside the range, even where the bytes past it would complete it', () => {
  // (The wasm copy of the range is followed by zero bytes: a needle ending in NUL must not match them.)
  check(['ab\x00'], text('xab'), undefined, undefined, []);
  check(['ab\x00'], text('xab\x00'), undefined, undefined, [0]);
  check(['ab\x00'], text('xab\x00\n'), 0, 3, []);
});

test('no trailing newline, empty lines, and a range of newlines only', () => {
  check(KERNEL_NEEDLES, text('\n\n\noom'), undefined, undefined, [3]);
  check(KERNEL_NEEDLES, text('\n\n\n\n'), undefined, undefined, []);
  check(KERNEL_NEEDLES, text('no needle and no newline'), undefined, undefined, []);
});

test('an empty range', () => {
  const chunk = text('oom\noom\n');
  for (const at of [0, 2, 4, chunk.length]) check(KERNEL_NEEDLES, chunk, at, at, []);
  check(KERNEL_NEEDLES, Buffer.alloc(0), 0, 0, []);
});

test('a range that does not start at 0 starts its first line', () => {
  const chunk = text('oom before\nsome oom here\nOOM\nafter oom');
  const second = chunk.indexOf('some');
  check(KERNEL_NEEDLES, chunk, second, chunk.length, [second, second + 14, second + 18]);
  // Starting mid-line: the line starts at `from`; a needle cut by `from` is not in the range.
  check(KERNEL_NEEDLES, chunk, 1, chunk.length, [second, second + 14, second + 18]);
  check(KERNEL_NEEDLES, chunk, second + 5, chunk.length, [second + 5, second + 14, second + 18]);
  check(KERNEL_NEEDLES, chunk, second + 6, second + 13, []);
  check(KERNEL_NEEDLES, chunk, second + 1, second + 8, [second + 1]);
});

test('non-ASCII bytes around the needles', () => {
  const chunk = Buffer.concat([
    Buffer.from('端口已经被占用 oom 中文\n', 'utf8'),
    Buffer.from([0xff, 0xfe, 0x80, 0x0a, 0xb6, 0xcb, 0x6f, 0x6f, 0x6d, 0xbf, 0xda, 0x0a]), // GBK around "oom"
    Buffer.from([0xef, 0xef, 0x4f, 0x4f, 0x0a]), // "OO" and a newline: no needle
    Buffer.from('\u00e9OOM\u00e9\n', 'latin1'),
    Buffer.alloc(40, 0xff),
  ]);
  const lines = naiveLineStarts(chunk, 0, chunk.length, KERNEL_NEEDLES);
  assert.equal(lines.length, 3);
  check(KERNEL_NEEDLES, chunk);
});

test('CR/LF lines: the CR is part of the line, only LF ends it', () => {
  const chunk = text('first\r\noom\r\n\r\nKilled process 1\r\nlast\r');
  check(KERNEL_NEEDLES, chunk, 0, chunk.length, [7, 14]);
  for (const scanner of scanners(KERNEL_NEEDLES)) assert.equal(scanner.countNewlines(chunk, 0, chunk.length), 4);
});

test('newline counts within a scanned range, across 256-byte blocks, and outside it', () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(i % 97 === 0 ? `line ${i} oom` : 'x'.repeat(i % 23));
  const chunk = text(lines.join('\n'));
  const other = text('a\nb\nc\n'.repeat(1000));
  for (const scanner of scanners(KERNEL_NEEDLES)) {
    const from = 5;
    const to = chunk.length - 3;
    assert.deepEqual(scanner.lineStartsWithNeedles(chunk, from, to), naiveLineStarts(chunk, from, to, KERNEL_NEEDLES));
    for (const [a, b] of [[from, to], [from, from], [250, 260], [256, 512], [2040, 2050], [2048, 4096], [100, 2047], [4095, 4097], [255, 257], [from + 1, to - 1], [7000, 7000]] as const) {
      assert.equal(scanner.countNewlines(chunk, a, b), naiveNewlines(chunk, a, b), `${scanner.kind} [${a}, ${b})`);
    }
    // Outside the scanned range, and on another chunk; then the first again.
    assert.equal(scanner.countNewlines(chunk, 0, chunk.length), naiveNewlines(chunk, 0, chunk.length));
    assert.equal(scanner.countNewlines(other, 2, other.length), 2999);
    assert.equal(scanner.countNewlines(chunk, 3000, 9000), naiveNewlines(chunk, 3000, 9000));
  }
});

test('chunks of several MiB: memory grows, results stay right', () => {
  const line = 'Jul 30 06:00:00 web01 CRON[751453]: (root) CMD (/www/wwwroot/anqicms.com/start.sh)\n';
  const parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  while (size < 5 * 1024 * 1024) {
    const piece = text(++n % 5000 === 0 ? 'Jul 30 06:00:01 web01 kernel: Out of memory: Killed process 1 (x)\n' : line);
    parts.push(piece);
    size += piece.length;
  }
  const chunk = Buffer.concat(parts);
  const small = text('oom\n');
  for (const scanner of scanners(KERNEL_NEEDLES)) {
    // small first, so that the big one has to grow the memory
    assert.deepEqual(scanner.lineStartsWithNeedles(small, 0, small.length), [0]);
    const want = naiveLineStarts(chunk, 0, chunk.length, KERNEL_NEEDLES);
    assert.equal(want.length, Math.floor(n / 5000));
    assert.deepEqual(scanner.lineStartsWithNeedles(chunk, 0, chunk.length), want);
    assert.equal(scanner.countNewlines(chunk, 0, chunk.length), n);
    assert.equal(scanner.countNewlines(chunk, line.length, chunk.length - line.length), n - 2);
    // uncounted by the scan (another Buffer over the same bytes): counted in pieces
    assert.equal(scanner.countNewlines(Buffer.from(chunk), 1, chunk.length), n);
    assert.deepEqual(scanner.lineStartsWithNeedles(small, 1, small.length), []);
  }
});

test('a range beyond MAX_WASM_RANGE goes to the fallback, with the same answers', () => {
  const line = text('Jul 30 06:00:00 web01 sshd[40003]: Failed password for invalid user admin from 45.57.126.23 port 33736 ssh2\n');
  const chunk = Buffer.alloc(MAX_WASM_RANGE + 4 * line.length);
  for (let at = 0; at + line.length <= chunk.length; at += line.length) line.copy(chunk, at);
  const hits = [17, MAX_WASM_RANGE - 3, chunk.length - 60];
  for (const at of hits) text('OOM').copy(chunk, at);
  const lines = Math.floor(chunk.length / line.length);
  const wasm = wasmScanner(KERNEL_NEEDLES);
  const want = hits.map((at) => at - (at % line.length));
  assert.deepEqual(wasm.lineStartsWithNeedles(chunk, 0, chunk.length), want);
  assert.deepEqual(createJsByteScanner(KERNEL_NEEDLES).lineStartsWithNeedles(chunk, 0, chunk.length), want);
  assert.equal(wasm.countNewlines(chunk, 0, chunk.length), lines);
  assert.equal(wasm.countNewlines(chunk, line.length, chunk.length), lines - 1);
});

test('needles are checked', () => {
  for (const bad of [[], ['oo'], ['x'.repeat(17)], ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(3)), ['oo\nm'], ['端口已经']]) {
    assert.throws(() => createByteScanner(bad), RangeError, JSON.stringify(bad));
    assert.throws(() => createJsByteScanner(bad), RangeError, JSON.stringify(bad));
  }
  assert.doesNotThrow(() => createByteScanner(['abc', 'x'.repeat(16), '\r\t\x00', 'dd\x7f']));
});

test('ranges are checked', () => {
  const chunk = text('oom\n');
  for (const scanner of scanners(KERNEL_NEEDLES)) {
    for (const [from, to] of [[-1, 2], [0, 5], [3, 2], [0.5, 2]] as const) {
      assert.throws(() => scanner.lineStartsWithNeedles(chunk, from, to), RangeError);
      assert.throws(() => scanner.countNewlines(chunk, from, to), RangeError);
    }
  }
});

// ---------------------------------------------------------------------------------------------------------
// Property: wasm, the fallback and the naive reference agree on random bytes, needles and ranges.

const PIECES = ['\n', '\n', '\r\n', 'o', 'oo', 'm', 'O', 'OM', 'Kil', 'led ', 'abc', 'ab', 'c', 'x', 'xxxxxxxxxxxxxxx', '\u00ff', '\u0080'];

const needleArb = fc.oneof(
  fc.constantFrom('oom', 'OOM', 'Killed process', 'Linux version', 'abc', 'cab', 'ooo', 'oOM', 'xxxxxxxxxxxxxxxx'),
  fc.array(fc.constantFrom('o', 'O', 'M', 'm', 'a', 'b', 'c', 'x', ' ', '\r'), { minLength: 3, maxLength: 16 }).map((cs) => cs.join('')),
);

/** Pieces of text: the needles, their beginnings and ends, newlines, other ASCII and any byte. */
const piecesArb = (needles: readonly string[]): fc.Arbitrary<string[]> => {
  const fragments = needles.flatMap((needle) => [needle, needle, needle.slice(0, 2), needle.slice(0, 3), needle.slice(1), needle.slice(0, -1)]);
  return fc.array(
    fc.oneof(
      { arbitrary: fc.constantFrom(...PIECES), weight: 3 },
      { arbitrary: fc.constantFrom(...fragments), weight: 2 },
      { arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)), weight: 1 },
    ),
    { maxLength: 1500 },
  );
};

const needlesArb = fc.uniqueArray(needleArb, { minLength: 1, maxLength: 4 });

const caseArb = needlesArb
  .chain((needles) => fc.record({
    pieces: piecesArb(needles),
    needles: fc.constant(needles),
    cutA: fc.double({ min: 0, max: 1, noNaN: true }),
    cutB: fc.double({ min: 0, max: 1, noNaN: true }),
    counts: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 6 }),
  }))
  .map(({ pieces, needles, cutA, cutB, counts }) => {
    const chunk = text(pieces.join(''));
    const at = (f: number): number => Math.floor(f * chunk.length);
    const [from, to] = [at(cutA), at(cutB)].sort((a, b) => a - b) as [number, number];
    const ranges = counts.map(([a, b]) => [at(a), at(b)].sort((x, y) => x - y) as [number, number]);
    return { chunk, needles, from, to, ranges };
  });

test('property: wasm and fallback agree with the naive reference', () => {
  fc.assert(
    fc.property(caseArb, ({ chunk, needles, from, to, ranges }) => {
      const want = naiveLineStarts(chunk, from, to, needles);
      for (const scanner of scanners(needles)) {
        assert.deepEqual(scanner.lineStartsWithNeedles(chunk, from, to), want);
        // within the scanned range (read from the scan) and anywhere in the chunk
        for (const [a, b] of ranges) {
          const [ia, ib] = [Math.max(a, from), Math.min(Math.max(b, from), to)];
          if (ia <= ib) assert.equal(scanner.countNewlines(chunk, ia, ib), naiveNewlines(chunk, ia, ib));
          assert.equal(scanner.countNewlines(chunk, a, b), naiveNewlines(chunk, a, b));
        }
      }
    }),
    { seed: 20240730, numRuns: 400 },
  );
});

test('property: one scanner reused over many chunks keeps agreeing', () => {
  const wasm = wasmScanner(KERNEL_NEEDLES);
  const js = createJsByteScanner(KERNEL_NEEDLES);
  const kernelCaseArb = piecesArb(KERNEL_NEEDLES).chain((pieces) => {
    const chunk = text(pieces.join(''));
    return fc.tuple(fc.constant(chunk), fc.nat(chunk.length), fc.nat(chunk.length))
      .map(([, a, b]) => ({ chunk, from: Math.min(a, b), to: Math.max(a, b) }));
  });
  fc.assert(
    fc.property(kernelCaseArb, ({ chunk, from, to }) => {
      const want = naiveLineStarts(chunk, from, to, KERNEL_NEEDLES);
      assert.deepEqual(wasm.lineStartsWithNeedles(chunk, from, to), want);
      assert.deepEqual(js.lineStartsWithNeedles(chunk, from, to), want);
      const mid = from + ((to - from) >> 1);
      assert.equal(wasm.countNewlines(chunk, from, mid) + wasm.countNewlines(chunk, mid, to), naiveNewlines(chunk, from, to));
    }),
    { seed: 7, numRuns: 300 },
  );
});
