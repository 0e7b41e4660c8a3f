// One Alertmanager alert as the words of a chat message, shaped like watch's notices (notice-text.ts): a title, then
// labelled facts. Label and annotation values come from the network and go through the receiver's `escape`.
import type { AlertmanagerAlert } from '../../fleet/alertmanager-payload.js';
import { fleetMessage } from '../../i18n/fleet-messages.js';
import { isMessageCode, message, type Lang } from '../../i18n/messages.js';
import type { NoticeText } from './notice-text.js';

const TITLES = {
  OomscopeProcessDied: 'alert.process-died',
  OomscopeRepeatedDeaths: 'alert.repeated-deaths',
  OomscopeOomKill: 'alert.oom-kill',
  OomscopeDown: 'alert.down',
  OomscopeNoInputs: 'alert.no-inputs',
  OomscopeNotReading: 'alert.not-reading',
  OomscopeParseErrors: 'alert.parse-errors',
} as const;

/** `2024-07-23 10:03:37 UTC` from Alertmanager's RFC 3339 time. */
function utcTime(iso: string | null): string {
  if (!iso) return '?';
  return `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function alertText(alert: AlertmanagerAlert, lang: Lang, escape: (text: string) => string = (t) => t): NoticeText {
  const l = alert.labels;
  const verdictCode = `verdict.${l.verdict ?? ''}`;
  const params = {
    host: escape(l.instance ?? '?'),
    process: escape(l.process ?? '?'),
    victim: escape(l.victim ?? '?'),
    constraint: escape(l.constraint ?? '?'),
    input: escape(l.input ?? '?'),
    alertname: escape(l.alertname ?? '?'),
    verdict: isMessageCode(verdictCode) ? message(lang, verdictCode) : escape(l.verdict ?? '?'),
  };
  const code = TITLES[(l.alertname ?? '') as keyof typeof TITLES] ?? 'alert.other';
  let title = fleetMessage(lang, code, params);
  if (alert.status === 'resolved') title = fleetMessage(lang, 'alert.resolved', { title });
  const facts = [
    { label: fleetMessage(lang, 'fact.alert'), value: `${params.alertname}${l.severity ? ` (${escape(l.severity)})` : ''}` },
    { label: fleetMessage(lang, 'fact.since'), value: utcTime(alert.startsAt) },
  ];
  if (alert.status === 'resolved') facts.push({ label: fleetMessage(lang, 'fact.ended'), value: utcTime(alert.endsAt) });
  if (alert.annotations.summary) facts.push({ label: fleetMessage(lang, 'fact.summary'), value: escape(alert.annotations.summary) });
  if (alert.annotations.description) facts.push({ label: fleetMessage(lang, 'fact.details'), value: escape(alert.annotations.description) });
  return { title: `[oomscope] ${title}`, facts, advice: [] };
}
