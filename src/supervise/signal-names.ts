// Signal names and what they mean, for the supervisor's reasons and advice.
import { constants } from 'node:os';
import type { Lang } from '../i18n/messages.js';

const SIGNAL_WORDS = {
  SIGSEGV: 'segmentation fault', SIGBUS: 'bus error', SIGABRT: 'abort', SIGILL: 'illegal instruction', SIGFPE: 'arithmetic error',
  SIGTERM: 'terminate', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGQUIT: 'quit', SIGPIPE: 'broken pipe', SIGXCPU: 'CPU time limit',
  SIGXFSZ: 'file size limit', SIGSYS: 'bad system call', SIGTRAP: 'trap', SIGUSR1: 'user signal 1', SIGUSR2: 'user signal 2',
  SIGALRM: 'alarm', SIGKILL: 'kill',
} as Record<string, string>;

const SIGNAL_WORDS_ZH: Record<keyof typeof SIGNAL_WORDS, string> = {
  SIGSEGV: '段错误', SIGBUS: '总线错误', SIGABRT: '异常中止', SIGILL: '非法指令', SIGFPE: '算术错误',
  SIGTERM: '终止', SIGINT: '中断', SIGHUP: '挂断', SIGQUIT: '退出', SIGPIPE: '管道断开', SIGXCPU: '超出 CPU 时间限制',
  SIGXFSZ: '超出文件大小限制', SIGSYS: '错误的系统调用', SIGTRAP: '跟踪陷阱', SIGUSR1: '用户信号 1', SIGUSR2: '用户信号 2',
  SIGALRM: '定时器', SIGKILL: '强制杀死',
};

/** What a signal means, in `lang`; empty for a signal without a common meaning. */
export function signalWords(name: string, lang: Lang = 'en'): string {
  return (lang === 'zh-CN' ? SIGNAL_WORDS_ZH[name] : SIGNAL_WORDS[name]) ?? '';
}

/** `SIGSEGV` for 11 (this machine's numbering), or `signal N`. */
export function signalName(signal: number): string {
  for (const [name, number] of Object.entries(constants.signals)) if (number === signal) return name;
  return `signal ${signal}`;
}

/** Signals that mean a crash in native code (a core dump would show where). */
export const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGSYS', 'SIGTRAP']);
