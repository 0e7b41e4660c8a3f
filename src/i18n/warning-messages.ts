// The report's warnings, in English and Simplified Chinese: what could not be known, and how to learn it. A key is the
// warning's JSON `code`, or `code/variant` where one code has several sentences; codes never change with the language.
import type { Catalog, Params } from './catalog.js';
import type { Lang } from './messages.js';

/** What a file that holds no kernel line looks like (`like` of not-a-kernel-log). */
const LOOKALIKE_EN: Record<string, string> = {
  guardian: "a guardian's check.log",
  'go-log': "an application's log (Go's log lines, like running.log)",
  'access-log': 'a web server access log',
  'other-programs': 'a system log with no kernel lines (other programs only)',
  binary: 'binary data, not text',
  other: 'text of another kind',
};
const LOOKALIKE_ZH: Record<keyof typeof LOOKALIKE_EN, string> = {
  guardian: '守护脚本的 check.log',
  'go-log': '应用日志（Go 的日志行，类似 running.log）',
  'access-log': '网站访问日志',
  'other-programs': '没有内核日志行的系统日志（只有其他程序的日志）',
  binary: '二进制数据，不是文本',
  other: '其他类型的文本',
};

const en = {
  'stop-pid-ambiguous': (p) => `stop.sh's line ${p.line} glues the PIDs it killed together ("${p.digits}"), and they can be read several ways (${p.examples}, …); no other log names the watched process's pid in that life, so the incident's pid is null.`,
  'stop-pid-unreadable': (p) => `stop.sh's line ${p.line} ("${p.digits}") cannot be read as PIDs; the incident's pid is null.`,
  // How the inputs were chosen (free text of the input finder until it says them as codes).
  discovered: (p) => `${p.note}`,
  'duplicate-input/twice': () => 'named twice; it is read once',
  'duplicate-input/same-file': (p) => `the same file as ${p.first}; it is read once`,
  'guardian-several-matches': () => "check.log counted 2 or more processes: if the install directory's name contains the process name, start.sh's grep matches the directory itself and a dead app is never restarted.",
  // An input that could not be read, or only in part: the reason, then the fix in brackets.
  'input-unreadable/not-found': () => 'no such file (check the path)',
  'input-unreadable/not-a-directory': () => 'a part of the path is not a directory (check the path)',
  'input-unreadable/permission-denied-var-log': () => 'permission denied (run with sudo, or add your user to the adm group)',
  'input-unreadable/permission-denied': () => 'permission denied (run with sudo or make the file readable)',
  'input-unreadable/is-directory': () => 'is a directory, not a log file (name a log file in it, or pass an install directory with --dir)',
  'input-unreadable/symlink-loop': () => 'too many symbolic links (name the log file itself)',
  'input-unreadable/read-failed': (p) => `${p.error} (check that the file can be read, e.g. with \`head\`)`,
  'input-unreadable/kmsg-permission-denied': () => 'cannot open /dev/kmsg: permission denied (run with sudo, or read a saved log with --kernel FILE)',
  'input-unreadable/kmsg-not-found': () => 'cannot open /dev/kmsg: no such file (run with sudo, or read a saved log with --kernel FILE)',
  'input-unreadable/kmsg-failed': (p) => `cannot open /dev/kmsg: ${p.error} (run with sudo, or read a saved log with --kernel FILE)`,
  'input-unreadable/command-missing': (p) => `cannot run ${p.command}: ${p.error} (install ${p.command}, or read a saved log with --kernel FILE)`,
  'input-unreadable/dmesg-failed': (p) => `dmesg exited with ${p.status}: ${p.stderr} (run with sudo (kernel.dmesg_restrict), or use --kernel kmsg)`,
  'input-unreadable/journalctl-failed': (p) => `journalctl exited with ${p.status}: ${p.stderr} (run with sudo or add your user to the systemd-journal group)`,
  'input-truncated/gzip-ends-early': () => 'the gzip data ends early (file cut off or still being written) (the lines before the cut are reported; if it is still being written, run again once it is complete)',
  'input-truncated/gzip-damaged': (p) => `the gzip data is damaged (${p.error}) (the lines before the damage are reported; \`gzip -t\` on the file tells more)`,
  'input-truncated/shrank': (p) => `the file shrank while it was read (${p.read} of ${p.size} bytes): it was truncated or rotated (the lines read are reported; run again to read it whole, and read its rotated copy too, e.g. FILE.1)`,
  'input-truncated/ring-buffer': (p) => `the kernel ring buffer overwrote records before they were read (${p.count} time(s)); some kernel lines are missing`,
  // What a kernel source's reading could not know.
  'fields-not-printed': (p) => `this log does not state ${p.fields} for any kill (the kernel that wrote it did not print them, or the lines are missing); they are null`,
  'incomplete-kill/no-kill-line': (p) => `${p.count} kill(s) are known from the line that named the victim (selection, summary or reaper) but their kill line is missing; the kill line's figures are null`,
  'incomplete-kill/lost-lines': (p) => `${p.count} kill record(s) lost lines inside their OOM block (ring buffer overrun, or the paste starts mid-block); fields not seen are null`,
  'oom-unfinished': (p) => `${p.count} OOM invocation(s) show no victim (the input ends inside the block, the paste was cut, or the kernel found nothing to kill); they are listed as oom-unfinished events, not as kills`,
  'no-wall-time/uptime-only': (p) => `${p.count} record(s) carry only the kernel's uptime and no line ties it to the wall clock; their time is null (pass --boot-time, e.g. from \`uptime -s\` on that boot, with its zone)`,
  'no-wall-time/no-time': (p) => `${p.count} record(s) carry no time at all (the lines have neither a wall-clock stamp nor the kernel's uptime); their time is null and they cannot be tied to a death by time`,
  'oom-block-without-kill': (p) => `${p.count} OOM block(s) ended without naming a victim (the victim was already exiting, or lines were lost)`,
  'empty-input/journal': () => 'the journal returned no kernel lines (does journald keep a journal here? try --kernel kmsg)',
  'empty-input/live': () => 'the kernel log returned no lines',
  'empty-input/file': () => 'the input is empty',
  'not-a-kernel-log': (p) => `this input holds no kernel line at all: it looks like ${LOOKALIKE_EN[String(p.like)] ?? p.like}. Was it meant for --check or --app, or is the kernel log elsewhere (/var/log/kern.log, /var/log/messages, journal)?`,
  'prefixed-lines': (p) => `${p.count} OOM line(s) had other text in front of the kernel's (a console's stamp, a mail quote, Markdown, a relay's envelope, NUL bytes); they were read from where the kernel's text begins, and the evidence keeps the whole line`,
  'newest-first': () => 'the lines are newest first (a paste from a log viewer?); they were read oldest first',
  'overlong-line': (p) => `${p.count} line(s) longer than 1 MiB were read only up to 1 MiB`,
  'oom-blocks-capped': (p) => `more than ${p.max} OOM blocks were open at once; ${p.count} of them were closed early (is this a kernel log?)`,
  'task-table-capped': (p) => `${p.count} OOM block(s) had a task table of more than ${p.rows} rows; only the biggest and the likeliest victims were kept, so a victim's row may be missing`,
  'records-capped/kernel': (p) => `only the first ${p.max} OOM kills and events of this log are reported; ${p.count} later one(s) were counted but not kept (split the log to see them)`,
  'stamp-problem': (p) => `${p.count} line(s) have a stamp that could not be read (${p.problem}); they are read without it`,
  // Placing stamps in time.
  'year-from-other-inputs': (p) => `the stamps carry no year; took ${p.year} from the other inputs that cover the same time; pass --year to set it`,
  'year-from-mtime': (p) => `the stamps carry no year; took ${p.year} from the file's modification time (the last line is taken as the latest); pass --year to set it`,
  'year-assumed': (p) => `the stamps carry no year and the input has no modification time; assumed the last line is from the past year up to today (${p.year}); pass --year to set it`,
  'dst-repeated/kernel': (p) => `${p.count} stamps fell in a repeated daylight-saving hour of ${p.tz}; the first occurrence was taken unless line order showed the clock had already been set back`,
  'dst-skipped/kernel': (p) => `${p.count} stamps fell in an hour that ${p.tz} skips; they were moved forward by the gap`,
  'dst-repeated/local': (p) => `${p.count} guardian/app stamps fell in a repeated daylight-saving hour of ${p.tz}; the first occurrence was taken`,
  'dst-skipped/local': (p) => `${p.count} guardian/app stamps fell in an hour that ${p.tz} skips; they were moved forward by the gap`,
  // The guardian's and the application's logs.
  'guardian-unrecognised': () => 'no line of this file is a guardian check (`YYYYMMDD HH:MM:SS anqicms PID check: N`); is it check.log?',
  'records-capped/guardian': (p) => `only the first ${p.max} downs and returns of the guardian log are used; ${p.count} later one(s) were counted but not kept (split the log to see them)`,
  'records-capped/app': (p) => `the application log has more than ${p.max} starts; only the first ${p.max} lives are used${p.line !== undefined ? ` (those that begin before line ${p.line})` : ''}; ${p.count} later one(s) were read but not kept: deaths after that are judged from the other logs alone (split the log to see them)`,
  'gb18030-lines': (p) => `${p.count} line(s) were not UTF-8 and were read as GB18030 (GBK)`,
  'undecodable-lines': (p) => `${p.count} line(s) are neither UTF-8 nor GB18030; bad bytes are shown as U+FFFD`,
} satisfies Catalog;

/** A warning's key; a misspelt one does not compile. */
export type WarningKey = keyof typeof en;

/** Every English warning has its Chinese one: a missing translation does not compile. */
const zh: Record<WarningKey, (p: Params) => string> = {
  'stop-pid-ambiguous': (p) => `stop.sh 在第 ${p.line} 行把它杀掉的各个 PID 连在一起写成了“${p.digits}”，可以有多种拆法（${p.examples} 等）；其他日志也没有给出该进程这次运行时的 PID，所以该事件的 pid 为 null。`,
  'stop-pid-unreadable': (p) => `stop.sh 第 ${p.line} 行的“${p.digits}”无法拆成 PID；该事件的 pid 为 null。`,
  discovered: (p) => `${p.note}`,
  'duplicate-input/twice': () => '同一文件指定了两次，只读取一次。',
  'duplicate-input/same-file': (p) => `与 ${p.first} 是同一个文件，只读取一次。`,
  'guardian-several-matches': () => 'check.log 统计到 2 个或更多进程：如果安装目录名包含进程名，start.sh 的 grep 会匹配到目录本身，进程退出后将永远不会被重启。',
  'input-unreadable/not-found': () => '文件不存在（请检查路径）。',
  'input-unreadable/not-a-directory': () => '路径中有一段不是目录（请检查路径）。',
  'input-unreadable/permission-denied-var-log': () => '没有读取权限（请用 sudo 运行，或把当前用户加入 adm 组）。',
  'input-unreadable/permission-denied': () => '没有读取权限（请用 sudo 运行，或让该文件可读）。',
  'input-unreadable/is-directory': () => '这是一个目录，不是日志文件（请指定其中的日志文件，或用 --dir 指定安装目录）。',
  'input-unreadable/symlink-loop': () => '符号链接层数过多（请直接指定日志文件本身）。',
  'input-unreadable/read-failed': (p) => `读取失败：${p.error}（请检查该文件能否读取，例如用 \`head\`）。`,
  'input-unreadable/kmsg-permission-denied': () => '无法打开 /dev/kmsg：没有权限（请用 sudo 运行，或用 --kernel 文件 读取保存下来的日志）。',
  'input-unreadable/kmsg-not-found': () => '无法打开 /dev/kmsg：设备不存在（请用 sudo 运行，或用 --kernel 文件 读取保存下来的日志）。',
  'input-unreadable/kmsg-failed': (p) => `无法打开 /dev/kmsg：${p.error}（请用 sudo 运行，或用 --kernel 文件 读取保存下来的日志）。`,
  'input-unreadable/command-missing': (p) => `无法运行 ${p.command}：${p.error}（请安装 ${p.command}，或用 --kernel 文件 读取保存下来的日志）。`,
  'input-unreadable/dmesg-failed': (p) => `dmesg 以状态 ${p.status} 退出：${p.stderr}（请用 sudo 运行（kernel.dmesg_restrict），或改用 --kernel kmsg）。`,
  'input-unreadable/journalctl-failed': (p) => `journalctl 以状态 ${p.status} 退出：${p.stderr}（请用 sudo 运行，或把当前用户加入 systemd-journal 组）。`,
  'input-truncated/gzip-ends-early': () => 'gzip 数据提前结束（文件被截断或仍在写入）。截断之前的日志行已计入报告；如果仍在写入，请等写完后再运行一次。',
  'input-truncated/gzip-damaged': (p) => `gzip 数据已损坏（${p.error}）。损坏之前的日志行已计入报告；用 \`gzip -t\` 检查该文件可了解更多。`,
  'input-truncated/shrank': (p) => `读取过程中文件变小了（读到 ${p.read} 字节，原有 ${p.size} 字节）：它被截断或被轮转了。已读到的日志行已计入报告；请再运行一次以完整读取，并把轮转出的副本（如 FILE.1）也一起读取。`,
  'input-truncated/ring-buffer': (p) => `读取之前，内核环形缓冲区已覆盖了部分记录（${p.count} 次）；缺少一些内核日志行。`,
  'fields-not-printed': (p) => `这份日志的所有杀进程记录都没有给出 ${p.fields}（写它的内核没有打印这些字段，或相关行缺失）；它们为 null。`,
  'incomplete-kill/no-kill-line': (p) => `有 ${p.count} 次杀进程只能从点名被杀进程的那一行（选择、摘要或 oom_reaper 行）得知，缺少“Killed process”那一行；该行中的数值为 null。`,
  'incomplete-kill/lost-lines': (p) => `有 ${p.count} 条杀进程记录在 OOM 日志块内部丢了行（环形缓冲区溢出，或粘贴从日志块中间开始）；没看到的字段为 null。`,
  'oom-unfinished': (p) => `有 ${p.count} 次 OOM killer 启动后没有出现被杀的进程（输入在日志块内结束、粘贴被截断，或内核找不到可杀的进程）；它们列为 oom-unfinished 事件，不算杀进程。`,
  'no-wall-time/uptime-only': (p) => `有 ${p.count} 条记录只带内核的开机时长，没有任何一行能把它换算成实际时间；其时间为 null（请传入 --boot-time，例如那次开机时 \`uptime -s\` 的输出，并带上时区）。`,
  'no-wall-time/no-time': (p) => `有 ${p.count} 条记录完全没有时间（这些行既没有实际时间戳，也没有内核开机时长）；其时间为 null，无法按时间与某次退出对应。`,
  'oom-block-without-kill': (p) => `有 ${p.count} 个 OOM 日志块结束时没有点名被杀的进程（被选中的进程已在退出，或丢了行）。`,
  'empty-input/journal': () => 'journal 中没有内核日志行（这台机器的 journald 是否保存日志？可以试试 --kernel kmsg）。',
  'empty-input/live': () => '内核日志没有返回任何行。',
  'empty-input/file': () => '输入为空。',
  'not-a-kernel-log': (p) => `这个输入中没有任何内核日志行：它看起来是${LOOKALIKE_ZH[String(p.like)] ?? p.like}。它是否应该用 --check 或 --app 传入？或者内核日志在别处（/var/log/kern.log、/var/log/messages、journal）？`,
  'prefixed-lines': (p) => `有 ${p.count} 行 OOM 日志前面带有其他文字（控制台时间戳、邮件引用符、Markdown、转发的封装、NUL 字节）；已从内核文字开始处读取，证据中保留整行。`,
  'newest-first': () => '日志行是按从新到旧排列的（从日志查看器粘贴的？）；已按从旧到新读取。',
  'overlong-line': (p) => `有 ${p.count} 行超过 1 MiB，只读取了前 1 MiB。`,
  'oom-blocks-capped': (p) => `同时打开的 OOM 日志块超过 ${p.max} 个；其中 ${p.count} 个被提前结束（这真的是内核日志吗？）。`,
  'task-table-capped': (p) => `有 ${p.count} 个 OOM 日志块的进程表超过 ${p.rows} 行；只保留了占用最大和最可能被杀的进程，被杀进程的那一行可能缺失。`,
  'records-capped/kernel': (p) => `这份日志只报告前 ${p.max} 次 OOM 杀进程和事件；之后的 ${p.count} 次已计数但未保留（把日志拆开分别分析即可看到）。`,
  'stamp-problem': (p) => `有 ${p.count} 行的时间戳无法读取（${p.problem}）；这些行按没有时间戳读取。`,
  'year-from-other-inputs': (p) => `时间戳中没有年份；已按覆盖同一时段的其他输入取 ${p.year} 年；可用 --year 指定。`,
  'year-from-mtime': (p) => `时间戳中没有年份；已按文件的修改时间取 ${p.year} 年（最后一行视为最新）；可用 --year 指定。`,
  'year-assumed': (p) => `时间戳中没有年份，输入也没有修改时间；假定最后一行在过去一年内（${p.year} 年）；可用 --year 指定。`,
  'dst-repeated/kernel': (p) => `有 ${p.count} 个时间戳落在 ${p.tz} 夏令时重复的那一小时；除非行的顺序表明时钟已经回拨，否则取第一次出现的时刻。`,
  'dst-skipped/kernel': (p) => `有 ${p.count} 个时间戳落在 ${p.tz} 跳过的那一小时；已按跳过的时长往后顺延。`,
  'dst-repeated/local': (p) => `守护脚本/应用日志中有 ${p.count} 个时间戳落在 ${p.tz} 夏令时重复的那一小时；取第一次出现的时刻。`,
  'dst-skipped/local': (p) => `守护脚本/应用日志中有 ${p.count} 个时间戳落在 ${p.tz} 跳过的那一小时；已按跳过的时长往后顺延。`,
  'guardian-unrecognised': () => '这个文件中没有一行是守护脚本的检查记录（`YYYYMMDD HH:MM:SS anqicms PID check: N`）；它是 check.log 吗？',
  'records-capped/guardian': (p) => `只使用了守护脚本日志中前 ${p.max} 次退出和恢复；之后的 ${p.count} 次已计数但未保留（把日志拆开分别分析即可看到）。`,
  'records-capped/app': (p) => `应用日志中的启动超过 ${p.max} 次；只使用前 ${p.max} 次运行${p.line !== undefined ? `（第 ${p.line} 行之前开始的）` : ''}；之后的 ${p.count} 次已读取但未保留：此后的退出只根据其他日志判断（把日志拆开分别分析即可看到）。`,
  'gb18030-lines': (p) => `有 ${p.count} 行不是 UTF-8，已按 GB18030（GBK）读取。`,
  'undecodable-lines': (p) => `有 ${p.count} 行既不是 UTF-8 也不是 GB18030；无法解码的字节显示为 U+FFFD。`,
};

/** A warning not said yet: its key, the input it is about, and the values its sentence names. */
export interface Notice {
  key: WarningKey;
  path?: string | undefined;
  params: Params;
  /** The JSON code where it is not the key's own (a stamp problem's code names the problem). */
  code?: string;
}

const catalogs: Record<Lang, Record<WarningKey, (p: Params) => string>> = { en, 'zh-CN': zh };

/** The JSON `code` of a notice: its own, else its key's (`incomplete-kill/lost-lines` → `incomplete-kill`). */
export function warningCode(notice: { key: WarningKey; code?: string }): string {
  return notice.code ?? notice.key.split('/')[0]!;
}

/** A warning's sentence in `lang`. */
export function warningMessage(lang: Lang, key: WarningKey, params: Params): string {
  return catalogs[lang][key](params);
}
