// Issue 14, item 3: the page a person needs first. Text and Markdown put the table of every death first, the newest
// first (--oldest-first reverses), fold a run of alike deaths or kills into one entry (count, first and last time,
// the range of each figure; --all lists each), and tell each kill once (a death points at it). The JSON is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';
import { displayWidth, numberList } from '../../src/tell/digest.js';
import { corpusFile, fixture, NO_SYSTEM_LOGS, projectRoot } from '../support/paths.js';

// wild/17 is `dmesg -T | grep "Memory cgroup out"`: five memcg kills of python3 (uid 1025), one a line, 4 to 8:
//   :4 Wed Sep 22 18:33:42 2021  pid 26901  total-vm 48387708 kB  anon-rss 47049328 kB (44.9 GiB)  file-rss 0 kB
//   :5 Sat Sep 25 23:48:08 2021  pid 5925   total-vm 46499008 kB  anon-rss 44982540 kB (42.9 GiB)  file-rss 39716 kB
//   :6 Sun Sep 26 08:47:33 2021  pid 17645  total-vm 54812236 kB  anon-rss 53387872 kB (50.9 GiB)  file-rss 15468 kB
//   :7 Mon Sep 27 00:14:53 2021  pid 12906  total-vm 46982208 kB  anon-rss 45306688 kB (43.2 GiB)  file-rss 40328 kB
//   :8 Tue Sep 28 00:06:01 2021  pid 32316  total-vm 54573572 kB  anon-rss 52936380 kB (50.5 GiB)  file-rss 38936 kB
// Followed as --process python3, each kill is a death (cgroup-oom), none seen back.
const WILD_17 = fixture('test', 'diagnose', 'fixtures', 'wild', '17-dmesg-T-grep-memcg-killed.log');
const TIMES = ['2021-09-22 18:33:42', '2021-09-25 23:48:08', '2021-09-26 08:47:33', '2021-09-27 00:14:53', '2021-09-28 00:06:01'];
const PIDS = [26901, 5925, 17645, 12906, 32316];

async function python3(lang: 'en' | 'zh-CN' = 'en') {
  return diagnose({ kernel: [WILD_17], process: 'python3', tz: 'UTC', lang });
}

const count = (text: string, part: string): number => text.split(part).length - 1;
/** The numbers of the `Death N:` headings, in the order printed. */
const deathHeadings = (text: string): number[] => [...text.matchAll(/^Death (\d+):/gm)].map((m) => Number(m[1]));

test('the table lists every death, the newest first; --oldest-first reverses it', async () => {
  const report = await python3();
  const rows = (text: string): string[] => text.split('\n').filter((line) => /^ {2}\d+ +20\d\d-/.test(line));
  const newest = rows(renderText(report, { color: false, lang: 'en', process: 'python3' }));
  assert.equal(newest.length, 5, 'one row per death');
  TIMES.forEach((time, i) => {
    const row = newest[4 - i]!;
    assert.match(row, new RegExp(`^ {2}${i + 1} +${time} \\+00:00 ±1 s +killed at its cgroup memory limit +confirmed +not seen back$`));
  });
  const oldest = rows(renderText(report, { color: false, lang: 'en', process: 'python3', oldestFirst: true }));
  assert.deepEqual(oldest, [...newest].reverse());
  const md = renderMarkdown(report, { lang: 'en', process: 'python3' });
  const mdRows = md.split('\n').filter((line) => /^\| \d+ \| 20/.test(line));
  assert.deepEqual(mdRows.map((line) => line.split(' | ')[1]), [...TIMES].reverse().map((time) => `${time} +00:00 ±1 s`));
  assert.ok(md.indexOf('| # | Died | Verdict | Confidence | Down |') < md.indexOf('## Deaths 1–5'), 'the table comes before the details');
});

test('with --all each death is its own entry, the newest first, and --oldest-first reverses them', async () => {
  const report = await python3();
  assert.deepEqual(deathHeadings(renderText(report, { color: false, lang: 'en', process: 'python3', all: true })), [5, 4, 3, 2, 1]);
  assert.deepEqual(deathHeadings(renderText(report, { color: false, lang: 'en', process: 'python3', all: true, oldestFirst: true })), [1, 2, 3, 4, 5]);
  const md = renderMarkdown(report, { lang: 'en', process: 'python3', all: true });
  assert.deepEqual([...md.matchAll(/^## Death (\d+):/gm)].map((m) => Number(m[1])), [5, 4, 3, 2, 1]);
});

test('five alike deaths and kills fold into one entry each: count, first and last time, the range of each figure', async () => {
  const text = renderText(await python3(), { color: false, lang: 'en', process: 'python3' });
  assert.deepEqual(deathHeadings(text), [], 'no death on its own');
  assert.match(text, /^Deaths 1–5: killed at its cgroup memory limit ×5 \(confirmed\)$/m);
  const span = `between ${TIMES[0]} \\+00:00 and ${TIMES[4]} \\+00:00`;
  assert.match(text, new RegExp(`^ {2}Died +5 times, ${span}$`, 'm'));
  assert.match(text, /^ {2}OOM kill +kills 1–5 below$/m);
  // The newest (line 8, pid 32316) speaks for the run; the pids are the first two and the last.
  assert.match(text, /^ {2}Why +The kernel OOM killer killed python3 \(pid 32316\)/m);
  assert.match(text, /^ {2}PIDs +26901, 5925, … 32316$/m);
  assert.match(text, new RegExp(`^ {2}Kills 1–5: python3 ×5 \\(uid 1025\\) +${span}$`, 'm'));
  // anon 42.9 GiB (:5) to 50.9 GiB (:6); file 0 KiB (:4) to 39.4 MiB (:7); virtual 44.3 GiB (:5) to 52.3 GiB (:6).
  assert.match(text, /^ {4}Held +anon 42\.9–50\.9 GiB · file 0 KiB–39\.4 MiB · shmem 0 KiB · virtual 44\.3–52\.3 GiB$/m);
  assert.match(text, /^ {4}Evidence +\S*17-dmesg-T-grep-memcg-killed\.log:4…8$/m);
  assert.equal(count(text, 'Kill 1:'), 0);

  const md = renderMarkdown(await python3(), { lang: 'en', process: 'python3' });
  assert.match(md, /^## Deaths 1–5: killed at its cgroup memory limit ×5 \(confirmed\)$/m);
  assert.match(md, new RegExp(`^\\| 1–5 \\| ${span} \\| 26901 … 32316 \\| python3 ×5 \\| memcg \\| 42\\.9–50\\.9 GiB \\| — \\|$`, 'm'));
});

test('--all lists each kill; each kill is told once, and its death points at it', async () => {
  const report = await python3();
  const text = renderText(report, { color: false, lang: 'en', process: 'python3', all: true });
  PIDS.forEach((pid, i) => {
    assert.equal(count(text, `Kill ${i + 1}: python3 (pid ${pid}, uid 1025)`), 1, `kill ${i + 1}`);
    // The kernel's line is quoted once, as the death's evidence; the kill lists its line number.
    assert.equal(count(text, `Killed process ${pid} (python3)`), 1, `line ${i + 4}`);
  });
  // Line 4's anon-rss (47049328 kB = 44.9 GiB) is said once: in the kill's Held line, not again under the death.
  assert.equal(count(text, 'anon 44.9 GiB'), 1);
  const death1 = text.slice(text.indexOf('Death 1:'), text.indexOf('\n\n', text.indexOf('Death 1:')));
  assert.match(death1, /^ {2}OOM kill +kill 1 below$/m);
  assert.doesNotMatch(death1, /^ {2}Memory /m, 'the figures are the kill\'s, not repeated under the death');
  const md = renderMarkdown(report, { lang: 'en', process: 'python3', all: true });
  assert.equal(count(md, '- **OOM kill**: kill 1 below'), 1);
  assert.equal(md.split('\n').filter((line) => /^\| \d \| 2021-/.test(line) && line.includes('python3')).length, 5, 'five kill rows');
});

test('in Chinese the table is aligned by display width (a Chinese character takes two columns)', async () => {
  const text = renderText(await python3('zh-CN'), { color: false, lang: 'zh-CN', process: 'python3' });
  const lines = text.split('\n');
  const head = lines.find((line) => line.startsWith('  #  退出时间'));
  assert.ok(head, text);
  const column = (line: string, part: string): number => displayWidth(line.slice(0, line.indexOf(part)));
  const rows = lines.filter((line) => /^ {2}\d +2021-/.test(line));
  assert.equal(rows.length, 5);
  for (const row of rows) {
    assert.equal(column(row, '达到 cgroup 内存上限被杀'), column(head, '原因'));
    assert.equal(column(row, '已确认'), column(head, '可信度'));
    assert.equal(column(row, '未见恢复'), column(head, '停机'));
  }
  assert.match(text, /^第 1–5 次退出：达到 cgroup 内存上限被杀 ×5（已确认）$/m);
  assert.match(text, /^ {2}OOM 杀进程 +见下文第 1–5 次杀进程$/m);
});

// The corpus's RHEL 6 messages: mysqld killed first (line 14858), then php-fpm nineteen times (15816 … 32109), all
// for the whole machine; anon-rss 128600 kB (20726, 125.6 MiB) to 139876 kB (16266, 136.6 MiB).
test('a run ends where the name changes: mysqld alone, the php-fpm kills as one entry above it', async (t) => {
  const file = corpusFile(t, 'rhel6_2.6.32_var_log_messages_full.log');
  if (!file) return;
  const report = await diagnose({ kernel: [file], tz: 'UTC', year: 2024, lang: 'en' });
  const text = renderText(report, { color: false, lang: 'en', process: 'anqicms' });
  const run = text.indexOf('  Kills 2–20: php-fpm ×19 (uid 1002)');
  const mysqld = text.indexOf('  Kill 1: mysqld (pid 40738, uid 27)');
  assert.ok(run > 0 && mysqld > run, text);
  assert.match(text, /^ {4}PIDs +13929, 14278, … 14421$/m);
  assert.match(text, /^ {4}Held +anon 125\.6–136\.6 MiB /m);
  const others = text.split('\n').find((line) => line.startsWith('The OOM killer also killed other processes:'));
  assert.match(others ?? '', /: php-fpm ×19 \(between .+\), mysqld \(pid 40738, /);
  assert.equal(renderText(report, { color: false, lang: 'en', process: 'anqicms', all: true }).split('\n').filter((l) => /^ {2}Kill \d+: php-fpm/.test(l)).length, 19);
});

test('diagnose --oldest-first --all reach the text report; the JSON is the same with or without them', () => {
  const cli = join(projectRoot, '.build', 'src', 'cli.js');
  const run = (args: string[]): string => {
    const result = spawnSync(process.execPath, [cli, 'diagnose', '--kernel', WILD_17, '--process', 'python3', '--tz', 'UTC', '--lang', 'en', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...NO_SYSTEM_LOGS },
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };
  assert.deepEqual(deathHeadings(run(['--all', '--oldest-first'])), [1, 2, 3, 4, 5]);
  assert.deepEqual(deathHeadings(run(['--all'])), [5, 4, 3, 2, 1]);
  assert.match(run([]), /^Deaths 1–5:/m);
  const json = run(['--format', 'json']);
  assert.equal(run(['--format', 'json', '--all', '--oldest-first']).replace(/"generator": "[^"]*"/, ''), json.replace(/"generator": "[^"]*"/, ''));
  assert.equal(JSON.parse(json).oomKills.length, 5);
});

test('kill numbers are said as ranges, and a long list is cut to its first three ranges and the last', () => {
  assert.equal(numberList([3]), '3');
  assert.equal(numberList([3, 4, 5, 6, 7, 8, 9, 10]), '3–10');
  assert.equal(numberList([5, 1, 2, 3]), '1–3, 5');
  assert.equal(numberList([1, 3, 5, 7, 9, 11]), '1, 3, 5, 7, 9, 11');
  assert.equal(numberList([1, 3, 5, 7, 9, 11, 13, 14]), '1, 3, 5, … 13–14');
  assert.equal(numberList([2, 4], '、'), '2、4');
});
