// One plain sentence for a kernel or systemd event that is no kill, in the report's language.
import { message, type Lang } from '../i18n/messages.js';
import type { OomEvent } from '../model/report.js';

/** What the event means for a person, or null where its kind and subject say it all. */
export function eventNote(event: OomEvent, lang: Lang): string | null {
  switch (event.kind) {
    case 'oom-unfinished':
      return message(lang, 'event.oom-unfinished', { trigger: event.trigger?.name ?? message(lang, 'ui.name-unknown') });
    case 'sysrq-oom':
      return message(lang, 'event.sysrq-oom');
    case 'panic-on-oom':
      return message(lang, 'event.panic-on-oom');
    case 'no-killable':
      return message(lang, event.detail === 'panic' ? 'event.no-killable-panic' : 'event.no-killable');
    case 'unit-notice':
      return event.kernelRecord === false ? message(lang, 'event.no-kernel-record', { unit: event.unit ?? message(lang, 'ui.name-unknown') }) : null;
    default:
      return null;
  }
}
