// The words of a notice for people (a chat message), in the incident's language. What came from logs (host and
// process names, the reason, the crash site, advice) goes through the target's `escape` (Markdown, Slack's
// entities…); oomscope's own words, times and numbers carry no markup and stay as they are.
import { message, type Lang } from '../../i18n/messages.js';
import { formatDuration, shortTime } from '../sizes.js';
import { formatKb } from '../sizes.js';
import type { IncidentNotice, KillNotice } from './reporter.js';

type Words = Record<
  | 'died' | 'back-title' | 'update' | 'died-at' | 'back' | 'not-back' | 'down' | 'pid' | 'confidence' | 'why' | 'advice' | 'incident' | 'count' | 'crash-site'
  | 'back-at' | 'time-unknown' | 'down-unknown' | 'line-died' | 'line-update' | 'line-back'
  | 'oom-killed' | 'oom-killed-survived' | 'killed-at' | 'cgroup' | 'memory' | 'memory-value' | 'kill',
  (p: Record<string, string>) => string
>;

const en: Words = {
  died: (p) => `${p.host}: ${p.process} died: ${p.verdict}`,
  'back-title': (p) => `${p.host}: ${p.process} is back after ${p.downtime}: ${p.verdict}`,
  update: (p) => `${p.host}: ${p.process}, update: ${p.verdict}`,
  'died-at': () => 'Died',
  back: () => 'Back',
  'not-back': () => 'not back yet',
  down: () => 'down',
  pid: () => 'PID',
  confidence: () => 'Confidence',
  why: () => 'Why',
  advice: () => 'Advice',
  incident: () => 'Incident',
  count: (p) => `${p.count} deaths in a row`,
  'crash-site': () => 'Crashed in',
  'back-at': (p) => `${p.time} (down ${p.downtime})`,
  'time-unknown': () => 'time unknown',
  'down-unknown': () => 'unknown',
  'line-died': () => 'died',
  'line-update': () => 'update',
  'line-back': () => 'back',
  'oom-killed': (p) => `${p.victim} (pid ${p.pid}) was OOM-killed`,
  'oom-killed-survived': (p) => `${p.victim} (pid ${p.pid}) was OOM-killed; ${p.process} survived`,
  'killed-at': () => 'Killed',
  cgroup: () => 'Cgroup',
  memory: () => 'Its memory',
  'memory-value': (p) => `${p.anon} anon, ${p.file} file`,
  kill: () => 'Kill',
};

const zh: Words = {
  died: (p) => `${p.host}：${p.process} 退出：${p.verdict}`,
  'back-title': (p) => `${p.host}：${p.process} 已恢复，停机 ${p.downtime}：${p.verdict}`,
  update: (p) => `${p.host}：${p.process} 更新：${p.verdict}`,
  'died-at': () => '退出时间',
  back: () => '恢复时间',
  'not-back': () => '尚未恢复',
  down: () => '停机',
  pid: () => 'PID',
  confidence: () => '可信度',
  why: () => '原因',
  advice: () => '建议',
  incident: () => '事件',
  count: (p) => `连续退出 ${p.count} 次`,
  'crash-site': () => '崩溃位置',
  'back-at': (p) => `${p.time}（停机 ${p.downtime}）`,
  'time-unknown': () => '时间未知',
  'down-unknown': () => '时长未知',
  'line-died': () => '退出',
  'line-update': () => '更新',
  'line-back': () => '恢复于',
  'oom-killed': (p) => `${p.victim}（pid ${p.pid}）被 OOM killer 杀死`,
  'oom-killed-survived': (p) => `${p.victim}（pid ${p.pid}）被 OOM killer 杀死；${p.process} 未被杀死`,
  'killed-at': () => '被杀时间',
  cgroup: () => 'cgroup',
  memory: () => '它占用的内存',
  'memory-value': (p) => `匿名 ${p.anon}，文件 ${p.file}`,
  kill: () => '杀进程记录',
};

export function words(lang: Lang): Words {
  return lang === 'zh-CN' ? zh : en;
}

interface NoticeFact {
  label: string;
  value: string;
}

export interface NoticeText {
  /** `web01: anqicms died: killed by the kernel OOM killer`: the chat's title or first line. */
  title: string;
  facts: NoticeFact[];
  /** The localised advice texts, one per item. */
  advice: string[];
}

/** The notice as a title and labelled facts, in `lang` (the language the incident's reason and advice are in). */
export function noticeText(notice: IncidentNotice, lang: Lang, escape: (logText: string) => string = (t) => t): NoticeText {
  const w = words(lang);
  const i = notice.incident;
  const verdict = message(lang, `verdict.${i.verdict}`);
  const downtime = i.downtimeSeconds === null ? w['down-unknown']({}) : formatDuration(i.downtimeSeconds, lang);
  const params = { host: escape(notice.host), process: escape(i.process), verdict, downtime };
  const title =
    notice.kind === 'incident' ? w.died(params)
    : i.restartedAt !== null ? w['back-title'](params)
    : w.update(params);
  const died = i.diedAt ? `${shortTime(i.diedAt)}${i.diedAtUncertaintySeconds ? ` ±${formatDuration(i.diedAtUncertaintySeconds, lang)}` : ''}` : w['time-unknown']({});
  const facts: NoticeFact[] = [{ label: w['died-at']({}), value: died }];
  facts.push({
    label: w.back({}),
    value: i.restartedAt ? w['back-at']({ time: shortTime(i.restartedAt), downtime }) : w['not-back']({}),
  });
  if (i.pid !== null) facts.push({ label: w.pid({}), value: String(i.pid) });
  const comma = lang === 'en' ? ', ' : '，';
  facts.push({ label: w.confidence({}), value: `${message(lang, `confidence.${i.confidence}`)}${i.count > 1 ? `${comma}${w.count({ count: String(i.count) })}` : ''}` });
  facts.push({ label: w.why({}), value: escape(i.reason) });
  if (i.crashSite) facts.push({ label: w['crash-site']({}), value: escape(i.crashSite) });
  facts.push({ label: w.incident({}), value: lang === 'en' ? `${escape(i.id)} (${i.verdict})` : `${escape(i.id)}（${i.verdict}）` });
  return { title: `[oomscope] ${title}`, facts, advice: i.advice.map((a) => escape(a.text)) };
}

/** The sentence of a kill notice (no host, no time): `mysqld (pid 812) was OOM-killed; anqicms survived`. */
export function killSentence(notice: KillNotice, lang: Lang, escape: (logText: string) => string = (t) => t): string {
  const w = words(lang);
  const params = { victim: escape(notice.kill.name ?? '?'), pid: notice.kill.pid === null ? '?' : String(notice.kill.pid), process: escape(notice.process) };
  return notice.survived ? w['oom-killed-survived'](params) : w['oom-killed'](params);
}

/** A kill of another process as a title and facts, verdict-free. */
export function killNoticeText(notice: KillNotice, lang: Lang, escape: (logText: string) => string = (t) => t): NoticeText {
  const w = words(lang);
  const k = notice.kill;
  const facts: NoticeFact[] = [{ label: w['killed-at']({}), value: `${shortTime(k.time)}${k.timeUncertaintySeconds ? ` ±${formatDuration(k.timeUncertaintySeconds)}` : ''}` }];
  if (k.memcg) facts.push({ label: w.cgroup({}), value: escape(k.memcg) });
  if (k.anonRssKb !== null || k.fileRssKb !== null) {
    const size = (kb: number | null): string => (kb === null ? '?' : formatKb(kb));
    facts.push({ label: w.memory({}), value: w['memory-value']({ anon: size(k.anonRssKb), file: size(k.fileRssKb) }) });
  }
  facts.push({ label: w.kill({}), value: escape(k.id) });
  const sep = lang === 'zh-CN' ? '：' : ': ';
  return { title: `[oomscope] ${escape(notice.host)}${sep}${killSentence(notice, lang, escape)}`, facts, advice: [] };
}
