// watch's stderr lines from the catalogue: the English ones are the sentences src/watch prints today (copied from
// follow-file.ts:73/77, live-inputs.ts:205/213/218, watch-state.ts:36/53), so switching the call sites changes nothing
// in English; the Chinese ones use full-width punctuation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchMessage } from '../../src/i18n/watch-messages.js';

test('watch lines: English as printed today, Chinese with full-width punctuation', () => {
  assert.equal(watchMessage('en', 'watch.rotated', { path: '/www/check.log' }), '/www/check.log was rotated; following the new file');
  assert.equal(watchMessage('en', 'watch.truncated', { path: 'x.log' }), 'x.log was truncated (copytruncate); reading it again from the start');
  assert.equal(watchMessage('en', 'watch.kmsg-open-failed', { error: 'EPERM' }), 'cannot open /dev/kmsg: EPERM (run as root, or with CAP_SYSLOG)');
  assert.equal(watchMessage('en', 'watch.kmsg-lost-count', { count: 3 }), '3 kernel records were overwritten before they were read');
  assert.equal(watchMessage('en', 'watch.state-damaged', { path: 's.json', error: 'bad JSON' }), 'the state file s.json is damaged (bad JSON); starting afresh');
  assert.equal(watchMessage('zh-CN', 'watch.kmsg-open-failed', { error: 'EPERM' }), '无法打开 /dev/kmsg：EPERM（请以 root 或带 CAP_SYSLOG 权限运行）');
  assert.equal(watchMessage('zh-CN', 'watch.rotated', { path: '/www/check.log' }), '/www/check.log 已轮转；改为跟踪新文件');
});
