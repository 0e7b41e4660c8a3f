// `oomscope setup watch`: finds the install folder and start.sh's cron line, shows the unit (or cron lines) it would
// write, asks (or --yes), then writes them with a backup of anything it replaces and enables the watcher.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Command, Option } from 'commander';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { setupMessage, type SetupKey } from '../i18n/setup-messages.js';
import type { Params } from '../i18n/catalog.js';
import { findSetupWatch, type SetupWatchFindings } from '../setup/setup-watch.js';
import { writePlannedFiles } from '../setup/write-files.js';
import { UsageError } from '../usage-error.js';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { localizeHelp, type Example } from './help-format.js';

interface SetupWatchFlags {
  dir?: string;
  process: string;
  kernel: string;
  root: string;
  dryRun?: boolean;
  yes?: boolean;
  lang?: Lang;
}

/** How this very oomscope is run again by systemd or cron: the single executable, or node and its script. */
function ownCommand(): string[] {
  const sea = process.getBuiltinModule?.('node:sea');
  if (sea?.isSea()) return [process.execPath];
  return [process.execPath, realpathSync(process.argv[1] ?? '')];
}

function printFindings(findings: SetupWatchFindings, lang: Lang, say: (key: SetupKey, params?: Params) => void, processName: string): void {
  const how = (c: { found: string; pid: number | null }): string =>
    c.found === 'running' ? setupMessage(lang, 'found.running', { process: processName, pid: c.pid ?? '' })
    : c.found === 'wwwroot' ? setupMessage(lang, 'found.wwwroot')
    : setupMessage(lang, 'found.given');
  say('install-dir', { dir: findings.chosen.dir, how: how(findings.chosen) });
  for (const other of findings.others) say('other-dir', { dir: other.dir, how: how(other) });
  for (const line of findings.cronLines) say('cron-line', { file: line.file, line: line.line, text: line.text });
  if (findings.cronLines.length === 0) say('no-cron-line', { dir: findings.chosen.dir });
  if (!findings.systemd) say('no-systemd');
}

async function confirmed(flags: SetupWatchFlags, lang: Lang): Promise<boolean> {
  if (flags.yes) return true;
  if (!process.stdin.isTTY) throw new UsageError(setupMessage(lang, 'error.need-yes'), setupMessage(lang, 'fix.need-yes'));
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|是)$/i.test((await prompt.question(setupMessage(lang, 'ask'))).trim());
  } finally {
    prompt.close();
  }
}

async function setupWatch(flags: SetupWatchFlags): Promise<void> {
  const lang = flags.lang ?? defaultLang();
  const say = (key: SetupKey, params: Params = {}): void => void process.stdout.write(`${setupMessage(lang, key, params)}\n`);
  const findings = findSetupWatch(
    { root: flags.root, dir: flags.dir, processName: flags.process, kernel: flags.kernel, command: ownCommand() },
    (processName) => new UsageError(setupMessage(lang, 'error.no-dir', { process: processName }), setupMessage(lang, 'fix.no-dir')),
  );
  if (flags.dryRun) say('dry-run');
  printFindings(findings, lang, say, flags.process);
  for (const file of findings.plan.files) {
    say('would-write', { path: file.path });
    process.stdout.write(`${file.content.replace(/^(?=.)/gm, '    ')}\n`);
  }
  for (const command of findings.plan.commands) say('would-run', { command: command.join(' ') });
  if (flags.dryRun) return;
  if (!(await confirmed(flags, lang))) {
    say('cancelled');
    return;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (const written of writePlannedFiles(flags.root, findings.plan.files, stamp)) {
    if (written.unchanged) say('unchanged', { path: written.path });
    else say('wrote', { path: written.path });
    if (written.backup) say('backup', { path: written.path, backup: written.backup });
  }
  for (const command of findings.plan.commands) {
    if (flags.root !== '/') {
      say('not-run-root', { command: command.join(' ') });
      continue;
    }
    execFileSync(command[0]!, command.slice(1), { stdio: 'inherit' });
    say('ran', { command: command.join(' ') });
  }
  say(findings.systemd ? 'next.systemd' : 'next.cron');
}

const SETUP_EXAMPLES: Example[] = [
  { run: 'sudo oomscope setup watch --dry-run', note: 'ex.setup.dry-run' },
  { run: 'sudo oomscope setup watch --dir /www/wwwroot/anqicms.com --yes', note: 'ex.setup.yes' },
];

export function setupCommand(lang: Lang = defaultLang()): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const setup = new Command('setup').summary(t('setup.summary')).description(t('setup.description')).helpCommand('help [command]', t('help.help-command'));
  const watch = new Command('watch')
    .summary(t('setup-watch.summary'))
    .description(t('setup-watch.description'))
    .option('--dir <dir>', t('opt.setup-dir'))
    .option('--process <name>', t('opt.setup-process'), 'anqicms')
    .option('--kernel <source>', t('opt.setup-kernel'), 'kmsg')
    .option('--dry-run', t('opt.dry-run'))
    .option('-y, --yes', t('opt.yes'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']))
    .addOption(new Option('--root <dir>', 'the root of the system to set up (for tests and images)').default('/').hideHelp())
    .action(async (flags: SetupWatchFlags) => setupWatch(flags));
  localizeHelp(watch, lang, { examples: SETUP_EXAMPLES });
  watch.exitOverride();
  localizeHelp(setup, lang, { examples: SETUP_EXAMPLES });
  return setup.addCommand(watch);
}
