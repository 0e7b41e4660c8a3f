// `watch`'s stderr lines (a followed file rotated, an input unreadable, records lost, the state file), in English and
// Simplified Chinese. The system's own error text (`error`) is passed on as it is.
import type { Catalog, Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  'watch.rotated': (p) => `${p.path} was rotated; following the new file`,
  'watch.truncated': (p) => `${p.path} was truncated (copytruncate); reading it again from the start`,
  'watch.unreadable': (p) => `${p.path}: ${p.error}`,
  'watch.kmsg-open-failed': (p) => `cannot open /dev/kmsg: ${p.error} (run as root, or with CAP_SYSLOG)`,
  'watch.kmsg-lost': () => 'the kernel ring buffer overwrote records before they were read (some kernel lines were lost)',
  'watch.kmsg-lost-count': (p) => `${p.count} kernel records were overwritten before they were read`,
  'watch.journalctl-failed': (p) => `cannot run journalctl: ${p.error}`,
  'watch.state-unreadable': (p) => `cannot read the state file ${p.path}: ${p.error}; starting afresh`,
  'watch.state-damaged': (p) => `the state file ${p.path} is damaged (${p.error}); starting afresh`,
  'watch.state-unwritable': (p) => `cannot write the state file ${p.path}: ${p.error}`,
  'watch.reporter-failed': (p) => `${p.reporter}: ${p.error}`,
  'watch.nothing-to-watch': () => 'nothing to watch: name the logs (--kernel, --check, --app, --dir)',
} satisfies Catalog;

/** A code of watch's catalogue; a misspelt one does not compile. */
export type WatchCode = keyof typeof en;

/** Every English line has its Chinese one: a missing translation does not compile. */
const zh: Record<WatchCode, (p: Params) => string> = {
  'watch.rotated': (p) => `${p.path} 已轮转；改为跟踪新文件`,
  'watch.truncated': (p) => `${p.path} 被清空（copytruncate）；从头重新读取`,
  'watch.unreadable': (p) => `${p.path}：${p.error}`,
  'watch.kmsg-open-failed': (p) => `无法打开 /dev/kmsg：${p.error}（请以 root 或带 CAP_SYSLOG 权限运行）`,
  'watch.kmsg-lost': () => '读取之前，内核环形缓冲区已覆盖了部分记录（丢失了一些内核日志行）',
  'watch.kmsg-lost-count': (p) => `有 ${p.count} 条内核记录在读取之前被覆盖`,
  'watch.journalctl-failed': (p) => `无法运行 journalctl：${p.error}`,
  'watch.state-unreadable': (p) => `无法读取状态文件 ${p.path}：${p.error}；将从头开始`,
  'watch.state-damaged': (p) => `状态文件 ${p.path} 已损坏（${p.error}）；将从头开始`,
  'watch.state-unwritable': (p) => `无法写入状态文件 ${p.path}：${p.error}`,
  'watch.reporter-failed': (p) => `${p.reporter}：${p.error}`,
  'watch.nothing-to-watch': () => '没有可监视的日志：请用 --kernel、--check、--app 或 --dir 指定',
};

const catalogs: Record<Lang, Record<WatchCode, (p: Params) => string>> = { en, 'zh-CN': zh };

/** A line of `watch` for stderr, in `lang`. */
export function watchMessage(lang: Lang, code: WatchCode, params: Params = {}): string {
  return catalogs[lang][code](params);
}
