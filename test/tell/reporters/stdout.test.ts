import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createStdoutReporter, renderNoticeLine } from '../../../src/tell/reporters/stdout.js';
import { fanOut, noticeJson, type Reporter } from '../../../src/tell/reporters/reporter.js';
import { notice, sampleIncident } from './helpers.js';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

test('text: one line per notice with time, host, process, verdict, pid, downtime and reason', async () => {
  const { out, text } = capture();
  const reporter = createStdoutReporter({ format: 'text', lang: 'en', out });
  await reporter.report(notice('incident'));
  await reporter.report(notice('update', { restartedAt: '2024-07-23T10:04:01.000+08:00', downtimeSeconds: 23.9 }));
  await reporter.close();
  const lines = text().split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[2], '');
  assert.equal(
    lines[0],
    '2024-07-23 10:03:37 +08:00 web01 anqicms died [kernel-oom, confirmed] PID 21877: The kernel OOM killer killed anqicms (pid 21877): the whole machine ran out of memory.',
  );
  assert.match(lines[1]!, /^2024-07-23 10:03:37 \+08:00 web01 anqicms update \[kernel-oom, confirmed\] PID 21877, back 2024-07-23 10:04:01 \+08:00, down 23\.9 s: /);
});

test('text: log-derived text cannot reach the terminal as control characters or break the line', () => {
  const hostile = notice('incident', { process: 'evil\u001b]0;x\u0007', reason: 'panic: \u001b[31mred\u001b[0m\nsecond line \u202eevil' }, 'h\u001bost');
  const line = renderNoticeLine(hostile, 'text', 'en');
  assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one line');
  assert.doesNotMatch(line, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  assert.match(line, /\\x1b\[31mred/);
  assert.match(line, /\\u202e/);
});

test('text: in Chinese, the own words follow --lang', () => {
  const line = renderNoticeLine(notice('incident', { reason: '内核 OOM killer 杀死了 anqicms。' }), 'text', 'zh-CN');
  // Chinese punctuation between oomscope's own words: the full-width comma inside the brackets, the colon before the
  // reason; the verdict in words (the catalogue's verdict.kernel-oom), not its code.
  assert.match(line, /anqicms 退出 \[被内核 OOM killer 杀死，已确认\] PID 21877：内核 OOM killer/);
});

test('ndjson: the incident with the diagnose keys, plus notice and host, one JSON object per line', async () => {
  const { out, text } = capture();
  const reporter = createStdoutReporter({ format: 'ndjson', out });
  const n = notice('update', { reason: 'bidi \u202e and \u2028 separators', restartedAt: '2024-07-23T10:04:01.000+08:00', downtimeSeconds: 23.9 });
  await reporter.report(n);
  await reporter.report(notice('incident'));
  await reporter.close();
  const raw = text();
  assert.doesNotMatch(raw, /[\u202e\u2028]/, 'bidi and line separators are written as \\u escapes');
  const lines = raw.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const first = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(first.notice, 'update');
  assert.equal(first.host, 'web01');
  assert.deepEqual(first, { ...noticeJson(n) });
  for (const key of Object.keys(sampleIncident())) assert.ok(key in first, `has ${key}`);
  assert.equal(first.reason, 'bidi \u202e and \u2028 separators');
});

test('a closed stdout pipe does not throw at the watcher', async () => {
  const out = new PassThrough();
  const reporter = createStdoutReporter({ format: 'text', out });
  out.destroy(new Error('EPIPE'));
  await new Promise((r) => setImmediate(r));
  await reporter.report(notice());
  await reporter.close();
});

test('fanOut: one failing reporter does not stop the others', async () => {
  const seen: string[] = [];
  const lines: string[] = [];
  const bad: Reporter = { name: 'bad', report: async () => { throw new Error('boom\nsecond'); }, close: async () => {} };
  const good: Reporter = { name: 'good', report: async (n) => void seen.push(n.incident.id), close: async () => {} };
  const all = fanOut([bad, good], (l) => lines.push(l));
  await all.report(notice());
  await all.close();
  assert.deepEqual(seen, ['i-7c01d9e4']);
  assert.deepEqual(lines, ['bad: boom\\x0asecond']);
});
