// The READMEs' commands that a reader copies: every ```sh block marked `<!-- runnable -->` (the line before the
// fence) is run, in order, with `sh -e` from a folder laid out as a checkout after `npm run build:exe` (install.sh
// and dist/oomscope-linux-x64), with DESTDIR set so that install.sh installs into a temporary root, and that root's
// bin folders first on PATH. Blocks not marked need the network (GitHub, the npm registry) or a real site.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/paths.js';
import { builtExecutable } from '../exe/support.js';

const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
const MARK = '<!-- runnable -->';

interface Block {
  line: number;
  code: string;
}

/** The ```sh blocks of a Markdown text whose fence follows the runnable mark; `line` is the fence's (1-based). */
function runnableBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```sh\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((line, j) => j > i && /^```\s*$/.test(line));
    assert.ok(end > i, `the fence on line ${i + 1} is closed`);
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    if (before >= 0 && lines[before]!.trim() === MARK) blocks.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

for (const [readme, firstSection] of [['README.md', '## Install'], ['README.zh-CN.md', '## 安装']] as const) {
  test(`${readme}: Install is the first section; its runnable sh blocks run`, { timeout: 120_000 }, (t) => {
    const text = readFileSync(join(projectRoot, readme), 'utf8');
    assert.equal(/^## .*$/m.exec(text)?.[0], firstSection);
    // The tarball the npm line names is the one `npm pack` makes of this version.
    for (const m of text.matchAll(/oomscope-(\d+\.\d+\.\d+)\.tgz/g)) assert.equal(m[1], version, `${readme} names oomscope-${m[1]}.tgz`);
    const blocks = runnableBlocks(text);
    assert.ok(blocks.length >= 2, `${readme} has ${blocks.length} runnable blocks`);

    const exe = builtExecutable(t);
    if (!exe) return;
    const dir = mkdtempSync(join(tmpdir(), 'oomscope-readme-'));
    dirs.push(dir);
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'dist'), { recursive: true });
    copyFileSync(join(projectRoot, 'install.sh'), join(repo, 'install.sh'));
    symlinkSync(exe, join(repo, 'dist', `oomscope-linux-${process.arch}`));
    const home = join(dir, 'home');
    const destdir = join(dir, 'root');
    mkdirSync(home);
    const env = { HOME: home, DESTDIR: destdir, PATH: `${destdir}/usr/local/bin:${destdir}${home}/.local/bin:/usr/bin:/bin` };
    for (const block of blocks) {
      const result = spawnSync('/bin/sh', ['-e', '-c', block.code], { cwd: repo, env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(result.status, 0, `${readme}:${block.line} failed:\n${block.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`);
      assert.notEqual(result.stdout, '', `${readme}:${block.line} printed something`);
    }
    // What the blocks did: oomscope installed in the temporary root, and the report page written.
    const installed = process.getuid?.() === 0 ? join(destdir, 'usr/local/bin/oomscope') : join(destdir, home, '.local/bin/oomscope');
    assert.ok(existsSync(installed), `${installed} exists`);
    assert.match(readFileSync(join(repo, 'report.html'), 'utf8').slice(0, 200), /^<!doctype html>/i);
  });
}

test('runnableBlocks takes only the sh blocks right after the mark', () => {
  const markdown = ['<!-- runnable -->', '```sh', 'echo one', '```', '', '```sh', 'echo not marked', '```', MARK, '', '```sh', 'echo two', 'echo three', '```', MARK, '```js', 'x', '```'].join('\n');
  assert.deepEqual(runnableBlocks(markdown), [{ line: 2, code: 'echo one' }, { line: 11, code: 'echo two\necho three' }]);
});
