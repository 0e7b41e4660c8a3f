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

export function setupCommand(): Command {
  const setup = new Command('setup').summary('set the watcher up on this server (systemd unit or cron)');
  const watch = new Command('watch')
    .summary('write and enable a systemd unit for oomscope watch (cron where systemd is absent)')
    .description(
      'Finds the install folder (where the running process is, else a site folder under /www/wwwroot/) and\n' +
        "start.sh's cron line, shows the systemd unit it would write (contrib/oomscope-watch.service with the folder,\n" +
        'the kernel source and this oomscope filled in; /etc/cron.d lines where systemd is not running), asks, then\n' +
        'writes it, keeping a backup of any file it replaces, and enables it. --dry-run only shows.',
    )
    .option('--dir <dir>', 'install folder (default: found)')
    .option('--process <name>', 'the watched process', 'anqicms')
    .option('--kernel <source>', 'kernel log for the watcher: kmsg, journal or a file', 'kmsg')
    .option('--dry-run', 'show what would be written and run; change nothing')
    .option('-y, --yes', 'do it without asking')
    .addOption(new Option('--lang <lang>', 'language of human text (default: from LANG)').choices(['en', 'zh-CN']))
    .addOption(new Option('--root <dir>', 'the root of the system to set up (for tests and images)').default('/').hideHelp())
    .action(async (flags: SetupWatchFlags) => setupWatch(flags));
  watch.exitOverride().showHelpAfterError('(run with --help for usage)');
  return setup.addCommand(watch);
}
