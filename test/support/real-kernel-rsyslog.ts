// A private rsyslogd for the real-kernel tests: reads the kernel log through imklog
// (/proc/kmsg) and writes what it reads (kernel messages, and lines user space wrote to
// /dev/kmsg, such as the harness's marks) to two files, as Debian/Ubuntu hosts do:
//   kern-traditional.log  RSYSLOG_TraditionalFileFormat  `Nov 26 17:51:03 host kernel: [  321.280391] msg`
//   kern-precise.log      RSYSLOG_FileFormat             `2026-11-26T17:51:03.440100+00:00 host kernel: [  321.280391] msg`
// (imklog's default keeps the kernel's `[uptime]` stamp in the message and stamps the line with
// the time rsyslog read it.) Own config, pid file, work directory; stopped by its pid.
//
// Things to know:
// - /proc/kmsg hands each line to ONE reader. If another rsyslogd (the system's) runs, ours
//   would get only part of the lines, and the system's would lose them: we do not start then
//   (rsyslogUnavailable says why).
// - /proc/kmsg keeps its read position across readers: the first rsyslogd after boot gets
//   the whole ring buffer, a later one only what came after the previous reader stopped. All
//   lines of such a backlog are stamped with the time rsyslog read them, not when the kernel
//   printed them (a logger started late stamps old lines with its start time).
// - rsyslog stamps lines in its own local time: give it the same TZ as the app and guardian.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readlinkSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCommand, isAlive, listProcesses, readCmdline, readTextIfExists, signalQuietly, waitFor } from './real-kernel-proc.js';

export interface Rsyslog {
  readonly pid: number;
  readonly dir: string;
  readonly confFile: string;
  readonly pidFile: string;
  readonly workDir: string;
  /** rsyslogd's own stdout/stderr. */
  readonly outputFile: string;
  readonly kernLogTraditional: string;
  readonly kernLogPrecise: string;
  /** SIGTERM (rsyslog flushes and exits), SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

export type RsyslogAttempt = { rsyslog: Rsyslog; reason?: undefined } | { rsyslog?: undefined; reason: string };

/** Processes named rsyslogd other than ours. */
function otherRsyslogds(ours: readonly number[] = []): number[] {
  return listProcesses()
    .filter((p) => p.comm === 'rsyslogd' && p.state !== 'Z' && !ours.includes(p.pid))
    .map((p) => p.pid);
}

/** The marker in the paths of our temporary directories (see real-kernel-scenario.ts). */
export const TEMP_MARK = 'oomscope-rk-';

/**
 * Kills rsyslogds that an earlier, crashed test run left behind (their config lies in one of our
 * temporary directories). Call it only while holding the real-kernel lock: then none of them is live.
 */
export async function killStaleTestRsyslogds(): Promise<number[]> {
  const stale = otherRsyslogds().filter((pid) => readCmdline(pid).some((arg) => arg.includes(`/${TEMP_MARK}`) && arg.endsWith('rsyslog.conf')));
  for (const pid of stale) signalQuietly(pid, 'SIGKILL');
  if (stale.length > 0) await waitFor('stale rsyslogds to go', 3000, () => stale.every((pid) => !isAlive(pid)));
  return stale;
}

/** Why our rsyslogd cannot run here, or undefined. */
function rsyslogUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (!findCommand('rsyslogd')) return 'rsyslogd is not installed (Debian package rsyslog)';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: imklog needs to read /proc/kmsg';
  const others = otherRsyslogds();
  if (others.length > 0) {
    return `another rsyslogd runs (pid ${others.join(', ')}); if it reads /proc/kmsg, each kernel line goes to only one of us`;
  }
  return undefined;
}

function readsKmsg(pid: number): boolean {
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === '/proc/kmsg') return true;
      } catch {
        // fd closed meanwhile
      }
    }
  } catch {
    // process gone
  }
  return false;
}

/**
 * Starts rsyslogd with its files in `dir` (made if missing), in the foreground (`-n`) as our
 * child, and waits until it has /proc/kmsg open. `env` should carry the TZ the host is meant to
 * have. Answers a reason when it cannot run here; throws when it should but fails.
 */
export async function startRsyslog(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<RsyslogAttempt> {
  const reason = rsyslogUnavailable();
  if (reason) return { reason };
  const rsyslogd = findCommand('rsyslogd') as string;

  mkdirSync(dir, { recursive: true });
  const workDir = join(dir, 'work');
  mkdirSync(workDir, { recursive: true });
  const confFile = join(dir, 'rsyslog.conf');
  const pidFile = join(dir, 'rsyslogd.pid');
  const outputFile = join(dir, 'rsyslogd.out');
  const kernLogTraditional = join(dir, 'kern-traditional.log');
  const kernLogPrecise = join(dir, 'kern-precise.log');
  const q = (s: string): string => JSON.stringify(s);
  writeFileSync(
    confFile,
    [
      '# oomscope real-kernel tests: the kernel log only (imklog), nothing from /dev/log (no imuxsock).',
      '# permitnonkernelfacility: also lines written to /dev/kmsg by user space (as Ubuntu configures',
      '# it); the harness writes its marks there. syslog.none: not rsyslogd\'s own messages.',
      `global(workDirectory=${q(workDir)})`,
      'module(load="imklog" permitnonkernelfacility="on")',
      `*.*;syslog.none action(type="omfile" file=${q(kernLogTraditional)} template="RSYSLOG_TraditionalFileFormat")`,
      `*.*;syslog.none action(type="omfile" file=${q(kernLogPrecise)} template="RSYSLOG_FileFormat")`,
      '',
    ].join('\n'),
  );

  const out = openSync(outputFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(rsyslogd, ['-n', '-f', confFile, '-i', pidFile], { env, stdio: ['ignore', out, out] });
  } finally {
    closeSync(out);
  }
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${rsyslogd}: ${readTextIfExists(outputFile).trim()}`);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exited) return;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      exitPromise.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(resolve, 5000, false))),
    ]);
    clearTimeout(timer);
    if (!killed) {
      child.kill('SIGKILL');
      await exitPromise;
    }
  };

  try {
    await waitFor('rsyslogd to open /proc/kmsg', 5000, () => {
      if (exited) throw new Error(`rsyslogd exited at start: ${readTextIfExists(outputFile).trim()}`);
      return readsKmsg(pid);
    });
    // A racing second rsyslogd (another test run, or the system's) would split the kernel lines.
    const others = otherRsyslogds([pid]);
    if (others.length > 0) {
      await stop();
      return { reason: `another rsyslogd (pid ${others.join(', ')}) started beside ours and reads /proc/kmsg too` };
    }
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    rsyslog: { pid, dir, confFile, pidFile, workDir, outputFile, kernLogTraditional, kernLogPrecise, stop },
  };
}
