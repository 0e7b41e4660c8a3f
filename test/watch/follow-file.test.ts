// FileFollower against real files: appends, a file that appears later, rename-and-create, copytruncate, partial lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
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

test('waits for a file that does not exist yet, then reads it from its first line', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'kern.log');
  const { follower, lines } = follow(path);
  assert.equal(follower.poll(), 0);
  writeFileSync(path, 'a\nb\n');
  assert.equal(follower.poll(), 2);
  assert.deepEqual(lines, ['0:1:a', '0:2:b']);
});

test('a line is handed over only once it is complete', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'check.log');
  writeFileSync(path, 'first\nsec');
  const { follower, lines } = follow(path);
  follower.poll();
  assert.deepEqual(lines, ['0:1:first']);
  appendFileSync(path, 'ond\n');
  follower.poll();
  assert.deepEqual(lines, ['0:1:first', '0:2:second']);
});

test('rename and create: the rest of the old file is read, then the new file from its start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-follow-'));
  const path = join(dir, 'running.log');
  writeFileSync(path, 'one\n');
  const { follower, lines, notices } = follow(path);
  follower.poll();
  appendFileSync(path, 'two\n'); // written just before logrotate renames it
  renameSync(path, `${path}.1`);
  writeFileSync(path, 'three\n');
  follower.poll();
  assert.deepEqual(lines, ['0:1:one', '0:2:two', '1:1:three']);
  assert.deepEqual(notices, ['rotated']);
});

test('copytruncate: a file that shrank is read again from its start', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-follow-')), 'running.log');
  writeFileSync(path, 'old line one\nold line two\n');
  const { follower, lines, notices } = follow(path);
  follower.poll();
  truncateSync(path, 0);
  appendFileSync(path, 'new\n');
  follower.poll();
  assert.deepEqual(lines, ['0:1:old line one', '0:2:old line two', '1:1:new']);
  assert.deepEqual(notices, ['truncated']);
});
