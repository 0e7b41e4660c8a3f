// `oomscope relay`: Alertmanager's webhook receiver that forwards each alert to DingTalk/Feishu/WeCom/Slack.
import { Command, Option } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { localizeHelp, type Example } from './help-format.js';

interface RelayFlags {
  listen: string;
  webhook: string[];
  webhookTemplate: 'slack' | 'dingtalk' | 'feishu' | 'wecom';
  webhookSecret?: string;
  lang?: 'en' | 'zh-CN';
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

const EXAMPLES: Example[] = [
  { run: 'OOMSCOPE_WEBHOOK_SECRET=SEC… oomscope relay --listen 9102 --webhook "$DINGTALK_ROBOT_URL" --webhook-template dingtalk', note: 'ex.relay.dingtalk' },
];

export function relayCommand(lang: Lang = defaultLang()): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  const command = new Command('relay')
    .summary(t('relay.summary'))
    .description(t('relay.description'))
    .option('--listen <[addr:]port>', t('opt.relay-listen'), '127.0.0.1:9102')
    .option('--webhook <url>', t('opt.relay-webhook'), collect, [])
    .addOption(new Option('--webhook-template <name>', t('opt.relay-template')).choices(['slack', 'dingtalk', 'feishu', 'wecom']).makeOptionMandatory())
    .option('--webhook-secret <secret>', t('opt.webhook-secret'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']));
  localizeHelp(command, lang, { notes: t('relay.notes'), examples: EXAMPLES });
  command.action(async (flags: RelayFlags) => {
    const [{ parseMetricsAddress }, { startRelay }, { UsageError }] = await Promise.all([
      import('../tell/reporters/metrics.js'),
      import('../tell/reporters/relay.js'),
      import('../usage-error.js'),
    ]);
    if (flags.webhook.length === 0) throw UsageError.of('relay.no-webhook');
    let listen: { host: string; port: number };
    try {
      listen = parseMetricsAddress(flags.listen);
    } catch {
      throw UsageError.of('listen.invalid', { flag: '--listen', value: flags.listen });
    }
    const relay = await startRelay({ listen, urls: flags.webhook, template: flags.webhookTemplate, secret: flags.webhookSecret, lang: flags.lang ?? lang });
    process.stderr.write(`oomscope: ${cliMessage(flags.lang ?? lang, 'relay.listening', { address: `${relay.address().host}:${relay.address().port}` })}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await relay.close();
  });
  return command;
}
