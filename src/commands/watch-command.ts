// `oomscope watch`: the same inputs as diagnose, followed live; each death told once to the chosen reporters.
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultLang } from '../i18n/messages.js';
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

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('give a positive number');
  return n;
}

export function watchCommand(): Command {
  const command = new Command('watch')
    .summary('follow the logs live and report each death once')
    .description(
      'Follows the kernel log (a file, /dev/kmsg or the journal), check.log and running.log as they grow — through\n' +
        'log rotation and files that do not exist yet — and reports each death of the watched process once, as soon\n' +
        'as its evidence settles: at once for a kill record or a crash trace; for a silent death when it is back or\n' +
        'after --settle seconds. When it comes back, an update of the same incident carries restartedAt and the\n' +
        'downtime. Runs until stopped (SIGINT/SIGTERM); remembers where it was in --state, so a restart repeats\n' +
        'nothing and catches up what happened while it was down.',
    );
  addInputFlags(command, {
    kernel: 'kernel log: a file, kmsg or journal (repeatable)',
    check: 'guardian log, check.log',
    app: 'application log, running.log',
    dir: 'install directory holding check.log and running.log',
    noKernel: 'follow no kernel log (else one is looked for when --kernel is not given)',
    noCheck: 'follow no guardian log',
    noApp: 'follow no application log',
    process: 'the watched process (kernel comm, first 15 bytes)',
  });
  command
    .option('--tz <zone>', 'IANA zone for zone-less stamps and output times (default: system zone)')
    .addOption(new Option('--lang <lang>', 'language of human text (default: from LANG)').choices(['en', 'zh-CN']))
    .option('--state <file>', `where to remember progress (default: ${defaultStatePath()})`)
    .option('--poll <ms>', 'how often to read the inputs', positiveNumber, 500)
    .option('--settle <seconds>', 'tell a silent death after this long even if it is not back', positiveNumber, 90)
    .option('--only-process', 'tell deaths of the watched process only, not OOM kills of other processes')
    .option('--quiet', 'no start line on stderr (problems are still written)');
  addReporterFlags(command);
  command.addHelpText(
    'after',
    '\nExamples:\n' +
      '  sudo oomscope watch --dir /www/wwwroot/anqicms.com --kernel kmsg --metrics 9709\n' +
      '  oomscope watch --kernel journal --webhook https://oapi.dingtalk.com/robot/send?access_token=… --webhook-template dingtalk\n' +
      '  oomscope watch --kernel /var/log/kern.log --format ndjson >> /var/log/oomscope.ndjson',
  );
  command.action(async (flags: WatchFlags) => {
    const lang = flags.lang ?? defaultLang();
    const { reporters, metrics } = await createReporters(flags, lang, flags.process);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const options: DiagnoseOptions = { ...inputOptions(flags), tz: flags.tz, lang };
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
