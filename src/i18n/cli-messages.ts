// The command line's own text, in English and Simplified Chinese: what discovery found (the report's `discovered`
// warnings), the lines `watch` writes to stderr, and (below) every command's --help.
import type { Catalog, Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  // What discovery found, and why it read it (the report's `discovered` warnings).
  'found.cwd': (p) => `using the logs in the current directory ${p.dir}`,
  'found.site': (p) => `using the logs of ${p.dir}`,
  'found.sites': (p) => `using the logs of ${p.dir} (${p.count} sites found; pass --dir for another)`,
  'found.go-log': (p) => `using Baota's Go project log ${p.path}`,
  'found.journal': () => 'reading the kernel log from the journal (all boots)',
  'found.system-log': (p) => `reading ${p.path} and its rotated files`,
  'found.kmsg': () => 'reading /dev/kmsg for the current boot',
  'found.install-kernel-log': (p) => `reading ${p.path} in the install directory ${p.dir}${p.rotated ? ' and its rotated files' : ''}`,
  'found.no-kernel': () => 'found no kernel log here (no journal, no kern.log, syslog or messages, no readable /dev/kmsg): OOM kills cannot be seen; name one with --kernel',
  // `watch` on stderr.
  'watch.start': (p) => `watching ${p.inputs}: telling each death of ${p.process}${p.others ? ' and each OOM kill of another process' : ''}`,
  'watch.no-kernel': (p) =>
    `no kernel log is followed, so an OOM kill of ${p.process} cannot be seen (its death would read as a silent one); add one: --kernel kmsg (as root), --kernel journal, or --kernel /var/log/kern.log`,
} satisfies Catalog;

export type CliCode = keyof typeof en;

/** Every English line has its Chinese one: a missing translation does not compile. */
const zh: Record<CliCode, (p: Params) => string> = {
  'found.cwd': (p) => `读取当前目录 ${p.dir} 中的日志`,
  'found.site': (p) => `读取 ${p.dir} 中的日志`,
  'found.sites': (p) => `读取 ${p.dir} 中的日志（共找到 ${p.count} 个站点；要读其他站点，请用 --dir 指定）`,
  'found.go-log': (p) => `读取宝塔 Go 项目日志 ${p.path}`,
  'found.journal': () => '从 journal 读取内核日志（所有启动）',
  'found.system-log': (p) => `读取 ${p.path} 及其轮转文件`,
  'found.kmsg': () => '读取 /dev/kmsg（本次启动）',
  'found.install-kernel-log': (p) => `读取安装目录 ${p.dir} 中的 ${p.path}${p.rotated ? ' 及其轮转文件' : ''}`,
  'found.no-kernel': () => '这里找不到内核日志（没有 journal，没有 kern.log、syslog 或 messages，/dev/kmsg 也不可读）：看不到 OOM killer 杀进程的记录；请用 --kernel 指定',
  'watch.start': (p) => `正在监视 ${p.inputs}：报告 ${p.process} 的每次退出${p.others ? '，以及 OOM killer 每一次杀死其他进程' : ''}`,
  'watch.no-kernel': (p) =>
    `没有跟踪内核日志，因此看不到 OOM killer 杀死 ${p.process}（这样的退出只会显示为无声消失）；请加上：--kernel kmsg（需 root）、--kernel journal 或 --kernel /var/log/kern.log`,
};

const catalogs: Record<Lang, Record<CliCode, (p: Params) => string>> = { en, 'zh-CN': zh };

/** A line of the command line's own, in `lang`. */
export function cliMessage(lang: Lang, code: CliCode, params: Params = {}): string {
  return catalogs[lang][code](params);
}

/** A discovery note not said yet: its code and values (the report says it in --lang). */
export interface FoundNote {
  code: CliCode & `found.${string}`;
  params: Params;
}
