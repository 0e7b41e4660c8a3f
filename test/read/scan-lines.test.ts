import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createByteScanner } from '../../src/read/byte-scanner.js';
import { scanLines, type ScanOptions } from '../../src/read/scan-lines.js';

/** Twenty 10-byte lines `l-01.....\n` … `l-20.....\n` at offsets 0, 10, … 190; line 8 holds the needle `XYZ`. */
function twentyLines(): Buffer {
  const lines: string[] = [];
  for (let n = 1; n <= 20; n++) lines.push(`l-${String(n).padStart(2, '0')}${n === 8 ? 'XYZ..' : '.....'}\n`);
  return Buffer.from(lines.join(''), 'latin1');
}

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function handedOver(bytes: Buffer, chunkSize: number, options: ScanOptions): Promise<string[]> {
  const seen: string[] = [];
  const sink = { line: (line: Buffer, lineNo: number) => seen.push(`${lineNo}:${line.toString('latin1')}`), wantsEveryLine: () => false };
  const split = await scanLines(pieces(bytes, chunkSize), createByteScanner(['XYZ']), sink, options);
  assert.equal(split.lines, 20);
  assert.equal(bytes.length, 200);
  return seen;
}

test('a needle line comes with the lines before it; a grid line comes alone; the last lines come at the end', async () => {
  // Grid every 100 bytes: offset 0 is line 1, offset 100 is line 11. Look-back 2: the needle line 8 brings 6 and 7,
  // the end brings 19 and 20. Line 11 comes without 9 and 10: a grid line only keeps the reader's bearings.
  const expected = ['1:l-01.....', '6:l-06.....', '7:l-07.....', '8:l-08XYZ..', '11:l-11.....', '19:l-19.....', '20:l-20.....'];
  for (const chunkSize of [200, 64, 33, 10, 7]) {
    assert.deepEqual(await handedOver(twentyLines(), chunkSize, { denseBytes: 0, gridBytes: 100, lookBack: 2 }), expected, `chunks of ${chunkSize}`);
  }
});

test('without look-back only the needle line, the grid lines and the last line are handed over', async () => {
  const expected = ['1:l-01.....', '8:l-08XYZ..', '11:l-11.....', '20:l-20.....'];
  for (const chunkSize of [200, 33, 7]) {
    assert.deepEqual(await handedOver(twentyLines(), chunkSize, { denseBytes: 0, gridBytes: 100 }), expected, `chunks of ${chunkSize}`);
  }
});
