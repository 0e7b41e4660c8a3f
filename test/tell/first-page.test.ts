// Issue 14, item 3: "a report on a 2-year-old busy server fits a terminal's first screen with the answer". The table
// of deaths shows the newest 12 and says how many older ones it leaves to --all; crash-loop lines show the newest 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';

// 15 cgroup kills of anqicms in `dmesg -T` lines (as wild/17's), in five bursts an hour apart: kills 3g+1..3g+3 at
// hh:00, hh:02, hh:04 of hour g = 0..4 on Fri 15 Mar 2024 (UTC). Each burst is 3 deaths within 10 minutes, a crash
// loop (3 deaths within 600 s), and bursts an hour apart are separate loops: 15 deaths, 5 loops.
function busyLog(dir: string): string {
  const lines: string[] = [];
  for (let g = 0; g < 5; g++) {
    for (let k = 0; k < 3; k++) {
      const n = 3 * g + k + 1;
      const at = `Fri Mar 15 0${g}:0${2 * k}:00 2024`;
      lines.push(`[${at}] Memory cgroup out of memory: Killed process ${1000 + n} (anqicms) total-vm:900000kB, anon-rss:${400000 + n}kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1000kB oom_score_adj:0`);
    }
  }
  const path = join(dir, 'kern.log');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const tableRows = (text: string): number[] => [...text.matchAll(/^ {2}(\d+) +2024-03-15 /gm)].map((m) => Number(m[1]));
const loopLines = (text: string): string[] => text.split('\n').filter((line) => line.startsWith('Crash loop: '));

test('the table shows the newest 12 deaths and says how many older ones --all lists; crash loops the newest 3', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-first-page-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = await diagnose({ kernel: [busyLog(dir)], tz: 'UTC', lang: 'en' });
  assert.equal(report.incidents.length, 15);
  assert.equal(report.summary.crashLoops.length, 5, 'the JSON keeps every loop');
  const text = renderText(report, { color: false, lang: 'en', process: 'anqicms' });
  assert.deepEqual(tableRows(text), [15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
  assert.match(text, /^ {2}… 3 older deaths not in this table \(--all lists every one\)$/m);
  // The newest three loops are the bursts of hours 4, 3 and 2.
  assert.deepEqual(loopLines(text), [
    'Crash loop: 3 deaths from 2024-03-15 04:00:00 +00:00 to 2024-03-15 04:04:00 +00:00.',
    'Crash loop: 3 deaths from 2024-03-15 03:00:00 +00:00 to 2024-03-15 03:04:00 +00:00.',
    'Crash loop: 3 deaths from 2024-03-15 02:00:00 +00:00 to 2024-03-15 02:04:00 +00:00.',
  ]);
  assert.match(text, /^… and 2 earlier crash loops \(--all lists each\)$/m);

  const oldest = renderText(report, { color: false, lang: 'en', process: 'anqicms', oldestFirst: true });
  assert.deepEqual(tableRows(oldest), [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], 'still the newest 12, read oldest first');
  const firstRow = oldest.search(/^ {2}4 +2024-03-15/m);
  assert.ok(firstRow > 0 && oldest.indexOf('3 older deaths') < firstRow, 'the note stands where the older rows would be');

  const all = renderText(report, { color: false, lang: 'en', process: 'anqicms', all: true });
  assert.equal(tableRows(all).length, 15);
  assert.equal(loopLines(all).length, 5);
  assert.doesNotMatch(all, /older deaths|earlier crash loops/);

  const md = renderMarkdown(report, { lang: 'en', process: 'anqicms' });
  assert.equal([...md.matchAll(/^\| (\d+) \| 2024-03-15 /gm)].length, 12);
  // Markdown escapes its punctuation (`\(`, `\-`) as every line of log-derived text there.
  assert.ok(md.split('\n').includes('… 3 older deaths not in this table \\(\\-\\-all lists every one\\)'));
  assert.equal(md.split('\n').filter((line) => line.startsWith('**Crash loop: ')).length, 3);
});

test('in Chinese the notes say the same', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-first-page-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const report = await diagnose({ kernel: [busyLog(dir)], tz: 'UTC', lang: 'zh-CN' });
  const text = renderText(report, { color: false, lang: 'zh-CN', process: 'anqicms' });
  assert.match(text, /^ {2}……另有 3 次更早的退出未列入此表（加 --all 全部列出）$/m);
  assert.match(text, /^……另有 2 次更早的崩溃循环（加 --all 逐个列出）$/m);
});
