// The frame that faulted (a library's) is shown beside the app's crash site in every human format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';
import { renderHtml } from '../../src/tell/html/render-html.js';
import { fixture } from '../support/paths.js';

test('faultSite beside crashSite in text, Markdown and HTML, in both languages', async () => {
  const dir = (log: string): string => fixture('test', 'join', 'fixtures', 'go-panic', log);
  const report = await diagnose({ check: [dir('check.log')], app: [dir('running.log')], tz: 'Asia/Shanghai', lang: 'en' });
  const incident = report.incidents.find((i) => i.verdict === 'go-panic');
  assert.ok(incident?.crashSite, 'the go-panic scenario has a crash site');
  incident.faultSite = 'github.com/golang/freetype/truetype.(*Font).Bounds at github.com/golang/freetype@v0.0.0-20170609003504-e2365dfdc4a0/truetype/truetype.go:277';
  const en = renderText(report, { color: false, lang: 'en', process: 'anqicms' });
  assert.match(en, /Faulted in +github\.com\/golang\/freetype\/truetype/);
  assert.match(renderText(report, { color: false, lang: 'zh-CN', process: 'anqicms' }), /故障位置 +github\.com/);
  assert.match(renderMarkdown(report, { lang: 'en', process: 'anqicms' }), /\*\*Faulted in\*\*: github\\\.com/);
  assert.match(renderHtml(report, { lang: 'zh-CN', process: 'anqicms' }), /故障位置（库或运行时代码）<\/dt><dd><code>github\.com\/golang\/freetype/);
});
