// FileFollower and copytruncate when the writer is quicker than the poll: the truncated file is already as long as
// (or longer than) what was read of it, so its size alone does not show the truncation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileFollower } from '../../src/watch/follow-file.js';

function follow(path: string) {
  const lines: string[] = [];
  const notices: string[] = [];
  const follower = new FileFollower(path, {
    line: (bytes, lineNo, generation) => lines.push(`${generation}:${lineNo}:${bytes.toString('utf8')}`),
    notice: (code) => notices.push(code),
  });
  return { follower, lines, notices };
}

test('copytruncate, then as many bytes written again before the next poll: the new lines are read from the start', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'check.log');
  writeFileSync(path, '20261126 18:37:35 anqicms PID check: 1\n');
  const { follower, lines, notices } = follow(path);
  follower.poll();
  truncateSync(path, 0);
  appendFileSync(path, '20261126 18:37:36 anqicms PID check: 0\n');
  follower.poll();
  assert.deepEqual(lines, ['0:1:20261126 18:37:35 anqicms PID check: 1', '1:1:20261126 18:37:36 anqicms PID check: 0']);
  assert.deepEqual(notices, ['truncated']);
});

test('copytruncate, then more bytes than before: nothing is skipped', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'running.log');
  writeFileSync(path, 'old\n');
  const { follower, lines, notices } = follow(path);
  follower.poll();
  truncateSync(path, 0);
  appendFileSync(path, 'new one\nnew two\n');
  follower.poll();
  assert.deepEqual(lines, ['0:1:old', '1:1:new one', '1:2:new two']);
  assert.deepEqual(notices, ['truncated']);
});

test('plain appends are not taken for a truncation (also after a partial line)', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'kern.log');
  writeFileSync(path, 'a'.repeat(100) + '\nhalf');
  const { follower, lines, notices } = follow(path);
  follower.poll();
  appendFileSync(path, ' done\n');
  follower.poll();
  follower.poll();
  appendFileSync(path, 'b\n');
  follower.poll();
  assert.deepEqual(lines, [`0:1:${'a'.repeat(100)}`, '0:2:half done', '0:3:b']);
  assert.deepEqual(notices, []);
});

test('resumed at a cursor (after the catch-up read), then copytruncate and as many bytes again: still noticed', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'check.log');
  writeFileSync(path, '20261126 18:37:35 anqicms PID check: 1\n'); // 39 bytes, read by the catch-up, not the follower
  const { follower, lines, notices } = follow(path);
  const info = statSync(path);
  follower.resumeAt({ dev: info.dev, ino: info.ino, offset: 39, lineNo: 1 });
  follower.poll();
  truncateSync(path, 0);
  appendFileSync(path, '20261126 18:37:36 anqicms PID check: 0\n');
  follower.poll();
  assert.deepEqual(lines, ['1:1:20261126 18:37:36 anqicms PID check: 0']);
  assert.deepEqual(notices, ['truncated']);
});
