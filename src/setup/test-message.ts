// The webhook question of `oomscope setup watch`: which template a robot's URL wants, and one test message sent
// through watch's own webhook code (templates, signing, posting), so a URL that works here works for the watcher.
import { chatBody, type WebhookTemplate } from '../tell/reporters/templates.js';
import { createWebhookSender } from '../tell/reporters/webhook.js';

/** The template of the robots whose hosts are known (DingTalk, Feishu/Lark, WeCom); generic JSON elsewhere. */
export function templateForUrl(url: string): WebhookTemplate {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return 'generic';
  }
  if (host === 'oapi.dingtalk.com') return 'dingtalk';
  if (host === 'open.feishu.cn' || host === 'open.larksuite.com') return 'feishu';
  if (host === 'qyapi.weixin.qq.com') return 'wecom';
  if (host === 'hooks.slack.com') return 'slack';
  return 'generic';
}

export interface TestMessage {
  /** The title line, in the user's language. */
  title: string;
  /** The line under it. */
  text: string;
}

/**
 * Posts one test message (one attempt, 5 s) and says whether it was delivered; the sender's own warnings (the
 * receiver's answer, the URL's secrets scrubbed) go to `log`.
 */
export async function sendTestMessage(url: string, template: WebhookTemplate, message: TestMessage, log: (line: string) => void): Promise<boolean> {
  const sender = createWebhookSender<TestMessage>(
    { urls: [url], template, maxAttempts: 1, timeoutMs: 5000, log },
    (item) => (template === 'generic' ? { kind: 'test', title: item.title, text: item.text } : chatBody(template, () => ({ title: item.title, facts: [], advice: [item.text] }))),
    () => 'test message',
  );
  sender.add(message);
  await sender.idle();
  const delivered = sender.stats().delivered === 1;
  await sender.close();
  return delivered;
}
