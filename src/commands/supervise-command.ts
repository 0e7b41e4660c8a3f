// `oomscope supervise [options] -- COMMAND [ARGS…]`: a guardian that knows why its child died.
import { accessSync, appendFileSync, constants, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { spareDaemonCompilers } from './daemon-engine.js';
import { Command, InvalidArgumentError, Option } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { errorMessage } from '../i18n/error-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { shieldSupervisor, WITNESS_OOM_SCORE_ADJ } from './witness-oom-score.js';
import { DEFAULT_POLICY } from '../supervise/backoff.js';
import { CgroupError } from '../supervise/memory-cgroup.js';
import { AlreadySupervised } from '../supervise/pidfile.js';
import { parseSize } from '../supervise/sizes.js';
import { addReporterFlags, createReporters, type ReporterFlags } from './reporter-flags.js';
import { isValidZone, systemZone } from '../time/zone.js';
import { UsageError } from '../usage-error.js';

interface SuperviseFlags extends ReporterFlags {
  name?: string;
  checkLog?: string;
  log?: string;
  incidents?: string;
  pidfile?: string;
  memoryMax?: string;
  gomemlimit?: string;
  backoffInitial: number;
  backoffMax: number;
  stableAfter: number;
  grace: number;
  crashLoopDeaths: number;
  crashLoopWindow: number;
  checkInterval: number;
  poll: number;
  kernel: 'kmsg' | 'journal' | 'none';
  tz?: string;
  lang?: 'en' | 'zh-CN';
  debug?: boolean;
}


function seconds(lang: Lang): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(cliMessage(lang, 'error.seconds'));
    return n;
  };
}

function positiveInteger(lang: Lang): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(cliMessage(lang, 'error.whole-number'));
    return n;
  };
}

/** The smallest --memory-max that can run anything at all. */
const MIN_MEMORY_BYTES = 4 * 1024 * 1024;

/** Where the command would be found (a path as given, or on PATH), or null. */
function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const runnable = (path: string): boolean => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return runnable(command) ? command : null;
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    const path = join(dir || '.', command);
    if (runnable(path)) return path;
  }
  return null;
}

const EXAMPLES: Example[] = [
  { run: '@reboot cd /www/wwwroot/site && oomscope supervise --check-log check.log --log running.log --pidfile anqicms.pid -- ./anqicms', note: 'ex.supervise.cron' },
  { run: 'oomscope supervise --memory-max 1G --gomemlimit auto --incidents deaths.ndjson --log running.log -- ./anqicms', note: 'ex.supervise.memory' },
  { run: 'oomscope supervise --webhook "$DINGTALK_ROBOT_URL" --webhook-template dingtalk -- ./anqicms', note: 'ex.dingtalk' },
];

// (Over 80 lines: the command's flags, one declaration each, then one call.)
export function superviseCommand(setExitCode: (code: number) => void = () => {}, lang: Lang = defaultLang()): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const command = new Command('supervise')
    .summary(t('supervise.summary'))
    .description(t('supervise.description'))
    .argument('<command...>', t('supervise.argument'))
    .usage(`${t('usage.options')} -- COMMAND [ARGS...]`)
    .option('--name <name>', t('opt.name'))
    .option('--check-log <file>', t('opt.check-log'))
    .option('--log <file>', t('opt.log'))
    .option('--incidents <file>', t('opt.incidents'))
    .option('--pidfile <file>', t('opt.pidfile'))
    .option('--memory-max <size>', t('opt.memory-max'))
    .option('--gomemlimit <auto|size>', t('opt.gomemlimit'))
    .option('--backoff-initial <seconds>', t('opt.backoff-initial'), seconds(lang), DEFAULT_POLICY.initialMs / 1000)
    .option('--backoff-max <seconds>', t('opt.backoff-max'), seconds(lang), DEFAULT_POLICY.maxMs / 1000)
    .option('--stable-after <seconds>', t('opt.stable-after'), seconds(lang), DEFAULT_POLICY.stableMs / 1000)
    .option('--grace <seconds>', t('opt.grace'), seconds(lang), 10)
    .option('--crash-loop-deaths <n>', t('opt.crash-loop-deaths'), positiveInteger(lang), DEFAULT_POLICY.crashLoopDeaths)
    .option('--crash-loop-window <seconds>', t('opt.crash-loop-window'), seconds(lang), DEFAULT_POLICY.crashLoopWindowMs / 1000)
    .option('--check-interval <seconds>', t('opt.check-interval'), seconds(lang), 60)
    .addOption(new Option('--poll <ms>', 'how often an adopted app is looked at').argParser(positiveInteger(lang)).default(200).hideHelp())
    .addOption(new Option('--kernel <source>', t('opt.supervise-kernel')).choices(['kmsg', 'journal', 'none']).default('kmsg'))
    .option('--tz <zone>', t('opt.supervise-tz'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']))
    .option('--debug', t('opt.debug'));
  addReporterFlags(command, lang);
  localizeHelp(command, lang, { notes: `${t('supervise.notes')}\n\n${cliMessage(lang, 'supervise.oom-notes', { adj: WITNESS_OOM_SCORE_ADJ })}`, examples: EXAMPLES });
  command.action(async (argv: string[], flags: SuperviseFlags) => {
    spareDaemonCompilers();
    const program = argv[0];
    if (!program) throw UsageError.of('supervise.no-command');
    if (!findExecutable(program)) throw UsageError.of(program.includes('/') ? 'supervise.not-found' : 'supervise.not-on-path', { program });
    const name = flags.name ?? basename(program);
    if (name.trim() === '' || /\s/.test(name)) throw UsageError.of('supervise.name', { name });
    const tz = flags.tz ?? systemZone();
    if (!isValidZone(tz)) throw UsageError.of('tz.unknown', { tz });
    let memoryMaxBytes: number | null = null;
    if (flags.memoryMax !== undefined) {
      memoryMaxBytes = parseSize(flags.memoryMax);
      if (memoryMaxBytes === null) throw UsageError.of('memory-max.not-size', { value: flags.memoryMax });
      if (memoryMaxBytes < MIN_MEMORY_BYTES) throw UsageError.of('memory-max.too-small', { value: flags.memoryMax });
    }
    if (flags.gomemlimit !== undefined && flags.gomemlimit.trim().toLowerCase() !== 'auto' && parseSize(flags.gomemlimit) === null) {
      throw UsageError.of('gomemlimit.invalid', { value: flags.gomemlimit });
    }
    for (const [flag, path] of [['--check-log', flags.checkLog], ['--log', flags.log], ['--incidents', flags.incidents]] as const) {
      if (path === undefined) continue;
      try {
        appendFileSync(path, '');
      } catch (error) {
        throw UsageError.of('path.not-writable', { flag, path, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
      }
    }
    if (flags.backoffMax < flags.backoffInitial) throw UsageError.of('backoff.order');
    if (flags.checkInterval <= 0) throw UsageError.of('check-interval.zero');

    const lang = flags.lang ?? defaultLang();
    const { reporters, metrics } = await createReporters(flags, lang, name);
    try {
      const { supervise } = await import('../supervise/supervisor.js');
      const appOomScoreAdj = shieldSupervisor();
      const code = await supervise({
        command: argv,
        name,
        checkLog: flags.checkLog ?? null,
        outputLog: flags.log ?? null,
        incidents: flags.incidents ?? null,
        pidfile: flags.pidfile ?? null,
        memoryMaxBytes,
        gomemlimit: flags.gomemlimit ?? null,
        policy: {
          initialMs: flags.backoffInitial * 1000,
          maxMs: flags.backoffMax * 1000,
          stableMs: flags.stableAfter * 1000,
          crashLoopDeaths: flags.crashLoopDeaths,
          crashLoopWindowMs: flags.crashLoopWindow * 1000,
        },
        graceMs: flags.grace * 1000,
        checkIntervalMs: flags.checkInterval * 1000,
        pollMs: flags.poll,
        kernel: flags.kernel,
        reporters,
        metrics,
        lang,
        tz,
        appOomScoreAdj,
      });
      setExitCode(code);
    } catch (error) {
      if (error instanceof AlreadySupervised) {
        await Promise.all(reporters.map((r) => r.close().catch(() => {})));
        const said = error.foreign
          ? errorMessage(lang, 'supervise.already-foreign', { path: error.path, pid: error.record.supervisorPid })
          : errorMessage(lang, 'supervise.already', { path: error.path, pid: error.record.supervisorPid, app: error.record.childPid ?? '' });
        process.stderr.write(`oomscope: ${said}\n`);
        setExitCode(1);
        return;
      }
      if (error instanceof CgroupError) {
        await Promise.all(reporters.map((r) => r.close().catch(() => {})));
        throw UsageError.of(error.code, error.params);
      }
      throw error;
    }
  });
  return command;
}
