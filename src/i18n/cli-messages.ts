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

  'relay.listening': (p) => `relay listening on ${p.address}`,

  // --help: commander's headings and its own options, and the usage errors of the flags.
  'help.usage': () => 'Usage:',
  'help.options': () => 'Options:',
  'help.commands': () => 'Commands:',
  'help.arguments': () => 'Arguments:',
  'help.examples': () => 'Examples:',
  'help.default': (p) => `default: ${p.value}`,
  'help.help-option': () => 'show this help',
  'help.version-option': () => 'print the version',
  'help.help-command': () => 'show the help of a command',
  'help.after-error': () => '(run with --help for usage)',
  'usage.options': () => '[options]',
  'usage.command': () => '[command]',
  'error.prefix': () => 'error: ',
  'error.unknown-option': (p) => `unknown option ${p.option}`,
  'error.did-you-mean': (p) => `(did you mean ${p.option}?)`,
  'error.unknown-command': (p) => `unknown command ${p.command}`,
  'error.missing-argument': (p) => `option ${p.option} needs a value`,
  'error.invalid-argument': (p) => `option ${p.option}: ${p.value} is not valid. ${p.why}`,
  'error.choices': (p) => `Choose one of ${p.choices}.`,
  'error.too-many-arguments': () => 'too many arguments',
  'error.missing-required-argument': (p) => `missing required argument '${p.argument}'`,
  'error.missing-required-option': (p) => `required option '${p.option}' not specified`,
  'error.verdicts': (p) => `unknown verdict ${p.unknown}; choose from ${p.verdicts}`,
  'error.year': () => 'give a four-digit year, such as 2024',
  'error.threads': () => 'give a whole number of threads from 1 to 256, such as 2',
  'error.positive': () => 'give a positive number',
  'error.seconds': () => 'give a number of seconds (0 or more)',
  'error.whole-number': () => 'give a whole number, 1 or more',

  'program.description': () => "Tells a Linux server's operator why their process died: kernel OOM kill, cgroup limit, Go panic, kill -9, reboot.",

  'ex.root.demo': () => 'a report on the bundled sample, to see what it tells',
  'ex.root.help': () => 'the help of a command, in Chinese',

  'diagnose.summary': () => 'find out why a process died, from the logs',
  'diagnose.description': () =>
    'Joins the guardian log (check.log), the application log (running.log) and the kernel log into one incident per death of the watched process, with a verdict, the evidence and advice; and reports every OOM kill in the kernel log with its figures. A log that is not named is looked for: check.log and running.log in the current directory or under /www/wwwroot/*/; the kernel log in a kern.log there, and in the journal or /var/log.\n\n' +
    'Kernel SOURCE is a file (plain or gzip, any name), - for standard input, or a live source:\n' +
    '  kmsg     /dev/kmsg of this machine (needs root or CAP_SYSLOG)\n' +
    '  journal  journalctl: all boots, the kernel and the OOM-killer daemons\n' +
    '  dmesg    the dmesg command',
  'diagnose.notes': (p) =>
    `Verdicts: ${p.verdicts}.\n\nExit codes: 0 read everything; 1 --fail-on matched; 2 wrong usage or nothing readable; 3 some input unreadable or cut short (when several apply: 2, then 1, then 3).`,
  'opt.kernel': () => 'kernel log to read: a file, -, kmsg, journal or dmesg (repeatable)',
  'opt.check': () => 'guardian log, check.log (repeatable: rotated files oldest first)',
  'opt.app': () => 'application log, running.log (repeatable: rotated files oldest first)',
  'opt.dir': () => 'install directory: its check.log, running.log and their rotated files',
  'opt.no-kernel': () => 'read no kernel log (else one is looked for)',
  'opt.no-check': () => 'read no guardian log',
  'opt.no-app': () => 'read no application log',
  'opt.process': () => 'the watched process, matched against the kernel comm by its first 15 bytes',
  'opt.tz': () => 'IANA zone for zone-less stamps and every output time (default: the system zone)',
  'opt.year': () => 'year of the first line of a year-less log (default: from the other logs or the file time)',
  'opt.threads': () => 'threads to read with: a big running.log gets one, a big plain kernel log is scanned on the rest (default: one per core; 1 reads in one thread)',
  'opt.boot-time': () => "start of the kernel input's last boot, for logs with only uptime stamps (e.g. 2024-07-20T08:00:00+08:00)",
  'opt.fail-on': () => 'exit 1 when a death has one of these verdicts (comma-separated, e.g. kernel-oom,cgroup-oom)',
  'opt.oldest-first': () => 'text and md reports: the oldest death and kill first (default: the newest first)',
  'opt.all': () => 'text and md reports: every death and kill on its own, no run of alike ones folded into one entry',
  'opt.report-format': () => 'text for a person, md for a ticket, html for a page, json for scripts',
  'opt.output': () => 'write the report to FILE instead of standard output',
  'opt.lang': () => 'language of human text; by default the one LC_ALL, LC_MESSAGES or LANG names',
  'opt.explain': () => 'text report: explain every field of each OOM kill the way a kernel engineer reads it',
  'opt.debug': () => 'show stack traces for internal errors',
  'ex.diagnose.find': () => 'finds the logs itself: ., /www/wwwroot/*/, the journal or /var/log',
  'ex.diagnose.dir': () => 'an install directory; the kernel log is looked for',
  'ex.diagnose.files': () => 'logs copied from the server, as Markdown for a ticket',
  'ex.diagnose.html': () => 'a page to open, mail or print',
  'ex.diagnose.explain': () => 'every field of each OOM kill explained',
  'ex.diagnose.kmsg': () => "this machine's kernel log, as JSON",
  'ex.diagnose.dmesg': () => 'the output of dmesg, placed on the clock by the boot time',

  'demo.summary': () => 'diagnose the bundled sample logs',
  'demo.description': () =>
    'Runs `oomscope diagnose` on a bundled sample: four days of a small AnQiCMS server (check.log, running.log, kern.log) with a Go panic, a kernel OOM kill, a kill -9, a stop, a reboot and failed starts. The sample lives in samples/anqicms/; its times are read in Asia/Shanghai.',
  'ex.demo.html': () => 'the report as a page: open it in a browser',
  'ex.demo.explain': () => 'every field of each OOM kill explained, in Chinese',

  'watch.summary': () => 'follow the logs live and report each death once',
  'watch.description': () =>
    'Follows the kernel log (a file, /dev/kmsg or the journal), check.log and running.log as they grow (through log rotation, and files that do not exist yet) and reports each death of the watched process once, as soon as its evidence settles: at once for a kill record or a crash trace; for a silent death when it is back or after --settle seconds. When it comes back, an update of the same incident carries restartedAt and the downtime. An OOM kill of another process is told too (not with --only-process). Runs until stopped (SIGINT or SIGTERM); remembers where it was in --state, so a restart repeats nothing and catches up what happened while it was down.',
  'opt.watch-kernel': () => 'kernel log: a file, kmsg or journal (repeatable)',
  'opt.watch-check': () => 'guardian log, check.log',
  'opt.watch-app': () => 'application log, running.log',
  'opt.watch-dir': () => 'install directory holding check.log and running.log',
  'opt.watch-no-kernel': () => 'follow no kernel log (else one is looked for)',
  'opt.watch-no-check': () => 'follow no guardian log',
  'opt.watch-no-app': () => 'follow no application log',
  'opt.state': (p) => `where to remember progress (default: ${p.path})`,
  'opt.poll': () => 'how often to read the inputs, in milliseconds',
  'opt.settle': () => 'tell a silent death after this many seconds even if it is not back',
  'opt.only-process': () => 'tell deaths of the watched process only, not OOM kills of other processes',
  'opt.quiet': () => 'no start line on stderr (problems are still written)',
  'opt.reporter-format': () => 'stdout: one line per death for a person, or ndjson for log shippers',
  'opt.webhook': () => 'POST each death to URL (repeatable)',
  'opt.webhook-template': () => 'body shape for chat robots',
  'opt.webhook-secret': () => 'signing secret for dingtalk or feishu (better: OOMSCOPE_WEBHOOK_SECRET); never printed',
  'opt.exec': () => 'run CMD per death: JSON on stdin, the figures in OOMSCOPE_* variables (repeatable)',
  'opt.metrics': () => 'serve Prometheus /metrics (PORT alone listens on 127.0.0.1)',
  'ex.watch.metrics': () => 'an install directory and the live kernel log, with metrics for Prometheus',
  'ex.dingtalk': () => 'each death to a DingTalk group robot (its webhook URL in DINGTALK_ROBOT_URL)',
  'ex.watch.ndjson': () => 'one JSON line per death, for a log shipper',

  'supervise.summary': () => 'run the app, restart it when it dies, and tell why each time',
  'supervise.description': () =>
    "Starts COMMAND and keeps it running: restarts it after every exit except a deliberate stop (SIGTERM or SIGINT to oomscope, passed on to the app; SIGHUP is passed on too and restarts it), with a backoff that doubles from --backoff-initial to --backoff-max and starts again after a stable run; 3 deaths within 10 minutes are a crash loop (announced; restarts slow down to the cap). At every exit it writes a death certificate (the incident diagnose would give: verdict, reason, advice; plus the exit code or signal, the run time and the last lines of output) to --incidents and to the reporters; an OOM kill is read from the kernel's log at that moment. It writes check.log and running.log as the cron guardian does, so `oomscope diagnose` reads them too.",
  'supervise.argument': () => 'the app and its arguments (after --)',
  'supervise.notes': () => 'Exit codes: 0 stopped on purpose; 1 another oomscope already supervises this --pidfile; 2 wrong usage, or the app cannot be run (not found, no memory cgroup for --memory-max).',
  'opt.name': () => 'name in check.log and in the reports (default: the file name of COMMAND)',
  'opt.check-log': () => "append the cron guardian's lines: `YYYYMMDD HH:MM:SS NAME PID check: N`",
  'opt.log': () => "append the app's stdout and stderr here (running.log); without it they go to oomscope's stderr",
  'opt.incidents': () => 'append each death certificate as one JSON line (NDJSON)',
  'opt.pidfile': () => 'lock and record: one supervisor per app; a restarted oomscope adopts the running app',
  'opt.memory-max': () => 'run the app in its own memory cgroup with this limit, swap included (256M, 1G); needs root or a delegated cgroup',
  'opt.gomemlimit': () => 'set GOMEMLIMIT for the app: auto is 80% of --memory-max, or of RAM without it',
  'opt.backoff-initial': () => 'first restart delay, in seconds',
  'opt.backoff-max': () => 'longest restart delay (and the delay in a crash loop), in seconds',
  'opt.stable-after': () => 'a run this many seconds long resets the backoff',
  'opt.grace': () => 'on stop: wait this many seconds after SIGTERM, then SIGKILL',
  'opt.crash-loop-deaths': () => 'a crash loop is this many deaths…',
  'opt.crash-loop-window': () => '…within this many seconds',
  'opt.check-interval': () => "how often check.log gets a line, in seconds (cron's minute)",
  'opt.supervise-kernel': () => 'where OOM kills are read: kmsg (/dev/kmsg), journal, or none',
  'opt.supervise-tz': () => 'IANA zone of the times in the reports (default: the system zone)',
  'ex.supervise.cron': () => 'in the crontab, instead of the guardian script',
  'ex.supervise.memory': () => 'contained: only the app is killed when it leaks',

  'relay.summary': () => "forward Alertmanager's alerts to chat robots, in the same words as watch's messages",
  'relay.description': () =>
    "Receives Alertmanager's webhook posts (point a webhook_config at it; see contrib/alertmanager/) and sends each alert to the --webhook URLs with the same templates and signing as `watch --webhook`. Runs until stopped (SIGINT or SIGTERM).",
  'relay.notes': () => 'Exit codes: 0 stopped; 2 wrong usage.',
  'opt.relay-listen': () => 'where Alertmanager posts (PORT alone listens on 127.0.0.1)',
  'opt.relay-webhook': () => 'chat robot URL (repeatable, at least one)',
  'opt.relay-template': () => 'which chat robot',
  'ex.relay.dingtalk': () => 'Alertmanager → DingTalk, signed with the robot\'s secret',
  'fleet.summary': () => "the fleet's deaths from Prometheus: which servers died most, why, and which watcher is silent",
  'fleet.description': () =>
    'Asks the Prometheus that scrapes the watchers (`oomscope watch --metrics`) for the deaths and OOM kills of each server over the window, and for the watchers\' health, and prints one table or page.',
  'fleet.notes': () => 'Exit codes: 0 every watcher answers; 2 wrong usage, or Prometheus cannot be read; 3 a watcher is silent.',
  'opt.prometheus': () => 'the Prometheus that scrapes the watchers, e.g. http://127.0.0.1:9090',
  'opt.since': () => 'the window: 30d, 12h, 90m…',
  'opt.fleet-format': () => 'output',
  'ex.fleet.text': () => 'the last 30 days of every server',
  'ex.fleet.html': () => 'the last week as a page',

  'setup.summary': () => 'set the watcher and the supervisor up on this server, and undo it',
  'setup.description': () =>
    "Sets oomscope up the way these servers are run. `setup watch` writes and enables a systemd unit for `oomscope watch` (cron lines where systemd is not running); `setup supervise` replaces start.sh's cron line by a systemd unit running `oomscope supervise`; `setup undo` puts back what they changed, from their backups.",
  'setup-watch.summary': () => 'write and enable a systemd unit for oomscope watch (cron where systemd is absent)',
  'setup-watch.description': () =>
    "Finds the install folder (where the running process is, else a site folder under /www/wwwroot/) and start.sh's cron line, shows the systemd unit it would write (contrib/oomscope-watch.service with the folder, the kernel source and this oomscope filled in; /etc/cron.d lines where systemd is not running), asks, then writes it, keeping a backup of any file it replaces, and enables it. --dry-run only shows.",
  'opt.setup-dir': () => 'install folder (found when not given)',
  'opt.setup-process': () => 'the watched process',
  'opt.setup-kernel': () => 'kernel log for the watcher: kmsg, journal or a file',
  'opt.dry-run': () => 'show what would be written and run; change nothing',
  'opt.yes': () => 'do it without asking',
  'ex.setup.dry-run': () => 'show the unit it would write, change nothing',
  'ex.setup.yes': () => 'set up the watcher of one site without asking',
  'setup-supervise.summary': () => "replace start.sh's cron line by a systemd unit running oomscope supervise",
  'setup-supervise.description': () =>
    "Finds the install folder (the running process's, a Go project of the Baota panel, or a site folder under /www/wwwroot/), start.sh's cron line and the logs start.sh writes, and offers a memory limit for the app (half the machine's RAM). Shows the unit it would write (contrib/oomscope-supervise.service filled in) and the crontab with start.sh's line commented out, asks, then writes both after a backup of the crontab, and enables the unit. Refuses when no cron line runs start.sh. `setup undo` puts it all back.",
  'opt.setup-memory-max': () => "the app's memory limit: a size such as 768M, or none (offered from the machine's RAM when not given)",
  'opt.setup-webhook': () => 'a DingTalk, Feishu or WeCom robot (or any URL) told of each death; asked when not given',
  'opt.setup-webhook-template': () => "the webhook's message format (found from the URL when not given)",
  'setup-undo.summary': () => 'put back what setup watch and setup supervise changed',
  'setup-undo.description': () =>
    "Reads what setup recorded (/var/lib/oomscope-setup/setup-record.json), shows what it would do, asks, then disables the units setup enabled, puts every file it replaced back from its backup byte for byte (the crontab with start.sh's line), and removes the files it created. A file changed since setup wrote it is left alone, and said so.",
  'ex.setup.supervise': () => "the unit and the crontab with start.sh's line commented out",
  'ex.setup.undo': () => 'put the crontab back and remove the units',
  'watch.notes': (p) => `As root it sets its own oom_score_adj to ${p.adj}, so that the kernel kills the app before the witness.`,
  'supervise.oom-notes': (p) => `As root it sets its own oom_score_adj to ${p.adj}, so that the kernel kills the app before its supervisor; the app starts with the value oomscope had before (it does not inherit ${p.adj}).`,
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

  'relay.listening': (p) => `relay 正在监听 ${p.address}`,
  'help.usage': () => '用法：',
  'help.options': () => '选项：',
  'help.commands': () => '命令：',
  'help.arguments': () => '参数：',
  'help.examples': () => '示例：',
  'help.default': (p) => `默认：${p.value}`,
  'help.help-option': () => '显示本帮助',
  'help.version-option': () => '显示版本号',
  'help.help-command': () => '显示某个命令的帮助',
  'help.after-error': () => '（用 --help 查看用法）',
  'usage.options': () => '[选项]',
  'usage.command': () => '[命令]',
  'error.prefix': () => '错误：',
  'error.unknown-option': (p) => `未知选项 ${p.option}`,
  'error.did-you-mean': (p) => `（是不是想用 ${p.option}？）`,
  'error.unknown-command': (p) => `未知命令 ${p.command}`,
  'error.missing-argument': (p) => `选项 ${p.option} 需要一个值`,
  'error.invalid-argument': (p) => `选项 ${p.option}：${p.value} 无效。${p.why}`,
  'error.choices': (p) => `可选值：${p.choices}。`,
  'error.too-many-arguments': () => '参数太多',
  'error.missing-required-argument': (p) => `缺少必需的参数 ${p.argument}`,
  'error.missing-required-option': (p) => `缺少必需的选项 ${p.option}`,
  'error.verdicts': (p) => `未知的结论 ${p.unknown}；可选：${p.verdicts}`,
  'error.year': () => '请给出四位数的年份，例如 2024',
  'error.threads': () => '请给出 1 到 256 之间的整数线程数，例如 2',
  'error.positive': () => '请给出一个正数',
  'error.seconds': () => '请给出秒数（0 或更大）',
  'error.whole-number': () => '请给出整数（1 或更大）',

  'program.description': () => '告诉 Linux 服务器的运维人员，进程为什么退出：内核 OOM 杀进程、cgroup 内存上限、Go 程序崩溃（panic）、kill -9、重启。',

  'ex.root.demo': () => '看一份示例日志的报告，了解它能告诉你什么',
  'ex.root.help': () => '用中文查看某个命令的帮助',

  'diagnose.summary': () => '从日志查明进程为什么退出',
  'diagnose.description': () =>
    '把守护脚本日志（check.log）、应用日志（running.log）和内核日志合在一起，被监视进程每退出一次，就给出一个事件：结论、证据和建议；并列出内核日志中每一次 OOM 杀进程及其数据。没有指定的日志会自动查找：check.log 和 running.log 在当前目录或 /www/wwwroot/*/ 下找；内核日志找那里的 kern.log，以及 journal 或 /var/log。\n\n' +
    '内核日志 SOURCE 可以是文件（普通或 gzip 压缩，文件名不限）、- 表示标准输入，或实时来源：\n' +
    '  kmsg     本机的 /dev/kmsg（需要 root 或 CAP_SYSLOG）\n' +
    '  journal  journalctl：所有启动，包括内核和 OOM 守护进程\n' +
    '  dmesg    dmesg 命令',
  'diagnose.notes': (p) =>
    `结论：${p.verdicts}。\n\n退出码：0 全部读取；1 --fail-on 匹配；2 用法错误或没有可读的输入；3 有输入无法读取或不完整（同时满足时依次取 2、1、3）。`,
  'opt.kernel': () => '要读取的内核日志：文件、-、kmsg、journal 或 dmesg（可重复）',
  'opt.check': () => '守护脚本日志 check.log（可重复：轮转文件按从旧到新给出）',
  'opt.app': () => '应用日志 running.log（可重复：轮转文件按从旧到新给出）',
  'opt.dir': () => '安装目录：读取其中的 check.log、running.log 及其轮转文件',
  'opt.no-kernel': () => '不读取内核日志（否则会自动查找）',
  'opt.no-check': () => '不读取守护脚本日志',
  'opt.no-app': () => '不读取应用日志',
  'opt.process': () => '被监视的进程名，按前 15 字节与内核 comm 比较',
  'opt.tz': () => '没有时区的时间戳按此 IANA 时区读取，所有输出时间也用它（默认：系统时区）',
  'opt.year': () => '没有年份的日志第一行所在的年份（默认：从其他日志或文件时间推断）',
  'opt.threads': () => '读取所用的线程数：大的 running.log 单独占一个，大的未压缩内核日志由其余线程分段扫描（默认：每个 CPU 核一个；1 表示只用一个线程）',
  'opt.boot-time': () => '内核日志中最后一次启动的时间，用于只有开机秒数的日志（例如 2024-07-20T08:00:00+08:00）',
  'opt.fail-on': () => '有退出的结论属于其中之一时，以 1 退出（逗号分隔，例如 kernel-oom,cgroup-oom）',
  'opt.oldest-first': () => '文本和 md 报告：最早的退出和杀进程排在前面（默认最新的在前）',
  'opt.all': () => '文本和 md 报告：逐条列出每次退出和杀进程，不把相同的连续记录合并为一条',
  'opt.report-format': () => 'text 给人看，md 用于工单，html 生成网页，json 给脚本',
  'opt.output': () => '把报告写入 FILE，而不是标准输出',
  'opt.lang': () => '文字所用的语言；默认取自 LC_ALL、LC_MESSAGES 或 LANG',
  'opt.explain': () => '文本报告：像内核工程师那样逐项解释每次 OOM 杀进程的各个字段',
  'opt.debug': () => '内部错误时显示调用栈',
  'ex.diagnose.find': () => '自动查找日志：当前目录、/www/wwwroot/*/、journal 或 /var/log',
  'ex.diagnose.dir': () => '指定安装目录；内核日志自动查找',
  'ex.diagnose.files': () => '从服务器拷贝来的日志，输出 Markdown 用于工单',
  'ex.diagnose.html': () => '生成网页，可以打开、发送或打印',
  'ex.diagnose.explain': () => '逐项解释每次 OOM 杀进程',
  'ex.diagnose.kmsg': () => '本机的内核日志，输出 JSON',
  'ex.diagnose.dmesg': () => 'dmesg 的输出，按启动时间换算成时刻',

  'demo.summary': () => '诊断自带的示例日志',
  'demo.description': () =>
    '对自带的示例运行 `oomscope diagnose`：一台小型 AnQiCMS 服务器四天的日志（check.log、running.log、kern.log），其中有 Go 程序崩溃（panic）、内核 OOM 杀进程、kill -9、正常停止、机器重启和启动失败。示例位于 samples/anqicms/，时间按 Asia/Shanghai 读取。',
  'ex.demo.html': () => '报告生成网页：用浏览器打开',
  'ex.demo.explain': () => '用中文逐项解释每次 OOM 杀进程',

  'watch.summary': () => '实时跟踪日志，每次退出只报告一次',
  'watch.description': () =>
    '跟踪内核日志（文件、/dev/kmsg 或 journal）、check.log 和 running.log 的增长（日志轮转、尚不存在的文件都能跟上），被监视进程每退出一次只报告一次，证据一确定就报告：有杀进程记录或崩溃堆栈时立即报告；无声退出则在进程恢复后、或 --settle 秒后报告。进程恢复后，同一事件再发一次更新，带上恢复时间（restartedAt）和停机时长。OOM killer 杀死其他进程时也会报告（加 --only-process 则不报告）。一直运行，直到收到 SIGINT 或 SIGTERM；进度记在 --state 文件中，重启后不会重复报告，并补报停止期间发生的事。',
  'opt.watch-kernel': () => '内核日志：文件、kmsg 或 journal（可重复）',
  'opt.watch-check': () => '守护脚本日志 check.log',
  'opt.watch-app': () => '应用日志 running.log',
  'opt.watch-dir': () => '包含 check.log 和 running.log 的安装目录',
  'opt.watch-no-kernel': () => '不跟踪内核日志（否则会自动查找）',
  'opt.watch-no-check': () => '不跟踪守护脚本日志',
  'opt.watch-no-app': () => '不跟踪应用日志',
  'opt.state': (p) => `记录进度的文件（默认：${p.path}）`,
  'opt.poll': () => '读取输入的间隔（毫秒）',
  'opt.settle': () => '无声退出过了这么多秒，即使尚未恢复也报告',
  'opt.only-process': () => '只报告被监视进程的退出，不报告 OOM killer 杀死其他进程',
  'opt.quiet': () => '启动时不在标准错误输出说明行（问题仍会输出）',
  'opt.reporter-format': () => '标准输出：每次退出一行给人看，或 ndjson 给日志采集程序',
  'opt.webhook': () => '把每次退出 POST 到 URL（可重复）',
  'opt.webhook-template': () => '聊天机器人的消息格式',
  'opt.webhook-secret': () => '钉钉或飞书的签名密钥（更好的做法：用环境变量 OOMSCOPE_WEBHOOK_SECRET）；不会被打印',
  'opt.exec': () => '每次退出运行 CMD：标准输入是 JSON，数据在 OOMSCOPE_* 环境变量中（可重复）',
  'opt.metrics': () => '提供 Prometheus /metrics（只给端口时监听 127.0.0.1）',
  'ex.watch.metrics': () => '安装目录加实时内核日志，并为 Prometheus 提供指标',
  'ex.dingtalk': () => '每次退出发到钉钉群机器人（它的 webhook 地址放在 DINGTALK_ROBOT_URL 中）',
  'ex.watch.ndjson': () => '每次退出一行 JSON，供日志采集程序读取',

  'supervise.summary': () => '运行应用，退出后重启，并说明每次退出的原因',
  'supervise.description': () =>
    '启动 COMMAND 并让它一直运行：除了有意的停止（发给 oomscope 的 SIGTERM 或 SIGINT，会转发给应用；SIGHUP 也会转发，并重启应用）之外，每次退出后都会重启；重启前的等待从 --backoff-initial 开始加倍，最长 --backoff-max，稳定运行一段时间后重新计算；10分钟内退出 3 次视为崩溃循环（会发出通知，重启放慢到最长间隔）。每次退出都会写一份死亡证明（即 diagnose 会给出的事件：结论、原因、建议；另加退出码或信号、运行时长和最后几行输出）到 --incidents 和各个报告渠道；OOM 杀进程当场从内核日志读取。它像 cron 守护脚本一样写 check.log 和 running.log，所以 `oomscope diagnose` 也能读取。',
  'supervise.argument': () => '应用及其参数（写在 -- 之后）',
  'supervise.notes': () => '退出码：0 有意停止；1 已有另一个 oomscope 在监管这个 --pidfile；2 用法错误，或应用无法运行（找不到，或无法为 --memory-max 建立内存 cgroup）。',
  'opt.name': () => 'check.log 和报告中使用的名字（默认：COMMAND 的文件名）',
  'opt.check-log': () => '追加 cron 守护脚本格式的行：`YYYYMMDD HH:MM:SS NAME PID check: N`',
  'opt.log': () => '把应用的标准输出和标准错误追加到这里（running.log）；不指定时写到 oomscope 的标准错误',
  'opt.incidents': () => '每份死亡证明追加为一行 JSON（NDJSON）',
  'opt.pidfile': () => '加锁并记录：每个应用只有一个监管进程；重启后的 oomscope 会接管正在运行的应用',
  'opt.memory-max': () => '在独立的内存 cgroup 中运行应用，内存上限为此值，含交换空间（256M、1G）；需要 root 或委派的 cgroup',
  'opt.gomemlimit': () => '为应用设置 GOMEMLIMIT：auto 即 --memory-max 的 80%，没有 --memory-max 时为物理内存的 80%',
  'opt.backoff-initial': () => '第一次重启前等待的秒数',
  'opt.backoff-max': () => '重启前最长等待的秒数（也是崩溃循环时的间隔）',
  'opt.stable-after': () => '连续运行这么多秒后，重启等待重新计算',
  'opt.grace': () => '停止时：SIGTERM 之后等待这么多秒，再发 SIGKILL',
  'opt.crash-loop-deaths': () => '崩溃循环：退出这么多次……',
  'opt.crash-loop-window': () => '……且发生在这么多秒之内',
  'opt.check-interval': () => 'check.log 每隔多少秒写一行（对应 cron 的每分钟）',
  'opt.supervise-kernel': () => '从哪里读取 OOM 杀进程：kmsg（/dev/kmsg）、journal 或 none',
  'opt.supervise-tz': () => '报告中时间所用的 IANA 时区（默认：系统时区）',
  'ex.supervise.cron': () => '写在 crontab 中，代替守护脚本',
  'ex.supervise.memory': () => '限制内存：应用泄漏时只杀它自己',

  'relay.summary': () => '把 Alertmanager 的告警转发给聊天机器人，措辞与 watch 的消息一致',
  'relay.description': () =>
    '接收 Alertmanager 的 webhook 推送（把 webhook_config 指向它，见 contrib/alertmanager/），用与 `watch --webhook` 相同的模板和签名，把每条告警发到 --webhook 指定的地址。一直运行，直到被停止（SIGINT 或 SIGTERM）。',
  'relay.notes': () => '退出码：0 已停止；2 用法错误。',
  'opt.relay-listen': () => 'Alertmanager 推送的地址（只写端口则监听 127.0.0.1）',
  'opt.relay-webhook': () => '聊天机器人的地址（可重复，至少一个）',
  'opt.relay-template': () => '哪种聊天机器人',
  'ex.relay.dingtalk': () => 'Alertmanager → 钉钉，用机器人的密钥签名',
  'fleet.summary': () => '从 Prometheus 看整个机群的退出：哪些服务器退出最多、原因是什么、哪个 watch 没有上报',
  'fleet.description': () =>
    '向采集各台 watch（`oomscope watch --metrics`）的 Prometheus 查询时间窗口内每台服务器的退出和 OOM 杀进程次数，以及各 watch 是否在线，输出一张表格或一个网页。',
  'fleet.notes': () => '退出码：0 所有 watch 都在上报；2 用法错误，或读不到 Prometheus；3 有 watch 没有上报。',
  'opt.prometheus': () => '采集各台 watch 的 Prometheus，例如 http://127.0.0.1:9090',
  'opt.since': () => '时间窗口：30d、12h、90m…',
  'opt.fleet-format': () => '输出格式',
  'ex.fleet.text': () => '所有服务器最近 30 天的情况',
  'ex.fleet.html': () => '最近一周，生成网页',

  'setup.summary': () => '在这台服务器上装好监视和守护，也可以撤销',
  'setup.description': () =>
    '按这类服务器的常见做法安装 oomscope。`setup watch` 为 `oomscope watch` 写入并启用一个 systemd 单元（没有运行 systemd 时写 cron 任务）；`setup supervise` 用运行 `oomscope supervise` 的 systemd 单元取代 start.sh 的 cron 任务；`setup undo` 用备份恢复它们改动过的一切。',
  'setup-watch.summary': () => '为 oomscope watch 写入并启用 systemd 单元（没有 systemd 时用 cron）',
  'setup-watch.description': () =>
    '先找到安装目录（正在运行的进程所在目录，找不到时取 /www/wwwroot/ 下的站点目录）和 start.sh 的 cron 任务，显示将要写入的 systemd 单元（即 contrib/oomscope-watch.service，填好目录、内核日志来源和本程序的路径；没有运行 systemd 时是 /etc/cron.d 里的任务），征得同意后写入并启用，被替换的文件都会先备份。加 --dry-run 只显示，不改动。',
  'opt.setup-dir': () => '安装目录（不给则自动查找）',
  'opt.setup-process': () => '要监视的进程',
  'opt.setup-kernel': () => '监视用的内核日志：kmsg、journal 或某个文件',
  'opt.dry-run': () => '只显示将要写入和执行的内容，不做任何改动',
  'opt.yes': () => '不询问，直接执行',
  'ex.setup.dry-run': () => '显示将要写入的单元，不做改动',
  'ex.setup.yes': () => '不询问，直接为一个站点装好监视',
  'setup-supervise.summary': () => '用运行 oomscope supervise 的 systemd 单元取代 start.sh 的 cron 任务',
  'setup-supervise.description': () =>
    '先找到安装目录（正在运行的进程所在目录、宝塔面板的 Go 项目，或 /www/wwwroot/ 下的站点目录）、start.sh 的 cron 任务和 start.sh 写的日志，并按本机内存给出应用的内存上限（内存的一半）。显示将要写入的单元（即填好的 contrib/oomscope-supervise.service）和注释掉 start.sh 那一行之后的 crontab，征得同意后先备份 crontab 再写入两者，并启用单元。找不到运行 start.sh 的 cron 任务时拒绝执行。`setup undo` 可以全部恢复。',
  'opt.setup-memory-max': () => '应用的内存上限：如 768M，或 none（不给则按本机内存给出建议值）',
  'opt.setup-webhook': () => '钉钉、飞书或企业微信机器人（或任意 URL），每次退出都通知它；不给则询问',
  'opt.setup-webhook-template': () => 'webhook 的消息格式（不给则按 URL 判断）',
  'setup-undo.summary': () => '恢复 setup 的 watch 和 supervise 两个子命令改动过的内容',
  'setup-undo.description': () =>
    '读取 setup 的记录（/var/lib/oomscope-setup/setup-record.json），显示将要做的事，征得同意后停用 setup 启用过的单元，用备份逐字节恢复被替换的文件（包括含 start.sh 那一行的 crontab），并删除 setup 新建的文件。setup 写入之后又被改过的文件保持不动，并会说明。',
  'ex.setup.supervise': () => '显示单元和注释掉 start.sh 那一行之后的 crontab',
  'ex.setup.undo': () => '恢复 crontab，删除单元',
  'watch.notes': (p) => `以 root 运行时，它会把自己的 oom_score_adj 设为 ${p.adj}，让内核先杀应用，而不是先杀监视者。`,
  'supervise.oom-notes': (p) => `以 root 运行时，它会把自己的 oom_score_adj 设为 ${p.adj}，让内核先杀应用，而不是先杀守护进程；应用启动时使用 oomscope 原先的值（不会继承 ${p.adj}）。`,
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
