// A running.log past the first MiB is scanned, not read line by line: each kind of ending must still be found there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';

const pad = (n: number): string => String(n).padStart(2, '0');
/** `2024/07/23 HH:MM:SS` for second `s` of the day. */
const at = (s: number): string => `2024/07/23 ${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
const start = (s: number): string[] => [`${at(s)} /www/wwwroot/site/`, 'Iris Version: 12.2.11', '', 'Now listening on: ', '> Local:    http://localhost:8001', 'Application started. Press CTRL+C to shut down.'];
/** Ordinary lines that match no marker, enough to push what follows past the part read line by line. */
const filler = (from: number, count: number): string[] => Array.from({ length: count }, (_, i) => `${at(from + Math.floor(i / 10))} 生成sitemap完成 /archives/${i}.html`);

test('past the first MiB of running.log, silent deaths, panics, goodbyes, failed starts and admin restarts are still told apart', async () => {
  const lines = [
    ...start(0),
    ...filler(1, 30_000), // about 1.5 MiB: everything below is scanned
    `${at(3500)} 最后一行`, // last words of a silent death
    ...start(3600),
    `${at(3700)} 监听到路由更改`, `${at(3700)} 进程结束，开始重启`, ...start(3701), // an admin restart: same life
    `${at(3800)} 正在生成缩略图`,
    'panic: runtime error: index out of range [3] with length 3', '', 'goroutine 7 [running]:',
    'kandaoni.com/anqicms/library.Split(...)', '\t/www/go/anqicms/library/split.go:42 +0x1d',
    ...start(3900),
    ...filler(3901, 2_000),
    '退出 terminated', '监听到退出信号',
    `${at(4500)} /www/wwwroot/site/`, 'Failed To Connect Database:  dial tcp 127.0.0.1:3306: connect: connection refused',
    ...start(4560),
  ];
  const path = join(mkdtempSync(join(tmpdir(), 'oomscope-appscan-')), 'running.log');
  writeFileSync(path, lines.join('\n') + '\n');
  const report = await diagnose({ app: [path], tz: 'UTC' });
  // No kernel log: the silent death cannot be decided; the others name themselves (the admin restart is no death).
  assert.deepEqual(report.incidents.map((i) => i.verdict), ['unknown', 'go-panic', 'stopped', 'startup-failure']);
  const [silent, panic, stopped, failed] = report.incidents;
  assert.equal(silent!.evidence.find((e) => e.role === 'app')?.text, `${at(3500)} 最后一行`);
  assert.equal(silent!.restartedAt, '2024-07-23T01:00:00.000+00:00'); // 3600 s
  assert.equal(panic!.crashSite, 'kandaoni.com/anqicms/library.Split at /www/go/anqicms/library/split.go:42');
  assert.equal(panic!.restartedAt, '2024-07-23T01:05:00.000+00:00'); // 3900 s
  assert.equal(stopped!.restartedAt, '2024-07-23T01:15:00.000+00:00'); // 4500 s
  assert.equal(failed!.restartedAt, '2024-07-23T01:16:00.000+00:00'); // 4560 s
});
