// The input flags `diagnose` and `watch` share (README, "Use"), and the options they become.
import type { Command } from 'commander';
import { defaultPlaces } from '../read/find-inputs.js';
import type { DiagnoseOptions } from '../options.js';

export interface InputFlags {
  /** `false` when --no-kernel was given (commander's negation of the same attribute). */
  kernel: string[] | false;
  check: string[] | false;
  app: string[] | false;
  dir: string[];
  process: string;
}

/** Repeatable: each use adds one; after a --no-X, a later --X names one again. */
const collect = (value: string, previous: unknown): string[] => [...(Array.isArray(previous) ? (previous as string[]) : []), value];

export function addInputFlags(command: Command, help: { kernel: string; check: string; app: string; dir: string; noKernel: string; noCheck: string; noApp: string; process: string }): Command {
  return command
    .option('--kernel <source>', help.kernel, collect, [])
    .option('--check <file>', help.check, collect, [])
    .option('--app <file>', help.app, collect, [])
    .option('--dir <dir>', help.dir, collect, [])
    .option('--no-kernel', help.noKernel)
    .option('--no-check', help.noCheck)
    .option('--no-app', help.noApp)
    .option('--process <name>', help.process, 'anqicms');
}

/**
 * The flags as the library's options: every role not named is looked for (discoverUnnamed), and OOMSCOPE_ROOT (a
 * mounted disk of another machine, or a test's folder) moves the usual places under it.
 */
export function inputOptions(flags: InputFlags, env: NodeJS.ProcessEnv = process.env): DiagnoseOptions {
  const root = env.OOMSCOPE_ROOT || undefined;
  return {
    kernel: flags.kernel === false ? [] : flags.kernel,
    check: flags.check === false ? [] : flags.check,
    app: flags.app === false ? [] : flags.app,
    dir: flags.dir,
    noKernel: flags.kernel === false,
    noCheck: flags.check === false,
    noApp: flags.app === false,
    process: flags.process,
    discoverUnnamed: true,
    ...(root ? { places: defaultPlaces(flags.process, root) } : {}),
  };
}
