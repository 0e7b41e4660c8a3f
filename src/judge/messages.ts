// Human text in English and Simplified Chinese; codes and keys never change with the language.

export type Lang = 'en' | 'zh-CN';

type Params = Record<string, string | number>;
type Catalog = Record<string, (p: Params) => string>;

const en: Catalog = {
  // Why each verdict was given.
  'reason.userspace-kill': (p) => `${p.killer} killed ${p.name} (pid ${p.pid}) because the machine was low on memory.`,
  'reason.kernel-kill': (p) => `The kernel OOM killer killed ${p.name} (pid ${p.pid}): the whole machine ran out of memory.`,
  'reason.cgroup-kill': (p) => `The kernel OOM killer killed ${p.name} (pid ${p.pid}) when its cgroup ${p.memcg} hit its memory limit.`,
  'reason.go-runtime-oom': () => 'The Go runtime could not get more memory from the system and stopped the program (the kernel did not kill it).',
  'reason.go-panic': (p) => `The program panicked: ${p.message}.`,
  'reason.go-fatal': (p) => `The Go runtime stopped the program with a fatal error: ${p.message}.`,
  'reason.go-signal': (p) => `The program died of a signal the Go runtime reported: ${p.message}.`,
  'reason.startup-failure': (p) => `It failed while starting: ${p.message}${Number(p.count) > 1 ? ` (${p.count} failed starts in a row)` : ''}.`,
  'reason.host-reboot': () => 'The machine rebooted: the kernel log shows a new boot after the last sign of life.',
  'reason.goodbye': () => 'It was stopped on purpose: it printed its shutdown lines after a signal.',
  'reason.stop-script': () => "It was stopped on purpose: stop.sh's line in check.log names the PIDs it killed.",
  'reason.silent-kill': () => 'It vanished without a word and the kernel log, which covers that moment, has no OOM kill: something sent it SIGKILL (kill -9).',
  'reason.no-kernel-log': () => 'It vanished without a word; without the kernel log it cannot be told whether the OOM killer or a kill -9 took it.',
  'reason.kernel-log-does-not-cover': () => 'It vanished without a word, and the kernel log read does not cover that moment.',
  'reason.guardian-silent': () => 'The guardian stopped checking while the process was up; nothing says what happened meanwhile.',
  'reason.no-app-log': () => 'The guardian saw it go down, but without running.log it cannot be told whether it crashed, was stopped or was killed.',
  'reason.app-log-does-not-cover': () => 'The guardian saw it go down, but running.log does not cover that moment.',
  // What would decide an unknown.
  'missing.kernel': () => 'the kernel log of that time (--kernel /var/log/kern.log, /var/log/messages, or journal)',
  'missing.kernel-span': () => 'a kernel log that covers that time (an older rotated kern.log/syslog, or the journal)',
  'missing.app': () => "the application's log of that time (--app running.log)",
  // Advice.
  'advice.set-gomemlimit': (p) =>
    `${p.name} held ${p.held} when it was killed, of ${p.room} it could have. Set GOMEMLIMIT=${p.GOMEMLIMIT} (about 80% of that) so the Go runtime collects garbage harder before the kernel steps in: ${p.where}.`,
  'advice.other-process-biggest': (p) => `The biggest consumer was not ${p.victim} but ${p.name} (pid ${p.pid}) with ${p.size}: limit it, or give the machine more memory.`,
  'advice.cgroup-limit': (p) => `The cgroup ${p.memcg} is limited to ${p.limit}. Raise the limit, or set GOMEMLIMIT=${p.GOMEMLIMIT} (80% of it) so the Go runtime stays below it.`,
  'advice.add-swap-or-memory': (p) => `The machine has ${p.ram} of RAM and ${p.swap} of swap. Add memory or a little swap to ride out peaks.`,
  'advice.fix-panic': (p) => `Fix the crash in ${p.site}.`,
  'advice.fix-panic-unknown-site': () => 'The trace shows no frame outside the Go runtime; read the whole trace in running.log.',
  'advice.go-runtime-oom': (p) => `The runtime asked the system for ${p.size} and was refused${p.inUse ? ` with ${p.inUse} in use` : ''}. Check \`ulimit -v\` and vm.overcommit_memory, and the memory the program really needs.`,
  'advice.fix-fatal': (p) => `A fatal runtime error cannot be recovered: fix the cause (${p.message})${p.site ? ` near ${p.site}` : ''}.`,
  'advice.port-in-use': (p) => `Another process holds the port: find it with \`ss -ltnp\` and stop it, or change the port in config.json. ${p.count} failed starts so far.`,
  'advice.database-unreachable': () => 'The database could not be reached at start: check that MySQL runs and that config.json has the right host, user and password.',
  'advice.invalid-config': () => 'config.json could not be read: fix the JSON error it names.',
  'advice.who-killed': (p) => `Nothing in the logs says who sent SIGKILL. Look at who was logged in (\`last\`, /var/log/auth.log) and at scripts that run kill -9 (stop.sh, deploy tools) around ${p.time}.`,
  'advice.unknown-add-input': (p) => `Add ${p.input} and run again to decide.`,
  'advice.host-reboot': () => 'Find out why the machine rebooted: `last -x reboot`, the provider console, and the previous boot\'s journal (`journalctl -b -1 -e`).',
  'advice.userspace-killer': (p) => `${p.killer} acts before the kernel does. Lower ${p.name}'s memory (GOMEMLIMIT) or raise ${p.killer}'s thresholds if this kill was unwanted.`,
  'advice.crash-loop': (p) => `${p.deaths} deaths within ${p.minutes} minutes: a crash loop. Fix the first cause before the guardian restarts it again.`,
  'advice.guardian-matches-dir': () => "check.log counted 2 or more processes: if the install directory's name contains the process name, start.sh's grep matches the directory itself and a dead app is never restarted.",
  'where.start-sh': () => 'in start.sh, put it before the start command: `GOMEMLIMIT=… nohup ./anqicms >> running.log 2>&1 &`',
  'where.systemd': (p) => `in the unit: \`Environment=GOMEMLIMIT=…\` (systemctl edit ${p.unit})`,
  'where.generic': () => 'in the environment of the process when it starts',
};

const zh: Catalog = {
  'reason.userspace-kill': (p) => `内存不足时，${p.killer} 杀死了 ${p.name}（pid ${p.pid}）。`,
  'reason.kernel-kill': (p) => `内核 OOM killer 杀死了 ${p.name}（pid ${p.pid}）：整台机器内存耗尽。`,
  'reason.cgroup-kill': (p) => `cgroup ${p.memcg} 达到内存上限，内核 OOM killer 杀死了 ${p.name}（pid ${p.pid}）。`,
  'reason.go-runtime-oom': () => 'Go 运行时无法再向系统申请内存，程序自行退出（不是内核杀死的）。',
  'reason.go-panic': (p) => `程序发生 panic：${p.message}。`,
  'reason.go-fatal': (p) => `Go 运行时因致命错误终止了程序：${p.message}。`,
  'reason.go-signal': (p) => `程序因信号退出（Go 运行时报告）：${p.message}。`,
  'reason.startup-failure': (p) => `启动失败：${p.message}${Number(p.count) > 1 ? `（连续 ${p.count} 次启动失败）` : ''}。`,
  'reason.host-reboot': () => '机器重启了：内核日志在最后一次存活迹象之后出现了新的启动记录。',
  'reason.goodbye': () => '被有意停止：收到信号后打印了退出信息。',
  'reason.stop-script': () => '被有意停止：check.log 中 stop.sh 的记录写明了它杀死的 PID。',
  'reason.silent-kill': () => '进程无声消失，而覆盖该时刻的内核日志中没有 OOM 记录：有人发送了 SIGKILL（kill -9）。',
  'reason.no-kernel-log': () => '进程无声消失；没有内核日志，无法判断是 OOM killer 还是 kill -9。',
  'reason.kernel-log-does-not-cover': () => '进程无声消失，而读取的内核日志没有覆盖该时刻。',
  'reason.guardian-silent': () => '进程运行期间守护脚本停止了检查，无法得知期间发生了什么。',
  'reason.no-app-log': () => '守护脚本发现进程已退出，但没有 running.log，无法判断是崩溃、停止还是被杀。',
  'reason.app-log-does-not-cover': () => '守护脚本发现进程已退出，但 running.log 没有覆盖该时刻。',
  'missing.kernel': () => '该时段的内核日志（--kernel /var/log/kern.log、/var/log/messages 或 journal）',
  'missing.kernel-span': () => '覆盖该时段的内核日志（更早轮转的 kern.log/syslog，或 journal）',
  'missing.app': () => '该时段的应用日志（--app running.log）',
  'advice.set-gomemlimit': (p) =>
    `${p.name} 被杀时占用 ${p.held}，它最多可用 ${p.room}。设置 GOMEMLIMIT=${p.GOMEMLIMIT}（约 80%），让 Go 运行时在内核出手之前更积极地回收内存：${p.where}。`,
  'advice.other-process-biggest': (p) => `最大的内存占用者不是 ${p.victim}，而是 ${p.name}（pid ${p.pid}），占用 ${p.size}：请限制它，或为机器增加内存。`,
  'advice.cgroup-limit': (p) => `cgroup ${p.memcg} 的内存上限为 ${p.limit}。请提高上限，或设置 GOMEMLIMIT=${p.GOMEMLIMIT}（上限的 80%）让 Go 运行时保持在上限以下。`,
  'advice.add-swap-or-memory': (p) => `机器有 ${p.ram} 内存、${p.swap} 交换空间。增加内存或少量 swap 以应对峰值。`,
  'advice.fix-panic': (p) => `修复 ${p.site} 处的崩溃。`,
  'advice.fix-panic-unknown-site': () => '堆栈中没有 Go 运行时之外的帧；请阅读 running.log 中的完整堆栈。',
  'advice.go-runtime-oom': (p) => `运行时向系统申请 ${p.size} 被拒绝${p.inUse ? `（已使用 ${p.inUse}）` : ''}。请检查 \`ulimit -v\` 与 vm.overcommit_memory，以及程序真正需要的内存。`,
  'advice.fix-fatal': (p) => `致命的运行时错误无法恢复：请修复原因（${p.message}）${p.site ? `，位置在 ${p.site} 附近` : ''}。`,
  'advice.port-in-use': (p) => `端口被其他进程占用：用 \`ss -ltnp\` 找到并停止它，或在 config.json 中更换端口。目前已启动失败 ${p.count} 次。`,
  'advice.database-unreachable': () => '启动时无法连接数据库：请确认 MySQL 正在运行，且 config.json 中的主机、用户和密码正确。',
  'advice.invalid-config': () => '无法读取 config.json：请修正其中指出的 JSON 错误。',
  'advice.who-killed': (p) => `日志中没有记录是谁发送了 SIGKILL。请查看 ${p.time} 前后的登录记录（\`last\`、/var/log/auth.log）以及会执行 kill -9 的脚本（stop.sh、部署工具）。`,
  'advice.unknown-add-input': (p) => `请加上${p.input}后重新运行以作出判断。`,
  'advice.host-reboot': () => '查明机器重启的原因：`last -x reboot`、云服务商控制台，以及上一次启动的日志（`journalctl -b -1 -e`）。',
  'advice.userspace-killer': (p) => `${p.killer} 会在内核之前动手。如果这次杀死并非所愿，请降低 ${p.name} 的内存（GOMEMLIMIT）或提高 ${p.killer} 的阈值。`,
  'advice.crash-loop': (p) => `${p.minutes} 分钟内死亡 ${p.deaths} 次：崩溃循环。请先修复首个原因，再让守护脚本重启它。`,
  'advice.guardian-matches-dir': () => 'check.log 统计到 2 个或更多进程：如果安装目录名包含进程名，start.sh 的 grep 会匹配到目录本身，进程退出后将永远不会被重启。',
  'where.start-sh': () => '在 start.sh 的启动命令前加上：`GOMEMLIMIT=… nohup ./anqicms >> running.log 2>&1 &`',
  'where.systemd': (p) => `在 systemd 单元中：\`Environment=GOMEMLIMIT=…\`（systemctl edit ${p.unit}）`,
  'where.generic': () => '在进程启动时的环境变量中',
};

const catalogs: Record<Lang, Catalog> = { en, 'zh-CN': zh };

/** The text for a message code; falls back to English, then to the code itself, so a missing translation is visible. */
export function message(lang: Lang, code: string, params: Params = {}): string {
  const build = catalogs[lang][code] ?? en[code];
  return build ? build(params) : code;
}

/** --lang, else the language LC_ALL / LC_MESSAGES / LANG name (zh_* → zh-CN), else English. */
export function defaultLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
}
