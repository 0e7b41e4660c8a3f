// `oomscope demo`: the bundled sample, diagnosed by the same code path as `diagnose`.
import { join } from 'node:path';
import { Command } from 'commander';
import { diagnose } from '../diagnose.js';
import { cliMessage } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { demoSamplesDir } from './demo-samples.js';
import { addReportOptions, exitCodeFor, writeReport, type ReportFlags } from './report-options.js';

const EXAMPLES: Example[] = [
  { run: 'oomscope demo --format html -o demo.html', note: 'ex.demo.html' },
  { run: 'oomscope demo --explain --lang zh-CN', note: 'ex.demo.explain' },
];

export function demoCommand(setExitCode: (code: number) => void, lang: Lang = defaultLang()): Command {
  const command = new Command('demo').summary(cliMessage(lang, 'demo.summary')).description(cliMessage(lang, 'demo.description'));
  addReportOptions(command, lang);
  localizeHelp(command, lang, { examples: EXAMPLES });
  command.action(async (flags: ReportFlags) => {
    const dir = demoSamplesDir();
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
