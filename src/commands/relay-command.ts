// `oomscope relay`: Alertmanager's webhook receiver that forwards each alert to DingTalk/Feishu/WeCom/Slack.
import { Command, Option } from 'commander';
import { defaultLang } from '../i18n/messages.js';

interface RelayFlags {
  listen: string;
  webhook: string[];
  webhookTemplate: 'slack' | 'dingtalk' | 'feishu' | 'wecom';
  webhookSecret?: string;
  lang?: 'en' | 'zh-CN';
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function relayCommand(): Command {
  const command = new Command('relay')
    .summary("forward Alertmanager's alerts to chat robots, looking like watch's messages")
    .description(
      "Receives Alertmanager's webhook posts (point a webhook_config at it; see contrib/alertmanager/) and sends each\n" +
        'alert to the --webhook URLs with the same templates and signing as `watch --webhook`. Runs until stopped.',
    )
    .option('--listen <[addr:]port>', 'where Alertmanager posts (PORT alone listens on 127.0.0.1)', '127.0.0.1:9102')
    .option('--webhook <url>', 'chat robot URL (repeatable, at least one)', collect, [])
    .addOption(new Option('--webhook-template <name>', 'the robot').choices(['slack', 'dingtalk', 'feishu', 'wecom']).makeOptionMandatory())
    .option('--webhook-secret <secret>', 'signing secret for dingtalk/feishu (better: OOMSCOPE_WEBHOOK_SECRET); never printed')
    .addOption(new Option('--lang <lang>', 'language of the messages (default: from LANG)').choices(['en', 'zh-CN']));
  command.action(async (flags: RelayFlags) => {
    const [{ parseMetricsAddress }, { startRelay }, { UsageError }] = await Promise.all([
      import('../tell/reporters/metrics.js'),
      import('../tell/reporters/relay.js'),
      import('../usage-error.js'),
    ]);
    if (flags.webhook.length === 0) throw new UsageError('relay: no --webhook given', 'give the chat robot URL with --webhook');
    let listen: { host: string; port: number };
    try {
      listen = parseMetricsAddress(flags.listen);
    } catch {
      throw new UsageError(`--listen ${flags.listen}: not PORT or ADDR:PORT`, 'e.g. 127.0.0.1:9102');
    }
    const relay = await startRelay({ listen, urls: flags.webhook, template: flags.webhookTemplate, secret: flags.webhookSecret, lang: flags.lang ?? defaultLang() });
    process.stderr.write(`oomscope: relay listening on ${relay.address().host}:${relay.address().port}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await relay.close();
  });
  return command;
}
