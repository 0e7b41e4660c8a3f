// SHA-1 in plain JavaScript (src/model/sha1.ts): the standard's vectors, then node:crypto's own SHA-1 as the reference
// on every length around the padding's edges (55/56/63/64 bytes) and on UTF-8 text.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha1Hex } from '../../src/model/sha1.js';

const ascii = (text: string): Uint8Array => Buffer.from(text, 'latin1');

test('sha1Hex gives the FIPS 180-4 example digests', () => {
  // FIPS 180-4 examples (SHA1.pdf): one block, and two blocks (the 448-bit message whose length pushes padding over).
  assert.equal(sha1Hex(ascii('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha1Hex(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')), '84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  // The empty message: da39a3ee5e6b4b0d3255bfef95601890afd80709 (RFC 3174's test suite and `sha1sum </dev/null`).
  assert.equal(sha1Hex(new Uint8Array(0)), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
});

test('sha1Hex agrees with node:crypto on every length from 0 to 300 bytes and on UTF-8 text', () => {
  const bytes = new Uint8Array(300);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 167 + 13) & 0xff;
  for (let length = 0; length <= bytes.length; length++) {
    const message = bytes.subarray(0, length);
    assert.equal(sha1Hex(message), createHash('sha1').update(message).digest('hex'), `${length} bytes`);
  }
  for (const text of ['mysqld\u00001771', '中文进程名：测试', 'kernel|2024-07-23T10:03:37+08:00|anqicms|4137']) {
    const utf8 = Buffer.from(text, 'utf8');
    assert.equal(sha1Hex(utf8), createHash('sha1').update(utf8).digest('hex'), text);
  }
});
