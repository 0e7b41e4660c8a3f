// The HTML report treats log text as hostile: text never becomes markup, the embedded JSON cannot end its block,
// and the page's Content-Security-Policy allows its own stylesheet (by hash) and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { escapeForTerminal } from '../../src/tell/escape.js';
import { explainKill, explainLines } from '../../src/tell/explain.js';
import { renderText } from '../../src/tell/text.js';
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

test('control characters in any field (a NUL in the printed flags, ESC and bidi in names) never reach the page or --explain raw', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-html-'));
  const path = join(dir, 'kern.log');
  const name = 'evil\x1b[2J\u202e\x00x';
  writeFileSync(
    path,
    [
      `[ 1000.000110] ${name} invoked oom-killer: gfp_mask=0x1100cca(\0\0\0GFP_HIGHUSER_MOVABLE\x07), order=0, oom_score_adj=0`,
      `[ 1000.000111] Out of memory: Killed process 77 (${name}) total-vm:4123456kB, anon-rss:3987654kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:7920kB oom_score_adj:0`,
    ].join('\n') + '\n',
  );
  const report = await diagnose({ kernel: [path], check: [], app: [], dir: [], tz: 'UTC', bootTime: '2024-07-20T08:00:00Z', process: name });
  assert.equal(report.oomKills.length, 1);
  const unsafe = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  for (const lang of ['en', 'zh-CN'] as const) {
    const html = renderHtml(report, { lang, process: name });
    assert.ok(!unsafe.test(html), `raw control character in the page: ${JSON.stringify(html.match(unsafe))}`);
    const lines = explainLines(explainKill(report.oomKills[0]!, lang), '  ', escapeForTerminal).join('\n');
    assert.ok(!unsafe.test(lines), `raw control character in --explain: ${JSON.stringify(lines.match(unsafe))}`);
  }
  // (--process is the user's own word, not log text: the text report's title is not this test's concern.)
  const text = renderText(report, { color: false, lang: 'en', process: 'anqicms', explain: true });
  assert.ok(!unsafe.test(text.replace(/\n/g, '')), `raw control character in the text report: ${JSON.stringify(text.match(unsafe))}`);
});
