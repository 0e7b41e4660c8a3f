// The words of `oomscope relay` (an Alertmanager alert as a chat message), in English and Simplified Chinese.
// Values from labels (host, process, victim, input) come already escaped for the receiver's markup.
import type { Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  'alert.process-died': (p: Params) => `${p.host}: ${p.process} died: ${p.verdict}`,
  'alert.repeated-deaths': (p: Params) => `${p.host}: ${p.process} died again and again within 1 h: ${p.verdict}`,
  'alert.oom-kill': (p: Params) => `${p.host}: the kernel OOM killer killed ${p.victim} (${p.constraint})`,
  'alert.down': (p: Params) => `${p.host}: oomscope is not reporting`,
  'alert.no-inputs': (p: Params) => `${p.host}: oomscope follows no input`,
  'alert.not-reading': (p: Params) => `${p.host}: oomscope has read nothing for an hour`,
  'alert.parse-errors': (p: Params) => `${p.host}: oomscope could not read some lines of ${p.input}`,
  'alert.other': (p: Params) => `${p.host}: ${p.alertname}`,
  'alert.resolved': (p: Params) => `resolved: ${p.title}`,
  'fact.alert': () => 'Alert',
  'fact.since': () => 'Since',
  'fact.ended': () => 'Resolved at',
  'fact.severity': () => 'Severity',
  'fact.summary': () => 'Summary',
  'fact.details': () => 'Details',
  'fact.truncated': (p: Params) => `${p.count} more alerts in this group were left out by Alertmanager (max_alerts)`,
  'page.title': (p: Params) => `oomscope fleet: deaths in the last ${p.window} (Prometheus ${p.prometheus})`,
  'page.none': () => 'No server is known to this Prometheus: is the oomscope job scraped?',
  'page.head': () => 'server | deaths | causes | OOM kills | last death | watcher',
  'page.up': () => 'up',
  'page.silent': () => 'SILENT',
  'page.gone': () => 'no longer scraped',
  'page.never': () => 'none',
  'page.silent-count': (p: Params) => `${p.count} watcher(s) silent: their deaths would go untold.`,
  'page.heading': () => 'oomscope fleet',
  'page.window': (p: Params) => `Deaths in the last ${p.window}, read from Prometheus ${p.prometheus} at ${p.at}.`,
  'col.server': () => 'Server',
  'col.deaths': () => 'Deaths',
  'col.causes': () => 'Causes',
  'col.kills': () => 'OOM kills',
  'col.last': () => 'Last death',
  'col.watcher': () => 'Watcher',
};

type FleetCode = keyof typeof en;

const zh: Record<FleetCode, (p: Params) => string> = {
  'alert.process-died': (p) => `${p.host}：${p.process} 退出：${p.verdict}`,
  'alert.repeated-deaths': (p) => `${p.host}：${p.process} 在 1 小时内反复退出：${p.verdict}`,
  'alert.oom-kill': (p) => `${p.host}：内核 OOM killer 杀死了 ${p.victim}（${p.constraint}）`,
  'alert.down': (p) => `${p.host}：oomscope 没有上报`,
  'alert.no-inputs': (p) => `${p.host}：oomscope 没有跟踪任何日志`,
  'alert.not-reading': (p) => `${p.host}：oomscope 已有一小时没有读到任何日志`,
  'alert.parse-errors': (p) => `${p.host}：oomscope 读不懂 ${p.input} 中的一些行`,
  'alert.other': (p) => `${p.host}：${p.alertname}`,
  'alert.resolved': (p) => `已解除：${p.title}`,
  'fact.alert': () => '告警',
  'fact.since': () => '开始时间',
  'fact.ended': () => '解除时间',
  'fact.severity': () => '级别',
  'fact.summary': () => '摘要',
  'fact.details': () => '详情',
  'fact.truncated': (p) => `本组另有 ${p.count} 条告警被 Alertmanager 省略（max_alerts）`,
  'page.title': (p) => `oomscope 服务器总览：最近 ${p.window} 的退出（Prometheus ${p.prometheus}）`,
  'page.none': () => '这个 Prometheus 不知道任何服务器：oomscope 任务有没有被抓取？',
  'page.head': () => '服务器 | 退出次数 | 原因 | OOM 杀死 | 最后一次退出 | 监视器',
  'page.up': () => '正常',
  'page.silent': () => '失联',
  'page.gone': () => '已不再抓取',
  'page.never': () => '无',
  'page.silent-count': (p) => `${p.count} 台服务器的监视器失联：它们的退出将无人知晓。`,
  'page.heading': () => 'oomscope 服务器总览',
  'page.window': (p) => `最近 ${p.window} 的退出，于 ${p.at} 从 Prometheus ${p.prometheus} 读取。`,
  'col.server': () => '服务器',
  'col.deaths': () => '退出次数',
  'col.causes': () => '原因',
  'col.kills': () => 'OOM 杀死',
  'col.last': () => '最后一次退出',
  'col.watcher': () => '监视器',
};

export function fleetMessage(lang: Lang, code: FleetCode, params: Params = {}): string {
  return (lang === 'zh-CN' ? zh : en)[code](params);
}
