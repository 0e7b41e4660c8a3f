// The HTML report treats log text as hostile: text never becomes markup, the embedded JSON cannot end its block,
// and the page's Content-Security-Policy allows its own stylesheet (by hash) and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { escapeHtml, jsonForScript, logText } from '../../src/tell/html/escape.js';
import { contentSecurityPolicy, renderHtml } from '../../src/tell/html/render-html.js';
import { HOSTILE_PROCESS, hostileReport } from './hostile-fixture.js';

test('escapeHtml: the five characters that can open markup or end an attribute', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
});

test('logText: control characters and bidi overrides become visible escapes before HTML escaping', () => {
  assert.equal(logText('a\x1b[31mb\u202ec<'), 'a\\x1b[31mb\\u202ec&lt;');
  assert.equal(logText('line\u2028two'), 'line\\u2028two');
});

test('jsonForScript: no log text can end the block, and the data comes back unchanged', () => {
  const value = { line: '</script><script>alert(1)</script> <!-- & \u2028' };
  const json = jsonForScript(value);
  assert.doesNotMatch(json, /[<>&\u2028\u2029]/);
  assert.match(json, /\\u003c\/script\\u003e/);
  assert.deepEqual(JSON.parse(json), value);
});

test('the hostile sample: process names and log lines appear only as text', async () => {
  const report = await hostileReport();
  assert.equal(report.incidents.length, 1, 'the fixture has one death of the hostile process');
  const html = renderHtml(report, { lang: 'en', process: HOSTILE_PROCESS });
  // The only <script> is the inert JSON block, and it is closed once.
  assert.equal(html.match(/<script/gi)?.length, 1);
  assert.equal(html.match(/<\/script/gi)?.length, 1);
  assert.match(html, /<script type="application\/json" id="oomscope-report">/);
  // No element from a log: no <img>, <b>, comment, and no event-handler attribute in any tag.
  assert.doesNotMatch(html, /<img|<b>|<!--/i);
  assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i);
  assert.doesNotMatch(html, /\sstyle\s*=/i);
  // They are there, as text.
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  assert.match(html, /&lt;\/script&gt;&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  // The JSON block gives the report back.
  const block = /<script type="application\/json" id="oomscope-report">(.*?)<\/script>/s.exec(html);
  assert.ok(block);
  assert.deepEqual(JSON.parse(block[1]!), JSON.parse(JSON.stringify(report)));
});

test('the page allows its own stylesheet by its sha256 and nothing else', async () => {
  const report = await hostileReport();
  const html = renderHtml(report, { lang: 'en', process: HOSTILE_PROCESS });
  const style = /<style>(.*?)<\/style>/s.exec(html);
  assert.ok(style);
  assert.equal(html.match(/<style/g)?.length, 1);
  const hash = createHash('sha256').update(style[1]!, 'utf8').digest('base64');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(csp);
  assert.equal(csp[1], contentSecurityPolicy());
  assert.match(csp[1]!, new RegExp(`style-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
  assert.match(csp[1]!, /default-src 'none'/);
  assert.match(csp[1]!, /script-src 'none'/);
  assert.doesNotMatch(csp[1]!, /unsafe-inline/);
  // Nothing to fetch: no src= or href= other than in-page anchors.
  for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/g)) assert.match(m[1]!, /^#/);
});
