// `oomscope supervise [options] -- COMMAND [ARGS…]`: a guardian that knows why its child died.
import { accessSync, appendFileSync, constants, statSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultLang } from '../i18n/messages.js';
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


function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number of seconds (0 or more)');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('give a whole number, 1 or more');
  return n;
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

// (Over 80 lines: the command's flags, one declaration each, then one call.)
export function superviseCommand(setExitCode: (code: number) => void = () => {}): Command {
  const command = new Command('supervise')
    .summary('run the app, restart it when it dies, and tell why each time')
    .description(
      'Starts COMMAND and keeps it running: restarts it after every exit except a deliberate stop (SIGTERM or SIGINT to ' +
        'oomscope, passed on to the app; SIGHUP is passed on too and restarts it), with a backoff that doubles from ' +
        '--backoff-initial to --backoff-max and starts again after a stable run; 3 deaths within 10 minutes are a crash ' +
        'loop (announced; restarts slow down to the cap). At every exit it writes a death certificate (the incident ' +
        'diagnose would give: verdict, reason, advice; plus the exit code or signal, the run time and the last lines of ' +
        "output) to --incidents and to the reporters; an OOM kill is read from the kernel's log at that moment. It writes " +
        'check.log and running.log as the cron guardian does, so `oomscope diagnose` reads them too.',
    )
    .argument('<command...>', 'the app and its arguments (after --)')
    .usage('[options] -- COMMAND [ARGS...]')
    .option('--name <name>', 'name in check.log and in the reports (default: basename of COMMAND)')
    .option('--check-log <file>', "append the cron guardian's lines: `YYYYMMDD HH:MM:SS NAME PID check: N`")
    .option('--log <file>', "append the app's stdout and stderr here (running.log); without it they go to oomscope's stderr")
    .option('--incidents <file>', 'append each death certificate as one JSON line (NDJSON)')
    .option('--pidfile <file>', 'lock and record: one supervisor per app; a restarted oomscope adopts the running app')
    .option('--memory-max <size>', "run the app in its own memory cgroup with this limit, swap included (256M, 1G); needs root or a delegated cgroup")
    .option('--gomemlimit <auto|size>', 'set GOMEMLIMIT for the app: auto = 80% of --memory-max, or of RAM without it')
    .option('--backoff-initial <seconds>', 'first restart delay', seconds, DEFAULT_POLICY.initialMs / 1000)
    .option('--backoff-max <seconds>', 'longest restart delay (and the delay in a crash loop)', seconds, DEFAULT_POLICY.maxMs / 1000)
    .option('--stable-after <seconds>', 'a run this long resets the backoff', seconds, DEFAULT_POLICY.stableMs / 1000)
    .option('--grace <seconds>', 'on stop: wait this long after SIGTERM, then SIGKILL', seconds, 10)
    .option('--crash-loop-deaths <n>', 'a crash loop is this many deaths…', positiveInteger, DEFAULT_POLICY.crashLoopDeaths)
    .option('--crash-loop-window <seconds>', '…within this long', seconds, DEFAULT_POLICY.crashLoopWindowMs / 1000)
    .option('--check-interval <seconds>', "how often check.log gets a line (cron's minute)", seconds, 60)
    .addOption(new Option('--poll <ms>', 'how often an adopted app is looked at').argParser(positiveInteger).default(200).hideHelp())
    .addOption(new Option('--kernel <source>', 'where OOM kills are read: kmsg (/dev/kmsg), journal, or none').choices(['kmsg', 'journal', 'none']).default('kmsg'))
    .option('--tz <zone>', 'IANA zone of the times in the reports (default: system zone)')
    .addOption(new Option('--lang <lang>', 'language of human text (default: from LANG)').choices(['en', 'zh-CN']))
    .option('--debug', 'show stack traces for internal errors');
  addReporterFlags(command);
  command.addHelpText(
    'after',
    '\nExamples:\n' +
      '  @reboot cd /www/wwwroot/site && oomscope supervise --check-log check.log --log running.log --pidfile anqicms.pid -- ./anqicms\n' +
      '  oomscope supervise --memory-max 1G --gomemlimit auto --incidents deaths.ndjson --log running.log -- ./anqicms\n' +
      '  oomscope supervise --webhook https://oapi.dingtalk.com/robot/send?access_token=… --webhook-template dingtalk -- ./anqicms\n' +
      '\nExit codes: 0 stopped on purpose; 1 another oomscope already supervises this --pidfile; 2 wrong usage or the app\n' +
      'cannot be run (not found, no memory cgroup for --memory-max).',
  );
  command.action(async (argv: string[], flags: SuperviseFlags) => {
    const program = argv[0];
    if (!program) throw new UsageError('no COMMAND to supervise', 'give it after --: oomscope supervise [options] -- ./anqicms');
    if (!findExecutable(program)) throw new UsageError(`cannot run ${program}: not found or not executable`, program.includes('/') ? 'check the path' : 'give its path, e.g. ./' + program);
    const name = flags.name ?? basename(program);
    if (name.trim() === '' || /\s/.test(name)) throw new UsageError(`--name "${name}" must be one word (check.log separates fields by spaces)`);
    const tz = flags.tz ?? systemZone();
    if (!isValidZone(tz)) throw new UsageError(`unknown time zone "${tz}"`, 'use an IANA name such as Asia/Shanghai or UTC');
    let memoryMaxBytes: number | null = null;
    if (flags.memoryMax !== undefined) {
      memoryMaxBytes = parseSize(flags.memoryMax);
      if (memoryMaxBytes === null) throw new UsageError(`--memory-max ${flags.memoryMax} is not a size`, 'write it like 256M or 1G (powers of 1024)');
      if (memoryMaxBytes < MIN_MEMORY_BYTES) throw new UsageError(`--memory-max ${flags.memoryMax} is too small`, 'give at least 4M');
    }
    if (flags.gomemlimit !== undefined && flags.gomemlimit.trim().toLowerCase() !== 'auto' && parseSize(flags.gomemlimit) === null) {
      throw new UsageError(`--gomemlimit ${flags.gomemlimit} is neither auto nor a size`, 'write auto, or a size like 800M');
    }
    for (const [flag, path] of [['--check-log', flags.checkLog], ['--log', flags.log], ['--incidents', flags.incidents]] as const) {
      if (path === undefined) continue;
      try {
        appendFileSync(path, '');
      } catch (error) {
        throw new UsageError(`${flag} ${path}: cannot write it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'choose a writable path');
      }
    }
    if (flags.backoffMax < flags.backoffInitial) throw new UsageError('--backoff-max is smaller than --backoff-initial');
    if (flags.checkInterval <= 0) throw new UsageError('--check-interval must be more than 0 seconds');

    const lang = flags.lang ?? defaultLang();
    const { reporters, metrics } = await createReporters(flags, lang, name);
    try {
      const { supervise } = await import('../supervise/supervisor.js');
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
      });
      setExitCode(code);
    } catch (error) {
      if (error instanceof AlreadySupervised) {
        await Promise.all(reporters.map((r) => r.close().catch(() => {})));
        process.stderr.write(`oomscope: ${error.message}\n`);
        setExitCode(1);
        return;
      }
      if (error instanceof CgroupError) {
        await Promise.all(reporters.map((r) => r.close().catch(() => {})));
        throw new UsageError(error.message);
      }
      throw error;
    }
  });
  return command;
}
