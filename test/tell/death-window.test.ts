// Issue 12 item 10: a death known only as "after the last sign of life, before the next sign" in a window wider than
// a minute is said as "between A and B" in text, Markdown and HTML (the JSON keeps diedAt ± uncertainty). The text's
// Died field is the indented label `  Died` (its table of deaths has a Died column too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';
import { renderHtml } from '../../src/tell/html/render-html.js';
import { fixture } from '../support/paths.js';

const scenario = (name: string, file: string): string => fixture('test', 'join', 'fixtures', name, file);

// killed/check.log:6 `20240723 10:03:01 … 1`, :7 `10:04:01 … 0` and kern.log without running.log: the death lies
// after 10:03:01 and within the second of 10:04:01 — a 61 s window, edges said to the second: 10:03:01 to 10:04:02.
test('a guardian-only window wider than a minute reads "between A and B", in English and Chinese', async () => {
  const options = { check: [scenario('killed', 'check.log')], kernel: [scenario('killed', 'kern.log')], tz: 'Asia/Shanghai' };
  const en = await diagnose({ ...options, lang: 'en' });
  assert.equal(en.incidents.length, 1);
  assert.ok(en.incidents[0]!.diedAtUncertaintySeconds! > 30, `±${en.incidents[0]!.diedAtUncertaintySeconds}`);
  const between = 'between 2024-07-23 10:03:01 +08:00 and 2024-07-23 10:04:02 +08:00';
  assert.ok(renderText(en, { color: false, lang: 'en', process: 'anqicms' }).includes(between));
  assert.ok(renderMarkdown(en, { lang: 'en', process: 'anqicms' }).includes(between));
  assert.ok(renderHtml(en, { lang: 'en', process: 'anqicms' }).includes(between));
  const died = renderText(en, { color: false, lang: 'en', process: 'anqicms' }).split('\n').find((l) => l.startsWith('  Died '));
  assert.match(died ?? '', /Died +between 2024-07-23 10:03:01 \+08:00 and 2024-07-23 10:04:02 \+08:00 /);
  // The table of deaths above the details says the same window in its Died column (without running.log the verdict
  // is unknown, possible: the guardian saw it go down, nothing says how).
  const row = renderText(en, { color: false, lang: 'en', process: 'anqicms' }).split('\n').find((l) => /^ {2}1 /.test(l));
  assert.match(row ?? '', /^ {2}1 +between 2024-07-23 10:03:01 \+08:00 and 2024-07-23 10:04:02 \+08:00 +cause unknown +possible /);
  const zh = await diagnose({ ...options, lang: 'zh-CN' });
  assert.ok(renderText(zh, { color: false, lang: 'zh-CN', process: 'anqicms' }).includes('2024-07-23 10:03:01 +08:00 至 2024-07-23 10:04:02 +08:00 之间'));
});

// kernel-oom/kern.log:43 places the kill at 10:03:36.959 (test/join/verdicts.test.ts), ±1 s from whole-second
// receipt stamps: a moment, said as one.
test('a kill is a moment: its time is said with ± its precision', async () => {
  const report = await diagnose({ check: [scenario('kernel-oom', 'check.log')], kernel: [scenario('kernel-oom', 'kern.log')], tz: 'Asia/Shanghai', lang: 'en' });
  const died = renderText(report, { color: false, lang: 'en', process: 'anqicms' }).split('\n').find((l) => l.startsWith('  Died '));
  assert.match(died ?? '', /Died +2024-07-23 10:03:36 \+08:00 ±1 s /);
});
