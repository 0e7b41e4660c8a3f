// The words of the text and Markdown reports' first page (issue 14, item 3): the table of deaths, a run of alike
// deaths or kills said once, and a death pointing at its kill; in English and Simplified Chinese.
import type { Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  'table.title': () => 'Deaths, newest first (--oldest-first reverses)',
  'table.title-oldest': () => 'Deaths, oldest first',
  'table.number': () => '#',
  'table.died': () => 'Died',
  'table.verdict': () => 'Verdict',
  'table.confidence': () => 'Confidence',
  'table.down': () => 'Down',
  'table.not-back': () => 'not seen back',
  'table.more': (p: Params) => `… ${p.count} older ${p.count === 1 ? 'death' : 'deaths'} not in this table (--all lists every one)`,
  'loops.more': (p: Params) => `… and ${p.count} earlier crash ${p.count === 1 ? 'loop' : 'loops'} (--all lists each)`,
  'run.deaths': (p: Params) => `Deaths ${p.numbers}`,
  'run.kills': (p: Params) => `Kills ${p.numbers}`,
  'run.died': (p: Params) => `${p.count} times, ${p.span}`,
  'run.back': (p: Params) => `${p.back} of ${p.count} seen back, down ${p.downtime} in all`,
  'run.newest-shown': (p: Params) => `(why, advice and evidence are those of the newest, death ${p.n}; --all lists each death)`,
  'run.all-hint': () => '(--all lists each kill)',
  'run.cut-off': (p: Params) => `! ${p.count} of these records were cut off: fields not seen are unknown`,
  'run.label-pids': () => 'PIDs',
  'run.explained': (p: Params) => `Explained for the newest of them, kill ${p.n}:`,
  'run.kill-item': (p: Params) => `${p.name} ×${p.count} (${p.span})`,
  'ref.label': () => 'OOM kill',
  'ref.kill': (p: Params) => `kill ${p.numbers} below`,
  'ref.kills': (p: Params) => `kills ${p.numbers} below`,
};

type DigestCode = keyof typeof en;

const zh: Record<DigestCode, (p: Params) => string> = {
  'table.title': () => '各次退出，最新的在前（加 --oldest-first 则最早的在前）',
  'table.title-oldest': () => '各次退出，最早的在前',
  'table.number': () => '#',
  'table.died': () => '退出时间',
  'table.verdict': () => '原因',
  'table.confidence': () => '可信度',
  'table.down': () => '停机',
  'table.not-back': () => '未见恢复',
  'table.more': (p) => `……另有 ${p.count} 次更早的退出未列入此表（加 --all 全部列出）`,
  'loops.more': (p) => `……另有 ${p.count} 次更早的崩溃循环（加 --all 逐个列出）`,
  'run.deaths': (p) => `第 ${p.numbers} 次退出`,
  'run.kills': (p) => `第 ${p.numbers} 次杀进程`,
  'run.died': (p) => `共 ${p.count} 次，${p.span}`,
  'run.back': (p) => `${p.count} 次中有 ${p.back} 次恢复，共停机 ${p.downtime}`,
  'run.newest-shown': (p) => `（原因、建议和证据取自其中最新的第 ${p.n} 次退出；加 --all 逐次列出）`,
  'run.all-hint': () => '（加 --all 逐次列出）',
  'run.cut-off': (p) => `! 其中 ${p.count} 条记录不完整：没看到的字段未知`,
  'run.label-pids': () => 'PID',
  'run.explained': (p) => `以下解释其中最新的第 ${p.n} 次杀进程：`,
  'run.kill-item': (p) => `${p.name} ×${p.count}（${p.span}）`,
  'ref.label': () => 'OOM 杀进程',
  'ref.kill': (p) => `见下文第 ${p.numbers} 次杀进程`,
  'ref.kills': (p) => `见下文第 ${p.numbers} 次杀进程`,
};

export function digestMessage(lang: Lang, code: DigestCode, params: Params = {}): string {
  return (lang === 'zh-CN' ? zh : en)[code](params);
}

export type { DigestCode };
