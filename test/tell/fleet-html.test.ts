// The fleet page and table say the window's length in the page's language (issue 14 leftovers): a 465-second window
// is 7分45秒 in Chinese (docs/glossary.zh-CN.md: durations without spaces) and 7m 45s in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FleetData } from '../../src/fleet/prometheus-fleet.js';
import { fleetHtml } from '../../src/tell/fleet-html.js';
import { fleetText } from '../../src/tell/fleet-text.js';

// 465 s = 7 × 60 + 45.
const data: FleetData = { prometheus: 'http://127.0.0.1:9090', windowSeconds: 465, at: '2024-07-23T10:00:00.000+08:00', servers: [] };

test('fleet HTML: the window in the page language', () => {
  const zh = fleetHtml(data, 'zh-CN');
  assert.match(zh, /最近 7分45秒 的退出/);
  assert.doesNotMatch(zh, /7m 45s/);
  assert.match(fleetHtml(data, 'en'), /Deaths in the last 7m 45s,/);
});

test('fleet text: the window in the table language', () => {
  const zh = fleetText(data, 'zh-CN');
  assert.ok(zh.includes('7分45秒'), zh);
  assert.doesNotMatch(zh, /7m 45s/);
  assert.ok(fleetText(data, 'en').includes('7m 45s'));
});
