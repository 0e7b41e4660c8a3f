#!/usr/bin/env node
// The oomscope command: parses flags, runs one command, and is the one place that exits.
import { Command, CommanderError } from 'commander';
import { diagnoseCommand } from './commands/diagnose-command.js';
import { demoCommand } from './commands/demo-command.js';
import { watchCommand } from './commands/watch-command.js';
import { superviseCommand } from './commands/supervise-command.js';
import { setupCommand } from './commands/setup-command.js';
import { shieldWitness, WITNESS_OOM_SCORE_ADJ } from './commands/witness-oom-score.js';
import { UsageError } from './usage-error.js';
import { VERSION } from './version.js';

// A reader that goes away (`| head`) or a failing terminal must not crash the process with a stack trace:
// write errors are handled where the report is written; these listeners only keep them from being "unhandled".
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
// A bug that escapes every handler still ends as one line (the stack only with --debug), as contract.md asks.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    process.stderr.write(`oomscope: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    if (process.argv.includes('--debug')) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    else process.stderr.write('oomscope: run again with --debug for details, and please report it\n');
    process.exit(70);
  });
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  const program = new Command('oomscope')
    .description("Tells a Linux server's operator why their process died: kernel OOM kill, cgroup limit, Go panic, kill -9, reboot.")
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addCommand(diagnoseCommand(setExitCode))
    .addCommand(demoCommand(setExitCode))
    .addCommand(watchCommand().addHelpText('after', `\nAs root it sets its own oom_score_adj to ${WITNESS_OOM_SCORE_ADJ}, so that the kernel kills the app before the witness.\n`))
    .addCommand(superviseCommand(setExitCode))
    .addCommand(setupCommand());
  // Not supervise: its app would inherit the shield.
  program.hook('preAction', (_program, action) => void (action.parent === program && action.name() === 'watch' && shieldWitness()));
  for (const command of program.commands) command.exitOverride().showHelpAfterError('(run with --help for usage)');
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every other parse error is wrong usage (commander already printed it).
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`oomscope: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`oomscope: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    if (debug) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    else process.stderr.write('oomscope: run again with --debug for details, and please report it\n');
    return 70;
  }
}

// Not a top-level await: the single executable (scripts/build-exe.mjs) is one CommonJS script, which cannot have one.
void main(process.argv).then((code) => process.exit(code));
