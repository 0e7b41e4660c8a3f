// `oomscope setup supervise`: replaces start.sh's cron line by a systemd unit running `oomscope supervise`. Shows the
// unit and the crontab with start.sh's line commented out, asks (or --yes), backs the crontab up, writes both,
// records them for `setup undo`, and enables the unit; the app cron started is handed over by the user.
import { Command } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { setupMessage } from '../i18n/setup-messages.js';
import { findSetupSupervise, type SetupSuperviseFindings, type SuperviseRefusal } from '../setup/setup-supervise.js';
import { offeredMemoryMax } from '../setup/supervise-plan.js';
import { UsageError } from '../usage-error.js';
import { localizeHelp, type Example } from './help-format.js';
import { addSetupOptions, ask, confirmed, describeCandidate, ownCommand, printPlannedFiles, sayer, writeRecordRun, type Say } from './setup-shared.js';

interface SetupSuperviseFlags {
  dir?: string;
  process: string;
  memoryMax?: string;
  root: string;
  stateDir: string;
  dryRun?: boolean;
  yes?: boolean;
  lang?: Lang;
}

function refusal(lang: Lang): (refusal: SuperviseRefusal) => UsageError {
  return (r) => {
    switch (r.why) {
      case 'no-dir':
        return new UsageError(setupMessage(lang, 'error.no-dir', { process: r.processName }), setupMessage(lang, 'fix.no-dir'));
      case 'no-systemd':
        return new UsageError(setupMessage(lang, 'error.no-systemd-supervise'), setupMessage(lang, 'fix.no-systemd-supervise'));
      case 'no-cron-line':
        return new UsageError(setupMessage(lang, 'error.no-cron-line', { dir: r.dir }), setupMessage(lang, 'fix.no-cron-line'));
      case 'bad-memory-max':
        return new UsageError(setupMessage(lang, 'error.bad-memory-max', { value: r.value }), setupMessage(lang, 'fix.bad-memory-max'));
      case 'crontab-not-utf8':
        return new UsageError(setupMessage(lang, 'error.crontab-not-utf8', { file: r.file }), setupMessage(lang, 'fix.crontab-not-utf8'));
    }
  };
}

/** --memory-max, else the answer to the question whose default is the offer (asked on a terminal, without --yes). */
async function memoryMaxOf(flags: SetupSuperviseFlags, lang: Lang): Promise<string | undefined> {
  if (flags.memoryMax !== undefined || flags.dryRun || flags.yes) return flags.memoryMax;
  const offer = offeredMemoryMax(flags.root) ?? 'none';
  const answer = await ask(setupMessage(lang, 'ask.memory', { size: offer }));
  return answer ? answer : undefined;
}

function printFindings(findings: SetupSuperviseFindings, lang: Lang, say: Say, processName: string): void {
  say('install-dir', { dir: findings.chosen.dir, how: describeCandidate(findings.chosen, lang, processName) });
  for (const other of findings.others) say('other-dir', { dir: other.dir, how: describeCandidate(other, lang, processName) });
  for (const line of findings.cronLines) say('cron-line', { file: line.file, line: line.line, text: line.text });
  say('binary', { binary: findings.binary });
  const { checkLog, runningLog, read } = findings.logs;
  if (!read) say('logs.unread', { checkLog: checkLog ?? '', runningLog });
  else if (checkLog === null) say('logs.no-check', { runningLog });
  else say('logs', { checkLog, runningLog });
  const size = findings.memoryMax.value;
  if (size === null) say(findings.memoryMax.offered ? 'memory.unknown' : 'memory.none');
  else say(findings.memoryMax.offered ? 'memory.offered' : 'memory.given', { size });
  for (const line of findings.cronLines) say('comment-out', { file: line.file, line: line.line });
}

async function setupSupervise(flags: SetupSuperviseFlags): Promise<void> {
  const lang = flags.lang ?? defaultLang();
  const say = sayer(lang);
  const memoryMax = await memoryMaxOf(flags, lang);
  const findings = findSetupSupervise({ root: flags.root, dir: flags.dir, processName: flags.process, memoryMax, command: ownCommand() }, refusal(lang));
  if (flags.dryRun) say('dry-run');
  printFindings(findings, lang, say, flags.process);
  printPlannedFiles(findings.files, findings.commands, say);
  if (flags.dryRun) return;
  if (!(await confirmed(flags.yes, lang))) {
    say('cancelled');
    return;
  }
  writeRecordRun({ root: flags.root, stateDir: flags.stateDir, command: 'supervise', units: [findings.unitName] }, findings.files, findings.commands, say);
  const stop = findings.chosen.pid !== null ? `kill ${findings.chosen.pid}` : `pkill -x ${flags.process}`;
  say('next.supervise', { process: flags.process, stop, unit: findings.unitName });
}

const EXAMPLES: Example[] = [
  { run: 'sudo oomscope setup supervise --dry-run', note: 'ex.setup.supervise' },
  { run: 'sudo oomscope setup undo', note: 'ex.setup.undo' },
];

export function setupSuperviseCommand(lang: Lang): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const supervise = new Command('supervise')
    .summary(t('setup-supervise.summary'))
    .description(t('setup-supervise.description'))
    .option('--dir <dir>', t('opt.setup-dir'))
    .option('--process <name>', t('opt.setup-process'), 'anqicms')
    .option('--memory-max <size>', t('opt.setup-memory-max'));
  addSetupOptions(supervise, t).action(async (flags: SetupSuperviseFlags) => setupSupervise(flags));
  localizeHelp(supervise, lang, { examples: EXAMPLES });
  supervise.exitOverride();
  return supervise;
}
