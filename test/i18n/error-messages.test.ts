// Issue 14 item 1: a usage error reads in --lang. The real CLI is run on each error path argv alone can reach: in
// English it prints the line it always printed (written out here from the old literals), in Chinese a line with no
// run of English words outside flags, values and paths, the fix in full-width brackets; and every code of the
// catalogue renders in both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES, errorFix, errorMessage } from '../../src/i18n/error-messages.js';
import { UsageError } from '../../src/usage-error.js';
import { englishRuns } from '../support/english-runs.js';
import { NO_SYSTEM_LOGS, projectRoot } from '../support/paths.js';

const cli = join(projectRoot, '.build', 'src', 'cli.js');
const empty = mkdtempSync(join(tmpdir(), 'oomscope-errors-'));
const kernel = join(projectRoot, 'test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log');

function run(args: string[], lang: 'en' | 'zh-CN'): { code: number | null; stderr: string } {
  // --lang goes before `--`: after it, words belong to the supervised command.
  const end = args.indexOf('--');
  const argv = end === -1 ? [...args, '--lang', lang] : [...args.slice(0, end), '--lang', lang, ...args.slice(end)];
  const result = spawnSync(process.execPath, [cli, ...argv], {
    cwd: empty,
    input: '',
    env: { ...process.env, NO_COLOR: '1', LC_ALL: 'C', LANG: 'C', ...NO_SYSTEM_LOGS },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: result.status, stderr: result.stderr };
}

interface Case {
  args: string[];
  /** The English line, as the literal at the throw site wrote it before the catalogue. */
  en: string;
  /** Text of the system's own in the line (an errno message), not ours to translate. */
  system?: string;
}

const CASES: Case[] = [
  { args: ['diagnose', '--tz', 'Foo/Bar'], en: 'unknown time zone "Foo/Bar" (use an IANA name such as Asia/Shanghai or UTC)' },
  { args: ['diagnose', '--boot-time', 'yesterday'], en: '--boot-time "yesterday" is not an ISO time with a zone (for example 2024-07-20T08:00:00+08:00 (from `uptime -s` on that boot, plus the zone))' },
  { args: ['diagnose', '--boot-time', '2024-13-45T99:00:00+08:00', '--kernel', kernel], en: '--boot-time "2024-13-45T99:00:00+08:00" is not a valid time' },
  { args: ['diagnose', '--check', '-', '--app', '-'], en: 'stdin (-) can be read only once (give - for one input only, and the others as files)' },
  { args: ['diagnose', '--dir', empty], en: `--dir ${empty} holds neither check.log nor running.log (give the AnQiCMS install directory, e.g. /www/wwwroot/anqicms.com)` },
  { args: ['diagnose'], en: 'found no logs to read here (name them: --dir INSTALL_DIR, --check, --app, --kernel (a file, - for stdin, kmsg, journal or dmesg))' },
  {
    args: ['diagnose', '--kernel', kernel, '-o', join(empty, 'no-such-dir', 'out.txt')],
    en: `cannot write ${join(empty, 'no-such-dir', 'out.txt')}: ENOENT: no such file or directory, open '${join(empty, 'no-such-dir', 'out.txt')}' (choose a writable path for -o)`,
    system: 'no such file or directory',
  },
  { args: ['watch', '--webhook', 'ftp://example.com/x', '--webhook-template', 'wecom'], en: '--webhook: ftp: URLs are not supported (give an http:// or https:// URL)' },
  { args: ['watch', '--webhook', 'not a url', '--webhook-template', 'wecom'], en: '--webhook: not a URL: (unparsable URL) (give a full http:// or https:// URL)' },
  { args: ['watch', '--metrics', 'abc'], en: '--metrics abc: not PORT or ADDR:PORT (give PORT (listens on 127.0.0.1) or ADDR:PORT, e.g. 0.0.0.0:9101 or [::1]:9101)' },
  { args: ['watch', '--metrics', '99999'], en: '--metrics 99999: port out of range (give PORT (listens on 127.0.0.1) or ADDR:PORT, e.g. 0.0.0.0:9101 or [::1]:9101)' },
  { args: ['fleet', '--prometheus', 'notaurl'], en: '--prometheus notaurl: not a URL (e.g. http://127.0.0.1:9090)' },
  { args: ['fleet', '--since', '0d', '--prometheus', 'http://127.0.0.1:9090'], en: '--since 0d: not a duration (e.g. 30d, 12h, 90m)' },
  { args: ['relay', '--webhook-template', 'wecom'], en: 'relay: no --webhook given (give the chat robot URL with --webhook)' },
  { args: ['relay', '--webhook-template', 'wecom', '--webhook', 'http://127.0.0.1:1/x', '--listen', 'abc'], en: '--listen abc: not PORT or ADDR:PORT (e.g. 127.0.0.1:9102)' },
  { args: ['supervise', '--', ''], en: 'no COMMAND to supervise (give it after --: oomscope supervise [options] -- ./anqicms)' },
  { args: ['supervise', '--', '/no-such-dir/app'], en: 'cannot run /no-such-dir/app: not found or not executable (check the path)' },
  { args: ['supervise', '--', 'no-such-program-here'], en: 'cannot run no-such-program-here: not found or not executable (give its path, e.g. ./no-such-program-here)' },
  { args: ['supervise', '--name', 'two words', '--', 'true'], en: '--name "two words" must be one word (check.log separates fields by spaces)' },
  { args: ['supervise', '--tz', 'Foo/Bar', '--', 'true'], en: 'unknown time zone "Foo/Bar" (use an IANA name such as Asia/Shanghai or UTC)' },
  { args: ['supervise', '--memory-max', 'lots', '--', 'true'], en: '--memory-max lots is not a size (write it like 256M or 1G (powers of 1024))' },
  { args: ['supervise', '--memory-max', '1K', '--', 'true'], en: '--memory-max 1K is too small (give at least 4M)' },
  { args: ['supervise', '--gomemlimit', 'lots', '--', 'true'], en: '--gomemlimit lots is neither auto nor a size (write auto, or a size like 800M)' },
  { args: ['supervise', '--check-log', '/no-such-dir/check.log', '--', 'true'], en: '--check-log /no-such-dir/check.log: cannot write it (ENOENT) (choose a writable path)' },
  { args: ['supervise', '--backoff-initial', '5', '--backoff-max', '1', '--', 'true'], en: '--backoff-max is smaller than --backoff-initial' },
  { args: ['supervise', '--check-interval', '0', '--', 'true'], en: '--check-interval must be more than 0 seconds' },
];

for (const c of CASES) {
  test(`${c.args.join(' ')}: exit 2, the old English line, and Chinese without English`, () => {
    const en = run(c.args, 'en');
    assert.equal(en.code, 2, en.stderr);
    assert.equal(en.stderr, `oomscope: ${c.en}\n`);

    const zh = run(c.args, 'zh-CN');
    assert.equal(zh.code, 2, zh.stderr);
    assert.equal(zh.stderr.split('\n').length, 2, `one line: ${zh.stderr}`);
    const line = zh.stderr.trimEnd();
    assert.match(line, /^oomscope: /);
    assert.match(line, /[\u4e00-\u9fff]/, `Chinese: ${line}`);
    // Values from argv, paths and the system's own text are not ours to translate.
    assert.deepEqual(englishRuns(line, [...c.args, ...(c.system ? [c.system] : [])]), [], line);
    assert.doesNotMatch(line, / \(/, `the fix in full-width brackets: ${line}`);
  });
}

test('the detector finds English: the English lines fail it', () => {
  // `Asia/Shanghai` is a name, so the words either side of its slash are not counted; the rest is English.
  assert.deepEqual(englishRuns('oomscope: unknown time zone "Foo/Bar" (use an IANA name such as Asia/Shanghai or UTC)', []), ['unknown time zone']);
  assert.deepEqual(englishRuns('oomscope: --check-interval must be more than 0 seconds', []), ['must be more than']);
});

test('every code renders in both languages: English as it reads, Chinese without English of its own', () => {
  const params = { tz: 'Foo/Bar', year: 12, text: 'x', dir: '/d', flag: '--metrics', value: 'v', where: '--metrics 127.0.0.1:9101', error: 'EACCES', url: 'http://h', protocol: 'ftp:', program: 'app', name: 'n', path: '/p', cgroup: '/a', mount: '/sys/fs/cgroup', platform: 'darwin', took: 1, wanted: 2, pid: 7, app: 8 };
  for (const code of ERROR_CODES) {
    const en = errorMessage('en', code, params);
    const zh = errorMessage('zh-CN', code, params);
    assert.ok(en.length > 0 && !en.includes('undefined'), `${code}: ${en}`);
    assert.ok(/[\u4e00-\u9fff]/.test(zh) && !zh.includes('undefined'), `${code}: ${zh}`);
    assert.deepEqual(englishRuns(zh, []), [], `${code}: ${zh}`);
    const enFix = errorFix('en', code, params);
    const zhFix = errorFix('zh-CN', code, params);
    assert.equal(zhFix === undefined, enFix === undefined, `${code}: a fix in both or in neither`);
    if (zhFix !== undefined) assert.deepEqual(englishRuns(zhFix, []), [], `${code} fix: ${zhFix}`);
  }
});

test('UsageError.of keeps the English message and says it in Chinese on demand; a plain one brackets its fix per language', () => {
  const coded = UsageError.of('tz.unknown', { tz: 'Foo/Bar' });
  assert.equal(coded.message, 'unknown time zone "Foo/Bar" (use an IANA name such as Asia/Shanghai or UTC)');
  assert.equal(coded.fix, 'use an IANA name such as Asia/Shanghai or UTC');
  assert.equal(coded.code, 'tz.unknown');
  assert.equal(coded.inLanguage('en'), coded.message);
  assert.equal(coded.inLanguage('zh-CN'), '未知时区“Foo/Bar”（请使用 IANA 时区名，例如 Asia/Shanghai 或 UTC）');
  const plain = new UsageError('已经在运行', '先停止它');
  assert.equal(plain.message, '已经在运行 (先停止它)');
  assert.equal(plain.inLanguage('zh-CN'), '已经在运行（先停止它）');
  assert.equal(new UsageError('bad flag').inLanguage('zh-CN'), 'bad flag');
});

test('a second supervisor on the same pidfile says so in Chinese, and in English as before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-already-'));
  const pidfile = join(dir, 'app.pid');
  const first = spawn(process.execPath, [cli, 'supervise', '--pidfile', pidfile, '--check-log', join(dir, 'check.log'), '--', 'sleep', '60'], { stdio: 'ignore' });
  try {
    // Waits for the first supervisor's record to name its app (pidfile.ts formatPidRecord: `child PID START`).
    while (!(existsSync(pidfile) && /^child \d+/m.test(readFileSync(pidfile, 'utf8')))) await sleep(50);
    const zh = run(['supervise', '--pidfile', pidfile, '--check-log', join(dir, 'check2.log'), '--', 'true'], 'zh-CN');
    assert.equal(zh.code, 1, zh.stderr);
    assert.match(zh.stderr, new RegExp(`^oomscope: ${pidfile}：已由 pid ${first.pid} 守护`));
    assert.deepEqual(englishRuns(zh.stderr, [pidfile]), [], zh.stderr);
    const en = run(['supervise', '--pidfile', pidfile, '--check-log', join(dir, 'check2.log'), '--', 'true'], 'en');
    assert.equal(en.code, 1, en.stderr);
    assert.match(en.stderr, new RegExp(`^oomscope: ${pidfile}: already supervised by pid ${first.pid}`));
  } finally {
    first.kill('SIGTERM');
    await new Promise((resolve) => first.once('exit', resolve));
  }
});
