// `--format text|ndjson`: one line per notice on stdout (or any stream), for a person or for a pipe.
import type { Writable } from 'node:stream';
import { defaultLang, message, type Lang } from '../../i18n/messages.js';
import { escapeForTerminal } from '../escape.js';
import { formatDuration, shortTime } from '../sizes.js';
import { killSentence, words } from './notice-text.js';
import { jsonLine, killNoticeJson, noticeJson, type IncidentNotice, type KillNotice, type Reporter } from './reporter.js';

export type StdoutFormat = 'text' | 'ndjson';

export interface StdoutReporterOptions {
  format: StdoutFormat;
  /** Language of the text line's own words (the incident's reason is already in its language). */
  lang?: Lang;
  /** Default: process.stdout. */
  out?: Writable;
}

/**
 * text: `2024-07-23 10:03:37 +08:00 web01 anqicms died [kernel-oom, confirmed] pid 21877, down 23.9 s: The kernel …`
 * (in Chinese the verdict is said in words, `[达到 cgroup 内存上限被杀，已确认]`; an update says `update` and, once known, `back 10:04:01 …`); every log-derived part is escaped for a terminal.
 * ndjson: noticeJson(), one object per line.
 */
export function renderNoticeLine(notice: IncidentNotice, format: StdoutFormat, lang: Lang): string {
  if (format === 'ndjson') return jsonLine(noticeJson(notice)) + '\n';
  const i = notice.incident;
  const w = words(lang);
  const parts: string[] = [];
  const [comma, colon] = lang === 'en' ? [', ', ': '] : ['，', '：'];
  if (i.pid !== null) parts.push(`${w.pid({})} ${i.pid}`);
  if (notice.kind === 'update' && i.restartedAt) parts.push(`${w['line-back']({})} ${shortTime(i.restartedAt)}`);
  if (i.downtimeSeconds !== null) parts.push(`${w.down({})} ${formatDuration(i.downtimeSeconds, lang)}`);
  const what = notice.kind === 'incident' ? w['line-died']({}) : w['line-update']({});
  const died = i.diedAt ? shortTime(i.diedAt) : w['time-unknown']({});
  const head = `${died} ${escapeForTerminal(notice.host)} ${escapeForTerminal(i.process)} ${what} [${lang === 'en' ? i.verdict : message(lang, `verdict.${i.verdict}`)}${comma}${message(lang, `confidence.${i.confidence}`)}]`;
  const line = `${head}${parts.length > 0 ? ' ' + parts.join(comma) : ''}${colon}${escapeForTerminal(i.reason)}`;
  return line.replace(/\t/g, ' ') + '\n';
}

/** text: `2024-07-23 10:03:37 +08:00 web01 mysqld (pid 812) was OOM-killed; anqicms survived`; ndjson: killNoticeJson(). */
function renderKillLine(notice: KillNotice, format: StdoutFormat, lang: Lang): string {
  if (format === 'ndjson') return jsonLine(killNoticeJson(notice)) + '\n';
  return `${shortTime(notice.kill.time)} ${escapeForTerminal(notice.host)} ${killSentence(notice, lang, escapeForTerminal)}`.replace(/\t/g, ' ') + '\n';
}

export function createStdoutReporter(options: StdoutReporterOptions): Reporter {
  const out = options.out ?? process.stdout;
  const lang = options.lang ?? defaultLang();
  let broken = false;
  const onError = (): void => {
    // A closed pipe (`oomscope watch | head`) must not kill the watcher: stop writing to it.
    broken = true;
  };
  out.on('error', onError);
  return {
    name: `stdout (${options.format})`,
    async report(notice) {
      if (broken) return;
      // Not waiting for the stream to drain: a stalled reader must not stall the watcher (Node buffers the line).
      out.write(renderNoticeLine(notice, options.format, lang));
    },
    async reportKill(notice) {
      if (broken) return;
      out.write(renderKillLine(notice, options.format, lang));
    },
    async close() {
      out.off('error', onError);
      if (broken || out.writableLength === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        out.once('drain', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
