// `oomscope setup undo`: puts back what `setup watch` and `setup supervise` recorded: disables their units, restores
// each replaced file from its backup byte for byte, removes the files they created, and leaves alone (and names) a
// file changed since. The record is kept, renamed, as what was undone.
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { setupMessage } from '../i18n/setup-messages.js';
import { closeSetupRecord, planUndo, readSetupRuns, restoreBackup, type UndoStep } from '../setup/setup-record.js';
import { localizeHelp, type Example } from './help-format.js';
import { addSetupOptions, confirmed, runCommands, sayer, stampNow, type Say } from './setup-shared.js';

interface SetupUndoFlags {
  root: string;
  stateDir: string;
  dryRun?: boolean;
  yes?: boolean;
  lang?: Lang;
}

/** The words of a step that changes a file; null for one that changes nothing (said as it is). */
function stepWords(step: UndoStep, lang: Lang): string | null {
  if (step.action === 'restore') return setupMessage(lang, 'undo.restore', { path: step.path, backup: step.backup });
  if (step.action === 'remove') return setupMessage(lang, 'undo.remove', { path: step.path });
  return null;
}

function sayStep(step: UndoStep, lang: Lang, say: Say, done: boolean): void {
  const words = stepWords(step, lang);
  if (words !== null) say(done ? 'done' : 'would', { step: words });
  else if (step.action === 'changed-since') say('undo.changed', { path: step.path, backup: step.backup ?? '' });
  else say('undo.gone', { path: step.path });
}

async function setupUndo(flags: SetupUndoFlags): Promise<void> {
  const lang = flags.lang ?? defaultLang();
  const say = sayer(lang);
  const runs = readSetupRuns(flags.root, flags.stateDir);
  if (runs.length === 0) {
    say('undo.nothing', { path: `${flags.stateDir}/setup-record.json` });
    return;
  }
  const units = [...new Set([...runs].reverse().flatMap((run) => run.units))];
  // Units stop before their files go; systemd rereads the units once they are back as they were.
  const before = units.map((unit) => ['systemctl', 'disable', '--now', unit]);
  const after = units.length > 0 ? [['systemctl', 'daemon-reload']] : [];
  const steps = planUndo(flags.root, runs);
  if (flags.dryRun) say('dry-run');
  for (const command of before) say('would-run', { command: command.join(' ') });
  for (const step of steps) sayStep(step, lang, say, false);
  for (const command of after) say('would-run', { command: command.join(' ') });
  if (flags.dryRun) return;
  if (!(await confirmed(flags.yes, lang))) {
    say('cancelled');
    return;
  }
  runCommands(flags.root, before, say, true);
  for (const step of steps) {
    if (step.action === 'restore') restoreBackup(flags.root, step.path, step.backup);
    else if (step.action === 'remove') unlinkSync(join(flags.root, step.path));
    if (step.action === 'restore' || step.action === 'remove') sayStep(step, lang, say, true);
  }
  runCommands(flags.root, after, say, true);
  say('undo.record', { path: closeSetupRecord(flags.root, flags.stateDir, stampNow()) });
}

const EXAMPLES: Example[] = [{ run: 'sudo oomscope setup undo', note: 'ex.setup.undo' }];

export function setupUndoCommand(lang: Lang): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const undo = new Command('undo').summary(t('setup-undo.summary')).description(t('setup-undo.description'));
  addSetupOptions(undo, t).action(async (flags: SetupUndoFlags) => setupUndo(flags));
  localizeHelp(undo, lang, { examples: EXAMPLES });
  undo.exitOverride();
  return undo;
}
