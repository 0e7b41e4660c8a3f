// `oomscope diagnose`: flags → the library's diagnose() → the report.
import { Command, InvalidArgumentError } from 'commander';
import { diagnose } from '../diagnose.js';
import type { Verdict } from '../model/report.js';
import { VERDICTS } from '../model/report.js';
import type { DiagnoseOptions } from '../options.js';
import { addInputFlags, inputOptions, type InputFlags } from './input-flags.js';
import { addReportOptions, exitCodeFor, writeReport, type ReportFlags } from './report-options.js';

interface DiagnoseFlags extends ReportFlags, InputFlags {
  failOn?: Verdict[];
  tz?: string;
  year?: number;
  bootTime?: string;
}

function parseVerdicts(value: string): Verdict[] {
  const list = value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
  const unknown = list.filter((v) => !(VERDICTS as readonly string[]).includes(v));
  if (unknown.length > 0 || list.length === 0) throw new InvalidArgumentError(`unknown verdict ${unknown.join(', ') || '(none)'}; choose from ${VERDICTS.join(', ')}`);
  return list as Verdict[];
}

function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('give a four-digit year, such as 2024');
  return Number(value);
}

export function diagnoseCommand(setExitCode: (code: number) => void): Command {
  const command = new Command('diagnose')
    .summary('find out why a process died, from the logs')
    .description(
      'Joins the guardian log (check.log), the application log (running.log) and the kernel log into one\n' +
        'incident per death of the watched process, with a verdict, the evidence and advice; and reports\n' +
        'every OOM kill in the kernel log with its figures. With no input options it looks for the logs itself.\n\n' +
        'Kernel SOURCE is a file (plain or gzip, any name), - for stdin, or a live source:\n' +
        '  kmsg     /dev/kmsg of this machine (needs root or CAP_SYSLOG)\n' +
        '  journal  journalctl, all boots, kernel and OOM-killer daemons\n' +
        '  dmesg    the dmesg command',
    );
  addInputFlags(command, {
    kernel: 'kernel log to read (repeatable)',
    check: 'guardian log, check.log (repeatable: rotated files oldest first)',
    app: 'application log, running.log (repeatable: rotated files oldest first)',
    dir: 'install directory: finds check.log, running.log and their rotated siblings',
    noKernel: 'read no kernel log (else one is looked for when --kernel is not given)',
    noCheck: 'read no guardian log',
    noApp: 'read no application log',
    process: 'the watched process (kernel comm, first 15 bytes)',
  });
  command
    .option('--tz <zone>', 'IANA zone for zone-less stamps and all output times (default: system zone)')
    .option('--year <yyyy>', 'year of the first line of year-less logs (default: from the file time)', parseYear)
    .option('--boot-time <iso>', "start of the kernel input's last boot, for uptime-only logs (e.g. 2024-07-20T08:00:00+08:00)")
    .option('--fail-on <verdicts>', 'exit 1 when a death has one of these verdicts (comma-separated, e.g. kernel-oom,cgroup-oom)', parseVerdicts);
  addReportOptions(command);
  command.addHelpText(
    'after',
    '\nExamples:\n' +
      '  oomscope diagnose                       # find the logs: ., /www/wwwroot/*/, the journal or /var/log\n' +
      '  oomscope diagnose --dir /www/wwwroot/anqicms.com --kernel /var/log/kern.log --tz Asia/Shanghai\n' +
      '  oomscope diagnose --check check.log --app running.log --kernel kern.log --format md\n' +
      '  oomscope diagnose --kernel /var/log/kern.log --format html -o report.html   # a page to open, mail or print\n' +
      '  oomscope diagnose --kernel /var/log/kern.log --explain   # every field of each OOM kill explained\n' +
      '  sudo oomscope diagnose --kernel kmsg --format json\n' +
      '  dmesg | oomscope diagnose --kernel - --boot-time "$(uptime -s | sed "s/ /T/")+08:00"\n' +
      '\nVerdicts: ' + VERDICTS.join(', ') + '.\n' +
      'Exit codes: 0 read everything, 1 --fail-on matched, 2 wrong usage or nothing readable,\n' +
      '3 some input unreadable or cut short (when several apply: 2, then 1, then 3).',
  );
  command.action(async (flags: DiagnoseFlags) => {
    const options: DiagnoseOptions = {
      ...inputOptions(flags),
      tz: flags.tz,
      year: flags.year,
      bootTime: flags.bootTime,
      lang: flags.lang,
    };
    const report = await diagnose(options);
    await writeReport(report, flags, flags.process);
    setExitCode(exitCodeFor(report, flags.failOn));
  });
  return command;
}
