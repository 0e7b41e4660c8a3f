// What `oomscope setup` says, in English and Simplified Chinese.
import type { Catalog, Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  'dry-run': () => 'Dry run: nothing is written or run.',
  'install-dir': (p) => `Install folder: ${p.dir} (${p.how})`,
  'found.running': (p) => `where the running ${p.process} is, pid ${p.pid}`,
  'found.wwwroot': () => 'a site folder holding its files',
  'found.given': () => 'given with --dir',
  'other-dir': (p) => `Also found: ${p.dir} (${p.how}); give --dir to choose it.`,
  'cron-line': (p) => `start.sh's cron line: ${p.file}:${p.line}: ${p.text}`,
  'no-cron-line': (p) => `No crontab line runs ${p.dir}/start.sh.`,
  'no-systemd': () => 'systemd is not running here: the watcher is started by cron instead.',
  'would-write': (p) => `Would write ${p.path}:`,
  'wrote': (p) => `Wrote ${p.path}.`,
  'backup': (p) => `The old ${p.path} is kept as ${p.backup}.`,
  'unchanged': (p) => `${p.path} already says this; left as it is.`,
  'would-run': (p) => `Would run: ${p.command}`,
  'ran': (p) => `Ran: ${p.command}`,
  'not-run-root': (p) => `Not run, since --root is not /: ${p.command}`,
  'ask': () => 'Do it? [y/N] ',
  'cancelled': () => 'Nothing was changed.',
  'next.systemd': () => 'Next: systemctl status oomscope-watch; journalctl -u oomscope-watch -f shows what it tells.',
  'next.cron': () => 'Next: it starts within a minute; tail -f /var/log/oomscope-watch.log shows what it tells.',
  'error.no-dir': (p) => `no install folder found (no running ${p.process}, and nothing of it under /www/wwwroot/)`,
  'fix.no-dir': () => 'give it: --dir /www/wwwroot/YOUR-SITE',
  'error.need-yes': () => 'setup changes the system and there is no terminal to ask on',
  'fix.need-yes': () => 'add --yes to do it, or --dry-run to see what it would do',
} satisfies Catalog;

export type SetupKey = keyof typeof en;

const zh: Record<SetupKey, (p: Params) => string> = {
  'dry-run': () => '演练模式：不写任何文件，也不执行任何命令。',
  'install-dir': (p) => `安装目录：${p.dir}（${p.how}）`,
  'found.running': (p) => `正在运行的 ${p.process} 所在目录，pid ${p.pid}`,
  'found.wwwroot': () => '含有它的文件的站点目录',
  'found.given': () => '由 --dir 指定',
  'other-dir': (p) => `另外还找到：${p.dir}（${p.how}）；要用它请加 --dir。`,
  'cron-line': (p) => `start.sh 的计划任务行：${p.file} 第 ${p.line} 行：${p.text}`,
  'no-cron-line': (p) => `没有计划任务运行 ${p.dir}/start.sh。`,
  'no-systemd': () => '这台机器没有运行 systemd：改由 cron 启动监视进程。',
  'would-write': (p) => `将写入 ${p.path}：`,
  'wrote': (p) => `已写入 ${p.path}。`,
  'backup': (p) => `原来的 ${p.path} 已备份为 ${p.backup}。`,
  'unchanged': (p) => `${p.path} 的内容已经一样，未改动。`,
  'would-run': (p) => `将执行：${p.command}`,
  'ran': (p) => `已执行：${p.command}`,
  'not-run-root': (p) => `--root 不是 /，所以没有执行：${p.command}`,
  'ask': () => '确定执行吗？[y/N] ',
  'cancelled': () => '没有做任何改动。',
  'next.systemd': () => '下一步：systemctl status oomscope-watch 查看状态；journalctl -u oomscope-watch -f 查看它的输出。',
  'next.cron': () => '下一步：一分钟内它会启动；tail -f /var/log/oomscope-watch.log 查看它的输出。',
  'error.no-dir': (p) => `没有找到安装目录（没有正在运行的 ${p.process}，/www/wwwroot/ 下也没有它的文件）`,
  'fix.no-dir': () => '请指定：--dir /www/wwwroot/你的站点',
  'error.need-yes': () => 'setup 会改动系统，而这里没有终端可以询问',
  'fix.need-yes': () => '加 --yes 直接执行，或加 --dry-run 先看看会做什么',
};

const catalogs: Record<Lang, Record<SetupKey, (p: Params) => string>> = { en, 'zh-CN': zh };

export function setupMessage(lang: Lang, key: SetupKey, params: Params = {}): string {
  return catalogs[lang][key](params);
}
