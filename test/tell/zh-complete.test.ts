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
import { englishRuns, punctuationSlips } from '../support/english-runs.js';

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
