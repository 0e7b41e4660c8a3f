import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebhookReporter, redactUrl } from '../../../src/tell/reporters/webhook.js';
import { noticeJson } from '../../../src/tell/reporters/reporter.js';
import { collectLog, notice, startReceiver } from './helpers.js';

const SECRET = 'SECc0ffee+/=&secret-value';
const fast = { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 1000 };

test('generic: the notice JSON, signed in headers when a secret is given', async () => {
  const rx = await startReceiver();
  const { lines, log } = collectLog();
  const reporter = createWebhookReporter({ urls: [`${rx.url}/hook`], template: 'generic', secret: SECRET, log, ...fast });
  const n = notice('incident');
  await reporter.report(n);
  await reporter.idle();
  await reporter.close();
  await rx.close();
  assert.equal(rx.received.length, 1);
  const r = rx.received[0]!;
  assert.equal(r.method, 'POST');
  assert.equal(r.url, '/hook');
  assert.match(String(r.headers['content-type']), /^application\/json/);
  assert.deepEqual(JSON.parse(r.body), JSON.parse(JSON.stringify(noticeJson(n))));
  const ts = String(r.headers['x-oomscope-timestamp']);
  assert.match(ts, /^\d{10}$/);
  const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${r.body}`).digest('hex');
  assert.equal(r.headers['x-oomscope-signature'], expected);
  assert.deepEqual(lines, []);
  assert.deepEqual(reporter.stats(), { delivered: 1, failed: 0, dropped: 0 });
});

test('slack: { text } with Slack\'s entities, so log text cannot mention @channel or make links', async () => {
  const rx = await startReceiver(() => ({ status: 200, body: 'ok' }));
  const reporter = createWebhookReporter({ urls: [rx.url], template: 'slack', lang: 'en', log: () => {}, ...fast });
  await reporter.report(notice('incident', { reason: 'panic: <!channel> see <http://evil|here> & more' }));
  await reporter.idle();
  await reporter.close();
  await rx.close();
  const body = JSON.parse(rx.received[0]!.body) as { text: string };
  assert.deepEqual(Object.keys(body), ['text']);
  assert.match(body.text, /^\*\[oomscope\] web01: anqicms died: killed by the kernel OOM killer\*/);
  assert.match(body.text, /panic: &lt;!channel&gt; see &lt;http:\/\/evil\|here&gt; &amp; more/);
  assert.doesNotMatch(body.text, /<!channel>/);
  assert.match(body.text, /Set GOMEMLIMIT=6GiB/);
});

test('dingtalk: markdown, signed in the query with the documented rule (HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret)', async () => {
  const rx = await startReceiver(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
  const { lines, log } = collectLog();
  const before = Date.now();
  const reporter = createWebhookReporter({ urls: [`${rx.url}/robot/send?access_token=tok123456`], template: 'dingtalk', secret: SECRET, lang: 'en', log, ...fast });
  await reporter.report(notice('incident', { reason: 'panic: *bold* [link](http://x) <b>' }));
  await reporter.idle();
  await reporter.close();
  await rx.close();
  const r = rx.received[0]!;
  const query = r.url.slice(r.url.indexOf('?') + 1);
  const raw = Object.fromEntries(query.split('&').map((kv) => kv.split('=') as [string, string]));
  assert.equal(raw.access_token, 'tok123456');
  assert.match(raw.timestamp!, /^\d{13}$/, 'milliseconds');
  const ts = Number(raw.timestamp);
  assert.ok(ts >= before && ts <= Date.now());
  // Independently: base64 of HMAC-SHA256(key = secret, data = `${timestamp}\n${secret}`), then URL-encoded once.
  const sign = createHmac('sha256', SECRET).update(`${raw.timestamp}\n${SECRET}`).digest('base64');
  assert.equal(decodeURIComponent(raw.sign!), sign);
  assert.doesNotMatch(raw.sign!, /[+/=]/, 'the Base64 value is URL-encoded');
  const body = JSON.parse(r.body) as { msgtype: string; markdown: { title: string; text: string } };
  assert.equal(body.msgtype, 'markdown');
  assert.equal(body.markdown.title, '[oomscope] web01: anqicms died: killed by the kernel OOM killer');
  assert.match(body.markdown.text, /^#### \[oomscope\] web01: anqicms died: killed by the kernel OOM killer\n/);
  assert.match(body.markdown.text, /panic: \\\*bold\\\* \\\[link\\\]\\\(http:\/\/x\\\) &lt;b&gt;/);
  assert.match(body.markdown.text, /- \*\*PID\*\*: 21877/);
  assert.deepEqual(lines, []);
});

test('feishu: text message, timestamp (seconds) and sign in the body (HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing)', async () => {
  const rx = await startReceiver(() => ({ status: 200, body: '{"code":0,"msg":"success","data":{}}' }));
  const reporter = createWebhookReporter({ urls: [`${rx.url}/open-apis/bot/v2/hook/0123456789abcdef`], template: 'feishu', secret: SECRET, lang: 'zh-CN', log: () => {}, ...fast });
  await reporter.report(notice('incident', { reason: '程序崩溃：<at user_id="all">所有人</at> & 更多' }));
  await reporter.idle();
  await reporter.close();
  await rx.close();
  const body = JSON.parse(rx.received[0]!.body) as { timestamp: string; sign: string; msg_type: string; content: { text: string } };
  assert.deepEqual(Object.keys(body), ['timestamp', 'sign', 'msg_type', 'content']);
  assert.match(body.timestamp, /^\d{10}$/, 'seconds, as a string');
  assert.ok(Math.abs(Number(body.timestamp) - Date.now() / 1000) < 5);
  const expected = createHmac('sha256', `${body.timestamp}\n${SECRET}`).update(Buffer.alloc(0)).digest('base64');
  assert.equal(body.sign, expected);
  assert.equal(body.msg_type, 'text');
  assert.match(body.content.text, /^\[oomscope\] web01：anqicms 退出：/);
  assert.match(body.content.text, /&lt;at user_id="all"&gt;所有人&lt;\/at&gt; &amp; 更多/);
  assert.doesNotMatch(body.content.text, /<at/);
});

test('wecom: markdown content, escaped, at most 4096 bytes; the secret is not used, and that is said without showing it', async () => {
  const rx = await startReceiver(() => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' }));
  const { lines, log } = collectLog();
  const reporter = createWebhookReporter({ urls: [`${rx.url}/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4`], template: 'wecom', secret: SECRET, lang: 'en', log, ...fast });
  const long = 'x'.repeat(500);
  await reporter.report(notice('incident', { reason: '<font color="warning">*hi*</font> <@all>', advice: Array.from({ length: 20 }, (_, i) => ({ code: 'a', text: `${i} ${long}`, params: {} })) }));
  await reporter.idle();
  await reporter.close();
  await rx.close();
  const body = JSON.parse(rx.received[0]!.body) as { msgtype: string; markdown: { content: string } };
  assert.equal(body.msgtype, 'markdown');
  assert.ok(Buffer.byteLength(body.markdown.content) <= 4096);
  assert.match(body.markdown.content, /^### \[oomscope\] web01: anqicms died/);
  assert.match(body.markdown.content, /&lt;font color="warning"&gt;\\\*hi\\\*&lt;\/font&gt; &lt;@all&gt;/);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /wecom template .*no request signing/);
  assert.ok(!lines.join('\n').includes(SECRET));
});

test('retries after a 500, with growing waits, and then delivers', async () => {
  const rx = await startReceiver((n) => (n < 2 ? { status: 500, body: 'busy' } : { status: 200 }));
  const { lines, log } = collectLog();
  const reporter = createWebhookReporter({ urls: [rx.url], maxAttempts: 4, log, ...fast });
  await reporter.report(notice());
  await reporter.idle();
  await reporter.close();
  await rx.close();
  assert.equal(rx.received.length, 3);
  const gap1 = rx.received[1]!.at - rx.received[0]!.at;
  const gap2 = rx.received[2]!.at - rx.received[1]!.at;
  assert.ok(gap1 >= 18 && gap2 >= 38, `waits grow: ${gap1} ms, ${gap2} ms`);
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /^webhook #1 http:\/\/127\.0\.0\.1:\d+\/: incident i-7c01d9e4: HTTP 500 busy \(attempt 1 of 4\), retrying in 2\d ms$/);
  assert.deepEqual(reporter.stats(), { delivered: 1, failed: 0, dropped: 0 });
});

test('a hanging server: each attempt times out, at most N attempts, and report() never waits', async () => {
  const rx = await startReceiver(() => 'hang');
  const { lines, log } = collectLog();
  const reporter = createWebhookReporter({ urls: [rx.url], maxAttempts: 2, timeoutMs: 150, baseDelayMs: 10, maxDelayMs: 10, log });
  const started = Date.now();
  await reporter.report(notice());
  assert.ok(Date.now() - started < 50, 'report() resolves at once');
  await reporter.idle();
  const took = Date.now() - started;
  await reporter.close();
  await rx.close();
  assert.equal(rx.received.length, 2);
  assert.ok(took >= 300 && took < 2000, `two timeouts of 150 ms: ${took} ms`);
  assert.match(lines[0]!, /no answer within 0\.15 s \(attempt 1 of 2\)/);
  assert.match(lines[1]!, /not delivered: no answer within 0\.15 s \(gave up after 2 attempts\)$/);
  assert.deepEqual(reporter.stats(), { delivered: 0, failed: 1, dropped: 0 });
});

test('a 4xx or a chat error code is not retried', async () => {
  const rx = await startReceiver((n) => (n === 0 ? { status: 400, body: 'invalid_payload' } : { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }));
  const { lines, log } = collectLog();
  const slack = createWebhookReporter({ urls: [rx.url], template: 'slack', log, ...fast });
  await slack.report(notice());
  await slack.idle();
  await slack.close();
  const ding = createWebhookReporter({ urls: [rx.url], template: 'dingtalk', log, ...fast });
  await ding.report(notice());
  await ding.idle();
  await ding.close();
  await rx.close();
  assert.equal(rx.received.length, 2);
  assert.match(lines[0]!, /HTTP 400 invalid_payload \(not retried\)$/);
  assert.match(lines[1]!, /answered error 310000 sign not match \(not retried\)$/);
});

test('a full queue drops the oldest waiting notice with a warning; close() stops at its deadline', async () => {
  const rx = await startReceiver(() => 'hang');
  const { lines, log } = collectLog();
  const reporter = createWebhookReporter({ urls: [rx.url], queueSize: 2, timeoutMs: 2000, closeTimeoutMs: 100, log });
  for (let i = 1; i <= 5; i++) await reporter.report(notice('incident', { id: `i-${i}` }));
  assert.deepEqual(
    lines.filter((l) => l.includes('dropped the oldest')).map((l) => /\(incident (i-\d)\)/.exec(l)?.[1]),
    ['i-2', 'i-3'],
  );
  const started = Date.now();
  await reporter.close();
  assert.ok(Date.now() - started < 1000);
  await rx.close();
  assert.match(lines.at(-1)!, /stopped after 100 ms with 2 notice\(s\) still queued/);
  assert.deepEqual(reporter.stats(), { delivered: 0, failed: 1, dropped: 4 });
});

test('every URL gets every notice, in order', async () => {
  const a = await startReceiver();
  const b = await startReceiver();
  const reporter = createWebhookReporter({ urls: [a.url, b.url], log: () => {}, ...fast });
  await reporter.report(notice('incident'));
  await reporter.report(notice('update', { restartedAt: '2024-07-23T10:04:01.000+08:00', downtimeSeconds: 23.9 }));
  await reporter.idle();
  await reporter.close();
  await a.close();
  await b.close();
  for (const rx of [a, b]) assert.deepEqual(rx.received.map((r) => (JSON.parse(r.body) as { notice: string }).notice), ['incident', 'update']);
});

test('redactUrl keeps scheme, host and path, never the query or token-like path segments', () => {
  assert.equal(redactUrl('https://oapi.dingtalk.com/robot/send?access_token=abc&sign=x'), 'https://oapi.dingtalk.com/robot/send');
  assert.equal(redactUrl('https://hooks.slack.com/services/T0000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX'), 'https://hooks.slack.com/services/T0000/***/***');
  assert.equal(redactUrl('https://user:pass@example.com/open-apis/bot/v2/hook/0f8e2a6c-1111-2222'), 'https://example.com/open-apis/bot/v2/hook/***');
});

test('the secret, the query\'s tokens and the signature never appear on stderr, even when the receiver echoes them', { timeout: 60_000 }, async () => {
  // The receiver answers 500 with the URL and body it got; then the port is closed (connection refused).
  const rx = await startReceiver((_n, r) => ({ status: 500, body: `got ${r.url} ${r.body.slice(0, 200)}` }));
  const secret = 'SECtopsecret/value+with=chars';
  const token = 'accesstoken0123456789';
  const pathToken = 'B1234abcd';
  const pathToken2 = 'XXXXXXXXXXXXXXXXXXXXXXXX';
  const here = dirname(fileURLToPath(import.meta.url));
  const moduleUrl = new URL(`file://${join(here, '../../../src/tell/reporters/webhook.js')}`).href;
  const script = `
    const { createWebhookReporter } = await import(${JSON.stringify(moduleUrl)});
    const urls = [process.argv[1] + '/robot/send?access_token=${token}', process.argv[2] + '/x?key=${token}', process.argv[1] + '/services/T0000/${pathToken}/${pathToken2}'];
    for (const template of ['dingtalk', 'feishu', 'generic']) {
      const r = createWebhookReporter({ urls, template, maxAttempts: 2, baseDelayMs: 5, timeoutMs: 500 });
      await r.report({ kind: 'incident', host: 'h', incident: ${JSON.stringify(notice().incident)} });
      await r.idle();
      await r.close();
    }
  `;
  const closed = await startReceiver();
  const refused = closed.url;
  await closed.close();
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, rx.url, refused], {
    env: { ...process.env, OOMSCOPE_WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A child that never ends (it once hung on a busy machine) fails the test instead of holding up the whole run.
    timeout: 45_000,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  await rx.close();
  assert.equal(code, 0, stderr);
  assert.ok(rx.received.length >= 12, 'the receiver was called');
  assert.match(stderr, /^oomscope: webhook #1 http:\/\/127\.0\.0\.1:\d+\/robot\/send: incident i-7c01d9e4: HTTP 500 got \/robot\/send\?access_token=\*\*\*/m);
  assert.match(stderr, /webhook #2 http:\/\/127\.0\.0\.1:\d+\/x: incident i-7c01d9e4: fetch failed: ECONNREFUSED \(attempt 1 of 2\), retrying in \d+ ms/);
  assert.match(stderr, /webhook #3 http:\/\/127\.0\.0\.1:\d+\/services\/T0000\/\*\*\*\/\*\*\*: incident i-7c01d9e4: HTTP 500 got \/services\/T0000\/\*\*\*\/\*\*\* /);
  for (const leak of [secret, encodeURIComponent(secret), token, pathToken, pathToken2]) assert.ok(!stderr.includes(leak), `stderr must not contain ${leak}`);
  const signs = rx.received.map((r) => /[?&]sign=([^&]+)/.exec(r.url)?.[1] ?? (JSON.parse(r.body) as { sign?: string }).sign).filter((s): s is string => !!s);
  assert.ok(signs.length > 0);
  for (const s of signs) assert.ok(!stderr.includes(s) && !stderr.includes(decodeURIComponent(s)), 'no signature in stderr');
});
