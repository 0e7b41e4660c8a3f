// The supervisor's unit gives it V8 heap flags through NODE_OPTIONS (contrib/oomscope-supervise.service): they are
// its own, and the app it starts (perhaps a Node app) gets its environment without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutDaemonHeapFlags } from '../../src/supervise/life.js';
import { projectRoot } from '../support/paths.js';

test("the unit's heap and V8 thread-pool flags are taken out; the app's other options stay; an emptied NODE_OPTIONS goes", () => {
  assert.deepEqual(withoutDaemonHeapFlags({ NODE_OPTIONS: '--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1', PATH: '/bin' }), { PATH: '/bin' });
  assert.deepEqual(withoutDaemonHeapFlags({ NODE_OPTIONS: '--enable-source-maps  --max_old_space_size=128 --max-semi-space-size=1' }), { NODE_OPTIONS: '--enable-source-maps' });
  assert.deepEqual(withoutDaemonHeapFlags({ NODE_OPTIONS: '--v8_pool_size=1 --inspect' }), { NODE_OPTIONS: '--inspect' });
  assert.deepEqual(withoutDaemonHeapFlags({ NODE_OPTIONS: '--max-old-space-size-percentage=50' }), { NODE_OPTIONS: '--max-old-space-size-percentage=50' });
  assert.deepEqual(withoutDaemonHeapFlags({ HOME: '/root' }), { HOME: '/root' });
});

test('the flags taken out are the ones the supervise unit sets', () => {
  const unit = readFileSync(join(projectRoot, 'contrib', 'oomscope-supervise.service'), 'utf8');
  const value = /^Environment="NODE_OPTIONS=([^"]*)"$/m.exec(unit)?.[1];
  assert.equal(value, '--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1');
  assert.deepEqual(withoutDaemonHeapFlags({ NODE_OPTIONS: value }), {});
});
