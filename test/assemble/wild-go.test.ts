// Real Go crash output pasted into public trackers (fixtures/wild-go/, sources on each file's first line), wrapped the
// way the issue tried them: each paste becomes one life in a running.log and a guardian's check.log is composed around
// it. Verdicts, crash sites and reasons below were set by hand from the pastes (see fixtures/wild-go/MANIFEST.md)
// before the code ran; "paste line N" is the Nth line after the `# source:` line, which is running.log line N + 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { Incident, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

const GO_LOG = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/;
/** Used when the paste carries no Go log stamp. */
const DEFAULT_START = Date.UTC(2024, 6, 23, 10, 5, 2);

function goStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

function checkStamp(ms: number): string {
  return goStamp(ms).replace(/\//g, '').replace(/^(\d{8}) /, '$1 ');
}

/**
 * running.log: line 1 the start line (`YYYY/MM/DD HH:MM:SS /www/wwwroot/app/`, stamped with the paste's first Go log
 * stamp, else 2024-07-23 10:05:02), the paste, and — unless the app lives on (`alive`) — the next start 60 s after the
 * paste's last stamp. check.log: the guardian's `0` a second before the start, `0` again a minute later (the life in
 * between never seen alive) and `1` after the next start; for a life that lives on, `1` twice.
 */
function compose(name: string, alive = false): { dir: string; paste: string[] } {
  const text = readFileSync(fixture('test', 'assemble', 'fixtures', 'wild-go', name), 'utf8');
  const paste = text.split('\n').slice(1);
  if (paste.at(-1) === '') paste.pop();
  const stamps = paste.map((l) => GO_LOG.exec(l)).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  const start = stamps[0] ?? DEFAULT_START;
  const next = (stamps.at(-1) ?? start) + 60_000;
  const running = [`${goStamp(start)} /www/wwwroot/app/`, ...paste, ...(alive ? [] : [`${goStamp(next)} /www/wwwroot/app/`])];
  const checks = alive
    ? [[start + 59_000, 1], [start + 119_000, 1]]
    : [[start - 1000, 0], [next - 1000, 0], [next + 59_000, 1]];
  const dir = mkdtempSync(join(tmpdir(), 'wild-go-'));
  writeFileSync(join(dir, 'running.log'), running.join('\n') + '\n');
  writeFileSync(join(dir, 'check.log'), checks.map(([ms, n]) => `${checkStamp(ms!)} anqicms PID check: ${n}`).join('\n') + '\n');
  return { dir, paste };
}

async function run(name: string, lang: 'en' | 'zh-CN' = 'en', alive = false): Promise<Report> {
  const { dir } = compose(name, alive);
  try {
    return await diagnose({ app: [join(dir, 'running.log')], check: [join(dir, 'check.log')], tz: 'UTC', lang });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function death(report: Report): Incident {
  const app = report.incidents.filter((i) => i.evidence.some((e) => e.role === 'app'));
  assert.equal(app.length, 1, `one death seen in running.log expected, got ${JSON.stringify(report.incidents.map((i) => [i.verdict, i.reason]))}`);
  return app[0]!;
}

interface Expected {
  verdict: string;
  confidence: string;
  crashSite: string | null;
  faultSite?: string;
  /** The paste line that opens the report or holds the failure (running.log line = this + 1). */
  line: number;
  reason?: string;
  advice: string;
  adviceParams?: Record<string, string | number>;
}

const CASES: Record<string, Expected> = {
  // paste line 1: the progress bar, then `panic:` with no newline between; line 5 main.printProgress, line 6 its file
  // (module cache, @v1.5.6 — but package main is the main module wherever it was built)
  'gopeed-460-glued-progress.log': {
    verdict: 'go-panic', confidence: 'confirmed', line: 1, advice: 'fix-panic',
    crashSite: 'main.printProgress at /Users/dilu/go/pkg/mod/github.com/!gopeed!lab/gopeed@v1.5.6/cmd/gopeed/main.go:68',
    reason: 'The program panicked: runtime error: invalid memory address or nil pointer dereference.',
  },
  // lines 1–2 behind `godoxy           | `: the panic and its signal line; no goroutine was pasted
  'godoxy-106-compose-prefix.log': { verdict: 'go-panic', confidence: 'confirmed', line: 1, crashSite: null, advice: 'fix-panic-unknown-site' },
  // journald prefix on all 10 lines; lines 3–6 runtime, line 7 the plugin's AllowN with its GOPATH file on line 8
  'caddy-rate-limit-13-journald.log': {
    verdict: 'go-fatal', confidence: 'confirmed', line: 1, advice: 'fix-fatal',
    crashSite: 'github.com/xuqingfeng/caddy-rate-limit.(*CaddyLimiter).AllowN at /home/caddy/go/src/github.com/xuqingfeng/caddy-rate-limit/caddylimiter.go:33',
    reason: 'The Go runtime stopped the program with a fatal error: concurrent map writes.',
  },
  // lines 3–6 runtime, 7–8 net/textproto (std), 9–10 net/http (std), 11–12 pirsch-go-sdk@v1.4.0 (a dependency):
  // no frame of the program's own code; the fault is net/textproto's Get (line 7, file line 8)
  'caddy-pirsch-1-journald.log': {
    verdict: 'go-fatal', confidence: 'confirmed', line: 1, advice: 'fix-fatal', crashSite: null,
    faultSite: 'net/textproto.MIMEHeader.Get at net/textproto/header.go:34',
  },
  // line 1 the markdown fence, line 2 the panic, line 6 main.ReadRoutines, its file on line 7
  'grmon-8-gopath.log': {
    verdict: 'go-panic', confidence: 'confirmed', line: 2, advice: 'fix-panic',
    crashSite: 'main.ReadRoutines at /Users/me/go/src/github.com/bcicen/grmon/parse.go:76',
  },
  // line 2 ends in `!`; lines 5–22 are net and net/http under /usr/lib/go/src/pkg; line 23 main.main, file line 24
  'captainhook-9-deadlock.log': {
    verdict: 'go-fatal', confidence: 'confirmed', line: 2, advice: 'fix-fatal',
    crashSite: 'main.main at /usr/share/go/src/github.com/bketelsen/captainhook/main.go:34',
    reason: 'The Go runtime stopped the program with a fatal error: all goroutines are asleep - deadlock!',
  },
  // line 1 the prompt, line 3 the fatal error, line 6 main.main, file line 7
  'btlet-11-prompt-deadlock.log': {
    verdict: 'go-fatal', confidence: 'confirmed', line: 3, advice: 'fix-fatal',
    crashSite: 'main.main at /.../.../example/btsniffer/btsniffer.go:21',
  },
  // line 1 is the goroutine header (panic line cut); line 2 the program's cmd.glob..func1, lines 4–9 cobra (@v0.0.3),
  // line 12 main.main in /Users/k1low/src/github.com/k1LoW/sheer-heart-attack: cmd is the same repository
  'sheer-heart-attack-19-cut-goroutine.log': {
    verdict: 'go-panic', confidence: 'likely', line: 1, advice: 'fix-panic',
    crashSite: 'github.com/k1LoW/sheer-heart-attack/cmd.glob..func1 at /Users/k1low/src/github.com/k1LoW/sheer-heart-attack/cmd/launch.go:113',
    reason: 'It crashed in github.com/k1LoW/sheer-heart-attack/cmd.glob..func1 at /Users/k1low/src/github.com/k1LoW/sheer-heart-attack/cmd/launch.go:113: the log holds the crashing goroutine\'s stack, but not the panic line above it.',
  },
  // line 1 `[signal 0xc0000005 …]` (header cut); runtime stack: throw (4), sigpanic (6), netpoll (8, file line 9 — its pc
  // is the signal's pc): only runtime frames, so no crash site; the fault is netpoll's
  'windowpane-58870-cut-signal.log': {
    verdict: 'go-fatal', confidence: 'likely', line: 1, advice: 'fix-fatal', crashSite: null,
    faultSite: 'runtime.netpoll at C:/Users/whh8b/Code/Code/goroot/src/runtime/netpoll_windows.go:134',
    reason: 'It died of a fault the Go runtime reported ([signal 0xc0000005 code=0x0 addr=0x8 pc=0x39fde8]); the panic or fatal error line above it is not in the log.',
  },
  // line 1 `runtime: out of memory: cannot allocate 201326592-byte block (1306238976 in use)`, line 2 the fatal error
  // (the header, which the evidence cites); lines 4–10 runtime frames only
  'geth-16824-windows-oom.log': {
    verdict: 'go-runtime-oom', confidence: 'confirmed', line: 2, crashSite: null, advice: 'go-runtime-oom',
    adviceParams: { size: '192.0 MiB' }, // 201326592 B = 192 × 1048576
  },
  // every line behind a `2016-10-12 01:59:56.NNNNNNNNN ` stamp; line 1 `fatal error: runtime: cannot allocate memory`
  'geth-3129-stamped-lines.log': { verdict: 'go-runtime-oom', confidence: 'confirmed', line: 1, crashSite: null, advice: 'go-runtime-oom' },
  // line 1, the only line: `… error:dial tcp 127.0.0.1:3306: connect: connection refused #fatal`
  'gohackernews-36-db-fatal.log': {
    verdict: 'startup-failure', confidence: 'confirmed', line: 1, crashSite: null, advice: 'database-down',
    adviceParams: { db: 'MySQL', address: '127.0.0.1:3306' },
    reason: 'It failed while starting: unable to read database db:gohackernews_development error:dial tcp 127.0.0.1:3306: connect: connection refused #fatal.',
  },
  // line 1: `FATA[0000] Cannot connect to a DB: dial tcp 127.0.0.1:3306: …`
  'stellar-bridge-120-db-fata.log': {
    verdict: 'startup-failure', confidence: 'confirmed', line: 1, crashSite: null, advice: 'database-down',
    adviceParams: { db: 'MySQL', address: '127.0.0.1:3306' },
  },
  // line 3: `listen tcp 0.0.0.0:80: bind: permission denied`, the same second as line 2's stamp
  'frp-1945-permission-80.log': {
    verdict: 'startup-failure', confidence: 'confirmed', line: 3, crashSite: null, advice: 'privileged-port', adviceParams: { port: 80 },
    reason: 'It failed while starting: Create vhost http listener error, listen tcp 0.0.0.0:80: bind: permission denied.',
  },
  // line 1 ends with its own `.`: the reason must not end `..`
  'alist-7526-port-windows.log': {
    verdict: 'startup-failure', confidence: 'confirmed', line: 1, crashSite: null, advice: 'port-taken', adviceParams: { address: '0.0.0.0:5244' },
    reason: 'It failed while starting: FATA[2024-11-20 21:26:42] failed to start http: listen tcp 0.0.0.0:5244: bind: Only one usage of each socket address (protocol/network address/port) is normally permitted.',
  },
  // line 2 `加载配置或初始化日志系统失败: yaml: unmarshal errors:`, lines 3–9 indented under it
  'xiaozhi-73-config-zh.log': {
    verdict: 'startup-failure', confidence: 'confirmed', line: 2, crashSite: null, advice: 'config-error',
    reason: 'It failed while starting: 加载配置或初始化日志系统失败: yaml: unmarshal errors.',
  },
  // line 2 the first panic; line 5 MainCmd in /mnt/ramdisk/core/services/gorilla/cmd, line 7 main.main one folder below
  // (…/cmd/megabinary): the same repository; the second panic (line 11) is a later report of the same life
  'wandb-97-panic-loop.log': {
    verdict: 'go-panic', confidence: 'confirmed', line: 2, advice: 'fix-panic',
    crashSite: 'github.com/wandb/core/services/gorilla/cmd.(*migrateCommander).MainCmd at /mnt/ramdisk/core/services/gorilla/cmd/migrate.go:88',
    reason: 'The program panicked: dial tcp 127.0.0.1:3306: connect: connection refused.',
  },
  // line 1 panic, line 2 Windows' `[signal 0xc0000005 …]`, line 5 handleEvents, file line 6
  'hugo-10047-windows-signal.log': {
    verdict: 'go-panic', confidence: 'confirmed', line: 1, advice: 'fix-panic',
    crashSite: 'github.com/gohugoio/hugo/commands.(*commandeer).handleEvents at /root/project/hugo/commands/hugo.go:1114',
  },
};

for (const [name, want] of Object.entries(CASES)) {
  test(`wild Go output ${name}: ${want.verdict} (${want.confidence})`, async () => {
    const incident = death(await run(name));
    assert.equal(incident.verdict, want.verdict, incident.reason);
    assert.equal(incident.confidence, want.confidence);
    assert.equal(incident.crashSite, want.crashSite);
    assert.equal(incident.faultSite, want.faultSite);
    if (want.reason) assert.equal(incident.reason, want.reason);
    assert.ok(!/[.!?。]{2}$|[!?]\.$/.test(incident.reason), `doubled punctuation: ${incident.reason}`);
    const line = want.line + 1;
    assert.ok(incident.evidence.some((e) => e.role === 'app' && e.path.endsWith('running.log') && e.line === line),
      `running.log:${line} missing from the evidence: ${incident.evidence.map((e) => `${e.path.split('/').pop()}:${e.line}`).join(', ')}`);
    const advice = incident.advice.find((a) => a.code === want.advice);
    assert.ok(advice, `advice ${want.advice} missing; have ${incident.advice.map((a) => a.code).join(', ')}`);
    for (const [key, value] of Object.entries(want.adviceParams ?? {})) assert.equal(advice.params[key], value, key);
    if (want.crashSite) assert.ok(advice.text.includes(want.crashSite), `the advice names the crash site: ${advice.text}`);
  });
}

test('wild Go output: the crash site is named by the advice; with only a faulting library frame, that frame', async () => {
  const pirsch = death(await run('caddy-pirsch-1-journald.log'));
  assert.ok(pirsch.advice[0]!.text.includes('net/textproto.MIMEHeader.Get at net/textproto/header.go:34'), pirsch.advice[0]!.text);
});

test('wild Go output in Chinese: reasons end once, with the log\'s own punctuation or a 。', async () => {
  const deadlock = death(await run('captainhook-9-deadlock.log', 'zh-CN'));
  assert.equal(deadlock.reason, 'Go 运行时因致命错误终止了程序：all goroutines are asleep - deadlock!');
  const config = death(await run('xiaozhi-73-config-zh.log', 'zh-CN'));
  assert.equal(config.reason, '启动失败：加载配置或初始化日志系统失败: yaml: unmarshal errors。');
  assert.equal(config.advice[0]!.code, 'config-error');
});

for (const name of ['go-36883-decoy-http-panic.log', 'exposure-notifications-326-decoy-http-panic.log']) {
  // `http: panic serving …` (paste line 6 / line 1) then a running goroutine: net/http recovered it, the server lives on
  test(`wild Go output ${name}: a panic net/http recovered is not a death`, async () => {
    const report = await run(name, 'en', true);
    assert.deepEqual(report.incidents.map((i) => [i.verdict, i.reason]), []);
  });
}
