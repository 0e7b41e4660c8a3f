// `oomscope setup watch`: finds the install folder and start.sh's cron line, asks for an optional webhook, shows the
// unit (or cron lines) it would write, asks (or --yes), then writes them with a backup of anything it replaces,
// records them for `setup undo`, enables the watcher and sends the webhook a test message.
// `setup supervise` and `setup undo` are in their own files; setupCommand puts the three together.
import { hostname } from 'node:os';
import { Command, Option } from 'commander';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { setupMessage } from '../i18n/setup-messages.js';
import { findSetupWatch, type SetupWatchFindings } from '../setup/setup-watch.js';
import { sendTestMessage, templateForUrl } from '../setup/test-message.js';
import type { WebhookTemplate } from '../tell/reporters/templates.js';
import { redactUrl } from '../tell/reporters/webhook.js';
import { UsageError } from '../usage-error.js';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { addSetupOptions, ask, confirmed, describeCandidate, ownCommand, printPlannedFiles, sayer, writeRecordRun, type Say } from './setup-shared.js';
import { setupSuperviseCommand } from './setup-supervise-command.js';
import { setupUndoCommand } from './setup-undo-command.js';

interface SetupWatchFlags {
  dir?: string;
  process: string;
  kernel: string;
  webhook?: string;
  webhookTemplate?: WebhookTemplate;
  root: string;
  stateDir: string;
  dryRun?: boolean;
  yes?: boolean;
  lang?: Lang;
}

function printFindings(findings: SetupWatchFindings, lang: Lang, say: Say, processName: string): void {
  say('install-dir', { dir: findings.chosen.dir, how: describeCandidate(findings.chosen, lang, processName) });
  for (const other of findings.others) say('other-dir', { dir: other.dir, how: describeCandidate(other, lang, processName) });
  for (const line of findings.cronLines) say('cron-line', { file: line.file, line: line.line, text: line.text });
  if (findings.cronLines.length === 0) say('no-cron-line', { dir: findings.chosen.dir });
  if (!findings.systemd) say('no-systemd');
}

/** --webhook, else the answer to the question (asked on a terminal only, and not in a dry run); '' is none. */
async function webhookOf(flags: SetupWatchFlags, lang: Lang): Promise<{ url: string; template: WebhookTemplate } | null> {
  const url = flags.webhook ?? (flags.dryRun || flags.yes ? null : await ask(setupMessage(lang, 'ask.webhook')));
  if (!url) return null;
  return { url, template: flags.webhookTemplate ?? templateForUrl(url) };
}

async function setupWatch(flags: SetupWatchFlags): Promise<void> {
  const lang = flags.lang ?? defaultLang();
  const say = sayer(lang);
  const webhook = await webhookOf(flags, lang);
  const findings = findSetupWatch(
    { root: flags.root, dir: flags.dir, processName: flags.process, kernel: flags.kernel, command: ownCommand(), webhook },
    (processName) => new UsageError(setupMessage(lang, 'error.no-dir', { process: processName }), setupMessage(lang, 'fix.no-dir')),
  );
  if (flags.dryRun) say('dry-run');
  printFindings(findings, lang, say, flags.process);
  if (webhook) say('webhook', { url: redactUrl(webhook.url), template: webhook.template });
  printPlannedFiles(findings.plan.files, findings.plan.commands, say);
  if (webhook) say('would-test');
  if (flags.dryRun) return;
  if (!(await confirmed(flags.yes, lang))) {
    say('cancelled');
    return;
  }
  const units = findings.systemd ? ['oomscope-watch.service'] : [];
  writeRecordRun({ root: flags.root, stateDir: flags.stateDir, command: 'watch', units }, findings.plan.files, findings.plan.commands, say);
  if (webhook) {
    const message = { title: setupMessage(lang, 'test.title', { host: hostname() }), text: setupMessage(lang, 'test.text', { process: flags.process }) };
    const delivered = await sendTestMessage(webhook.url, webhook.template, message, (line) => void process.stderr.write(`${line}\n`));
    say(delivered ? 'test.sent' : 'test.failed');
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
    .option('--webhook <url>', t('opt.setup-webhook'))
    .addOption(new Option('--webhook-template <name>', t('opt.setup-webhook-template')).choices(['generic', 'slack', 'dingtalk', 'feishu', 'wecom']));
  addSetupOptions(watch, t).action(async (flags: SetupWatchFlags) => setupWatch(flags));
  localizeHelp(watch, lang, { examples: SETUP_EXAMPLES });
  watch.exitOverride();
  const supervise = setupSuperviseCommand(lang);
  const undo = setupUndoCommand(lang);
  localizeHelp(setup, lang, { examples: [...SETUP_EXAMPLES, { run: 'sudo oomscope setup supervise --dry-run', note: 'ex.setup.supervise' }, { run: 'sudo oomscope setup undo', note: 'ex.setup.undo' }] });
  return setup.addCommand(watch).addCommand(supervise).addCommand(undo);
}
