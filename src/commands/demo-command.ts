// `oomscope demo`: the bundled sample, diagnosed by the same code path as `diagnose`.
import { join } from 'node:path';
import { Command } from 'commander';
import { diagnose } from '../diagnose.js';
import { demoSamplesDir } from './demo-samples.js';
import { addReportOptions, exitCodeFor, writeReport, type ReportFlags } from './report-options.js';

export function demoCommand(setExitCode: (code: number) => void): Command {
  const command = new Command('demo').summary('diagnose the bundled sample logs').description(
    'Runs `oomscope diagnose` on a bundled sample: four days of a small AnQiCMS server (check.log, running.log,\n' +
      'kern.log) with a Go panic, a kernel OOM kill, a kill -9, a stop, a reboot and failed starts.\n' +
      'The sample lives in samples/anqicms/; its times are read in Asia/Shanghai.',
  );
  addReportOptions(command);
  command.addHelpText('after', '\nExamples:\n  oomscope demo --format html -o demo.html   # the report as a page: open it in a browser\n  oomscope demo --explain --lang zh-CN       # every field of each OOM kill explained, in Chinese\n');
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
