// What the command line says on stderr when it stops: usage errors (exit 2) and an internal error (exit 70), in English
// and Simplified Chinese. A code's fix, if it has one, is the code plus `/fix`; the CLI puts it in brackets after it.
import type { Params } from './catalog.js';
import type { Lang } from './messages.js';

const en = {
  'tz.unknown': (p) => `unknown time zone "${p.tz}"`,
  'tz.unknown/fix': () => 'use an IANA name such as Asia/Shanghai or UTC',
  'year.invalid': (p) => `--year ${p.year} is not a year`,
  'year.invalid/fix': () => 'give four digits, such as 2024',
  'boot-time.no-zone': (p) => `--boot-time "${p.text}" is not an ISO time with a zone`,
  'boot-time.no-zone/fix': () => 'for example 2024-07-20T08:00:00+08:00 (from `uptime -s` on that boot, plus the zone)',
  'boot-time.invalid': (p) => `--boot-time "${p.text}" is not a valid time`,
  'stdin.twice': () => 'stdin (-) can be read only once',
  'stdin.twice/fix': () => 'give - for one input only, and the others as files',
  'stdin.twice-kernel': () => 'stdin (-) can be read only once',
  'dir.no-logs': (p) => `--dir ${p.dir} holds neither check.log nor running.log`,
  'dir.no-logs/fix': () => 'give the AnQiCMS install directory, e.g. /www/wwwroot/anqicms.com',
  'no-logs': () => 'found no logs to read here',
  'no-logs/fix': () => 'name them: --dir INSTALL_DIR, --check, --app, --kernel (a file, - for stdin, kmsg, journal or dmesg)',
  'address.invalid': (p) => `${p.flag} ${p.value}: not PORT or ADDR:PORT`,
  'address.invalid/fix': () => 'give PORT (listens on 127.0.0.1) or ADDR:PORT, e.g. 0.0.0.0:9101 or [::1]:9101',
  'address.port-range': (p) => `${p.flag} ${p.value}: port out of range`,
  'address.port-range/fix': () => 'give PORT (listens on 127.0.0.1) or ADDR:PORT, e.g. 0.0.0.0:9101 or [::1]:9101',
  'listen.invalid': (p) => `${p.flag} ${p.value}: not PORT or ADDR:PORT`,
  'listen.invalid/fix': () => 'e.g. 127.0.0.1:9102',
  'listen.failed': (p) => `${p.where}: cannot listen (${p.error})`,
  'listen.in-use': (p) => `${p.where}: cannot listen (${p.error})`,
  'listen.in-use/fix': () => 'another program listens there: choose another port',
  'listen.no-privilege': (p) => `${p.where}: cannot listen (${p.error})`,
  'listen.no-privilege/fix': () => 'ports below 1024 need privileges: choose a port above 1024',
  'listen.no-address': (p) => `${p.where}: cannot listen (${p.error})`,
  'listen.no-address/fix': () => 'this machine has no such address: use 127.0.0.1, 0.0.0.0 or one of its own',
  'relay.listen-failed': (p) => `${p.where}: cannot listen (${p.error})`,
  'relay.listen-failed/fix': () => 'choose another address or port',
  'relay.no-webhook': () => 'relay: no --webhook given',
  'relay.no-webhook/fix': () => 'give the chat robot URL with --webhook',
  'webhook.not-url': (p) => `--webhook: not a URL: ${p.url}`,
  'webhook.not-url/fix': () => 'give a full http:// or https:// URL',
  'webhook.protocol': (p) => `--webhook: ${p.protocol} URLs are not supported`,
  'webhook.protocol/fix': () => 'give an http:// or https:// URL',
  'supervise.no-command': () => 'no COMMAND to supervise',
  'supervise.no-command/fix': () => 'give it after --: oomscope supervise [options] -- ./anqicms',
  'supervise.not-found': (p) => `cannot run ${p.program}: not found or not executable`,
  'supervise.not-found/fix': () => 'check the path',
  'supervise.not-on-path': (p) => `cannot run ${p.program}: not found or not executable`,
  'supervise.not-on-path/fix': (p) => `give its path, e.g. ./${p.program}`,
  'supervise.name': (p) => `--name "${p.name}" must be one word (check.log separates fields by spaces)`,
  'memory-max.not-size': (p) => `--memory-max ${p.value} is not a size`,
  'memory-max.not-size/fix': () => 'write it like 256M or 1G (powers of 1024)',
  'memory-max.too-small': (p) => `--memory-max ${p.value} is too small`,
  'memory-max.too-small/fix': () => 'give at least 4M',
  'gomemlimit.invalid': (p) => `--gomemlimit ${p.value} is neither auto nor a size`,
  'gomemlimit.invalid/fix': () => 'write auto, or a size like 800M',
  'path.not-writable': (p) => `${p.flag} ${p.path}: cannot write it (${p.error})`,
  'path.not-writable/fix': () => 'choose a writable path',
  'backoff.order': () => '--backoff-max is smaller than --backoff-initial',
  'check-interval.zero': () => '--check-interval must be more than 0 seconds',
  'output.not-writable': (p) => `cannot write ${p.path}: ${p.error}`,
  'output.not-writable/fix': () => 'choose a writable path for -o',
  'stdout.failed': (p) => `cannot write the report to standard output: ${p.error}`,
  'stdout.failed/fix': () => 'check where it goes (a full disk?), or write it with -o FILE',
  'since.invalid': (p) => `--since ${p.value}: not a duration`,
  'since.invalid/fix': () => 'e.g. 30d, 12h, 90m',
  'prometheus.not-url': (p) => `--prometheus ${p.value}: not a URL`,
  'prometheus.not-url/fix': () => 'e.g. http://127.0.0.1:9090',
  'prometheus.unreadable': (p) => `cannot read ${p.url}: ${p.error}`,
  'cgroup.no-controller': () => '--memory-max: no memory cgroup controller is mounted (neither cgroup v1 "memory" nor cgroup2 offering memory)',
  'cgroup.outside-mount': (p) => `--memory-max: our cgroup ${p.cgroup} is not under the cgroup2 mount ${p.mount}`,
  'cgroup.not-delegated': (p) =>
    `--memory-max: cgroup v2 does not let us limit memory here: our cgroup ${p.cgroup} was not delegated the memory controller and its parent does not enable it (run under systemd with Delegate=yes, see contrib/oomscope-supervise.service)`,
  'cgroup.not-linux': (p) => `--memory-max needs Linux cgroups (this is ${p.platform})`,
  'cgroup.create-denied': (p) => `--memory-max: cannot create the memory cgroup ${p.dir}: ${p.error} (--memory-max needs root, or a cgroup subtree delegated to this user (systemd: Delegate=yes))`,
  'cgroup.create-failed': (p) => `--memory-max: cannot create the memory cgroup ${p.dir}: ${p.error}`,
  'cgroup.set-limit-failed': (p) => `--memory-max: cannot set the memory limit of ${p.dir}: ${p.error}`,
  'cgroup.limit-not-taken': (p) => `--memory-max: the limit of ${p.dir} did not take (reads ${p.took}, wanted ${p.wanted})`,
  // Not usage errors (exit 1): another supervisor holds the pidfile.
  'supervise.already': (p) => `${p.path}: already supervised by pid ${p.pid}${p.app ? ` (app pid ${p.app})` : ''}; stop it first (kill ${p.pid}) or use another --pidfile`,
  'supervise.already-foreign': (p) => `${p.path} names pid ${p.pid}, which is running, and is not oomscope's pidfile; stop that process or use another --pidfile`,
  // Not usage errors: a bug that escaped every handler (exit 70).
  'internal': (p) => `internal error: ${p.error}`,
  'internal.debug': () => 'run again with --debug for details, and please report it',
} satisfies Record<string, (p: Params) => string>;

type ErrorKey = keyof typeof en;
/** A usage error's code: every key that is not a fix. */
export type ErrorCode = Exclude<ErrorKey, `${string}/fix`>;

const zh: Record<ErrorKey, (p: Params) => string> = {
  'tz.unknown': (p) => `未知时区“${p.tz}”`,
  'tz.unknown/fix': () => '请使用 IANA 时区名，例如 Asia/Shanghai 或 UTC',
  'year.invalid': (p) => `--year ${p.year} 不是年份`,
  'year.invalid/fix': () => '请给出四位数，例如 2024',
  'boot-time.no-zone': (p) => `--boot-time 的值“${p.text}”不是带时区的 ISO 时间`,
  'boot-time.no-zone/fix': () => '例如 2024-07-20T08:00:00+08:00：取那次开机时 `uptime -s` 的输出，再加上时区',
  'boot-time.invalid': (p) => `--boot-time 的值“${p.text}”不是有效的时间`,
  'stdin.twice': () => '标准输入（-）只能读取一次',
  'stdin.twice/fix': () => '只有一个输入可以用 -，其他的请给出文件',
  'stdin.twice-kernel': () => '标准输入（-）只能读取一次',
  'dir.no-logs': (p) => `--dir ${p.dir} 中既没有 check.log，也没有 running.log`,
  'dir.no-logs/fix': () => '请给出 AnQiCMS 的安装目录，例如 /www/wwwroot/anqicms.com',
  'no-logs': () => '这里找不到可读的日志',
  'no-logs/fix': () => '请指定：--dir 安装目录、--check、--app、--kernel（文件、- 表示标准输入、kmsg、journal 或 dmesg）',
  'address.invalid': (p) => `${p.flag} ${p.value}：既不是端口，也不是“地址:端口”`,
  'address.invalid/fix': () => '请给出端口或“地址:端口”，例如 9101、0.0.0.0:9101 或 [::1]:9101；只给端口时监听 127.0.0.1',
  'address.port-range': (p) => `${p.flag} ${p.value}：端口超出范围`,
  'address.port-range/fix': () => '请给出端口或“地址:端口”，例如 9101、0.0.0.0:9101 或 [::1]:9101；只给端口时监听 127.0.0.1',
  'listen.invalid': (p) => `${p.flag} ${p.value}：既不是端口，也不是“地址:端口”`,
  'listen.invalid/fix': () => '例如 127.0.0.1:9102',
  'listen.failed': (p) => `${p.where}：无法监听（${p.error}）`,
  'listen.in-use': (p) => `${p.where}：无法监听（${p.error}）`,
  'listen.in-use/fix': () => '已有其他程序在监听这个端口：请换一个端口',
  'listen.no-privilege': (p) => `${p.where}：无法监听（${p.error}）`,
  'listen.no-privilege/fix': () => '1024 以下的端口需要特权：请用 1024 以上的端口',
  'listen.no-address': (p) => `${p.where}：无法监听（${p.error}）`,
  'listen.no-address/fix': () => '本机没有这个地址：请用 127.0.0.1、0.0.0.0 或本机自己的地址',
  'relay.listen-failed': (p) => `${p.where}：无法监听（${p.error}）`,
  'relay.listen-failed/fix': () => '请换一个地址或端口',
  'relay.no-webhook': () => 'relay：没有给出 --webhook',
  'relay.no-webhook/fix': () => '请用 --webhook 给出聊天机器人的 URL',
  'webhook.not-url': () => '--webhook 的值不是 URL', // its value is never shown: it may hold a token, and unparsed it cannot be redacted
  'webhook.not-url/fix': () => '请给出完整的 http:// 或 https:// URL',
  'webhook.protocol': (p) => `--webhook：不支持 ${p.protocol} URL`,
  'webhook.protocol/fix': () => '请给出 http:// 或 https:// URL',
  'supervise.no-command': () => '没有给出要守护的程序（COMMAND）',
  'supervise.no-command/fix': () => '请写在 -- 之后：oomscope supervise [选项] -- ./anqicms',
  'supervise.not-found': (p) => `无法运行 ${p.program}：找不到，或没有执行权限`,
  'supervise.not-found/fix': () => '请检查路径',
  'supervise.not-on-path': (p) => `无法运行 ${p.program}：找不到，或没有执行权限`,
  'supervise.not-on-path/fix': (p) => `请给出它的路径，例如 ./${p.program}`,
  'supervise.name': (p) => `--name 的值“${p.name}”必须是一个词（check.log 用空格分隔各字段）`,
  'memory-max.not-size': (p) => `--memory-max ${p.value} 不是有效的大小`,
  'memory-max.not-size/fix': () => '请写成 256M、1G 这样的大小（按 1024 进位）',
  'memory-max.too-small': (p) => `--memory-max ${p.value} 太小`,
  'memory-max.too-small/fix': () => '至少给 4M',
  'gomemlimit.invalid': (p) => `--gomemlimit ${p.value} 既不是 auto，也不是大小`,
  'gomemlimit.invalid/fix': () => '请写 auto，或 800M 这样的大小',
  'path.not-writable': (p) => `${p.flag} ${p.path}：无法写入（${p.error}）`,
  'path.not-writable/fix': () => '请换一个可写的路径',
  'backoff.order': () => '--backoff-max 比 --backoff-initial 小',
  'check-interval.zero': () => '--check-interval 必须大于 0 秒',
  'output.not-writable': (p) => `无法写入 ${p.path}：${p.error}`,
  'output.not-writable/fix': () => '请用 -o 指定一个可写的路径',
  'stdout.failed': (p) => `无法把报告写到标准输出：${p.error}`,
  'stdout.failed/fix': () => '请检查输出去了哪里（磁盘满了？），或用 -o FILE 写到文件',
  'since.invalid': (p) => `--since ${p.value}：不是时长`,
  'since.invalid/fix': () => '例如 30d、12h、90m',
  'prometheus.not-url': (p) => `--prometheus ${p.value}：不是 URL`,
  'prometheus.not-url/fix': () => '例如 http://127.0.0.1:9090',
  'prometheus.unreadable': (p) => `无法读取 ${p.url}：${p.error}`,
  'cgroup.no-controller': () => '--memory-max：没有挂载内存 cgroup 控制器（既没有 cgroup v1 的 memory，也没有提供 memory 的 cgroup2）',
  'cgroup.outside-mount': (p) => `--memory-max：本进程的 cgroup ${p.cgroup} 不在 cgroup2 的挂载点 ${p.mount} 之下`,
  'cgroup.not-delegated': (p) =>
    `--memory-max：cgroup v2 不允许在这里限制内存：本进程的 cgroup ${p.cgroup} 没有被委派 memory 控制器，它的上级也没有启用（请在 systemd 下以 Delegate=yes 运行，见 contrib/oomscope-supervise.service）`,
  'cgroup.not-linux': (p) => `--memory-max 需要 Linux 的 cgroup（这里是 ${p.platform}）`,
  'cgroup.create-denied': (p) => `--memory-max：无法创建内存 cgroup ${p.dir}：${p.error}（--memory-max 需要 root，或委派给这个用户的 cgroup 子树：systemd 的 Delegate=yes）`,
  'cgroup.create-failed': (p) => `--memory-max：无法创建内存 cgroup ${p.dir}：${p.error}`,
  'cgroup.set-limit-failed': (p) => `--memory-max：无法设置 ${p.dir} 的内存上限：${p.error}`,
  'cgroup.limit-not-taken': (p) => `--memory-max：${p.dir} 的上限没有生效（读回 ${p.took}，应为 ${p.wanted}）`,
  'supervise.already': (p) => `${p.path}：已由 pid ${p.pid} 守护${p.app ? `（应用 pid ${p.app}）` : ''}；请先停止它（kill ${p.pid}），或换一个 --pidfile`,
  'supervise.already-foreign': (p) => `${p.path} 记录的 pid ${p.pid} 正在运行，但这不是 oomscope 的 pidfile；请停止那个进程，或换一个 --pidfile`,
  'internal': (p) => `内部错误：${p.error}`,
  'internal.debug': () => '加上 --debug 再运行一次可以看到详情，也请报告这个问题',
};

const catalogs: Record<Lang, Record<ErrorKey, (p: Params) => string>> = { en, 'zh-CN': zh };

/** Every code, for tests that walk the catalogue. */
export const ERROR_CODES = Object.keys(en).filter((key) => !key.endsWith('/fix')) as ErrorCode[];

/** The error's sentence in `lang`, without its fix. */
export function errorMessage(lang: Lang, code: ErrorCode, params: Params = {}): string {
  return catalogs[lang][code](params);
}

/** The fix of `code` in `lang`, or undefined when it has none. */
export function errorFix(lang: Lang, code: ErrorCode, params: Params = {}): string | undefined {
  const fix = catalogs[lang][`${code}/fix` as ErrorKey];
  return fix ? fix(params) : undefined;
}

/** The sentence with its fix in brackets: ASCII `( )` after a space in English, full-width `（）` in Chinese. */
export function withFix(lang: Lang, message: string, fix: string | undefined): string {
  if (fix === undefined) return message;
  return lang === 'zh-CN' ? `${message}（${fix}）` : `${message} (${fix})`;
}
