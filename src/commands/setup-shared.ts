// What the `oomscope setup` subcommands share: how this oomscope is run again, the questions, and writing the planned
// files, recording them for `setup undo` and running the commands that follow.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import type { Params } from '../i18n/catalog.js';
import type { CliCode } from '../i18n/cli-messages.js';
import type { Lang } from '../i18n/messages.js';
import { setupMessage, type SetupKey } from '../i18n/setup-messages.js';
import { DEFAULT_STATE_DIR, recordSetupRun, type SetupRun } from '../setup/setup-record.js';
import type { PlannedFile } from '../setup/watch-plan.js';
import { writePlannedFiles } from '../setup/write-files.js';
import { UsageError } from '../usage-error.js';

export type Say = (key: SetupKey, params?: Params) => void;

export function sayer(lang: Lang): Say {
  return (key, params = {}) => void process.stdout.write(`${setupMessage(lang, key, params)}\n`);
}

/** How this very oomscope is run again by systemd or cron: the single executable, or node and its script. */
export function ownCommand(): string[] {
  const sea = process.getBuiltinModule?.('node:sea');
  if (sea?.isSea()) return [process.execPath];
  return [process.execPath, realpathSync(process.argv[1] ?? '')];
}

/** One answer typed on the terminal; null where there is none to ask on. */
export async function ask(question: string): Promise<string | null> {
  if (!process.stdin.isTTY) return null;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(question)).trim();
  } finally {
    prompt.close();
  }
}

export async function confirmed(yes: boolean | undefined, lang: Lang): Promise<boolean> {
  if (yes) return true;
  const answer = await ask(setupMessage(lang, 'ask'));
  if (answer === null) throw new UsageError(setupMessage(lang, 'error.need-yes'), setupMessage(lang, 'fix.need-yes'));
  return /^(y|yes|是)$/i.test(answer);
}

export function describeCandidate(c: { found: string; pid: number | null }, lang: Lang, processName: string): string {
  if (c.found === 'running') return setupMessage(lang, 'found.running', { process: processName, pid: c.pid ?? '' });
  if (c.found === 'baota') return setupMessage(lang, 'found.baota', { pid: c.pid ?? '' });
  if (c.found === 'wwwroot') return setupMessage(lang, 'found.wwwroot');
  return setupMessage(lang, 'found.given');
}

export function printPlannedFiles(files: PlannedFile[], commands: string[][], say: Say): void {
  for (const file of files) {
    say('would-write', { path: file.path });
    process.stdout.write(`${file.content.replace(/^(?=.)/gm, '    ')}\n`);
  }
  for (const command of commands) say('would-run', { command: command.join(' ') });
}

/** Runs each command on the real system; under a fake root only says it would. `goOn`: a failure is said, not thrown. */
export function runCommands(root: string, commands: string[][], say: Say, goOn = false): void {
  for (const command of commands) {
    if (root !== '/') {
      say('not-run-root', { command: command.join(' ') });
      continue;
    }
    try {
      execFileSync(command[0]!, command.slice(1), { stdio: 'inherit' });
      say('ran', { command: command.join(' ') });
    } catch (error) {
      if (!goOn) throw error;
      say('command-failed', { command: command.join(' '), error: (error as Error).message.split('\n')[0] ?? '' });
    }
  }
}

export function stampNow(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Writes the files (backups first), records them for `setup undo`, then runs the commands. */
export function writeRecordRun(options: { root: string; stateDir: string; command: SetupRun['command']; units: string[] }, files: PlannedFile[], commands: string[][], say: Say): void {
  const stamp = stampNow();
  const written = writePlannedFiles(options.root, files, stamp, options.stateDir);
  for (const file of written) {
    say(file.unchanged ? 'unchanged' : 'wrote', { path: file.path });
    if (file.backup) say('backup', { path: file.path, backup: file.backup });
  }
  recordSetupRun(options.root, options.stateDir, { command: options.command, at: new Date().toISOString(), units: options.units }, written, new Map(files.map((file) => [file.path, file.content])));
  say('recorded', { path: `${options.stateDir}/setup-record.json` });
  runCommands(options.root, commands, say);
}

/** The options every setup subcommand has: --dry-run, --yes, --lang, and the hidden --root and --state-dir of tests. */
export function addSetupOptions(command: Command, t: (code: CliCode) => string): Command {
  return command
    .option('--dry-run', t('opt.dry-run'))
    .option('-y, --yes', t('opt.yes'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']))
    .addOption(new Option('--root <dir>', 'the root of the system to set up (for tests and images)').default('/').hideHelp())
    .addOption(new Option('--state-dir <dir>', 'where setup records what it changed, under --root').default(DEFAULT_STATE_DIR).hideHelp());
}
