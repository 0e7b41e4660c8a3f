// `oomscope diagnose`: flags → the library's diagnose() → the report.
import { Command, InvalidArgumentError } from 'commander';
import { diagnose } from '../diagnose.js';
import type { DiagnoseOptions } from '../options.js';
import { addReportOptions, exitCodeFor, writeReport, type ReportFlags } from './report-options.js';

interface DiagnoseFlags extends ReportFlags {
  kernel: string[];
  process?: string;
  tz?: string;
  year?: number;
  bootTime?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('give a four-digit year, such as 2024');
  return Number(value);
}

export function diagnoseCommand(setExitCode: (code: number) => void): Command {
  const command = new Command('diagnose')
    .summary('find out why a process died, from the logs')
    .description(
      'Reads kernel logs (and, later, the guardian and app logs) and reports every OOM kill with its figures.\n' +
        'Kernel SOURCE is a file (plain or gzip, any name), - for stdin, or a live source:\n' +
        '  kmsg     /dev/kmsg of this machine (needs root or CAP_SYSLOG)\n' +
        '  journal  journalctl, all boots, kernel and OOM-killer daemons\n' +
        '  dmesg    the dmesg command',
    )
    .option('--kernel <source>', 'kernel log to read (repeatable)', collect, [])
    .option('--process <name>', 'the watched process (kernel comm, first 15 bytes)', 'anqicms')
    .option('--tz <zone>', 'IANA zone for zone-less stamps and all output times (default: system zone)')
    .option('--year <yyyy>', 'year of the first line of year-less logs (default: from the file time)', parseYear)
    .option('--boot-time <iso>', "start of the kernel input's last boot, for uptime-only logs (e.g. 2024-07-20T08:00:00+08:00)");
  addReportOptions(command);
  command.addHelpText(
    'after',
    '\nExamples:\n' +
      '  oomscope diagnose --kernel /var/log/kern.log --kernel /var/log/kern.log.1\n' +
      '  sudo oomscope diagnose --kernel kmsg --format json\n' +
      '  dmesg | oomscope diagnose --kernel - --boot-time "$(uptime -s | sed "s/ /T/")+08:00"\n' +
      '\nExit codes: 0 read everything, 2 wrong usage or nothing readable, 3 some input unreadable or cut short.',
  );
  command.action(async (flags: DiagnoseFlags) => {
    const options: DiagnoseOptions = {
      kernel: flags.kernel,
      process: flags.process,
      tz: flags.tz,
      year: flags.year,
      bootTime: flags.bootTime,
      lang: flags.lang,
    };
    const report = await diagnose(options);
    await writeReport(report, flags, options.process ?? 'anqicms');
    setExitCode(exitCodeFor(report, flags.kernel.length));
  });
  return command;
}
