// The supervisor's own sentences (reasons and advice that only a supervisor can give, and its stderr lines), in
// English and Simplified Chinese. Verdicts that the logs alone decide use the report's catalogue (messages.ts).
import type { Catalog, Params } from './catalog.js';
import { isMessageCode, message, type Lang, type MessageCode } from './messages.js';

const en = {
  'reason.supervisor-stop': (p) => `It was stopped on purpose: its supervisor passed on ${p.signal}${p.killed ? ` and sent SIGKILL when it was still running after ${p.grace}` : ''}.`,
  'reason.supervisor-restart': (p) => `It was restarted on purpose: its supervisor passed on ${p.signal}.`,
  'reason.goodbye-direct': (p) => `It was stopped on purpose: it printed its shutdown lines after a signal that did not come through its supervisor, and exited with code ${p.code}.`,
  'reason.exit-code': (p) => `It exited by itself with code ${p.code} after ${p.ran}, without a crash trace${p.last ? `; its last line: “${p.last}”` : ''}.`,
  'reason.exit-zero': (p) => `It exited by itself with code 0 (success) after ${p.ran}, though nobody asked it to stop${p.last ? `; its last line: “${p.last}”` : ''}.`,
  'reason.signal': (p) => `It was killed by ${p.signal}${p.what ? ` (${p.what})` : ''} after ${p.ran}.`,
  'reason.sigkill': (p) => `It was killed by SIGKILL after ${p.ran}, and the kernel log (${p.source}), read at that moment, has no OOM kill of pid ${p.pid}${p.cgroup ? ', nor did its cgroup count one' : ''}: something sent it kill -9.`,
  'reason.sigkill-no-kernel-log': (p) => `It was killed by SIGKILL after ${p.ran}; the kernel log cannot be read here, so an OOM kill cannot be told from a kill -9.`,
  'reason.cgroup-counter': (p) => `The kernel OOM killer killed ${p.name} (pid ${p.pid}) in its memory cgroup ${p.memcg}${p.limit ? ` (limit ${p.limit})` : ''}: the cgroup's own oom_kill counter went up when it died (the kill record itself could not be read).`,
  'reason.machine-counter': (p) => `The kernel OOM killer killed ${p.name} (pid ${p.pid}) while the whole machine was short of memory: its cgroup${p.memcg ? ` ${p.memcg}` : ''} counted the kill but not its own limit being hit (the kill record itself could not be read).`,
  'reason.adopted-unknown': () => 'It ended while its supervisor watched it from outside (the supervisor had been restarted and adopted it), so its exit status is unknown, and neither the kernel log nor its output says why.',
  'reason.spawn-failed': (p) => `It could not be started: ${p.message}.`,
  'reason.cgroup-join-failed': (p) => `It could not join its memory cgroup ${p.memcg}, so it was not started (exit code ${p.code}).`,
  'missing.exit-status': () => 'its exit status (only a supervisor that started it sees that; the kernel log would show an OOM kill)',
  'advice.supervise-memory-max': (p) => `Contain it: \`oomscope supervise --memory-max SIZE --gomemlimit auto -- …\` makes the kernel kill only ${p.name} when it leaks, and has the Go runtime collect garbage before the limit.`,
  'advice.read-last-lines': (p) => `Read the last lines of its output${p.path ? ` (${p.path}, from line ${p.line})` : ''}: a program that exits ${p.code === 0 ? 'with code 0 on its own' : `with code ${p.code}`} usually says why just before.`,
  'advice.core-dump': (p) => `${p.signal} is a crash in native code: enable core dumps (\`ulimit -c unlimited\`, or systemd-coredump) to see where.`,
  'advice.cgroup-limit-counter': (p) => `Its memory cgroup is limited to ${p.limit}. Raise --memory-max, or set --gomemlimit auto (80% of it) so the Go runtime stays below it.`,
  'log.started': (p) => `started ${p.name} (pid ${p.pid})${p.cgroup ? ` in memory cgroup ${p.cgroup} (limit ${p.limit}${p.swap ? ', no swap' : ''})` : ''}${p.gomemlimit ? `, GOMEMLIMIT=${p.gomemlimit}` : ''}`,
  'log.adopted': (p) => `adopted ${p.name} (pid ${p.pid}), still running from an earlier supervisor (pid ${p.previous}); watching it from outside`,
  'log.died': (p) => `${p.name} (pid ${p.pid}) died after ${p.ran}: ${p.verdict} (${p.confidence})`,
  'log.restart-in': (p) => `restarting ${p.name} in ${p.delay}${p.reset ? ' (it had run stably: backoff reset)' : ''}`,
  'log.crash-loop': (p) => `CRASH LOOP: ${p.name} died ${p.deaths} times within ${p.window}; restarting it only every ${p.delay} until it stays up`,
  'log.crash-loop-ended': (p) => `${p.name} ran stably for ${p.ran}: the crash loop is over`,
  'log.stopping': (p) => `stopping ${p.name} (pid ${p.pid}): ${p.signal}, SIGKILL after ${p.grace}`,
  'log.grace-over': (p) => `${p.name} (pid ${p.pid}) still runs ${p.grace} after ${p.signal}: SIGKILL`,
  'log.forward': (p) => `passing ${p.signal} on to ${p.name} (pid ${p.pid})`,
  'log.stopped': (p) => `stopped; ${p.name} is not restarted`,
} satisfies Catalog;

/** A code of the supervisor's catalogue; a misspelt one does not compile. */
type SuperviseCode = keyof typeof en;

/** Every English message has its Chinese one: a missing translation does not compile. */
const zh: Record<SuperviseCode, (p: Params) => string> = {
  'reason.supervisor-stop': (p) => `被有意停止：守护进程转发了 ${p.signal}${p.killed ? `，${p.grace} 后仍在运行，于是发送了 SIGKILL` : ''}。`,
  'reason.supervisor-restart': (p) => `被有意重启：守护进程转发了 ${p.signal}。`,
  'reason.goodbye-direct': (p) => `被有意停止：收到一个并非经由守护进程的信号后打印了退出信息，退出码 ${p.code}。`,
  'reason.exit-code': (p) => `运行 ${p.ran} 后自行退出，退出码 ${p.code}，没有崩溃堆栈${p.last ? `；最后一行：“${p.last}”` : ''}。`,
  'reason.exit-zero': (p) => `运行 ${p.ran} 后以退出码 0（成功）自行退出，但没有人要求它停止${p.last ? `；最后一行：“${p.last}”` : ''}。`,
  'reason.signal': (p) => `运行 ${p.ran} 后被 ${p.signal}${p.what ? `（${p.what}）` : ''} 杀死。`,
  'reason.sigkill': (p) => `运行 ${p.ran} 后被 SIGKILL 杀死，而当时读取的内核日志（${p.source}）中没有 pid ${p.pid} 的 OOM 杀进程记录${p.cgroup ? '，其 cgroup 也没有计数' : ''}：有人发送了 kill -9。`,
  'reason.sigkill-no-kernel-log': (p) => `运行 ${p.ran} 后被 SIGKILL 杀死；此处无法读取内核日志，无法区分 OOM 与 kill -9。`,
  'reason.cgroup-counter': (p) => `内核 OOM killer 在内存 cgroup ${p.memcg}${p.limit ? `（上限 ${p.limit}）` : ''} 中杀死了 ${p.name}（pid ${p.pid}）：它退出时该 cgroup 的 oom_kill 计数增加了（未能读取杀进程记录本身）。`,
  'reason.machine-counter': (p) => `整台机器内存不足时，内核 OOM killer 杀死了 ${p.name}（pid ${p.pid}）：其 cgroup ${p.memcg ? `${p.memcg} ` : ''}记录了这次杀进程，但没有记录达到自身上限（未能读取杀进程记录本身）。`,
  'reason.adopted-unknown': () => '它在守护进程从外部观察时退出（守护进程曾重启并接管了它），因此退出状态未知，内核日志和它的输出也没有说明原因。',
  'reason.spawn-failed': (p) => `无法启动：${p.message}。`,
  'reason.cgroup-join-failed': (p) => `无法加入内存 cgroup ${p.memcg}，因此没有启动（退出码 ${p.code}）。`,
  'missing.exit-status': () => '它的退出状态（只有启动它的守护进程才能看到；OOM 杀进程会出现在内核日志中）',
  'advice.supervise-memory-max': (p) => `限制它：\`oomscope supervise --memory-max 大小 --gomemlimit auto -- …\` 让内核在 ${p.name} 内存泄漏时只杀死它，并让 Go 运行时在达到上限前回收内存。`,
  'advice.read-last-lines': (p) => `请阅读它最后的输出${p.path ? `（${p.path}，从第 ${p.line} 行起）` : ''}：程序${p.code === 0 ? '以退出码 0 自行退出' : `以退出码 ${p.code} 退出`}前通常会说明原因。`,
  'advice.core-dump': (p) => `${p.signal} 是原生代码中的崩溃：开启 core dump（\`ulimit -c unlimited\` 或 systemd-coredump）以查看位置。`,
  'advice.cgroup-limit-counter': (p) => `它的内存 cgroup 上限为 ${p.limit}。请提高 --memory-max，或设置 --gomemlimit auto（上限的 80%）让 Go 运行时保持在上限以下。`,
  'log.started': (p) => `已启动 ${p.name}（pid ${p.pid}）${p.cgroup ? `，位于内存 cgroup ${p.cgroup}（上限 ${p.limit}${p.swap ? '，不使用交换空间' : ''}）` : ''}${p.gomemlimit ? `，GOMEMLIMIT=${p.gomemlimit}` : ''}`,
  'log.adopted': (p) => `已接管 ${p.name}（pid ${p.pid}）：它由之前的守护进程（pid ${p.previous}）启动，仍在运行；此后从外部观察它`,
  'log.died': (p) => `${p.name}（pid ${p.pid}）运行 ${p.ran} 后退出：${p.verdict}（${p.confidence}）`,
  'log.restart-in': (p) => `将在 ${p.delay} 后重启 ${p.name}${p.reset ? '（此前已稳定运行，重启间隔已重置）' : ''}`,
  'log.crash-loop': (p) => `崩溃循环：${p.name} 在 ${p.window} 内退出了 ${p.deaths} 次；在它稳定运行之前，每隔 ${p.delay} 才重启一次`,
  'log.crash-loop-ended': (p) => `${p.name} 已稳定运行 ${p.ran}：崩溃循环结束`,
  'log.stopping': (p) => `正在停止 ${p.name}（pid ${p.pid}）：发送 ${p.signal}，${p.grace} 后仍未退出则发送 SIGKILL`,
  'log.grace-over': (p) => `${p.name}（pid ${p.pid}）收到 ${p.signal} 后 ${p.grace} 仍在运行：发送 SIGKILL`,
  'log.forward': (p) => `将 ${p.signal} 转发给 ${p.name}（pid ${p.pid}）`,
  'log.stopped': (p) => `已停止；不再重启 ${p.name}`,
};

const catalogs: Record<Lang, Record<SuperviseCode, (p: Params) => string>> = { en, 'zh-CN': zh };

/** A code of either catalogue a death's reason or advice may come from. */
export type SayCode = MessageCode | SuperviseCode;

/** A supervisor sentence, or the report catalogue's for its codes. */
export function say(lang: Lang, code: SayCode, params: Params = {}): string {
  return isMessageCode(code) ? message(lang, code, params) : catalogs[lang][code](params);
}

