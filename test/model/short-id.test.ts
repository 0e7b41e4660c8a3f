// The report's ids: a prefix and the first 8 hex digits of SHA-1 (FIPS 180-4 vectors, worked out by the standard).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortId } from '../../src/model/short-id.js';

test('shortId is the prefix and the first 8 hex digits of the SHA-1 of the key', () => {
  // SHA-1("abc") = a9993e36 4706816a … (FIPS 180-4, appendix A.1).
  assert.equal(shortId('k-', 'abc'), 'k-a9993e36');
  // SHA-1("") = da39a3ee 5e6b4b0d …
  assert.equal(shortId('i-', ''), 'i-da39a3ee');
});

test('shortId hashes the key as UTF-8', () => {
  // `printf '中' | sha1sum` (bytes e4 b8 ad) = 0869071c…: the id of a Chinese name is the same on every platform.
  assert.equal(shortId('k-', '中'), 'k-0869071c');
});
