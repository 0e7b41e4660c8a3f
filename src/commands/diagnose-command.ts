// `oomscope diagnose`: flags → the library's diagnose() → the report.
import { Command, InvalidArgumentError } from 'commander';
import { diagnose } from '../diagnose.js';
import type { Verdict } from '../model/report.js';
import { VERDICTS } from '../model/report.js';
import type { DiagnoseOptions } from '../options.js';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { addInputFlags, inputOptions, type InputFlags } from './input-flags.js';
import { addReportOptions, exitCodeFor, writeReport, type ReportFlags } from './report-options.js';

interface DiagnoseFlags extends ReportFlags, InputFlags {
  failOn?: Verdict[];
  tz?: string;
  year?: number;
  bootTime?: string;
  threads?: number;
}

function parseVerdicts(lang: Lang): (value: string) => Verdict[] {
  return (value) => {
    const list = value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
    const unknown = list.filter((v) => !(VERDICTS as readonly string[]).includes(v));
    if (unknown.length > 0 || list.length === 0) {
      throw new InvalidArgumentError(cliMessage(lang, 'error.verdicts', { unknown: unknown.join(', ') || '—', verdicts: VERDICTS.join(', ') }));
    }
    return list as Verdict[];
  };
}

function parseYear(lang: Lang): (value: string) => number {
  return (value) => {
    if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError(cliMessage(lang, 'error.year'));
    return Number(value);
  };
}

function parseThreads(lang: Lang): (value: string) => number {
  return (value) => {
    const threads = Number(value);
    if (!/^\d+$/.test(value) || threads < 1 || threads > 256) throw new InvalidArgumentError(cliMessage(lang, 'error.threads'));
    return threads;
  };
}

const EXAMPLES: Example[] = [
  { run: 'oomscope diagnose', note: 'ex.diagnose.find' },
  { run: 'oomscope diagnose --dir /www/wwwroot/anqicms.com --tz Asia/Shanghai', note: 'ex.diagnose.dir' },
  { run: 'oomscope diagnose --check check.log --app running.log --kernel kern.log --format md', note: 'ex.diagnose.files' },
  { run: 'oomscope diagnose --kernel /var/log/kern.log --format html -o report.html', note: 'ex.diagnose.html' },
  { run: 'oomscope diagnose --kernel /var/log/kern.log --explain', note: 'ex.diagnose.explain' },
  { run: 'sudo oomscope diagnose --kernel kmsg --format json', note: 'ex.diagnose.kmsg' },
  { run: 'dmesg | oomscope diagnose --kernel - --boot-time "$(uptime -s | sed "s/ /T/")+08:00"', note: 'ex.diagnose.dmesg' },
];

export function diagnoseCommand(setExitCode: (code: number) => void, lang: Lang = defaultLang()): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const command = new Command('diagnose').summary(t('diagnose.summary')).description(t('diagnose.description'));
  addInputFlags(command, {
    kernel: t('opt.kernel'), check: t('opt.check'), app: t('opt.app'), dir: t('opt.dir'),
    noKernel: t('opt.no-kernel'), noCheck: t('opt.no-check'), noApp: t('opt.no-app'), process: t('opt.process'),
  });
  command
    .option('--tz <zone>', t('opt.tz'))
    .option('--year <yyyy>', t('opt.year'), parseYear(lang))
    .option('--boot-time <iso>', t('opt.boot-time'))
    .option('--threads <n>', t('opt.threads'), parseThreads(lang))
    .option('--fail-on <verdicts>', t('opt.fail-on'), parseVerdicts(lang))
    .option('--oldest-first', t('opt.oldest-first'))
    .option('--all', t('opt.all'));
  addReportOptions(command, lang);
  localizeHelp(command, lang, { notes: cliMessage(lang, 'diagnose.notes', { verdicts: VERDICTS.join(lang === 'zh-CN' ? '、' : ', ') }), examples: EXAMPLES });
  command.action(async (flags: DiagnoseFlags) => {
    const options: DiagnoseOptions = {
      ...inputOptions(flags),
      tz: flags.tz,
      year: flags.year,
      bootTime: flags.bootTime,
      threads: flags.threads,
      lang: flags.lang,
    };
    const report = await diagnose(options);
    await writeReport(report, flags, flags.process, command.getOptionValueSource('process') !== 'default');
    setExitCode(exitCodeFor(report, flags.failOn));
  });
  return command;
}
