// --help as written (issue 14, item 7): in --lang (or the locale's language), wrapped once to the terminal's width
// counting a Chinese character as two columns, defaults only where they help, and the examples last.
import { Help, type Command, type Option } from 'commander';
import { cliMessage, type CliCode } from '../i18n/cli-messages.js';
import type { Lang } from '../i18n/messages.js';
import type { Params } from '../i18n/catalog.js';

/** One example: the command as typed, and what it is for. */
export interface Example {
  run: string;
  note: CliCode;
}

/** `--lang X` or `--lang=X` among the arguments, when X is a language; else undefined (the locale decides). */
export function langFromArgv(argv: readonly string[]): Lang | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice('--lang='.length) : undefined;
    if (value === 'en' || value === 'zh-CN') return value;
  }
  return undefined;
}

/** Wide (East Asian) characters take two columns of a terminal. */
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(/\x1b\[[\d;]*m/g, '')) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** Chinese punctuation that may not begin a line: it stays with the piece before it. */
const CLOSING = '[，。；：、）》」』！？…]*';
const WIDE_CHAR = '[\\u2e80-\\u9fff\\uff00-\\uffef]';
/** Opening punctuation may not end a line: it goes with the piece after it. */
const OPENING = '[（《「『]*';
const PIECE = new RegExp(`\\s*${OPENING}(?:[^\\s\\u2e80-\\u9fff\\uff00-\\uffef]+|${WIDE_CHAR})${CLOSING}`, 'g');

/** Pieces a line may break between: a run of Latin text or one wide character (with its leading spaces), each with the closing punctuation after it. */
function pieces(line: string): string[] {
  return line.match(PIECE) ?? [];
}

/** A piece wider than a whole line is cut after `/`, `,` or `、` where it can be, else where it must. */
function cutToFit(piece: string, room: number): string[] {
  const out: string[] = [];
  let rest = piece;
  while (displayWidth(rest) > room) {
    let cut = 0;
    let width = 0;
    let lastBreak = 0;
    for (const ch of rest) {
      width += displayWidth(ch);
      if (width > room) break;
      cut += ch.length;
      if ('/,、'.includes(ch)) lastBreak = cut;
    }
    const at = lastBreak > 0 ? lastBreak : Math.max(cut, 1);
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}

/**
 * Wraps each line of `text` to `width` columns; a line's continuation keeps its indent, and a list line
 * (`  kmsg     /dev/kmsg …`) continues under its second column.
 */
function wrapText(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const hanging = /^(\s+\S+\s{2,})/.exec(line)?.[1] ?? /^\s*/.exec(line)![0];
    const indent = ' '.repeat(displayWidth(hanging));
    let current = '';
    const room = Math.max(1, width - indent.length);
    for (const whole of pieces(line)) {
      for (const piece of displayWidth(whole.trimStart()) > room ? cutToFit(whole, room) : [whole]) {
        if (current.trim() !== '' && displayWidth(current + piece) > width) {
          out.push(current.trimEnd());
          current = indent + piece.trimStart();
        } else {
          current += piece;
        }
      }
    }
    out.push(current.trimEnd());
  }
  return out.join('\n');
}

/** The terminal's width: COLUMNS, else the terminal's own, else 80 (never under 40). */
function helpWidth(): number {
  const columns = Number(process.env.COLUMNS) || process.stdout.columns || 80;
  return Math.max(40, columns);
}

/** A default worth showing: a value a person would choose, not an empty list or a switch's `false`. */
function shownDefault(option: Option): string | undefined {
  if (option.defaultValueDescription) return option.defaultValueDescription;
  const value: unknown = option.defaultValue;
  if (value === undefined || typeof value === 'boolean' || option.negate) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.join(', ');
  return String(value);
}

/** Commander's own error lines (unknown option, bad value, …) in `lang`; anything else as it is. */
function localizeCommanderError(text: string, lang: Lang): string {
  const said = commanderErrorSaid(text.replace(/^error: /, '').replace(/\n$/, ''), lang);
  return said === null ? text : `${cliMessage(lang, 'error.prefix')}${said}\n`;
}

function commanderErrorSaid(body: string, lang: Lang): string | null {
  const t = (code: CliCode, params: Params = {}): string => cliMessage(lang, code, params);
  let m = /^unknown option '([^']+)'(?:\n\(Did you mean (\S+)\?\))?$/.exec(body);
  if (m) return t('error.unknown-option', { option: m[1]! }) + (m[2] ? `\n${t('error.did-you-mean', { option: m[2] })}` : '');
  m = /^unknown command '([^']+)'/.exec(body);
  if (m) return t('error.unknown-command', { command: m[1]! });
  m = /^option '([^']+)' argument missing$/.exec(body);
  if (m) return t('error.missing-argument', { option: m[1]! });
  m = /^option '([^']+)' argument '([^']*)' is invalid\. ([\s\S]*)$/.exec(body);
  if (m) {
    const choices = /^Allowed choices are (.*)\.$/.exec(m[3]!);
    const why = choices ? t('error.choices', { choices: choices[1]!.split(', ').join(lang === 'zh-CN' ? '、' : ', ') }) : m[3]!;
    return t('error.invalid-argument', { option: m[1]!, value: m[2]!, why });
  }
  m = /^missing required argument '([^']+)'$/.exec(body);
  if (m) return t('error.missing-required-argument', { argument: m[1]! });
  m = /^required option '([^']+)' not specified$/.exec(body);
  if (m) return t('error.missing-required-option', { option: m[1]! });
  return /^too many arguments/.test(body) ? t('error.too-many-arguments') : null;
}

const TITLES: Record<string, CliCode> = { 'Usage:': 'help.usage', 'Options:': 'help.options', 'Commands:': 'help.commands', 'Arguments:': 'help.arguments' };

/**
 * Makes `command`'s help read as written in `lang`: headings, commander's own option and errors translated, one
 * wrapping (by display width), defaults only where they help, then `notes` and the examples at the end.
 */
export function localizeHelp(command: Command, lang: Lang, after: { notes?: string; examples?: Example[] } = {}): Command {
  const t = (code: CliCode, params: Params = {}): string => cliMessage(lang, code, params);
  const width = helpWidth();
  const usageWords = (text: string): string => text.replace('[options]', t('usage.options')).replace('[command]', t('usage.command'));
  command
    .helpOption('-h, --help', t('help.help-option'))
    .showHelpAfterError(t('help.after-error'))
    .configureOutput({ outputError: (text, write) => write(localizeCommanderError(text, lang)) })
    .configureHelp({
      helpWidth: width,
      // Option texts wrap in their column even on a narrow terminal (commander's default leaves them whole below 40).
      minWidthToWrap: 16,
      displayWidth,
      // `用法：oomscope …`: no space after a full-width colon.
      formatHelp: (cmd: Command, helper: Help) => Help.prototype.formatHelp.call(helper, cmd, helper).replace(/^(\S+：) /, '$1'),
      boxWrap: (text: string, boxWidth: number) => wrapText(text, boxWidth),
      styleTitle: (title: string) => (TITLES[title] ? t(TITLES[title]!) : title),
      commandUsage: (cmd: Command) => usageWords(Help.prototype.commandUsage.call(new Help(), cmd)),
      subcommandTerm: (cmd: Command) => usageWords(Help.prototype.subcommandTerm.call(new Help(), cmd)),
      optionDescription: (option: Option) => {
        const extra: string[] = [];
        if (option.argChoices) extra.push(option.argChoices.join(lang === 'zh-CN' ? '、' : ', '));
        const value = shownDefault(option);
        if (value !== undefined) extra.push(t('help.default', { value }));
        if (extra.length === 0) return option.description;
        // A description that ends in brackets takes the extras inside them: `(ms; default: 500)`, not `(ms) (default: 500)`.
        const [open, close, sep] = lang === 'zh-CN' ? ['（', '）', '；'] : [' (', ')', '; '];
        const text = option.description;
        return text.endsWith(close) ? `${text.slice(0, -close.length)}${sep}${extra.join(sep)}${close}` : `${text}${open}${extra.join(sep)}${close}`;
      },
    });
  if (after.notes !== undefined || after.examples !== undefined) {
    command.addHelpText('after', () => afterText(lang, width, after));
  }
  return command;
}

/** The notes (verdicts, exit codes), then the examples: each one's note as a comment line, then the command. */
function afterText(lang: Lang, width: number, after: { notes?: string; examples?: Example[] }): string {
  const parts: string[] = [];
  if (after.notes) parts.push(wrapText(after.notes, width));
  if (after.examples && after.examples.length > 0) {
    const lines = [cliMessage(lang, 'help.examples')];
    for (const example of after.examples) {
      lines.push(wrapText(cliMessage(lang, example.note), width - 4).split('\n').map((line) => `  # ${line}`).join('\n'));
      lines.push(shellLines(example.run, width));
    }
    parts.push(lines.join('\n'));
  }
  return `\n${parts.join('\n\n')}\n`;
}

/** The words of a command line: split at spaces outside quotes and `$(…)`, so each stays whole. */
function shellWords(run: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let depth = 0;
  for (const ch of run) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ' ' && depth === 0) {
      if (word) words.push(word);
      word = '';
      continue;
    }
    word += ch;
  }
  if (word) words.push(word);
  // A flag and its value stay on one line: `--metrics 9709`.
  return words.reduce<string[]>((out, w) => {
    const previous = out.at(-1);
    if (previous?.startsWith('--') && !previous.includes(' ') && !w.startsWith('-') && !/^[|>&]/.test(w)) out[out.length - 1] = `${previous} ${w}`;
    else out.push(w);
    return out;
  }, []);
}

/** A command line too wide for the terminal, continued with ` \` as a shell reads it. */
function shellLines(run: string, width: number): string {
  const words = shellWords(run);
  const lines: string[] = [];
  let current = `  ${words.shift()!}`;
  for (const word of words) {
    if (displayWidth(`${current} ${word} \\`) > width) {
      lines.push(`${current} \\`);
      current = `      ${word}`;
    } else {
      current += ` ${word}`;
    }
  }
  lines.push(current);
  return lines.join('\n');
}
