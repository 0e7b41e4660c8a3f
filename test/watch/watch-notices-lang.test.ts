// watch's own stderr notices (a damaged state file, a followed file rotated, one truncated) in the user's --lang:
// the CLI as a child process through a real rename-and-create and a real copytruncate.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../support/real-kernel-proc.js';
import { checkLine, kernelNoise, killAllChildren, startWatcher } from '../support/watch-processes.js';

const dirs: string[] = [];
after(() => {
  killAllChildren();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The state file is written at the end of the watcher's first pass: then the files are open and followed. */
function stateWritten(path: string): boolean {
  try {
    JSON.parse(readFileSync(path, 'utf8'));
    return true;
  } catch {
    return false;
  }
}

async function rotateAndTruncate(lang: 'en' | 'zh-CN'): Promise<{ stderr: string; check: string; kern: string; state: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-watch-lang-'));
  dirs.push(dir);
  const now = Date.now();
  const bootMs = now - 86_400_000;
  const check = join(dir, 'check.log');
  const kern = join(dir, 'kern.log');
  const state = join(dir, 'state.json');
  writeFileSync(check, checkLine(now - 30_000, 1));
  writeFileSync(kern, kernelNoise({ bootMs, atMs: now - 20_000 }) + kernelNoise({ bootMs, atMs: now - 10_000 }));
  writeFileSync(state, '{"version": 1,'); // cut short: damaged
  const w = startWatcher(['--check', check, '--kernel', kern, '--no-app', '--state', state, '--tz', 'UTC', '--poll', '100', '--format', 'ndjson', '--lang', lang]);
  await waitFor('the first pass (the state file written)', 15_000, () => stateWritten(state) || undefined, 50);
  // logrotate's default on check.log: rename, create, go on writing in the new file.
  renameSync(check, `${check}.1`);
  writeFileSync(check, checkLine(Date.now(), 1));
  await waitFor('the rotation noticed', 10_000, () => w.stderr().includes(check + (lang === 'en' ? ' was rotated' : ' 已轮转')) || undefined, 50);
  // copytruncate on kern.log: emptied in place, then one new line (shorter than the two before).
  truncateSync(kern, 0);
  appendFileSync(kern, kernelNoise({ bootMs, atMs: Date.now() }));
  await waitFor('the truncation noticed', 10_000, () => w.stderr().includes(kern + (lang === 'en' ? ' was truncated' : ' 被清空')) || undefined, 50);
  assert.equal((await w.stop()).code, 0, w.stderr());
  return { stderr: w.stderr(), check, kern, state };
}

test('--lang zh-CN: the damaged state file, the rotation and the truncation are said in Chinese', { timeout: 60_000 }, async () => {
  const { stderr, check, kern, state } = await rotateAndTruncate('zh-CN');
  const lines = stderr.trimEnd().split('\n');
  // watch-messages.ts: 'watch.state-damaged', 'watch.rotated', 'watch.truncated' (zh), each after `oomscope: `.
  assert.match(lines.find((l) => l.includes(state)) ?? '', new RegExp(`^oomscope: 状态文件 ${escape(state)} 已损坏（.+）；将从头开始$`), stderr);
  assert.ok(lines.includes(`oomscope: ${check} 已轮转；改为跟踪新文件`), stderr);
  assert.ok(lines.includes(`oomscope: ${kern} 被清空（copytruncate）；从头重新读取`), stderr);
  assert.doesNotMatch(stderr, /was rotated|was truncated|is damaged|starting afresh/, stderr);
});

test('--lang en: the same notices in English', { timeout: 60_000 }, async () => {
  const { stderr, check, kern, state } = await rotateAndTruncate('en');
  const lines = stderr.trimEnd().split('\n');
  assert.match(lines.find((l) => l.includes(state)) ?? '', new RegExp(`^oomscope: the state file ${escape(state)} is damaged \\(.+\\); starting afresh$`), stderr);
  assert.ok(lines.includes(`oomscope: ${check} was rotated; following the new file`), stderr);
  assert.ok(lines.includes(`oomscope: ${kern} was truncated (copytruncate); reading it again from the start`), stderr);
  assert.doesNotMatch(stderr, /已轮转|被清空|已损坏/, stderr);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
