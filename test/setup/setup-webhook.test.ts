// The webhook of `oomscope setup watch`: --webhook (or the answer to its question on a terminal) goes into the unit,
// and one test message is POSTed through watch's webhook code to a real HTTP receiver on 127.0.0.1.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { findCommand } from '../support/real-kernel-proc.js';
import { cannotRun } from '../exe/support.js';
import { startReceiver, type Receiver } from '../tell/reporters/helpers.js';
import { templateForUrl } from '../../src/setup/test-message.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const UNIT = 'etc/systemd/system/oomscope-watch.service';
const roots: string[] = [];
const receivers: Receiver[] = [];
after(async () => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  for (const receiver of receivers) await receiver.close();
});

/** anqicms running from /www/wwwroot/site.example, systemd running. */
function fakeServer(): string {
  const root = mkdtempSync(join(tmpdir(), 'oomscope-setup-'));
  roots.push(root);
  mkdirSync(join(root, 'proc/4321'), { recursive: true });
  writeFileSync(join(root, 'proc/4321/comm'), 'anqicms\n');
  symlinkSync('/www/wwwroot/site.example/anqicms', join(root, 'proc/4321/exe'));
  mkdirSync(join(root, 'run/systemd/system'), { recursive: true });
  mkdirSync(dirname(join(root, UNIT)), { recursive: true });
  return root;
}

/** The CLI as a child, not blocking this process (the receiver answers from here). */
function setupWatch(root: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'setup', 'watch', '--root', root, '--lang', 'en', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

test('--webhook goes into the unit (readable by root only) and a DingTalk test message is posted once', async () => {
  const receiver = await startReceiver();
  receivers.push(receiver);
  const root = fakeServer();
  const url = `${receiver.url}/robot/send?access_token=tok123`;
  const { code, out, err } = await setupWatch(root, ['--yes', '--webhook', url, '--webhook-template', 'dingtalk']);
  assert.equal(code, 0, err);
  const unit = readFileSync(join(root, UNIT), 'utf8');
  assert.match(unit, new RegExp(` --metrics 9101 --webhook ${url.replace(/[?.]/g, '\\$&')} --webhook-template dingtalk$`, 'm'));
  assert.equal(statSync(join(root, UNIT)).mode & 0o777, 0o600);
  assert.equal(receiver.received.length, 1);
  const post = receiver.received[0]!;
  assert.equal(post.method, 'POST');
  assert.equal(post.url, '/robot/send?access_token=tok123');
  const body = JSON.parse(post.body) as { msgtype: string; markdown: { title: string; text: string } };
  assert.equal(body.msgtype, 'markdown');
  assert.equal(body.markdown.title, `oomscope on ${hostname()}: test message`);
  assert.match(body.markdown.text, /setup watch is done: each death of anqicms will be told here\./);
  assert.match(out, /^Test message delivered\.$/m);
});

test('a receiver that answers 500 gets one try; setup says so and the unit is written all the same; --dry-run posts nothing', async () => {
  const receiver = await startReceiver(() => ({ status: 500, body: 'down' }));
  receivers.push(receiver);
  const root = fakeServer();
  const dry = await setupWatch(root, ['--dry-run', '--webhook', `${receiver.url}/hook`]);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /^Would send a test message to it\.$/m);
  assert.match(dry.out, / --webhook http:\/\/127\.0\.0\.1:\d+\/hook --webhook-template generic$/m, 'generic for an unknown host');
  assert.equal(receiver.received.length, 0);

  const { code, out, err } = await setupWatch(root, ['--yes', '--webhook', `${receiver.url}/hook`]);
  assert.equal(code, 0, err);
  assert.equal(receiver.received.length, 1);
  assert.deepEqual(Object.keys(JSON.parse(receiver.received[0]!.body) as object), ['kind', 'title', 'text']);
  assert.match(out, /^The test message was not delivered/m);
  assert.match(readFileSync(join(root, UNIT), 'utf8'), /--webhook http:\/\/127\.0\.0\.1:\d+\/hook/);
});

test('the template follows the robot\'s host', () => {
  assert.equal(templateForUrl('https://oapi.dingtalk.com/robot/send?access_token=x'), 'dingtalk');
  assert.equal(templateForUrl('https://open.feishu.cn/open-apis/bot/v2/hook/x'), 'feishu');
  assert.equal(templateForUrl('https://open.larksuite.com/open-apis/bot/v2/hook/x'), 'feishu');
  assert.equal(templateForUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x'), 'wecom');
  assert.equal(templateForUrl('https://example.com/oapi.dingtalk.com'), 'generic');
  assert.equal(templateForUrl('not a url'), 'generic');
});

// A guard, not a measure: a question that never comes would otherwise hang the suite.
test('on a terminal it asks for the webhook, then whether to go on', { timeout: 60_000 }, async (t) => {
  if (!findCommand('script')) {
    cannotRun(t, 'script(1) is not installed (Debian package util-linux): no terminal to answer the questions on');
    return;
  }
  const receiver = await startReceiver();
  receivers.push(receiver);
  const root = fakeServer();
  const command = [process.execPath, CLI, 'setup', 'watch', '--root', root, '--lang', 'en'].map((word) => `'${word}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const answered = new Set<string>();
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // Each answer once its question is on the screen (a typed-ahead line would go to the first question).
      if (out.includes('(empty for none): ') && !answered.has('webhook')) {
        answered.add('webhook');
        child.stdin.write(`${receiver.url}/asked\r`);
      }
      if (out.includes('Do it? [y/N] ') && !answered.has('yes')) {
        answered.add('yes');
        child.stdin.write('y\r');
      }
    });
    child.on('close', resolve);
    t.signal.addEventListener('abort', () => child.kill());
  });
  assert.equal(code, 0, out);
  assert.match(readFileSync(join(root, UNIT), 'utf8'), /--webhook http:\/\/127\.0\.0\.1:\d+\/asked --webhook-template generic$/m);
  assert.equal(receiver.received.length, 1);
  assert.equal(receiver.received[0]!.url, '/asked');
});
