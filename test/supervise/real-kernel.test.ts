// `oomscope supervise` with real processes on the real kernel: the stand-in AnQiCMS (comm `anqicms`) in a 96 MiB memory
// cgroup is OOM-killed, panics, is kill -9'd from outside and stopped on purpose; a command that fails at once makes a
// crash loop; a SIGKILLed supervisor's app is adopted by the next one; and `oomscope diagnose` reads back the
// check.log and running.log that supervise wrote. Needs root, a memory cgroup and /dev/kmsg; otherwise each test skips
// with the reason (under CI=true a skip is a failure). The tests run one after another under the real-kernel lock
// (test/support/real-kernel-proc.ts), so they never overlap the harness' scenarios.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeLoopbackPort, procStat, readUptime as uptime, withRealKernelLock } from '../support/real-kernel-proc.js';
import { procStat as fullStat } from '../../src/supervise/proc.js';
import {
  bootTimeIso, cannotRun, get, kmsgBetween, markKernelLog, killLeftovers, makeSite, readNotices, realSuperviseUnavailable, runCli, sleep, standins, startSupervisor, stopQuietly,
  supervisorUnder, waitFor, waitForApp, waitForCertificate, waitForDeath, type Notice, type Running, type Site,
} from './support.js';

const TZ = 'Asia/Shanghai';
const LIMIT = 96 * 1024 * 1024;

/** The app's memory cgroup path (as the kernel prints it) and directory. */
function memoryCgroupOf(pid: number): { path: string; dir: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return null;
  }
  const v1 = /^\d+:(?:[^:]*,)?memory(?:,[^:]*)?:(.*)$/m.exec(text);
  if (v1) return { path: v1[1]!, dir: `/sys/fs/cgroup/memory${v1[1]}` };
  const v2 = /^0::(.*)$/m.exec(text);
  return v2 ? { path: v2[1]!, dir: `/sys/fs/cgroup${v2[1]}` } : null;
}

const READY = '请手动在浏览器输入访问地址';
const readyLines = (site: Site): number => readFileSync(site.runningLog, 'utf8').split(READY).length - 1;

function updateOf(site: Site, id: string): Notice | undefined {
  return readNotices(site.incidents).find((n) => n.notice === 'update' && n.id === id);
}

async function underLock(t: TestContext, body: () => Promise<void>): Promise<void> {
  const reason = realSuperviseUnavailable();
  if (reason) return cannotRun(t, reason);
  await withRealKernelLock(async () => {
    await killLeftovers();
    await body();
  });
}

test('supervise: the stand-in through a cgroup OOM kill, a panic, a kill -9 and a stop; diagnose reads its logs back', { timeout: 90_000 }, async (t) => {
  await underLock(t, async () => {
    const site = makeSite();
    let sup: Running | undefined;
    const sessionStart = Date.now();
    const startUptime = uptime();
    markKernelLog(`oomscope-test: supervise mark (start, ${site.dir})`);
    try {
      const port = await freeLoopbackPort();
      sup = startSupervisor(
        [
          '--check-log', site.checkLog, '--log', site.runningLog, '--incidents', site.incidents, '--pidfile', site.pidfile,
          '--memory-max', '96M', '--gomemlimit', 'auto', '--backoff-initial', '0.5', '--backoff-max', '4', '--crash-loop-deaths', '10',
          '--grace', '3', '--check-interval', '2', '--format', 'ndjson', '--tz', TZ,
          '--', site.binary, site.script,
        ],
        { cwd: site.site, env: { ANQICMS_PORT: String(port), TZ, ANQICMS_LEAK_MAX_MB: '512', GOMEMLIMIT: '' } },
      );
      const supervisor = sup;

      // It starts the app in its own 96 MiB cgroup, with GOMEMLIMIT, and records it.
      let pid = await waitForApp(site, port);
      const cgroup = memoryCgroupOf(pid);
      assert.ok(cgroup, 'the app is in a memory cgroup');
      assert.match(cgroup.path, new RegExp(`/oomscope-anqicms-${supervisor.pid}$`));
      if (existsSync(`${cgroup.dir}/memory.limit_in_bytes`)) {
        assert.equal(Number(readFileSync(`${cgroup.dir}/memory.limit_in_bytes`, 'utf8')), LIMIT);
        if (existsSync(`${cgroup.dir}/memory.memsw.limit_in_bytes`)) assert.equal(Number(readFileSync(`${cgroup.dir}/memory.memsw.limit_in_bytes`, 'utf8')), LIMIT);
      }
      assert.notEqual(memoryCgroupOf(supervisor.pid)?.path, cgroup.path, 'the supervisor itself stays out of the limited cgroup');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes('GOMEMLIMIT=76MiB'), 'GOMEMLIMIT is 80% of --memory-max');
      const pidfile = readFileSync(site.pidfile, 'utf8').split('\n');
      assert.equal(pidfile[0], String(supervisor.pid));
      assert.equal(pidfile[2], `child ${pid} ${procStat(pid)!.startTime}`);
      assert.equal(fullStat(pid)!.pgid, pid, 'the app leads its own process group');
      await waitFor('the start-up to finish', 5000, () => readFileSync(site.runningLog, 'utf8').includes('请手动在浏览器输入访问地址'));

      // 1. A leak: the kernel kills it in its cgroup; the certificate says so with the kill's figures within a second.
      assert.match((await get(port, '/leak')) ?? '', /leaking/);
      const leakDied = await waitForDeath(pid);
      const leak = await waitForCertificate(site.incidents, pid);
      t.diagnostic(`leak: certificate ${leak.seenAt - leakDied} ms after the death`);
      assert.ok(leak.seenAt - leakDied < 1000, `certificate within a second (${leak.seenAt - leakDied} ms)`);
      const c1 = leak.notice;
      assert.equal(c1.verdict, 'cgroup-oom');
      assert.equal(c1.confidence, 'confirmed');
      assert.equal(c1.supervisor.signal, 'SIGKILL');
      assert.equal(c1.supervisor.cgroupOomKills, 1);
      assert.ok(c1.kill, 'the kill record is in the certificate');
      assert.equal(c1.kill.pid, pid);
      assert.equal(c1.kill.name, 'anqicms');
      assert.equal(c1.kill.constraint, 'memcg');
      assert.equal(c1.kill.memcg, cgroup.path);
      assert.equal(c1.kill.limitKb, LIMIT / 1024);
      assert.ok((c1.kill.anonRssKb ?? 0) > 40 * 1024, `anon-rss ${c1.kill.anonRssKb} kB`);
      assert.equal(c1.oomKill?.startsWith('k-'), true);
      assert.ok(c1.evidence.some((e) => e.role === 'kernel' && new RegExp(`Killed process ${pid} \\(anqicms\\)`).test(e.text)));
      assert.ok(c1.evidence.some((e) => e.role === 'guardian' && /anqicms PID check: 0$/.test(e.text)));
      assert.ok(c1.advice.some((a) => a.code === 'cgroup-limit'));
      assert.ok(c1.outputTail.some((l) => l.includes('正在生成标题图片缓存')));
      // …and it is back after the backoff (0.5 s), in the same cgroup.
      const readyBefore = readyLines(site);
      const afterLeak = await waitForApp(site, port, [pid]);
      assert.equal(memoryCgroupOf(afterLeak)?.path, cgroup.path);
      const u1 = await waitFor('the restart update', 5000, () => updateOf(site, c1.id));
      assert.ok(u1.restartedAt !== null && (u1.downtimeSeconds ?? 0) >= 0.5, `down ${u1.downtimeSeconds} s`);
      pid = afterLeak;
      await waitFor('the start-up to finish', 5000, () => readyLines(site) > readyBefore);

      // 2. A Go panic: go-panic with the crash site; the second quick death doubles the backoff.
      await get(port, '/panic');
      await waitForDeath(pid);
      const c2 = (await waitForCertificate(site.incidents, pid)).notice;
      assert.equal(c2.verdict, 'go-panic');
      assert.equal(c2.confidence, 'confirmed');
      assert.equal(c2.supervisor.exitCode, 2);
      assert.equal(c2.crashSite, 'kandaoni.com/anqicms/provider.(*Website).GenerateTitleImage at /www/wwwroot/anqicms/provider/titleImage.go:274');
      assert.ok(c2.evidence.some((e) => e.role === 'app' && e.text.startsWith('panic: runtime error')));
      assert.ok(c2.advice.some((a) => a.code === 'fix-panic'));
      const afterPanic = await waitForApp(site, port, [pid]);
      const u2 = await waitFor('the restart update', 5000, () => updateOf(site, c2.id));
      assert.ok((u2.downtimeSeconds ?? 0) >= 1.0, `backoff doubled: down ${u2.downtimeSeconds} s`);
      pid = afterPanic;

      // 3. kill -9 from outside: killed (no OOM record, and the cgroup counted none).
      await sleep(300);
      process.kill(pid, 'SIGKILL');
      await waitForDeath(pid);
      const c3 = (await waitForCertificate(site.incidents, pid)).notice;
      assert.equal(c3.verdict, 'killed');
      assert.equal(c3.confidence, 'likely');
      assert.equal(c3.supervisor.signal, 'SIGKILL');
      assert.equal(c3.kill, null);
      assert.equal(c3.supervisor.cgroupOomKills, 0);
      assert.ok(c3.advice.some((a) => a.code === 'who-killed'));
      const readyBefore3 = readyLines(site);
      pid = await waitForApp(site, port, [pid]);
      const u3 = await waitFor('the restart update', 5000, () => updateOf(site, c3.id));
      assert.ok((u3.downtimeSeconds ?? 0) >= 2.0, `backoff doubled again: down ${u3.downtimeSeconds} s`);
      await waitFor('the start-up to finish', 5000, () => readyLines(site) > readyBefore3);

      // 4. A deliberate stop: SIGTERM to the supervisor reaches the app, which says goodbye; stopped, not restarted.
      const stopAt = Date.now();
      supervisor.child.kill('SIGTERM');
      const exit = await supervisor.exited;
      t.diagnostic(`stop: supervisor exited ${Date.now() - stopAt} ms after SIGTERM`);
      assert.equal(exit.code, 0, supervisor.stderr());
      const c4 = readNotices(site.incidents).find((n) => n.notice === 'incident' && n.pid === pid);
      assert.ok(c4, 'a certificate for the stop');
      assert.equal(c4.verdict, 'stopped');
      assert.equal(c4.confidence, 'confirmed');
      assert.equal(c4.supervisor.requested, 'stop');
      assert.equal(c4.supervisor.exitCode, 0);
      assert.ok(readFileSync(site.runningLog, 'utf8').includes('退出 terminated\n监听到退出信号\n'), 'the app got SIGTERM');
      assert.deepEqual(standins(site.script), [], 'nothing restarted');
      assert.equal(existsSync(site.pidfile), false, 'pidfile removed');
      assert.equal(existsSync(cgroup.dir), false, 'memory cgroup removed');
      const checks = readFileSync(site.checkLog, 'utf8').trimEnd().split('\n');
      assert.ok(checks.every((l) => /^\d{8} \d{2}:\d{2}:\d{2} anqicms PID check: \d+$/.test(l)), checks.join('\n'));
      assert.equal(checks.at(-2)!.endsWith(`PID check: ${pid}`), true, "stop.sh's line before the stop");
      assert.equal(checks.at(-1)!.endsWith('PID check: 0'), true);
      const certificates = readNotices(site.incidents).filter((n) => n.notice === 'incident');
      assert.deepEqual(certificates.map((n) => n.verdict), ['cgroup-oom', 'go-panic', 'killed', 'stopped']);
      // The ndjson on stdout says the same as the incidents file.
      const stdoutNotices = supervisor.stdout().trim().split('\n').map((l) => JSON.parse(l) as Notice);
      assert.deepEqual(stdoutNotices.map((n) => `${n.notice}:${n.id}`), readNotices(site.incidents).map((n) => `${n.notice}:${n.id}`));

      // 5. `oomscope diagnose` reads what supervise wrote, with the kernel log of this test's time (other runs' kills of
      // an `anqicms` nearby would be joined to a silent death by name and time), to the same verdicts.
      markKernelLog(`oomscope-test: supervise mark (end, ${site.dir})`);
      const kernelFile = join(site.dir, 'kmsg.txt');
      writeFileSync(kernelFile, kmsgBetween(startUptime, uptime() + 1));
      const r = runCli(
        ['diagnose', '--check', site.checkLog, '--app', site.runningLog, '--kernel', kernelFile, '--boot-time', bootTimeIso(), '--process', 'anqicms', '--tz', TZ, '--format', 'json'],
        site.site,
      );
      assert.ok(r.status === 0 || r.status === 3, `diagnose exit ${r.status}: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as { sources: { path: string; role: string; format: string; unparsedLines: number }[]; incidents: { verdict: string; diedAt: string | null; pid: number | null }[] };
      const check = report.sources.find((s) => s.path === site.checkLog);
      assert.equal(check?.role, 'guardian');
      assert.equal(check?.format, 'guardian');
      assert.equal(check?.unparsedLines, 0);
      assert.equal(report.sources.find((s) => s.path === site.runningLog)?.role, 'app');
      const ours = report.incidents.filter((i) => i.diedAt === null || Date.parse(i.diedAt) >= sessionStart - 1000);
      assert.deepEqual(ours.map((i) => i.verdict), ['cgroup-oom', 'go-panic', 'killed', 'stopped'], JSON.stringify(ours.map((i) => ({ ...i, evidence: (i as { evidence?: unknown[] }).evidence?.length })), null, 1));
      assert.equal(ours[0]!.pid, c1.pid);
      site.cleanup();
    } finally {
      await stopQuietly(sup, site);
    }
  });
});

test('supervise: a command that fails at once — the backoff grows, the crash loop is announced, SIGTERM ends the wait', { timeout: 60_000 }, async (t) => {
  await underLock(t, async () => {
    const site = makeSite();
    let sup: Running | undefined;
    try {
      sup = startSupervisor(
        [
          '--name', 'flaky', '--check-log', site.checkLog, '--incidents', site.incidents, '--backoff-initial', '0.2', '--backoff-max', '3',
          '--crash-loop-deaths', '4', '--', 'sh', '-c', 'echo "starting $$"; echo "config missing" >&2; exit 1',
        ],
        { cwd: site.site },
      );
      const supervisor = sup;
      await waitFor('the crash loop to be announced and the slow restart planned', 15_000, () => /CRASH LOOP[\s\S]*restarting flaky in 3 s/.test(supervisor.stderr()));
      const delays = [...supervisor.stderr().matchAll(/restarting flaky in ([\d.]+) s/g)].map((m) => Number(m[1]));
      assert.deepEqual(delays, [0.2, 0.4, 0.8, 3], supervisor.stderr());
      assert.match(supervisor.stderr(), /CRASH LOOP: flaky died 4 times within 10m/);
      const stopAt = Date.now();
      supervisor.child.kill('SIGTERM');
      const exit = await supervisor.exited;
      assert.equal(exit.code, 0);
      assert.ok(Date.now() - stopAt < 1500, 'the backoff wait ends at once');
      const certificates = readNotices(site.incidents).filter((n) => n.notice === 'incident');
      assert.equal(certificates.length, 4);
      for (const c of certificates) {
        assert.equal(c.verdict, 'exited');
        assert.equal(c.confidence, 'confirmed');
        assert.equal(c.supervisor.exitCode, 1);
        assert.match(c.reason, /code 1/);
        assert.ok(c.outputTail.includes('config missing'), c.outputTail.join('|'));
      }
      assert.deepEqual(certificates.map((c) => c.advice.some((a) => a.code === 'crash-loop')), [false, false, false, true]);
      const checks = readFileSync(site.checkLog, 'utf8').trimEnd().split('\n').map((l) => l.replace(/^\d{8} \d{2}:\d{2}:\d{2} /, ''));
      assert.deepEqual(checks, Array(4).fill(['flaky PID check: 1', 'flaky PID check: 0']).flat());
      site.cleanup();
    } finally {
      await stopQuietly(sup, site);
    }
  });
});

test('supervise: a SIGKILLed supervisor\'s app is adopted from the pidfile, not started twice, and its OOM kill still certified', { timeout: 60_000 }, async (t) => {
  await underLock(t, async () => {
    const site = makeSite();
    let first: Running | undefined;
    let second: Running | undefined;
    try {
      const port = await freeLoopbackPort();
      const args = [
        '--check-log', site.checkLog, '--log', site.runningLog, '--incidents', site.incidents, '--pidfile', site.pidfile,
        '--memory-max', '96M', '--backoff-initial', '0.3', '--check-interval', '60', '--', site.binary, site.script,
      ];
      const env = { ANQICMS_PORT: String(port), ANQICMS_LEAK_MAX_MB: '512' };
      // The first supervisor runs under a subreaper, which reaps its orphaned app later (the VM's PID 1 does not).
      first = startSupervisor(args, { cwd: site.site, env, subreaper: true });
      const firstPid = await supervisorUnder(first);
      const app = await waitForApp(site, port);
      await waitFor('the start-up to finish', 5000, () => readFileSync(site.runningLog, 'utf8').includes('请手动在浏览器输入访问地址'));
      const firstCgroup = memoryCgroupOf(app)!;
      assert.match(firstCgroup.path, new RegExp(`/oomscope-anqicms-${firstPid}$`));

      // The supervisor is OOM-killed (here: SIGKILL); the app lives on.
      process.kill(firstPid, 'SIGKILL');
      await waitFor('the first supervisor to die', 5000, () => procStat(firstPid) === null || procStat(firstPid)!.state === 'Z');
      await sleep(200);
      assert.equal((await get(port, '/'))?.trim(), `ok ${app}`);

      // The next supervisor adopts it instead of starting a second copy.
      second = startSupervisor(args, { cwd: site.site, env });
      const supervisor = second;
      await waitFor('the adoption', 10_000, () => supervisor.stderr().includes(`adopted anqicms (pid ${app})`));
      await sleep(1000);
      assert.deepEqual(standins(site.script), [app], 'one app, not two');
      const pidfile = readFileSync(site.pidfile, 'utf8').split('\n');
      assert.equal(pidfile[0], String(supervisor.pid));
      assert.equal(pidfile[2], `child ${app} ${procStat(app)!.startTime}`);

      // A third one refuses: the pidfile is locked by a live supervisor.
      const third = startSupervisor(args, { cwd: site.site, env });
      const refused = await third.exited;
      assert.equal(refused.code, 1);
      assert.match(third.stderr(), new RegExp(`already supervised by pid ${supervisor.pid}`));
      assert.deepEqual(standins(site.script), [app]);

      // The adopted app leaks: the kill is read from the kernel log though nobody can wait() for it.
      await get(port, '/leak');
      const died = await waitForDeath(app);
      const cert = await waitForCertificate(site.incidents, app);
      t.diagnostic(`adopted leak: certificate ${cert.seenAt - died} ms after the death`);
      assert.ok(cert.seenAt - died < 1000, `certificate within a second (${cert.seenAt - died} ms)`);
      assert.equal(cert.notice.verdict, 'cgroup-oom');
      assert.equal(cert.notice.confidence, 'confirmed');
      assert.equal(cert.notice.supervisor.adopted, true);
      assert.equal(cert.notice.kill?.pid, app);
      assert.equal(cert.notice.kill?.memcg, firstCgroup.path);
      assert.ok(cert.notice.outputTail.some((l) => l.includes('正在生成标题图片缓存')), 'the output since its start was read back from running.log');

      // Restarted by the second supervisor in its own cgroup; the first one's is removed.
      const next = await waitForApp(site, port, [app]);
      assert.match(memoryCgroupOf(next)!.path, new RegExp(`/oomscope-anqicms-${supervisor.pid}$`));
      await waitFor('the first cgroup to be removed', 5000, () => !existsSync(firstCgroup.dir));
      supervisor.child.kill('SIGTERM');
      assert.equal((await supervisor.exited).code, 0);
      await first.exited;
      assert.deepEqual(standins(site.script), []);
      site.cleanup();
    } finally {
      await stopQuietly(second, site);
      await stopQuietly(first, site);
    }
  });
});
