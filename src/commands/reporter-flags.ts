// The reporter flags `watch` and `supervise` share (README, "Watch" and "Supervise"), and the reporters they ask for.
import { Option, type Command } from 'commander';
import type { Lang } from '../i18n/messages.js';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import type { MetricsReporter } from '../tell/reporters/metrics.js';
import type { Reporter } from '../tell/reporters/reporter.js';

export interface ReporterFlags {
  format: 'text' | 'ndjson';
  webhook: string[];
  webhookTemplate: 'generic' | 'slack' | 'dingtalk' | 'feishu' | 'wecom';
  webhookSecret?: string;
  exec: string[];
  metrics?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addReporterFlags(command: Command, lang: Lang): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  return command
    .addOption(new Option('--format <format>', t('opt.reporter-format')).choices(['text', 'ndjson']).default('text'))
    .option('--webhook <url>', t('opt.webhook'), collect, [])
    .addOption(new Option('--webhook-template <name>', t('opt.webhook-template')).choices(['generic', 'slack', 'dingtalk', 'feishu', 'wecom']).default('generic'))
    .option('--webhook-secret <secret>', t('opt.webhook-secret'))
    .option('--exec <cmd>', t('opt.exec'), collect, [])
    .option('--metrics <[addr:]port>', t('opt.metrics'));
}

/** The reporters the flags ask for: stdout always; `metrics` is also returned for the counters only it keeps. */
export async function createReporters(flags: ReporterFlags, lang: Lang, process: string): Promise<{ reporters: Reporter[]; metrics: MetricsReporter | undefined }> {
  // Each loaded only when asked for: a daemon without --metrics or --webhook should not hold prom-client or the
  // HTTPS client (together about 25 MiB of RSS), and `diagnose` loads none of them.
  const { createStdoutReporter } = await import('../tell/reporters/stdout.js');
  const reporters: Reporter[] = [createStdoutReporter({ format: flags.format, lang })];
  if (flags.webhook.length > 0) {
    const { createWebhookReporter } = await import('../tell/reporters/webhook.js');
    reporters.push(createWebhookReporter({ urls: flags.webhook, template: flags.webhookTemplate, secret: flags.webhookSecret, lang }));
  }
  if (flags.exec.length > 0) {
    const { createExecReporter } = await import('../tell/reporters/exec.js');
    flags.exec.forEach((cmd, i) => reporters.push(createExecReporter({ command: cmd, index: i + 1 })));
  }
  let metrics: MetricsReporter | undefined;
  if (flags.metrics) {
    const { createMetricsReporter, parseMetricsAddress } = await import('../tell/reporters/metrics.js');
    parseMetricsAddress(flags.metrics); // a UsageError naming the flag and the fix
    metrics = await createMetricsReporter({ listen: flags.metrics, processes: [process] });
    reporters.push(metrics);
  }
  return { reporters, metrics };
}
