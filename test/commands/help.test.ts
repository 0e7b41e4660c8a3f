// --help reads as written (issue 14, item 7), for the program and every command it lists, in English and Chinese
// (by --lang and by the locale), at three terminal widths: no line wider than the terminal, wrapped once (each
// wrapped line is full), no `default: []`, the examples last, and no run of English words in the Chinese help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { displayWidth } from '../../src/commands/help-format.js';
import { NO_SYSTEM_LOGS, projectRoot } from '../support/paths.js';

const cli = join(projectRoot, '.build', 'src', 'cli.js');

function help(args: string[], env: Record<string, string>): string {
  const run = spawnSync(process.execPath, [cli, ...args, '--help'], { encoding: 'utf8', env: { ...process.env, ...NO_SYSTEM_LOGS, LC_ALL: '', LC_MESSAGES: '', LANG: 'C', ...env } });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** The commands the program's help lists (so a new command is held to the same rules). */
function commands(): string[] {
  const text = help([], { COLUMNS: '120' });
  const block = text.split('Commands:\n')[1]!.split('\n\n')[0]!;
  return namesIn(block).filter((name) => name !== 'help');
}

/** The names a Commands: block lists: its lines indented by two (a wrapped summary goes on deeper). */
function namesIn(block: string): string[] {
  return block.split('\n').filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim().split(' ')[0]!);
}

/** `setup watch` and alike: the subcommands of every command whose help lists some. */
function subcommands(): string[] {
  return commands().flatMap((command) => {
    const block = help([command], { COLUMNS: '120' }).split('Commands:\n')[1]?.split('\n\n')[0];
    if (block === undefined) return [];
    return namesIn(block).filter((name) => name !== 'help').map((name) => `${command} ${name}`);
  });
}

const WIDTHS = [60, 80, 120];
const LANGS: { name: string; args: string[]; env: Record<string, string>; examples: string; zh: boolean }[] = [
  { name: 'en', args: ['--lang', 'en'], env: {}, examples: 'Examples:', zh: false },
  { name: 'zh-CN by --lang', args: ['--lang', 'zh-CN'], env: {}, examples: '示例：', zh: true },
  { name: 'zh-CN by LANG', args: [], env: { LANG: 'zh_CN.UTF-8' }, examples: '示例：', zh: true },
];

/** Words a Chinese help may show in Latin letters: names of programs, formats, signals and Linux's own terms. */
const NAMES = new Set(
  ('oomscope setup anqicms AnQiCMS OOM killer cgroup Go panic kill journal journalctl kmsg dmesg gzip comm root cron crontab systemd ' +
    'Prometheus ndjson json md html text JSON NDJSON Markdown IANA Asia Shanghai en zh CN auto none generic slack dingtalk feishu ' +
    'wecom POST URL sudo uptime sed restartedAt').split(' '),
);

/** Runs of two or more English words left in a Chinese text once flags, paths, files, codes and names are taken out. */
function englishRuns(text: string): string[] {
  const cleaned = text
    .replace(/`[^`]*`/g, ' ')
    .replace(/<[^>]*>|\[[^\]]*\]/g, ' ')
    .replace(/(^|\s)-{1,2}[\w-]+/g, ' ')
    .replace(/\S*[/.=*@]\S*/g, ' ')
    .replace(/\b[\w]*[-_\d][\w-]*\b/g, ' ')
    .replace(/\b[A-Z]{2,}\b/g, ' ')
    .replace(/[A-Za-z]+/g, (word) => (NAMES.has(word) ? ' ' : word));
  return cleaned.match(/[A-Za-z]+(?:[ \t]+[A-Za-z]+)+/g) ?? [];
}

const COMMANDS = [null, ...commands(), ...subcommands()];
for (const lang of LANGS) {
  for (const command of COMMANDS) {
    const args = command === null ? lang.args : [...command.split(' '), ...lang.args];
    test(`${command ?? 'oomscope'} --help, ${lang.name}`, () => {
      for (const width of WIDTHS) {
        const text = help(args, { ...lang.env, COLUMNS: String(width) });
        const lines = text.replace(/\n+$/, '').split('\n');
        for (const line of lines) assert.ok(displayWidth(line) <= width, `wider than ${width}: ${line}`);
        assert.doesNotMatch(text, /default: \[\]|默认：\[\]|\(default: \)|默认：）/);
        // The examples come last: after their heading, only `# what it is for` and the commands (continued with \).
        const at = lines.lastIndexOf(lang.examples);
        assert.ok(at > 0, `no ${lang.examples} block:\n${text}`);
        assert.ok(lines.slice(at + 1).length >= 2 && lines.slice(at + 1).every((line) => /^ {2}\S/.test(line) || /^ {6}\S/.test(line)), `not last:\n${text}`);
        assertWrappedOnce(lines.slice(0, at), width);
        if (lang.zh) {
          const comments = lines.slice(at + 1).filter((line) => line.startsWith('  #')).join('\n');
          const runs = englishRuns(`${lines.slice(0, at).join('\n')}\n${comments}`);
          assert.deepEqual(runs, [], `English in the Chinese help (${width} columns):\n${text}`);
        }
      }
    });
  }
}

/**
 * Wrapped once: a line followed by more of its paragraph is full — the next line's first word (or character) would
 * not have fitted. Text wrapped by hand and then by the terminal fails this.
 */
function assertWrappedOnce(lines: string[], width: number): void {
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i]!;
    const next = lines[i + 1]!;
    if (line.trim() === '' || next.trim() === '') continue;
    const indent = /^ */.exec(next)![0].length;
    // A continuation is indented deeper than a new item (options) or as deep as the paragraph (prose).
    const newItem = /^ {2}-|^ {2}\S+ {2,}|^ {2}[a-z]+ (\[|<)|^\S+[:：]$/.test(next);
    if (newItem || (indent === 0 && /^\s/.test(line))) continue;
    if (/^ {2}[a-z]+ {2,}/.test(next)) continue; // a list line (`  kmsg     …`)
    // The next line's first piece: a wide character or a word, with the punctuation that may not end or begin a line.
    const first = /^[（《「『]*(?:[\u2e80-\u9fff\uff00-\uffef]|[^\s\u2e80-\u9fff\uff00-\uffef]+)[，。；：、）》」』！？…]*/.exec(next.trim())![0];
    // Two wide characters meet without a space; anything next to Latin text had one (`Go 程序`, `以及 journal`).
    const joined = /^[\u2e80-\u9fff\uff00-\uffef]/.test(first) && /[\u2e80-\u9fff\uff00-\uffef]$/.test(line) ? line + first : `${line} ${first}`;
    assert.ok(displayWidth(joined) > width, `wrapped before it had to (width ${width}):\n${line}\n${next}`);
  }
}

test('usage errors speak Chinese with --lang zh-CN: unknown option, bad value', () => {
  const unknown = spawnSync(process.execPath, [cli, 'diagnose', '--kernal', 'x', '--lang', 'zh-CN'], { encoding: 'utf8', env: { ...process.env, ...NO_SYSTEM_LOGS } });
  assert.equal(unknown.status, 2);
  assert.equal(unknown.stderr, '错误：未知选项 --kernal\n（是不是想用 --kernel？）\n（用 --help 查看用法）\n');
  const year = spawnSync(process.execPath, [cli, 'diagnose', '--year', '24', '--lang', 'zh-CN'], { encoding: 'utf8', env: { ...process.env, ...NO_SYSTEM_LOGS } });
  assert.equal(year.status, 2);
  assert.equal(year.stderr, '错误：选项 --year <yyyy>：24 无效。请给出四位数的年份，例如 2024\n（用 --help 查看用法）\n');
  const format = spawnSync(process.execPath, [cli, 'diagnose', '--format', 'pdf'], { encoding: 'utf8', env: { ...process.env, ...NO_SYSTEM_LOGS, LANG: 'C', LC_ALL: '' } });
  assert.equal(format.stderr, 'error: option --format <format>: pdf is not valid. Choose one of text, json, md, html.\n(run with --help for usage)\n');
});

test('--threads takes a whole number from 1 to 256, in either language', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [cli, 'diagnose', '--no-kernel', '--no-check', '--no-app', ...args], { encoding: 'utf8', env: { ...process.env, ...NO_SYSTEM_LOGS, LANG: 'C', LC_ALL: '' } });
  const zero = run(['--threads', '0']);
  assert.equal(zero.status, 2);
  assert.equal(zero.stderr, 'error: option --threads <n>: 0 is not valid. give a whole number of threads from 1 to 256, such as 2\n(run with --help for usage)\n');
  const zh = run(['--threads', '2.5', '--lang', 'zh-CN']);
  assert.equal(zh.status, 2);
  assert.equal(zh.stderr, '错误：选项 --threads <n>：2.5 无效。请给出 1 到 256 之间的整数线程数，例如 2\n（用 --help 查看用法）\n');
});
