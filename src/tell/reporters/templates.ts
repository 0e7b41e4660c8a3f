// `--webhook-template`: the body each receiver wants. Log-derived text is escaped for the receiver's markup, so a
// hostile log line can neither format the message nor mention (@all) anybody.
import type { Lang } from '../../i18n/messages.js';
import { escapeMarkdown } from '../markdown.js';
import { killNoticeText, noticeText, type NoticeText } from './notice-text.js';
import { killNoticeJson, noticeJson, oneLine, type AnyNotice } from './reporter.js';

const WEBHOOK_TEMPLATES = ['generic', 'slack', 'dingtalk', 'feishu', 'wecom'] as const;
export type WebhookTemplate = (typeof WEBHOOK_TEMPLATES)[number];

/** A value in a chat message: long log text is cut (chat bodies have size limits: WeCom 4096 bytes, Feishu 20 KB). */
const VALUE_CHARS = 600;

function cut(text: string, max = VALUE_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

// Controls shown as escapes, then the markup's own characters. The shown escapes' backslashes are escaped again by
// escapeMarkdown, which is what Markdown needs to show them.
function controls(text: string): string {
  return oneLine(text, Number.MAX_SAFE_INTEGER);
}

/**
 * Slack mrkdwn has no backslash escapes; its documented rule is that `&`, `<` and `>` are control characters to be
 * written as `&amp;`, `&lt;`, `&gt;` (https://api.slack.com/reference/surfaces/formatting#escaping): that stops
 * `<!channel>` mentions and `<url|links>` from log text. `*_~` can still make bold/italic, which is harmless.
 */
function escapeSlack(text: string): string {
  return controls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Feishu's plain `text` message is not Markdown (a backslash would show as itself), but it parses
 * `<at user_id="all"></at>` as a mention: `<`, `>` and `&` are written as HTML entities so that no tag can form.
 */
function escapeFeishuText(text: string): string {
  return controls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** WeCom and DingTalk Markdown: escapeMarkdown (backslashes for Markdown punctuation, `<` as `&lt;`, controls shown). */
function md(text: string): string {
  return escapeMarkdown(cut(controls(text)));
}

function markdownBody(t: NoticeText, heading: string): string {
  const lines = [`${heading} ${t.title}`, ''];
  for (const f of t.facts) lines.push(`- **${f.label}**: ${f.value}`);
  for (const a of t.advice) lines.push(`- ${a}`);
  return lines.join('\n');
}

/** Cuts a UTF-8 string to at most `max` bytes (an ellipsis included) without splitting a character. */
function cutBytes(text: string, max: number): string {
  if (Buffer.byteLength(text, 'utf8') <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > max - 3) break;
    bytes += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}…`;
}

/** The words of one message, given the escape of the receiver's markup (log text goes through it). */
export type MessageText = (escape: (logText: string) => string) => NoticeText;

/** The unsigned body of one notice for a template (signing, which depends on the time of sending, is added later). */
export function templateBody(template: WebhookTemplate, notice: AnyNotice, lang: Lang): Record<string, unknown> {
  if (template === 'generic') return notice.kind === 'oom-kill' ? { ...killNoticeJson(notice) } : { ...noticeJson(notice) };
  return chatBody(template, (escape) => (notice.kind === 'oom-kill' ? killNoticeText(notice, lang, escape) : noticeText(notice, lang, escape)));
}

/** The body of a chat robot's message: `--webhook`'s notices and `oomscope relay`'s alerts look the same. */
export function chatBody(template: Exclude<WebhookTemplate, 'generic'>, text: MessageText): Record<string, unknown> {
  switch (template) {
    case 'slack': {
      // Incoming webhooks: `{ "text": … }` is enough (https://api.slack.com/messaging/webhooks); mrkdwn by default.
      const t = text((logText) => escapeSlack(cut(logText)));
      const lines = [`*${t.title}*`];
      for (const f of t.facts) lines.push(`• *${f.label}*: ${f.value}`);
      for (const a of t.advice) lines.push(`• ${a}`);
      return { text: lines.join('\n') };
    }
    case 'dingtalk': {
      // https://open.dingtalk.com/document/robots/custom-robot-access: markdown = { title (the preview), text }.
      const title = text((logText) => controls(logText)).title;
      return { msgtype: 'markdown', markdown: { title: cut(title, 100), text: markdownBody(text(md), '####') } };
    }
    case 'feishu': {
      // https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot: { msg_type: 'text', content: { text } }.
      const t = text((logText) => escapeFeishuText(cut(logText)));
      const lines = [t.title];
      for (const f of t.facts) lines.push(`${f.label}: ${f.value}`);
      for (const a of t.advice) lines.push(`- ${a}`);
      return { msg_type: 'text', content: { text: lines.join('\n') } };
    }
    case 'wecom':
      // https://developer.work.weixin.qq.com/document/path/91770: markdown.content, at most 4096 bytes of UTF-8.
      // WeCom group robots have no request signing: the `key` in the URL is the only credential.
      return { msgtype: 'markdown', markdown: { content: cutBytes(markdownBody(text(md), '###'), 4096) } };
  }
}
