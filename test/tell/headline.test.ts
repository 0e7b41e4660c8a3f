// Issue 14 item 2: the headline is the truth of the body. Expected lines are worked out by hand from the fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';
import { fixture } from '../support/paths.js';

const firstLine = (text: string): string => text.split('\n')[0]!;

// anqicms-kill-5.15.wrapped-dmesg.log is `dmesg` output: every line is `[uptime] …` with no wall clock, and line 92
// `[273053.002179] Out of memory: Killed process 21880 (anqicms)` is its one kill. Without --boot-time the kill has
// no time, so it joins no death: the headline counts the kill and says its time is unknown, instead of "between ? and ?".
test('dmesg only: one OOM kill of anqicms without a wall time is the headline, with how to learn the time', async () => {
  const kernel = [fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.wrapped-dmesg.log')];
  const en = await diagnose({ kernel, tz: 'Asia/Shanghai', lang: 'en' });
  assert.equal(en.incidents.length, 0);
  const text = renderText(en, { color: false, lang: 'en', process: 'anqicms', processNamed: false });
  assert.equal(firstLine(text), 'oomscope: 1 OOM kill of anqicms; its time is unknown (pass --boot-time)');
  assert.doesNotMatch(text, /\?/, 'no `?` stands for something unknown');
  assert.match(text, /Kill 1: anqicms \(pid 21880, uid 0\) {2}time unknown, uptime 273053\.002 s/);
  assert.match(text, /kernel +\S+wrapped-dmesg\.log {2}dmesg, 96 lines, no wall-clock times/);
  const md = renderMarkdown(en, { lang: 'en', process: 'anqicms', processNamed: false });
  // Markdown's punctuation is backslash-escaped (escapeMarkdown): `(`, `)` and `-`.
  assert.equal(firstLine(md), '# oomscope: 1 OOM kill of anqicms; its time is unknown \\(pass \\-\\-boot\\-time\\)');
  assert.match(md, /\| time unknown \| 21880 \| anqicms \| global \|/);
  const zh = await diagnose({ kernel, tz: 'Asia/Shanghai', lang: 'zh-CN' });
  const zhText = renderText(zh, { color: false, lang: 'zh-CN', process: 'anqicms', processNamed: false });
  assert.equal(firstLine(zhText), 'oomscope：内核日志中有 1 次 OOM 杀进程（anqicms）；时间未知（请传入 --boot-time）');
  assert.match(zhText, /第 1 次杀进程：anqicms（pid 21880，uid 0） {2}时间未知，开机后 273053\.002 秒/);
  // Its Mem-Info says `Total swap = 0kB`: said in words.
  assert.match(zhText, /机器 {6}内存 2\.0 GiB · 没有交换空间/);
});

// wild/08 is a mail-quoted 2.6.35 log: line 75 kills console-kit-dae (pid 1727), line 155 bash (pid 1810); no line names
// anqicms. Without --process the headline says the default process is in no input and names whom the OOM killer killed.
test('the default process in no input: the headline says so and names the killed processes', async () => {
  const kernel = [fixture('test', 'diagnose', 'fixtures', 'wild', '08-linux-mm-quoted-2.6.35-sacrifice-child.log')];
  const en = await diagnose({ kernel, tz: 'Asia/Shanghai', year: 2024, lang: 'en' });
  assert.equal(
    firstLine(renderText(en, { color: false, lang: 'en', process: 'anqicms', processNamed: false })),
    'oomscope: anqicms (the default of --process) appears in no input; the OOM killer killed console-kit-dae, bash: pass --process NAME to follow one of them',
  );
  // Named on purpose, the process is not said to be missing: the kills are the news.
  assert.doesNotMatch(firstLine(renderText(en, { color: false, lang: 'en', process: 'anqicms', processNamed: true })), /appears in no input/);
  const zh = await diagnose({ kernel, tz: 'Asia/Shanghai', year: 2024, lang: 'zh-CN' });
  assert.equal(
    firstLine(renderText(zh, { color: false, lang: 'zh-CN', process: 'anqicms', processNamed: false })),
    'oomscope：所有输入中都没有出现 anqicms（--process 的默认值）；OOM killer 杀死了 console-kit-dae、bash：要跟踪其中某个进程，请用 --process 进程名 指定',
  );
});

// mysqld-killed: check.log covers 09:58:01–10:09:01 and shows anqicms alive throughout; kern.log:40 kills mysqld
// (pid 1771) at 10:03:37. No death of anqicms, one kill of another process: the headline says both.
test('no death of the watched process but a kill of another: the headline names it', async () => {
  const dir = fixture('test', 'join', 'fixtures', 'mysqld-killed');
  const report = await diagnose({ check: [`${dir}/check.log`], kernel: [`${dir}/kern.log`], tz: 'Asia/Shanghai', year: 2024, lang: 'en' });
  assert.equal(
    firstLine(renderText(report, { color: false, lang: 'en', process: 'anqicms', processNamed: false })),
    'oomscope: no death of anqicms found between 2024-07-23 09:58:01 +08:00 and 2024-07-23 10:09:01 +08:00; the OOM killer killed another process: mysqld',
  );
});
