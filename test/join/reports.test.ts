// The CLI's text and Markdown reports over the join scenarios: every verdict named in English and in Chinese,
// incident headings in Markdown, and log text escaped there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { message } from '../../src/i18n/messages.js';
import type { Verdict } from '../../src/index.js';
import { fixture, NO_SYSTEM_LOGS, projectRoot } from '../support/paths.js';

const cli = join(projectRoot, '.build', 'src', 'cli.js');
type Log = 'check' | 'app' | 'kernel';
const FILES: Record<Log, string> = { check: 'check.log', app: 'running.log', kernel: 'kern.log' };

function diagnoseCli(scenario: string, logs: Log[], args: string[]): { code: number | null; stdout: string; stderr: string } {
  const inputs = logs.flatMap((log) => [`--${log}`, fixture('test', 'join', 'fixtures', scenario, FILES[log])]);
  const result = spawnSync(process.execPath, [cli, 'diagnose', ...inputs, '--tz', 'Asia/Shanghai', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...NO_SYSTEM_LOGS },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ALL: Log[] = ['check', 'app', 'kernel'];
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// One scenario per verdict (see verdicts.test.ts for what each one is).
const CASES: { verdict: Verdict; scenario: string; logs: Log[] }[] = [
  { verdict: 'kernel-oom', scenario: 'kernel-oom', logs: ALL },
  { verdict: 'cgroup-oom', scenario: 'cgroup-oom', logs: ['app', 'kernel'] },
  { verdict: 'userspace-oom', scenario: 'userspace-oom', logs: ALL },
  { verdict: 'go-runtime-oom', scenario: 'go-runtime-oom', logs: ['check', 'app'] },
  { verdict: 'go-panic', scenario: 'go-panic', logs: ['check', 'app'] },
  { verdict: 'go-fatal', scenario: 'go-fatal', logs: ['check', 'app'] },
  { verdict: 'startup-failure', scenario: 'startup-failure', logs: ALL },
  { verdict: 'stopped', scenario: 'stopped-goodbye', logs: ALL },
  { verdict: 'killed', scenario: 'killed', logs: ALL },
  { verdict: 'host-reboot', scenario: 'host-reboot', logs: ALL },
  { verdict: 'unknown', scenario: 'killed', logs: ['check', 'app'] },
];

for (const { verdict, scenario, logs } of CASES) {
  test(`text report names ${verdict} in English and in Chinese (${scenario})`, () => {
    const en = diagnoseCli(scenario, logs, ['--format', 'text', '--lang', 'en']);
    assert.equal(en.code, 0, en.stderr);
    const enLabel = message('en', `verdict.${verdict}`);
    // The incident's own heading: `Death 1: <verdict>`, or `Deaths 1–2: <verdict> ×2` where alike deaths fold into one.
    const heading = (lang: 'en' | 'zh-CN', label: string): RegExp =>
      lang === 'en' ? new RegExp(`^(Death 1|Deaths 1–\\d+): ${escapeRegExp(label)}`, 'm') : new RegExp(`^第 1(–\\d+)? 次退出：${escapeRegExp(label)}`, 'm');
    assert.match(en.stdout, heading('en', enLabel), `no "Death 1: ${enLabel}" in:\n${en.stdout}`);
    assert.doesNotMatch(en.stdout, /\x1b\[/, 'NO_COLOR output has colour codes');

    const zh = diagnoseCli(scenario, logs, ['--format', 'text', '--lang', 'zh-CN']);
    assert.equal(zh.code, 0, zh.stderr);
    const zhLabel = message('zh-CN', `verdict.${verdict}`);
    // A Chinese line takes the full-width colon.
    assert.match(zh.stdout, heading('zh-CN', zhLabel), `no "第 1 次退出：${zhLabel}" in:\n${zh.stdout}`);
    if (zhLabel !== enLabel) assert.ok(!zh.stdout.includes(enLabel), `the English label "${enLabel}" in the Chinese report`);
    assert.match(zh.stdout, /[\u4e00-\u9fff]/);
  });
}

test('the Chinese labels are Chinese (not the English fallback) for every verdict but go-panic', () => {
  for (const { verdict } of CASES) {
    const zh = message('zh-CN', `verdict.${verdict}`);
    if (verdict === 'go-panic') continue; // `Go panic` is what Chinese users call it too
    assert.match(zh, /[\u4e00-\u9fff]/, `verdict.${verdict} in zh-CN: ${zh}`);
  }
});

// killed/running.log:11 is the last words: `2024/07/23 10:03:30 评论内容: *bold* <script>alert(1)</script>`.
test('--format md has the incident headings and escapes log text', () => {
  const md = diagnoseCli('killed', ALL, ['--format', 'md', '--lang', 'en']);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^# /m);
  assert.ok(md.stdout.includes(`## ${message('en', 'ui.incident', { n: 1 })}: ${message('en', 'verdict.killed')}`), md.stdout);
  assert.match(md.stdout, /running\\?\.log:11 /, 'the last words (running.log:11) are cited');
  assert.ok(!md.stdout.includes('*bold* <script>'), 'log text reached Markdown unescaped');
  assert.ok(!md.stdout.includes('<script>'), 'an HTML tag from the log reached Markdown');
  assert.ok(md.stdout.includes('\\*bold\\* &lt;script&gt;'), `escaped text missing in:\n${md.stdout}`);

  const zh = diagnoseCli('killed', ALL, ['--format', 'md', '--lang', 'zh-CN']);
  assert.equal(zh.code, 0, zh.stderr);
  assert.ok(zh.stdout.includes(`## ${message('zh-CN', 'ui.incident', { n: 1 })}：${message('zh-CN', 'verdict.killed')}`), zh.stdout);
  assert.ok(!zh.stdout.includes('*bold* <script>'));
});
