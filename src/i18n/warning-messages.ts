// The report's warnings, in English and Simplified Chinese: what could not be known, and how to learn it. A key is the
// warning's JSON `code`, or `code/variant` where one code has several sentences; codes never change with the language.
import type { Catalog, Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  'stop-pid-ambiguous': (p) => `stop.sh's line ${p.line} glues the PIDs it killed together ("${p.digits}"), and they can be read several ways (${p.examples}, …); no other log names the watched process's pid in that life, so the incident's pid is null.`,
  'stop-pid-unreadable': (p) => `stop.sh's line ${p.line} ("${p.digits}") cannot be read as PIDs; the incident's pid is null.`,
} satisfies Catalog;

/** A warning's key; a misspelt one does not compile. */
export type WarningKey = keyof typeof en;

/** Every English warning has its Chinese one: a missing translation does not compile. */
const zh: Record<WarningKey, (p: Params) => string> = {
  'stop-pid-ambiguous': (p) => `stop.sh 在第 ${p.line} 行把它杀掉的各个 PID 连在一起写成了“${p.digits}”，可以有多种拆法（${p.examples} 等）；其他日志也没有给出该进程这次运行时的 PID，所以该事件的 pid 为 null。`,
  'stop-pid-unreadable': (p) => `stop.sh 第 ${p.line} 行的“${p.digits}”无法拆成 PID；该事件的 pid 为 null。`,
};

/** A warning not said yet: its key, the input it is about, and the values its sentence names. */
export interface Notice {
  key: WarningKey;
  path?: string | undefined;
  params: Params;
}

const catalogs: Record<Lang, Record<WarningKey, (p: Params) => string>> = { en, 'zh-CN': zh };

/** The JSON `code` of a warning key (`incomplete-kill/lost-lines` → `incomplete-kill`). */
export function warningCode(key: WarningKey): string {
  return key.split('/')[0]!;
}

/** A warning's sentence in `lang`. */
export function warningMessage(lang: Lang, key: WarningKey, params: Params): string {
  return catalogs[lang][key](params);
}
