// The reporter flags `watch` and `supervise` share (README, "Watch" and "Supervise"), and the reporters they ask for.
import { Option, type Command } from 'commander';
import type { Lang } from '../i18n/messages.js';
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

export function addReporterFlags(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'stdout: one line per death for a person, or ndjson for log shippers').choices(['text', 'ndjson']).default('text'))
    .option('--webhook <url>', 'POST each death to URL (repeatable)', collect, [])
    .addOption(new Option('--webhook-template <name>', 'body shape for chat robots').choices(['generic', 'slack', 'dingtalk', 'feishu', 'wecom']).default('generic'))
    .option('--webhook-secret <secret>', 'signing secret for dingtalk/feishu (better: OOMSCOPE_WEBHOOK_SECRET); never printed')
    .option('--exec <cmd>', 'run CMD per death, JSON on stdin, figures in OOMSCOPE_* variables (repeatable)', collect, [])
    .option('--metrics <[addr:]port>', 'serve Prometheus /metrics (PORT alone listens on 127.0.0.1)');
}

/** The reporters the flags ask for: stdout always; `metrics` is also returned for the counters only it keeps. */
export async function createReporters(flags: ReporterFlags, lang: Lang, process: string): Promise<{ reporters: Reporter[]; metrics: MetricsReporter | undefined }> {
  // Loaded here, not at start: `diagnose` should not pay for the HTTP client and Prometheus library.
  const [{ createStdoutReporter }, { createWebhookReporter }, { createExecReporter }, { createMetricsReporter, parseMetricsAddress }] = await Promise.all([
    import('../tell/reporters/stdout.js'),
    import('../tell/reporters/webhook.js'),
    import('../tell/reporters/exec.js'),
    import('../tell/reporters/metrics.js'),
  ]);
  const reporters: Reporter[] = [createStdoutReporter({ format: flags.format, lang })];
  if (flags.webhook.length > 0) {
    reporters.push(createWebhookReporter({ urls: flags.webhook, template: flags.webhookTemplate, secret: flags.webhookSecret, lang }));
  }
  flags.exec.forEach((cmd, i) => reporters.push(createExecReporter({ command: cmd, index: i + 1 })));
  let metrics: MetricsReporter | undefined;
  if (flags.metrics) {
    parseMetricsAddress(flags.metrics); // a UsageError naming the flag and the fix
    metrics = await createMetricsReporter({ listen: flags.metrics, processes: [process] });
    reporters.push(metrics);
  }
  return { reporters, metrics };
}
