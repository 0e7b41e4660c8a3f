// `oomscope watch`: the same inputs as diagnose, followed live; each death told once to the chosen reporters.
import { spareDaemonCompilers } from './daemon-engine.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { WITNESS_OOM_SCORE_ADJ } from './witness-oom-score.js';
import type { DiagnoseOptions } from '../options.js';
import { addInputFlags, inputOptions, type InputFlags } from './input-flags.js';
import { addReporterFlags, createReporters, type ReporterFlags } from './reporter-flags.js';
import { defaultStatePath } from '../watch/watch-state.js';

interface WatchFlags extends ReporterFlags, InputFlags {
  tz?: string;
  year?: number;
  lang?: 'en' | 'zh-CN';
  state?: string;
  poll: number;
  settle: number;
  onlyProcess?: boolean;
  quiet?: boolean;
}

function positiveNumber(lang: Lang): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(cliMessage(lang, 'error.positive'));
    return n;
  };
}

const EXAMPLES: Example[] = [
  { run: 'sudo oomscope watch --dir /www/wwwroot/anqicms.com --kernel kmsg --metrics 9709', note: 'ex.watch.metrics' },
  { run: 'oomscope watch --kernel journal --webhook "$DINGTALK_ROBOT_URL" --webhook-template dingtalk', note: 'ex.dingtalk' },
  { run: 'oomscope watch --kernel /var/log/kern.log --format ndjson >> /var/log/oomscope.ndjson', note: 'ex.watch.ndjson' },
];

export function watchCommand(lang: Lang = defaultLang()): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const command = new Command('watch').summary(t('watch.summary')).description(t('watch.description'));
  addInputFlags(command, {
    kernel: t('opt.watch-kernel'), check: t('opt.watch-check'), app: t('opt.watch-app'), dir: t('opt.watch-dir'),
    noKernel: t('opt.watch-no-kernel'), noCheck: t('opt.watch-no-check'), noApp: t('opt.watch-no-app'), process: t('opt.process'),
  });
  command
    .option('--tz <zone>', t('opt.tz'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']))
    .option('--state <file>', cliMessage(lang, 'opt.state', { path: defaultStatePath() }))
    .option('--poll <ms>', t('opt.poll'), positiveNumber(lang), 500)
    .option('--settle <seconds>', t('opt.settle'), positiveNumber(lang), 90)
    .option('--only-process', t('opt.only-process'))
    .option('--quiet', t('opt.quiet'));
  addReporterFlags(command, lang);
  localizeHelp(command, lang, { notes: cliMessage(lang, 'watch.notes', { adj: WITNESS_OOM_SCORE_ADJ }), examples: EXAMPLES });
  command.action(async (flags: WatchFlags) => {
    spareDaemonCompilers();
    const textLang = flags.lang ?? lang;
    const { reporters, metrics } = await createReporters(flags, textLang, flags.process);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const options: DiagnoseOptions = { ...inputOptions(flags), tz: flags.tz, lang: textLang };
    const { watch } = await import('../watch/watcher.js');
    await watch({
      ...options,
      statePath: flags.state ?? defaultStatePath(),
      reporters,
      metrics,
      pollMs: flags.poll,
      settleSeconds: flags.settle,
      onlyProcess: flags.onlyProcess === true,
      quiet: flags.quiet === true,
      signal: abort.signal,
    });
  });
  return command;
}
