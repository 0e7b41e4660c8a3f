#!/usr/bin/env node
// The oomscope command: parses flags, runs one command, and is the one place that exits.
import { Command, CommanderError } from 'commander';
import { shieldWitness } from './commands/witness-oom-score.js';
import { UsageError } from './usage-error.js';
import { cliMessage } from './i18n/cli-messages.js';
import { defaultLang, type Lang } from './i18n/messages.js';
import { langFromArgv, localizeHelp } from './commands/help-format.js';
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

type SetExitCode = (code: number) => void;
/**
 * Every command, in the order help lists them, each loaded only when asked for: `oomscope --version` or a diagnosis
 * then reads and runs none of the code of watch, supervise, fleet, setup (nor prom-client), which is most of the
 * start-up time a short run would otherwise pay (bench/startup.mjs).
 */
const COMMANDS: Record<string, (setExitCode: SetExitCode, lang: Lang) => Promise<Command>> = {
  diagnose: async (setExitCode, lang) => (await import('./commands/diagnose-command.js')).diagnoseCommand(setExitCode, lang),
  demo: async (setExitCode, lang) => (await import('./commands/demo-command.js')).demoCommand(setExitCode, lang),
  watch: async (_setExitCode, lang) => (await import('./commands/watch-command.js')).watchCommand(lang),
  supervise: async (setExitCode, lang) => (await import('./commands/supervise-command.js')).superviseCommand(setExitCode, lang),
  relay: async (_setExitCode, lang) => (await import('./commands/relay-command.js')).relayCommand(lang),
  fleet: async (setExitCode, lang) => (await import('./commands/fleet-command.js')).fleetCommand(setExitCode, lang),
  setup: async (_setExitCode, lang) => (await import('./commands/setup-command.js')).setupCommand(lang),
};

/**
 * The commands this run needs: the one named (after `help` too); none for a bare `--version`; all where commander
 * may list them (root help, no command, an unknown one, which it answers with the names it knows).
 */
function commandsNeeded(args: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--lang') i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  const named = words[0] === 'help' ? words[1] : words[0];
  if (named !== undefined && Object.hasOwn(COMMANDS, named)) return [named];
  const helpAsked = words[0] === 'help' || args.includes('-h') || args.includes('--help');
  if (words.length === 0 && !helpAsked && (args.includes('-V') || args.includes('--version'))) return [];
  return Object.keys(COMMANDS);
}

async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  // --help and usage errors speak --lang (or the locale's language) from the start.
  const lang = langFromArgv(argv) ?? defaultLang();
  const program = new Command('oomscope')
    .description(cliMessage(lang, 'program.description'))
    .version(VERSION, '-V, --version', cliMessage(lang, 'help.version-option'))
    .helpCommand('help [command]', cliMessage(lang, 'help.help-command'))
    .exitOverride();
  for (const name of commandsNeeded(argv.slice(2))) program.addCommand(await COMMANDS[name]!(setExitCode, lang));
  // supervise shields itself in its action, where it also keeps the value its app must start with.
  program.hook('preAction', (_program, action) => void (action.parent === program && action.name() === 'watch' && shieldWitness()));
  localizeHelp(program, lang, {
    examples: [
      { run: 'oomscope demo', note: 'ex.root.demo' },
      { run: 'oomscope diagnose', note: 'ex.diagnose.find' },
      { run: 'oomscope diagnose --help --lang zh-CN', note: 'ex.root.help' },
    ],
  });
  for (const command of program.commands) command.exitOverride();
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
