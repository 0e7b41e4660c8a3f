// `oomscope fleet`: one table of the fleet's deaths, read from the Prometheus that scrapes the watchers.
import { Command, Option } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';
import { UsageError } from '../usage-error.js';

interface FleetFlags {
  prometheus: string;
  since: string;
  format: 'text' | 'html' | 'json';
  lang?: 'en' | 'zh-CN';
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `30d`, `12h`, `90m`: seconds. */
function windowSeconds(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw UsageError.of('since.invalid', { value: text });
  return Number(m[1]) * UNITS[m[2]!]!;
}

const EXAMPLES: Example[] = [
  { run: 'oomscope fleet --prometheus http://127.0.0.1:9090', note: 'ex.fleet.text' },
  { run: 'oomscope fleet --prometheus http://127.0.0.1:9090 --since 7d --format html > fleet.html', note: 'ex.fleet.html' },
];

export function fleetCommand(setExitCode: (code: number) => void, lang: Lang = defaultLang()): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const command = new Command('fleet')
    .summary(t('fleet.summary'))
    .description(t('fleet.description'))
    .requiredOption('--prometheus <url>', t('opt.prometheus'))
    .option('--since <duration>', t('opt.since'), '30d')
    .addOption(new Option('--format <format>', t('opt.fleet-format')).choices(['text', 'html', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']));
  localizeHelp(command, lang, { notes: t('fleet.notes'), examples: EXAMPLES });
  return command
    .action(async (flags: FleetFlags) => {
      const seconds = windowSeconds(flags.since);
      try {
        new URL(flags.prometheus);
      } catch {
        throw UsageError.of('prometheus.not-url', { value: flags.prometheus });
      }
      const { readFleet } = await import('../fleet/prometheus-fleet.js');
      let data: Awaited<ReturnType<typeof readFleet>>;
      try {
        data = await readFleet({ prometheus: flags.prometheus, windowSeconds: seconds });
      } catch (error) {
        const e = error as Error & { cause?: { code?: string } };
        throw UsageError.of('prometheus.unreadable', { url: flags.prometheus, error: e.cause?.code ?? e.message });
      }
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify({ schemaVersion: 1, ...data }, null, 2)}\n`);
      } else if (flags.format === 'html') {
        const { fleetHtml } = await import('../tell/fleet-html.js');
        process.stdout.write(fleetHtml(data, flags.lang ?? lang));
      } else {
        const { fleetText } = await import('../tell/fleet-text.js');
        process.stdout.write(fleetText(data, flags.lang ?? lang));
      }
      // 3 when a watcher is silent or no longer scraped: like diagnose's 3, a source of the answer could not be read.
      setExitCode(data.servers.some((s) => s.up !== true) ? 3 : 0);
    });
}
