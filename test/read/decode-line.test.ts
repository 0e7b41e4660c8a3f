import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeLine } from '../../src/read/decode-line.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

// GBK bytes of 端口 (0xB6CB 0xBFDA), 中文 (0xD6D0 0xCEC4), 退出 (0xCDCB 0xB3F6), written out by hand.
const GBK_PORT = [0xb6, 0xcb, 0xbf, 0xda];
const GBK_CHINESE = [0xd6, 0xd0, 0xce, 0xc4];
const GBK_EXIT = [0xcd, 0xcb, 0xb3, 0xf6];

test('pure ASCII is read as UTF-8 unchanged', () => {
  assert.deepEqual(decodeLine(utf8('20240723 10:04:01 anqicms PID check: 0')), {
    text: '20240723 10:04:01 anqicms PID check: 0', encoding: 'utf-8',
  });
});

test('an empty line is empty UTF-8 text', () => {
  assert.deepEqual(decodeLine(new Uint8Array(0)), { text: '', encoding: 'utf-8' });
});

test('valid UTF-8 Chinese is read as UTF-8', () => {
  assert.deepEqual(decodeLine(utf8('端口已经被占用，可能软件已经启动')), {
    text: '端口已经被占用，可能软件已经启动', encoding: 'utf-8',
  });
});

test('GBK bytes that are not UTF-8 are read as GB18030', () => {
  assert.deepEqual(decodeLine(bytes(...GBK_PORT)), { text: '端口', encoding: 'gb18030' });
  assert.deepEqual(decodeLine(bytes(...GBK_EXIT, 0x20, ...utf8('terminated'))), { text: '退出 terminated', encoding: 'gb18030' });
});

test('an ASCII stamp followed by GBK text is GB18030 as a whole', () => {
  const line = bytes(...utf8('2024/07/23 10:00:01 '), ...GBK_CHINESE);
  assert.deepEqual(decodeLine(line), { text: '2024/07/23 10:00:01 中文', encoding: 'gb18030' });
});

test('bytes that are neither UTF-8 nor GB18030 become U+FFFD and are marked invalid', () => {
  // 0xFF is never valid in UTF-8 nor in GB18030; 0x80 alone is not a GB18030 lead byte.
  const result = decodeLine(bytes(0x61, 0xff, 0x62, 0x80));
  assert.equal(result.encoding, 'invalid');
  assert.equal(result.text, 'a\uFFFDb\uFFFD');
});

test('UTF-8 cut in the middle of its last character stays UTF-8 with a replacement, not GB18030 mojibake', () => {
  const whole = utf8('载入sego词典');
  const cut = whole.subarray(0, whole.length - 1); // 典 is 3 bytes; drop its last
  const result = decodeLine(cut);
  assert.equal(result.encoding, 'invalid');
  assert.equal(result.text, '载入sego词\uFFFD');
});

test('a leading byte-order mark is dropped', () => {
  assert.deepEqual(decodeLine(bytes(0xef, 0xbb, 0xbf, ...utf8('abc'))), { text: 'abc', encoding: 'utf-8' });
  assert.deepEqual(decodeLine(bytes(0xef, 0xbb, 0xbf, ...utf8('中'))), { text: '中', encoding: 'utf-8' });
});

test('the GB18030 decoder is reusable after it rejected a line', () => {
  assert.equal(decodeLine(bytes(0xff, 0xfe, 0xfd)).encoding, 'invalid');
  assert.deepEqual(decodeLine(bytes(...GBK_CHINESE)), { text: '中文', encoding: 'gb18030' });
});

test('a view into a larger buffer decodes only its own bytes', () => {
  const all = bytes(...utf8('xx'), ...GBK_PORT, ...utf8('yy'));
  assert.deepEqual(decodeLine(all.subarray(2, 6)), { text: '端口', encoding: 'gb18030' });
});

test('NUL bytes pass through as U+0000', () => {
  assert.deepEqual(decodeLine(bytes(0, 0, 0)), { text: '\0\0\0', encoding: 'utf-8' });
});
