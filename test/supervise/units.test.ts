// The supervisor's parts that need no kernel: backoff and crash loops, sizes, the pidfile lock, check.log lines, the
// output tail, and the certificate's rules (contract.md §Verdicts as a supervisor sees a death).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestartPlanner } from '../../src/supervise/backoff.js';
import { deathCertificate, endingOfTail, type LifeEnd } from '../../src/supervise/certificate.js';
import { CheckLog, checkStamp } from '../../src/supervise/check-log.js';
import { OutputLog } from '../../src/supervise/output-log.js';
import { AlreadySupervised, formatPidRecord, parsePidRecord, PidFile } from '../../src/supervise/pidfile.js';
import { bootId, decodeWaitStatus, procStat } from '../../src/supervise/proc.js';
import { formatGoMemLimit, goMemLimitFor, parseSize } from '../../src/supervise/sizes.js';
import { recogniseGuardianLine } from '../../src/recognise/guardian.js';
import type { OomKill } from '../../src/model/report.js';
import { CLI, runCli, startSupervisor, waitFor } from './support.js';
import { message } from '../../src/i18n/messages.js';
import { NO_SYSTEM_LOGS } from '../support/paths.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'oomscope-svu-'));

test('backoff doubles from the initial delay to the cap, resets after a stable run; 3 deaths in the window are a crash loop', () => {
  const planner = new RestartPlanner({ initialMs: 1000, maxMs: 60_000, stableMs: 300_000, crashLoopDeaths: 3, crashLoopWindowMs: 600_000 });
  let now = 0;
  const die = (ranMs: number) => {
    const started = now;
    now += ranMs;
    const plan = planner.onDeath(started, now);
    now += plan.delayMs;
    return plan;
  };
  const a = die(700_000); // a long, stable life
  assert.equal(a.delayMs, 1000);
  assert.equal(a.crashLoop, false);
  const b = die(700_000);
  assert.equal(b.delayMs, 1000);
  assert.equal(b.reset, true);
  const c = die(5000);
  assert.equal(c.delayMs, 2000, 'the second quick death in a row doubles the delay');
  assert.equal(c.crashLoop, false, 'the first death is more than 10 min back: only two in the window');
  const d = die(1000);
  assert.equal(d.crashLoop, true);
  assert.equal(d.crashLoopStarted, true);
  assert.equal(d.delayMs, 60_000, 'a crash loop slows down to the cap');
  const e = die(1000);
  assert.equal(e.crashLoopStarted, false, 'announced once');
  assert.equal(e.delayMs, 60_000);
  const f = die(400_000);
  assert.equal(f.crashLoopEnded, true);
  assert.equal(f.reset, true);
  assert.equal(f.delayMs, 1000);
  assert.equal(planner.inCrashLoop, false);
  // Doubling stops at the cap.
  const quick = new RestartPlanner({ initialMs: 1000, maxMs: 5000, stableMs: 300_000, crashLoopDeaths: 100, crashLoopWindowMs: 600_000 });
  const delays = Array.from({ length: 5 }, (_, i) => quick.onDeath(i * 10_000, i * 10_000 + 100).delayMs);
  assert.deepEqual(delays, [1000, 2000, 4000, 5000, 5000]);
});

test('sizes: 256M, 1G, 1.5GiB, bytes; GOMEMLIMIT auto is 80% of --memory-max or of RAM', () => {
  assert.equal(parseSize('256M'), 256 * 1024 ** 2);
  assert.equal(parseSize('1G'), 1024 ** 3);
  assert.equal(parseSize('1.5GiB'), 1.5 * 1024 ** 3);
  assert.equal(parseSize('512mb'), 512 * 1024 ** 2);
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('12Q'), null);
  assert.equal(parseSize('-1M'), null);
  assert.equal(parseSize(''), null);
  assert.equal(formatGoMemLimit(96 * 1024 ** 2 * 0.8), '76MiB');
  assert.equal(goMemLimitFor('auto', 1024 ** 3), '819MiB');
  assert.equal(goMemLimitFor('auto', null, 8 * 1024 ** 3), '6553MiB');
  assert.equal(goMemLimitFor('700M', 1024 ** 3), '700MiB');
  assert.equal(goMemLimitFor('lots', null), null);
});

test('pidfile: a lock, a record of the child, a stale file taken over, a live holder refused', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'app.pid');
    const { pidfile, previous } = PidFile.acquire(path, 'app');
    assert.equal(previous, null);
    const me = procStat(process.pid)!;
    pidfile.update({ childPid: 4242, childStart: 777, logOffset: 1234, cgroup: '/sys/fs/cgroup/memory/x/oomscope-app-1' });
    const text = readFileSync(path, 'utf8');
    assert.equal(text.split('\n')[0], String(process.pid), 'line 1 alone is the supervisor pid');
    const record = parsePidRecord(text)!;
    assert.deepEqual(record, {
      supervisorPid: process.pid, supervisorStart: me.startTime, boot: bootId(), childPid: 4242, childStart: 777, logOffset: 1234,
      cgroup: '/sys/fs/cgroup/memory/x/oomscope-app-1', name: 'app',
    });
    assert.deepEqual(parsePidRecord(formatPidRecord(record)), record);
    // Our own live supervisor holds it: a second one is refused (same pid is allowed through only for ourselves,
    // so pretend to be another process by writing a record for our parent, which is alive).
    const parent = procStat(process.ppid)!;
    writeFileSync(path, formatPidRecord({ ...record, supervisorPid: process.ppid, supervisorStart: parent.startTime }));
    assert.throws(() => PidFile.acquire(path, 'app'), (error: unknown) => error instanceof AlreadySupervised && /already supervised by pid/.test((error as Error).message));
    // A record whose supervisor is gone (its start time no longer matches) is stale: taken over, returned for adoption.
    writeFileSync(path, formatPidRecord({ ...record, supervisorPid: process.ppid, supervisorStart: parent.startTime + 1 }));
    const taken = PidFile.acquire(path, 'app');
    assert.equal(taken.previous?.childPid, 4242);
    assert.equal(parsePidRecord(readFileSync(path, 'utf8'))?.supervisorPid, process.pid);
    taken.pidfile.release();
    assert.throws(() => readFileSync(path), /ENOENT/);
    // Another tool's pidfile naming a running process is not taken over.
    writeFileSync(path, `${process.ppid}\n`);
    assert.throws(() => PidFile.acquire(path, 'app'), /is not oomscope's pidfile/);
    // A bare pid (another tool's pidfile) reads as a supervisor with no child.
    assert.deepEqual(parsePidRecord('123\n')?.childPid, null);
    assert.equal(parsePidRecord('not a pid'), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check.log lines read back as the cron guardian\'s (and stop.sh\'s for a stop)', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'check.log');
    writeFileSync(path, '20240101 00:00:00 anqicms PID check: 1'); // an old line without its newline
    const log = new CheckLog(path, 'anqicms', () => {});
    const up = log.count(1)!;
    assert.equal(up.line, 2);
    const stop = log.stopping(31337)!;
    const down = log.count(0)!;
    assert.equal(down.line, 4);
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines[1], up.text);
    assert.equal(lines[3], down.text);
    assert.match(up.text, /^\d{8} \d{2}:\d{2}:\d{2} anqicms PID check: 1$/);
    assert.equal(recogniseGuardianLine(up.text)?.kind, 'check');
    assert.equal(recogniseGuardianLine(stop.text)?.kind, 'stop');
    assert.equal(recogniseGuardianLine(down.text)?.kind, 'check');
    assert.equal(checkStamp(Date.UTC(2024, 6, 23, 2, 4, 1)).length, 17);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the output tail: running.log line numbers, one life at a time, the last 200 lines', () => {
  const dir = tempDir();
  try {
    const path = join(dir, 'running.log');
    writeFileSync(path, 'old 1\nold 2\n');
    const out = new OutputLog(path);
    out.start();
    const offset = out.beginLife();
    assert.equal(offset, 12);
    appendFileSync(path, Array.from({ length: 250 }, (_, i) => `line ${i + 1}`).join('\n') + '\nunfinished');
    const tail = out.lifeTail();
    assert.equal(tail.length, 200);
    assert.deepEqual(tail.at(-1), { line: 253, text: 'unfinished' });
    assert.deepEqual(tail[0], { line: 54, text: 'line 52' });
    // Adoption: a new reader picks the life up from the offset the pidfile kept.
    const again = new OutputLog(path);
    again.resumeLife(offset);
    assert.deepEqual(again.lifeTail().at(-2), { line: 252, text: 'line 250' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function life(over: Partial<LifeEnd> = {}): LifeEnd {
  return {
    name: 'anqicms', pid: 4242, startTicks: 1000, boot: 'b', startedAtMs: Date.UTC(2024, 6, 23, 2, 0, 0), diedAtMs: Date.UTC(2024, 6, 23, 2, 5, 0),
    diedAtUncertaintySeconds: 0.1, code: null, signal: null, statusKnown: true, request: null, adopted: false, spawnError: null,
    tail: [{ line: 10, text: '2024/07/23 10:04:59 serving' }], outputPath: 'running.log', kernel: { kill: null, userspace: null }, kernelSource: 'kmsg',
    cgroup: null, checkLine: { path: 'check.log', line: 7, text: '20240723 10:05:00 anqicms PID check: 0', timeMs: Date.UTC(2024, 6, 23, 2, 5, 0) },
    crashLoop: null, contained: false, life: 0, ...over,
  };
}

const KILL: OomKill = {
  id: 'k-1', time: '2024-07-23T10:05:00.000+08:00', uptimeSeconds: 500, pid: 4242, name: 'anqicms', uid: 0, totalVmKb: 1000000, anonRssKb: 90000,
  fileRssKb: 30000, shmemRssKb: 0, pgtablesKb: 700, oomScoreAdj: 0, constraint: 'memcg', memcg: '/x/oomscope-anqicms-1', taskMemcg: '/x/oomscope-anqicms-1',
  limitKb: 98304, usageKb: 98304, ramKb: null, swapTotalKb: null, swapFreeKb: null, pageSizeKb: 4, trigger: null, selected: null, topConsumers: null,
  reaped: null, kernelVersion: null, incomplete: false,
  evidence: [{ path: 'kmsg', line: 9, role: 'kernel', text: 'Memory cgroup out of memory: Killed process 4242 (anqicms) total-vm:1000000kB' }],
};
const cert = (over: Partial<LifeEnd>) => deathCertificate(life(over), { lang: 'en', tz: 'Asia/Shanghai' });

test('certificate rules: kill record, cgroup counter, stop, Go crash, goodbye, SIGKILL, signals, exit codes, unknown', () => {
  const oom = cert({ signal: 'SIGKILL', kernel: { kill: { item: KILL, timeMs: Date.UTC(2024, 6, 23, 2, 5, 0) }, userspace: null } });
  assert.deepEqual([oom.verdict, oom.confidence, oom.oomKill, oom.kill?.limitKb], ['cgroup-oom', 'confirmed', 'k-1', 98304]);
  assert.ok(oom.advice.some((a) => a.code === 'cgroup-limit'));
  assert.ok(oom.evidence.some((e) => e.role === 'kernel') && oom.evidence.some((e) => e.role === 'guardian'));
  assert.equal(oom.diedAt, '2024-07-23T10:05:00.000+08:00');
  assert.equal(oom.supervisor.runSeconds, 300);
  const global = cert({ signal: 'SIGKILL', kernel: { kill: { item: { ...KILL, constraint: 'global', memcg: null, limitKb: null }, timeMs: null }, userspace: null } });
  assert.equal(global.verdict, 'kernel-oom');
  assert.ok(global.advice.some((a) => a.code === 'supervise-memory-max'), 'uncontained: suggests --memory-max');

  const counted = { kernelPath: '/x/oomscope-anqicms-1', limitBytes: 96 << 20, oomKillsBefore: 0, oomKillsAfter: 1, limitHitsBefore: 3, limitHitsAfter: 9 };
  const byCounter = cert({ signal: 'SIGKILL', kernelSource: null, cgroup: counted, contained: true });
  assert.deepEqual([byCounter.verdict, byCounter.confidence, byCounter.oomKill], ['cgroup-oom', 'confirmed', null]);
  assert.equal(cert({ signal: 'SIGKILL', cgroup: { ...counted, limitHitsAfter: 3 } }).verdict, 'kernel-oom');

  const stop = cert({ code: 0, request: { kind: 'stop', signal: 'SIGTERM', killed: false, graceSeconds: 10 }, tail: [{ line: 1, text: '退出 terminated' }] });
  assert.deepEqual([stop.verdict, stop.confidence, stop.supervisor.requested], ['stopped', 'confirmed', 'stop']);
  const killedStop = cert({ signal: 'SIGKILL', request: { kind: 'stop', signal: 'SIGTERM', killed: true, graceSeconds: 10 } });
  assert.equal(killedStop.verdict, 'stopped');
  assert.match(killedStop.reason, /SIGKILL/);
  assert.equal(cert({ code: 0, request: { kind: 'restart', signal: 'SIGHUP', killed: false, graceSeconds: 10 } }).reason.includes('restarted'), true);

  const panicTail = [
    'panic: runtime error: invalid memory address or nil pointer dereference',
    '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1092728]',
    '',
    'goroutine 132 [running]:',
    'kandaoni.com/anqicms/provider.(*Website).GenerateTitleImage(0xc000123456, {0xc0004a2000, 0x10})',
    '\t/www/wwwroot/anqicms/provider/titleImage.go:274 +0x47',
  ].map((text, i) => ({ line: 20 + i, text }));
  assert.equal(endingOfTail(panicTail)?.ending.kind, 'go-panic');
  const panic = cert({ code: 2, tail: panicTail });
  assert.deepEqual([panic.verdict, panic.confidence, panic.crashSite], ['go-panic', 'confirmed', 'kandaoni.com/anqicms/provider.(*Website).GenerateTitleImage at /www/wwwroot/anqicms/provider/titleImage.go:274']);
  assert.deepEqual(panic.evidence.find((e) => e.role === 'app'), { path: 'running.log', line: 20, role: 'app', text: panicTail[0]!.text });
  const oomTail = ['fatal error: runtime: out of memory', '', 'runtime stack:', 'runtime.throw({0x1, 0x2})', '\t/usr/local/go/src/runtime/panic.go:1077 +0x5c'].map((text, i) => ({ line: i + 1, text }));
  assert.equal(cert({ code: 2, tail: oomTail }).verdict, 'go-runtime-oom');
  assert.equal(cert({ code: 2, tail: [{ line: 1, text: 'fatal error: concurrent map writes' }, { line: 2, text: '' }, { line: 3, text: 'goroutine 1 [running]:' }] }).verdict, 'go-fatal');
  assert.equal(cert({ code: 255, tail: [{ line: 1, text: '端口已经被占用，可能软件已经启动' }] }).verdict, 'startup-failure');
  // A trace followed by SIGKILL was not what ended it.
  assert.equal(cert({ signal: 'SIGKILL', tail: panicTail }).verdict, 'killed');

  const goodbye = cert({ code: 0, tail: [{ line: 1, text: '退出 terminated' }, { line: 2, text: '监听到退出信号' }] });
  assert.deepEqual([goodbye.verdict, goodbye.confidence], ['stopped', 'confirmed']);

  const kill9 = cert({ signal: 'SIGKILL' });
  assert.deepEqual([kill9.verdict, kill9.confidence], ['killed', 'likely']);
  assert.ok(kill9.advice.some((a) => a.code === 'who-killed'));
  const blind = cert({ signal: 'SIGKILL', kernelSource: null });
  assert.deepEqual([blind.verdict, blind.confidence], ['unknown', 'possible']);
  assert.ok(blind.missingInput?.includes('kernel log'));

  const segv = cert({ signal: 'SIGSEGV' });
  assert.deepEqual([segv.verdict, segv.confidence], ['signaled', 'confirmed']);
  assert.ok(segv.advice.some((a) => a.code === 'core-dump'));
  assert.equal(cert({ signal: 'SIGTERM' }).verdict, 'signaled');

  const exit1 = cert({ code: 1, tail: [{ line: 3, text: '2024/07/23 10:04:59 open config.json: no such file or directory' }] });
  assert.deepEqual([exit1.verdict, exit1.confidence], ['exited', 'confirmed']);
  assert.match(exit1.reason, /code 1 .*open config\.json/);
  const exit0 = cert({ code: 0 });
  assert.deepEqual([exit0.verdict, exit0.confidence], ['exited', 'likely']);
  assert.equal(cert({ code: 125, cgroup: { ...counted, oomKillsAfter: 0 }, contained: true }).verdict, 'startup-failure');
  const failed = cert({ pid: 0, spawnError: 'spawn ./anqicms EACCES' });
  assert.deepEqual([failed.verdict, failed.pid], ['startup-failure', null]);

  const adopted = cert({ adopted: true, statusKnown: false });
  assert.deepEqual([adopted.verdict, adopted.confidence], ['unknown', 'possible']);
  assert.ok(adopted.missingInput?.includes('exit status'));
  const adoptedOom = cert({ adopted: true, statusKnown: false, kernel: { kill: { item: KILL, timeMs: null }, userspace: null } });
  assert.equal(adoptedOom.verdict, 'cgroup-oom');

  const loop = cert({ code: 1, crashLoop: { deaths: 3, windowSeconds: 600 } });
  assert.ok(loop.advice.some((a) => a.code === 'crash-loop' && a.params.deaths === 3 && a.params.minutes === 10));
  // The id names the life for good; zh-CN text for the supervisor's own reasons.
  assert.equal(cert({ code: 1 }).id, cert({ code: 2 }).id);
  assert.notEqual(cert({ code: 1 }).id, cert({ code: 1, startTicks: 1001 }).id);
  assert.match(deathCertificate(life({ code: 1 }), { lang: 'zh-CN', tz: 'UTC' }).reason, /退出码 1/);
  assert.ok(decodeWaitStatus(9).signal === 9 && decodeWaitStatus(2 << 8).code === 2);
});

test('supervise CLI: wrong usage exits 2 with one line; a SIGTERM-deaf app gets SIGKILL after --grace; SIGHUP restarts it', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  try {
    const missing = runCli(['supervise', '--', './no-such-program'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot run \.\/no-such-program: not found/);
    const badSize = runCli(['supervise', '--memory-max', 'lots', '--', 'sh', '-c', 'true'], dir);
    assert.equal(badSize.status, 2);
    assert.match(badSize.stderr, /--memory-max lots is not a size/);
    const unwritable = runCli(['supervise', '--log', join(dir, 'no-such-dir', 'running.log'), '--', 'sh', '-c', 'true'], dir);
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /--log .*running\.log: cannot write it \(ENOENT\)/);
    const none = runCli(['supervise'], dir);
    assert.equal(none.status, 2);

    // An app that ignores SIGTERM: stopped with SIGKILL after the grace period; SIGHUP first restarts it at once.
    const incidents = join(dir, 'incidents.ndjson');
    const sup = spawn(process.execPath, [CLI, 'supervise', '--name', 'deaf', '--grace', '0.5', '--incidents', incidents, '--kernel', 'none', '--', 'sh', '-c', 'trap "" TERM; echo up; while :; do sleep 0.05; done'], {
      cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    sup.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => sup.once('close', (code) => resolve(code)));
    const wait = async (what: string, ok: () => boolean): Promise<void> => {
      const deadline = Date.now() + 10_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${err}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await wait('the start', () => /started deaf/.test(err) && /^up$/m.test(err));
    sup.kill('SIGHUP');
    // The app's output comes through oomscope's stderr (no --log): `up` means its TERM trap is set.
    await wait('the restart', () => (err.match(/started deaf/g) ?? []).length === 2 && (err.match(/^up$/gm) ?? []).length === 2);
    sup.kill('SIGTERM');
    assert.equal(await exited, 0, err);
    const notices = readFileSync(incidents, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { notice: string; verdict: string; reason: string; restartedAt: string | null; supervisor: { requested: string; signal: string } });
    const certs = notices.filter((n) => n.notice === 'incident');
    assert.deepEqual(certs.map((c) => [c.verdict, c.supervisor.requested, c.supervisor.signal]), [['stopped', 'restart', 'SIGHUP'], ['stopped', 'stop', 'SIGKILL']]);
    assert.match(certs[1]!.reason, /sent SIGKILL when it was still running after 0\.5 s/);
    assert.ok(notices.some((n) => n.notice === 'update' && n.restartedAt !== null), 'the restart after SIGHUP is told as an update');
    assert.match(err, /SIGKILL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('supervise in Chinese says the verdict and confidence in words and the durations without a space before 后', { timeout: 30_000 }, async () => {
  const dir = tempDir();
  const running = startSupervisor(['--lang', 'zh-CN', '--name', 'demo', '--tz', 'UTC', '--backoff-initial', '30', '--kernel', 'none', '--', 'sh', '-c', 'exit 3'], { cwd: dir, env: NO_SYSTEM_LOGS });
  try {
    // `sh -c 'exit 3'` exits with code 3 at once: the exited verdict (catalogue verdict.exited, confidence.confirmed),
    // then a restart in 30 s (formatDuration in zh: 30秒).
    await waitFor('the restart line', 15_000, () => running.stderr().includes('后重启'));
    const died = running.stderr().split('\n').find((line) => line.includes('后退出：'));
    assert.ok(died, running.stderr());
    assert.match(died, new RegExp(`demo（pid \\d+）运行 \\S+后退出：${message('zh-CN', 'verdict.exited')}（${message('zh-CN', 'confidence.confirmed')}）$`));
    assert.match(running.stderr(), /将在 30秒后重启 demo/);
  } finally {
    running.child.kill('SIGTERM');
    await running.exited;
    rmSync(dir, { recursive: true, force: true });
  }
});
