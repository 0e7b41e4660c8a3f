// `oomscope relay` in-process: what it answers to posts that are not Alertmanager's, and that log text in labels
// cannot format a chat message or mention anybody.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from '../../src/tell/reporters/relay.js';
import { startWebhookReceiver } from '../support/watch-processes.js';

test('relay: 405 for GET, 400 for non-JSON and non-Alertmanager JSON, 200 and one WeCom message per alert, log text escaped', async (t) => {
  const robot = await startWebhookReceiver();
  t.after(() => robot.close());
  const lines: string[] = [];
  const relay = await startRelay({ listen: { host: '127.0.0.1', port: 0 }, urls: [`http://127.0.0.1:${robot.port}/cgi-bin/webhook/send?key=k`], template: 'wecom', lang: 'en', log: (l) => lines.push(l), env: {} });
  t.after(() => relay.close());
  const url = `http://127.0.0.1:${relay.address().port}/`;
  assert.equal((await fetch(url)).status, 405);
  assert.equal((await fetch(url, { method: 'POST', body: 'nope' })).status, 400);
  assert.equal((await fetch(url, { method: 'POST', body: '{"hello":1}' })).status, 400);
  const body = {
    version: '4',
    status: 'firing',
    alerts: [
      { status: 'firing', labels: { alertname: 'OomscopeOomKill', instance: 'web01', victim: '**evil** <@all>', constraint: 'global' }, annotations: {}, startsAt: '2024-07-23T02:03:37.123Z', endsAt: '0001-01-01T00:00:00Z' },
      { status: 'resolved', labels: { alertname: 'OomscopeProcessDied', instance: 'web02', process: 'anqicms', verdict: 'go-panic' }, annotations: {}, startsAt: '2024-07-23T02:00:00Z', endsAt: '2024-07-23T02:10:00Z' },
      { status: 'weird', labels: {} },
    ],
  };
  assert.equal((await fetch(url, { method: 'POST', body: JSON.stringify(body) })).status, 200);
  await relay.idle();
  const contents = robot.posts.map((p) => (p.json as { markdown: { content: string } }).markdown.content);
  assert.equal(contents.length, 2, 'the alert of unknown status is left out');
  // escapeMarkdown: `*`, `<` and `>` of the victim's name cannot make bold text or a mention.
  assert.match(contents[0]!, /^### \[oomscope\] web01: the kernel OOM killer killed \\\*\\\*evil\\\*\\\* &lt;@all&gt; \(global\)$/m);
  assert.match(contents[0]!, /^- \*\*Since\*\*: 2024-07-23 02:03:37 UTC$/m);
  assert.match(contents[1]!, /^### \[oomscope\] resolved: web02: anqicms died: Go panic$/m);
  assert.match(contents[1]!, /^- \*\*Resolved at\*\*: 2024-07-23 02:10:00 UTC$/m);
  assert.deepEqual(relay.stats(), { received: 2, delivered: 2, failed: 0, dropped: 0 });
  assert.deepEqual(lines, []);
});
