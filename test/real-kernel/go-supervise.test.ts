// `oomscope supervise` certifies the deaths of the Go stand-in (test/real-kernel/standin-go) on the real kernel, each
// from what only a supervisor sees (the wait status, the output's tail, the kernel's record for the pid), and measures
// what --gomemlimit auto does for a bounded workload and for a real leak. Expected verdicts and crash sites are the
// same hand-worked ones as in test/real-kernel/go-deaths.test.ts. Needs root, a memory cgroup, /dev/kmsg and `go`.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freeLoopbackPort, withRealKernelLock } from '../support/real-kernel-proc.js';
import { buildGoStandin, goUnavailable } from '../support/go-standin.js';
import {
  cannotRun, get, killLeftovers, makeSite, readNotices, realSuperviseUnavailable, startSupervisor, stopQuietly, waitFor, waitForApp,
  waitForCertificate, waitForDeath, type Notice, type Running, type Site,
} from '../supervise/support.js';

const P = 'kandaoni.com/anqicms/provider.';
const SRC = 'kandaoni.com/anqicms';

async function underLock(t: TestContext, body: () => Promise<void>): Promise<void> {
  const reason = realSuperviseUnavailable() ?? goUnavailable();
  if (reason) return cannotRun(t, reason);
  await withRealKernelLock(async () => {
    await killLeftovers();
    await body();
  });
}

/** A site whose app is the Go binary (trimpath build), run directly or through `sh -c '<ulimit>; exec "$0"'`. */
function goSite(): Site {
  const binary = buildGoStandin('trimpath').binary;
  return { ...makeSite(), binary, script: binary };
}

function supervise(site: Site, port: number, flags: string[], command: string[], env: Record<string, string> = {}): Running {
  return startSupervisor(
    ['--check-log', site.checkLog, '--log', site.runningLog, '--incidents', site.incidents, '--backoff-initial', '0.2', '--backoff-max', '1',
      '--crash-loop-deaths', '20', '--grace', '3', '--format', 'ndjson', '--tz', 'Asia/Shanghai', ...flags, '--', ...command],
    { cwd: site.site, env: { ANQICMS_PORT: String(port), TZ: 'Asia/Shanghai', GOMEMLIMIT: '', ...env } },
  );
}

/** GETs `route` of the app `pid` and answers its certificate. */
async function dieBy(site: Site, port: number, pid: number, route: string): Promise<Notice> {
  await get(port, route);
  await waitForDeath(pid);
  return (await waitForCertificate(site.incidents, pid)).notice;
}

function assertGoCrash(c: Notice, verdict: string, site: string, code: number, what: string): void {
  assert.equal(c.verdict, verdict, `${what}: ${c.reason}`);
  assert.equal(c.confidence, 'confirmed', what);
  assert.equal(c.supervisor.exitCode, code, what);
  assert.equal(c.supervisor.signal, null, what);
  assert.equal(c.crashSite, `${site.replace('<src>', SRC)}`, what);
  assert.equal(c.kill, null, what);
}

test('supervise, Go stand-in in 96 MiB: leak → cgroup-oom; nil panic, custom panic, re-panic → go-panic; map writes → go-fatal; MySQL down at the restart → startup-failure', { timeout: 90_000 }, async (t) => {
  await underLock(t, async () => {
    const site = goSite();
    const dbPort = await freeLoopbackPort();
    let db: Server | undefined;
    const openDb = (): Promise<void> => new Promise((resolve) => { db = createServer((s) => s.destroy()).listen(dbPort, '127.0.0.1', () => resolve()); });
    await openDb();
    let sup: Running | undefined;
    try {
      const port = await freeLoopbackPort();
      sup = supervise(site, port, ['--memory-max', '96M'], [site.binary], { ANQICMS_DB_ADDR: `127.0.0.1:${dbPort}` });
      let pid = await waitForApp(site, port);

      const leak = await dieBy(site, port, pid, '/leak');
      assert.equal(leak.verdict, 'cgroup-oom', leak.reason);
      assert.equal(leak.confidence, 'confirmed');
      assert.equal(leak.supervisor.signal, 'SIGKILL');
      assert.equal(leak.kill?.pid, pid);
      assert.equal(leak.kill?.name, 'anqicms');
      assert.ok(leak.outputTail.some((l) => /标题图片缓存 \d+ MiB, GC \d+ 次/.test(l)), leak.outputTail.join('|'));

      const crashes: [string, string, string, number][] = [
        ['/panic', 'go-panic', `${P}(*Website).GenerateTitleImage at <src>/provider/website.go:36`, 2],
        ['/panic-value', 'go-panic', `${P}(*Website).BuildSitemap at <src>/provider/sitemap.go:25`, 2],
        ['/repanic', 'go-panic', `${P}(*Website).RebuildSitemap.func1 at <src>/provider/sitemap.go:34`, 2],
        ['/map-writes', 'go-fatal', `${P}(*Website).countView at <src>/provider/stats.go:9`, 2],
      ];
      for (const [route, verdict, crashSite, code] of crashes) {
        pid = await waitForApp(site, port, [pid]);
        assertGoCrash(await dieBy(site, port, pid, route), verdict, crashSite, code, route);
      }

      // the admin's restart re-executes the same pid, which cannot reach MySQL: log.Fatal, exit 1
      pid = await waitForApp(site, port, [pid]);
      await new Promise<void>((resolve) => db!.close(() => resolve()));
      const down = await dieBy(site, port, pid, '/restart');
      await openDb();
      assert.equal(down.verdict, 'startup-failure', down.reason);
      assert.equal(down.confidence, 'confirmed');
      assert.equal(down.supervisor.exitCode, 1);
      assert.match(down.reason, /Failed To Connect Database: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/);
      assert.ok(down.outputTail.includes('进程结束，开始重启'), down.outputTail.join('|'));

      pid = await waitForApp(site, port, [pid]);
      sup.child.kill('SIGTERM');
      assert.equal((await sup.exited).code, 0);
      const all = readNotices(site.incidents).filter((n) => n.notice === 'incident').map((n) => n.verdict);
      assert.deepEqual(all, ['cgroup-oom', 'go-panic', 'go-panic', 'go-panic', 'go-fatal', 'startup-failure', 'stopped']);
      site.cleanup();
    } finally {
      await stopQuietly(sup, site);
      db?.close();
    }
  });
});

test('supervise, Go stand-in: ulimit -v → go-runtime-oom at provider.block; 1 GiB cgroup, runaway recursion → go-fatal at (*Category).Path', { timeout: 60_000 }, async (t) => {
  await underLock(t, async () => {
    for (const [flags, command, route, verdict, crashSite] of [
      [['--memory-max', '96M'], ['sh', '-c', 'ulimit -v 760000; exec "$0"'], '/leak', 'go-runtime-oom', `${P}block at <src>/provider/cache.go:13`],
      [['--memory-max', '1G'], [], '/stack', 'go-fatal', `${P}(*Category).Path at <src>/provider/stats.go:32`],
    ] as const) {
      const site = goSite();
      let sup: Running | undefined;
      try {
        const port = await freeLoopbackPort();
        sup = supervise(site, port, [...flags], [...command, site.binary]);
        const pid = await waitForApp(site, port);
        assertGoCrash(await dieBy(site, port, pid, route), verdict, crashSite, 2, route);
        await waitForApp(site, port, [pid]);
        sup.child.kill('SIGTERM');
        assert.equal((await sup.exited).code, 0);
        site.cleanup();
      } finally {
        await stopQuietly(sup, site);
      }
    }
  });
});

/** Peak RSS of a live process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const kb = Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 1024);
}

test('supervise --memory-max 128M: a job with 90 MiB live heap is OOM-killed without GOMEMLIMIT, lives with --gomemlimit auto; a real leak still dies as cgroup-oom', { timeout: 60_000 }, async (t) => {
  await underLock(t, async () => {
    for (const gomemlimit of [false, true]) {
      const site = goSite();
      let sup: Running | undefined;
      try {
        const port = await freeLoopbackPort();
        sup = supervise(site, port, ['--memory-max', '128M', ...(gomemlimit ? ['--gomemlimit', 'auto'] : [])], [site.binary]);
        const pid = await waitForApp(site, port);
        assert.equal(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('GOMEMLIMIT=102MiB'), gomemlimit, 'GOMEMLIMIT is 80% of 128M');
        await get(port, '/work');
        if (!gomemlimit) {
          await waitForDeath(pid);
          const c = (await waitForCertificate(site.incidents, pid)).notice;
          assert.equal(c.verdict, 'cgroup-oom', c.reason);
          const rss = Math.round((c.kill?.anonRssKb ?? 0) / 1024);
          t.diagnostic(`without GOMEMLIMIT: killed at anon-rss ${rss} MiB (limit 128 MiB)`);
        } else {
          await waitFor('the job to finish', 20_000, () => readFileSync(site.runningLog, 'utf8').includes('重建索引完成'));
          const gcs = /重建索引完成, GC (\d+) 次/.exec(readFileSync(site.runningLog, 'utf8'))?.[1];
          t.diagnostic(`with GOMEMLIMIT=102MiB: the job finished, peak RSS ${peakRssMiB(pid)} MiB, ${gcs} collections`);
          assert.deepEqual(readNotices(site.incidents), [], 'no death');
          const leak = await dieBy(site, port, pid, '/leak');
          assert.equal(leak.verdict, 'cgroup-oom', leak.reason);
          assert.equal(leak.confidence, 'confirmed');
          assert.equal(leak.kill?.pid, pid);
        }
        sup.child.kill('SIGTERM');
        await sup.exited;
        site.cleanup();
      } finally {
        await stopQuietly(sup, site);
      }
    }
  });
});
