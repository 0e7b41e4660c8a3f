// Signal names and what they mean, for the supervisor's reasons and advice.
import { constants } from 'node:os';

const SIGNAL_WORDS: Record<string, string> = {
  SIGSEGV: 'segmentation fault', SIGBUS: 'bus error', SIGABRT: 'abort', SIGILL: 'illegal instruction', SIGFPE: 'arithmetic error',
  SIGTERM: 'terminate', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGQUIT: 'quit', SIGPIPE: 'broken pipe', SIGXCPU: 'CPU time limit',
  SIGXFSZ: 'file size limit', SIGSYS: 'bad system call', SIGTRAP: 'trap', SIGUSR1: 'user signal 1', SIGUSR2: 'user signal 2',
  SIGALRM: 'alarm', SIGKILL: 'kill',
};

export function signalWords(name: string): string {
  return SIGNAL_WORDS[name] ?? '';
}

/** `SIGSEGV` for 11 (this machine's numbering), or `signal N`. */
export function signalName(signal: number): string {
  for (const [name, number] of Object.entries(constants.signals)) if (number === signal) return name;
  return `signal ${signal}`;
}

/** Signals that mean a crash in native code (a core dump would show where). */
export const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGABRT', 'SIGSYS', 'SIGTRAP']);
