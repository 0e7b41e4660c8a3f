// A sentence says what is unknown instead of printing `?` (issue 14, item 2): a cgroup kill whose log does not name
// the cgroup. wild/17 holds only the `Memory cgroup out of memory: Killed process …` lines (4 to 8), so no kill has a
// memcg; the newest, line 8, is pid 32316 (python3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import { fixture } from '../support/paths.js';

const WILD_17 = fixture('test', 'diagnose', 'fixtures', 'wild', '17-dmesg-T-grep-memcg-killed.log');

test('a cgroup kill with no cgroup name says the log does not name it, in both languages', async () => {
  const en = await diagnose({ kernel: [WILD_17], process: 'python3', tz: 'UTC', lang: 'en' });
  const newest = en.incidents.at(-1)!;
  assert.equal(newest.verdict, 'cgroup-oom');
  assert.equal(newest.reason, 'The kernel OOM killer killed python3 (pid 32316) when its cgroup (the log does not name it) hit its memory limit.');
  const zh = await diagnose({ kernel: [WILD_17], process: 'python3', tz: 'UTC', lang: 'zh-CN' });
  assert.equal(zh.incidents.at(-1)!.reason, '其所在的 cgroup（日志未写明是哪个）达到内存上限，内核 OOM killer 杀死了 python3（pid 32316）。');
  for (const incident of [...en.incidents, ...zh.incidents]) assert.doesNotMatch(incident.reason, /\?/);
});
