// Options shared by every command that prints a report, and the writing of that report.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Report, Verdict } from '../model/report.js';
import { renderJson } from '../tell/json.js';
import { renderText } from '../tell/text.js';
import { renderMarkdown } from '../tell/markdown.js';
import { defaultLang, type Lang } from '../i18n/messages.js';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import { UsageError } from '../usage-error.js';
import { escapeForTerminal } from '../tell/escape.js';

type ReportFormat = 'text' | 'json' | 'md' | 'html';

export interface ReportFlags {
  format: ReportFormat;
  output?: string;
  lang?: 'en' | 'zh-CN';
  debug?: boolean;
  /** Text report: every field of each kill explained under it (the HTML report always explains). */
  explain?: boolean;
  /** Text and Markdown: the oldest first (diagnose's --oldest-first; default the newest first). */
  oldestFirst?: boolean;
  /** Text and Markdown: every death and kill on its own (diagnose's --all; default alike runs folded). */
  all?: boolean;
}

export function addReportOptions(command: Command, lang: Lang): Command {
  const t = (code: CliCode): string => cliMessage(lang, code);
  return command
    .addOption(new Option('--format <format>', t('opt.report-format')).choices(['text', 'json', 'md', 'html']).default('text'))
    .option('-o, --output <file>', t('opt.output'))
    .addOption(new Option('--lang <lang>', t('opt.lang')).choices(['en', 'zh-CN']))
    .option('--explain', t('opt.explain'))
    .option('--debug', t('opt.debug'));
}

/**
 * Writes the report in the chosen format to -o FILE or stdout; colour only on a terminal, never with NO_COLOR.
 * Then each input that could not be read (or was cut short) gets one line on stderr naming the file and the fix.
 */
/** `processNamed`: --process was given (else the headline may say the default process is in no input). */
export async function writeReport(report: Report, flags: ReportFlags, processName: string, processNamed = true): Promise<void> {
  const toTerminal = !flags.output && process.stdout.isTTY === true;
  const color = toTerminal && !process.env.NO_COLOR;
  const lang = flags.lang ?? defaultLang();
  const reading = { oldestFirst: flags.oldestFirst === true, all: flags.all === true };
  const body =
    flags.format === 'json' ? renderJson(report)
    : flags.format === 'md' ? renderMarkdown(report, { lang, process: processName, processNamed, ...reading })
    : flags.format === 'html' ? (await import('../tell/html/render-html.js')).renderHtml(report, { lang, process: processName, processNamed })
    : renderText(report, { color, lang, process: processName, processNamed, explain: flags.explain === true, ...reading });
  if (flags.output) {
    try {
      await writeFile(flags.output, body);
    } catch (error) {
      throw new UsageError(`cannot write ${flags.output}: ${(error as Error).message}`, 'choose a writable path for -o');
    }
  } else {
    await writeStdout(body);
  }
  tellUnreadable(report);
}

/** stdout closed early (`| head`) is the reader's choice, not an error; any other failure to write is one line, no stack. */
async function writeStdout(body: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => process.stdout.write(body, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return;
    throw new UsageError(`cannot write the report to standard output: ${(error as Error)?.message ?? String(error)}`, 'check where it goes (a full disk?), or write it with -o FILE');
  }
}

/** One stderr line per unreadable or cut-short input (README, exit codes); the report's Warnings say it too. */
function tellUnreadable(report: Report): void {
  for (const warning of report.warnings) {
    if (warning.code !== 'input-unreadable' && warning.code !== 'input-truncated') continue;
    const where = warning.path ? `${escapeForTerminal(warning.path)}: ` : '';
    process.stderr.write(`oomscope: ${where}${escapeForTerminal(warning.message)}\n`);
  }
}

/** Exit codes (README): 2 when no input could be read, then 1 when --fail-on matched, then 3 when some input was unreadable or cut short. */
export function exitCodeFor(report: Report, failOn: readonly Verdict[] = []): number {
  const unreadable = report.warnings.some((w) => w.code === 'input-unreadable' || w.code === 'input-truncated');
  if (report.sources.length === 0 && unreadable) return 2;
  if (report.incidents.some((incident) => failOn.includes(incident.verdict))) return 1;
  const partial = report.sources.some((s) => !s.complete) || unreadable;
  return partial ? 3 : 0;
}
