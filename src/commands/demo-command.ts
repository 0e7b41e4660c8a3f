// `oomscope demo`: the bundled sample, diagnosed by the same code path as `diagnose`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { diagnose } from '../diagnose.js';
import { cliMessage } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { addReportOptions, exitCodeFor, writeReport, type ReportFlags } from './report-options.js';

/** The samples folder shipped beside dist/ (and beside src/ when run from a checkout). */
function samplesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'samples', 'anqicms'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the bundled samples folder is missing from this installation');
    dir = parent;
  }
  return join(dir, 'samples', 'anqicms');
}

const EXAMPLES: Example[] = [
  { run: 'oomscope demo --format html -o demo.html', note: 'ex.demo.html' },
  { run: 'oomscope demo --explain --lang zh-CN', note: 'ex.demo.explain' },
];

export function demoCommand(setExitCode: (code: number) => void, lang: Lang = defaultLang()): Command {
  const command = new Command('demo').summary(cliMessage(lang, 'demo.summary')).description(cliMessage(lang, 'demo.description'));
  addReportOptions(command, lang);
  localizeHelp(command, lang, { examples: EXAMPLES });
  command.action(async (flags: ReportFlags) => {
    const dir = samplesDir();
    const report = await diagnose({
      check: [join(dir, 'check.log')],
      app: [join(dir, 'running.log')],
      kernel: [join(dir, 'kern.log')],
      tz: 'Asia/Shanghai',
      lang: flags.lang,
    });
    await writeReport(report, flags, 'anqicms');
    setExitCode(exitCodeFor(report));
  });
  return command;
}
