// The report's ids: SHA-1 written out in src/model/short-id.ts, against the standard's vectors and node:crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha1Hex, shortId } from '../../src/model/short-id.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

test('SHA-1 of the FIPS 180 examples', () => {
  // FIPS 180-2 appendix A: "abc" (one block) and the 448-bit message (two blocks: its padding spills over).
  assert.equal(sha1Hex(bytes('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha1Hex(bytes('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')), '84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  // The empty message: padding alone.
  assert.equal(sha1Hex(bytes('')), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
});

test('SHA-1 agrees with node:crypto on any text, across the block and padding edges', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 50, max: 130 }).map((n) => 'x'.repeat(n))), (text) => {
      assert.equal(sha1Hex(bytes(text)), createHash('sha1').update(text).digest('hex'));
    }),
    { numRuns: 500 },
  );
});

test('a short id is the prefix and the first 8 hex digits of the SHA-1 of the key', () => {
  // The key as kernel-inputs.ts writes it for a kill: pid|name|uptime.
  const key = '4137|anqicms|357127.000432';
  assert.equal(shortId('k-', key), `k-${createHash('sha1').update(key).digest('hex').slice(0, 8)}`);
  assert.match(shortId('i-', '中文|键'), /^i-[0-9a-f]{8}$/);
});
