// Issue 14 item 1: in --lang zh-CN no sentence of oomscope's own is left in English. Every golden case (the join
// scenarios, the kernel fixtures, the shared corpus) is diagnosed in Chinese and told as text (with --explain's
// kill lines), Markdown and JSON; a run of two or more English words fails unless it is log text (it occurs in an
// evidence line), a name or path, a command in backticks, or words of the allow-list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, type Report } from '../../src/index.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';
import { formatDuration } from '../../src/i18n/units.js';
import { goldenCases } from '../support/golden-cases.js';
import { fixture } from '../support/paths.js';

/** Words a Chinese operator reads as names or terms of the trade, not as untranslated text. */
const ALLOWED = new Set([
  'oom', 'killer', 'cgroup', 'memcg', 'gomemlimit', 'pid', 'uid', 'sigkill', 'go', 'panic', 'swap', 'goroutine', 'systemd', 'journal',
  'journald', 'mysql', 'kill', 'fatal', 'error', 'runtime', 'sysrq', 'numa', 'cpuset', 'oomscope', 'anqicms', 'mib', 'gib', 'kib',
  'rss', 'anon', 'file', 'shmem', 'dmesg', 'kmsg', 'syslog', 'guardian', 'json', 'grep', 'nohup', 'core', 'dump', 'oom_reaper',
]);

/** What the kernel prints, named as it prints it (explain's field names), and a shell command quoted in a sentence. */
const KERNEL_TEXT = ['total pagecache pages', 'Killed process', 'Free swap', 'Total swap', 'invoked oom', 'echo f'];

/** Log-derived text of a report: evidence lines, paths, names; an English run found inside one of these is quoted, not ours. */
function logText(report: Report): string[] {
  const out: string[] = [];
  for (const e of [...report.incidents.flatMap((i) => i.evidence), ...report.oomKills.flatMap((k) => k.evidence), ...report.oomEvents.flatMap((e) => e.evidence)]) {
    out.push(e.text, e.path);
  }
  for (const s of report.sources) out.push(s.path);
  for (const k of report.oomKills) out.push(k.name ?? '', k.memcg ?? '', k.kernelVersion ?? '', ...(k.topConsumers ?? []).map((c) => c.name));
  for (const i of report.incidents) out.push(i.crashSite ?? '', i.faultSite ?? '');
  return out.filter((s) => s !== '');
}

/** Runs of 2+ plain English words (not allowed, not log text) in `text`. */
function englishRuns(text: string, quoted: string[]): string[] {
  const found: string[] = [];
  for (const rawLine of text.split('\n')) {
    // Commands in backticks and quoted log messages are code or log text.
    const line = rawLine.replace(/`[^`]*`/g, ' ').replace(/“[^”]*”|"[^"]*"/g, ' ').replace(/\\(.)/g, '$1');
    for (const m of line.matchAll(/[A-Za-z][A-Za-z'’]*(?: [A-Za-z][A-Za-z'’]*)+/g)) {
      const words = m[0].split(' ');
      const plain = words.filter((w) => !ALLOWED.has(w.toLowerCase()) && !/^[A-Z0-9_]{2,}$/.test(w));
      if (plain.length < 2) continue;
      if (quoted.some((q) => q.includes(m[0])) || KERNEL_TEXT.includes(m[0])) continue;
      // Part of a path, a flag or a code (`anqicms.service`, `--boot-time`, `kernel-oom`): not a sentence.
      const before = line[m.index - 1] ?? ' ';
      const after = line[m.index + m[0].length] ?? ' ';
      if (/[-_./=]/.test(before) || /[-_./=]/.test(after)) continue;
      found.push(m[0]);
    }
  }
  return found;
}

/** Chinese punctuation slips in our own lines: a space after 。, or a half-width colon or comma after a Chinese character. */
function punctuationSlips(text: string, quoted: string[]): string[] {
  const heads = quoted.filter((q) => q.length >= 8).map((q) => q.slice(0, 20));
  return text.split('\n')
    .filter((line) => !heads.some((h) => line.includes(h)))
    .filter((line) => /。 \S|[\u4e00-\u9fff][:,] /.test(line));
}

interface Said {
  name: string;
  runs: string[];
}

async function saidInChinese(name: string, options: Parameters<typeof diagnose>[0]): Promise<Said> {
  const report = await diagnose({ ...options, lang: 'zh-CN' });
  const quoted = logText(report);
  const text = renderText(report, { color: false, lang: 'zh-CN', process: 'anqicms', processNamed: false, explain: true });
  const markdown = renderMarkdown(report, { lang: 'zh-CN', process: 'anqicms', processNamed: false });
  const json = [
    ...report.warnings.map((w) => w.message),
    ...report.incidents.flatMap((i) => [i.reason, i.missingInput ?? '', ...i.advice.map((a) => a.text)]),
  ].join('\n');
  const runs = [...englishRuns(text, quoted), ...englishRuns(markdown, quoted), ...englishRuns(json, quoted)];
  return { name, runs: [...runs, ...punctuationSlips(`${text}\n${json}`, quoted)] };
}

test('every golden case told in zh-CN (text, Markdown, JSON warnings, reasons, advice) has no run of English words of our own, nor a space after 。', async () => {
  const failures: string[] = [];
  const cases = goldenCases();
  assert.ok(cases.length >= 40, `only ${cases.length} golden cases`);
  for (const c of cases) {
    const { name, runs } = await saidInChinese(c.name, c.options);
    if (runs.length > 0) failures.push(`${name}: ${[...new Set(runs)].slice(0, 6).join(' | ')}`);
  }
  assert.deepEqual(failures, []);
});

test('the detector finds English: the same cases told in English fail it', async () => {
  // Hand-picked: the kernel-oom scenario's English report says "killed by the kernel OOM killer" and "Inputs read".
  const dir = fixture('test', 'join', 'fixtures', 'kernel-oom');
  const report = await diagnose({ check: [`${dir}/check.log`], app: [`${dir}/running.log`], kernel: [`${dir}/kern.log`], tz: 'Asia/Shanghai', lang: 'en' });
  const runs = englishRuns(renderText(report, { color: false, lang: 'en', process: 'anqicms' }), logText(report));
  assert.ok(runs.some((r) => r.includes('Inputs read')), runs.join(' | '));
  assert.deepEqual(englishRuns('机器有 4.0 GiB 内存，没有交换空间。', []), []);
  assert.deepEqual(englishRuns('no such file（请检查路径）', []), ['no such file']);
  assert.deepEqual(englishRuns('请运行 `journalctl -k -b -1` 查看', []), []);
  assert.deepEqual(punctuationSlips('杀掉最高者。 anqicms：约 10 页', []), ['杀掉最高者。 anqicms：约 10 页']);
  assert.deepEqual(punctuationSlips('杀掉最高者。anqicms：约 10 页', []), []);
});

test('durations read as Chinese writes them, and stay as they were in English', () => {
  // 7 min 45 s = 465 s; 1 h 5 min = 3900 s; 27 s; 2 min exactly.
  assert.equal(formatDuration(465, 'zh-CN'), '7分45秒');
  assert.equal(formatDuration(465, 'en'), '7m 45s');
  assert.equal(formatDuration(3900, 'zh-CN'), '1小时5分');
  assert.equal(formatDuration(3900, 'en'), '1h 5m');
  assert.equal(formatDuration(27, 'zh-CN'), '27秒');
  assert.equal(formatDuration(27, 'en'), '27 s');
  assert.equal(formatDuration(120, 'zh-CN'), '2分钟');
  assert.equal(formatDuration(23.94, 'zh-CN'), '23.9秒');
});
