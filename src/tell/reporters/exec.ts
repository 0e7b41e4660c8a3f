// `--exec CMD`: runs CMD with /bin/sh -c for each notice, the notice's JSON on stdin and its facts in OOMSCOPE_*
// variables. In the background: a few at a time, a bounded queue, a timeout (then SIGKILL to the command's whole
// process group); its stderr and a failed exit status are logged (as `exec #N (program)`: the command line itself
// may hold a token, so it is never logged).
import { spawn } from 'node:child_process';
import { jsonLine, noticeJson, oneLine, stderrLog, type IncidentNotice, type Log, type Reporter } from './reporter.js';
import { WEBHOOK_SECRET_ENV } from './webhook.js';

export interface ExecReporterOptions {
  command: string;
  /** Which --exec this is (1-based), for the log. */
  index?: number;
  /** Default 30 s; then the process group gets SIGKILL. */
  timeoutMs?: number;
  /** Commands running at once. Default 2. */
  maxConcurrent?: number;
  /** Notices waiting; when full the oldest is dropped with a warning. Default 50. */
  queueSize?: number;
  /** How long close() lets queued and running commands finish. Default 35 s. */
  closeTimeoutMs?: number;
  /** The environment the command starts from (default process.env); OOMSCOPE_WEBHOOK_SECRET is always left out. */
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

export interface ExecReporter extends Reporter {
  idle(): Promise<void>;
}

/**
 * The variables a command gets. Unknown values are empty strings (test with `[ -n "$OOMSCOPE_PID" ]`); times are
 * ISO-8601 as in the JSON; OOMSCOPE_NOTICE is `incident` or `update`.
 */
export function noticeEnv(notice: IncidentNotice): Record<string, string> {
  const i = notice.incident;
  const str = (v: string | number | null): string => (v === null ? '' : String(v));
  return {
    OOMSCOPE_NOTICE: notice.kind,
    OOMSCOPE_ID: i.id,
    OOMSCOPE_PROCESS: i.process,
    OOMSCOPE_VERDICT: i.verdict,
    OOMSCOPE_CONFIDENCE: i.confidence,
    OOMSCOPE_PID: str(i.pid),
    OOMSCOPE_DIED_AT: str(i.diedAt),
    OOMSCOPE_RESTARTED_AT: str(i.restartedAt),
    OOMSCOPE_DOWNTIME_SECONDS: str(i.downtimeSeconds),
    OOMSCOPE_HOST: notice.host,
  };
}

const STDERR_KEEP = 4096;

// (Over 80 lines: a closure over one command's queue and child; its steps are small inner functions.)
export function createExecReporter(options: ExecReporterOptions): ExecReporter {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxConcurrent = Math.max(1, options.maxConcurrent ?? 2);
  const queueSize = Math.max(1, options.queueSize ?? 50);
  const closeTimeoutMs = options.closeTimeoutMs ?? 35_000;
  const log = options.log ?? stderrLog;
  const program = /^\s*(\S+)/.exec(options.command)?.[1] ?? 'sh';
  const label = `exec #${options.index ?? 1} (${oneLine(program.slice(program.lastIndexOf('/') + 1), 40)})`;
  const baseEnv = { ...(options.env ?? process.env) };
  delete baseEnv[WEBHOOK_SECRET_ENV];

  const waiting: IncidentNotice[] = [];
  const running = new Set<{ kill: () => void; done: Promise<void> }>();
  let closing = false;
  let idleWaiters: (() => void)[] = [];
  const isIdle = (): boolean => waiting.length === 0 && running.size === 0;
  const settleIdle = (): void => {
    if (!isIdle()) return;
    const w = idleWaiters;
    idleWaiters = [];
    for (const f of w) f();
  };

  function run(notice: IncidentNotice): { kill: () => void; done: Promise<void> } {
    const id = notice.incident.id;
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('/bin/sh', ['-c', options.command], {
        env: { ...baseEnv, ...noticeEnv(notice) },
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so that the timeout kills what the shell started too.
        detached: true,
      });
    } catch (error) {
      log(`${label}: ${id}: cannot start /bin/sh: ${oneLine((error as Error).message)}`);
      return { kill: () => {}, done: Promise.resolve() };
    }
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    let stderr = '';
    let timedOut = false;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < STDERR_KEEP) stderr += chunk.slice(0, STDERR_KEEP - stderr.length);
    });
    child.stdout?.resume(); // what it prints is not ours to show, and must not fill the pipe
    child.stdin?.on('error', () => {}); // a command that does not read stdin closes it: EPIPE is fine
    child.stdin?.end(jsonLine(noticeJson(notice)) + '\n');
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, timeoutMs);
    const done = new Promise<void>((resolve) => {
      let status: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        const lines = stderr.split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
        for (const line of lines.slice(0, 5)) log(`${label}: ${id}: stderr: ${oneLine(line, 200)}`);
        if (lines.length > 5) log(`${label}: ${id}: stderr: … ${lines.length - 5} more line(s)`);
        if (timedOut) log(`${label}: ${id}: killed after ${timeoutMs / 1000} s`);
        else if (status && status.code !== 0) log(`${label}: ${id}: ${status.signal ? `killed by ${status.signal}` : `exit status ${status.code}`}`);
        resolve();
      };
      child.on('error', (error) => {
        log(`${label}: ${id}: ${oneLine(error.message)}`);
        finish();
      });
      child.on('exit', (code, signal) => {
        status = { code, signal };
        // Give stderr a moment to be read; a background child that keeps the pipe open must not hold the slot.
        setTimeout(finish, 200);
      });
      child.on('close', finish);
    });
    return { kill: killGroup, done };
  }

  function pump(): void {
    while (running.size < maxConcurrent && waiting.length > 0) {
      const notice = waiting.shift()!;
      const handle = run(notice);
      running.add(handle);
      void handle.done.then(() => {
        running.delete(handle);
        pump();
        settleIdle();
      });
    }
  }

  const reporter: ExecReporter = {
    name: label,
    async report(notice) {
      if (closing) return;
      if (waiting.length >= queueSize) {
        const dropped = waiting.shift();
        log(`${label}: ${queueSize} notices waiting, dropped the oldest (${dropped?.kind} ${dropped?.incident.id})`);
      }
      waiting.push(notice);
      pump();
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closing = true;
      if (isIdle()) return;
      let timer: NodeJS.Timeout | undefined;
      const late = await Promise.race([
        reporter.idle().then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), closeTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (late) {
        const left = waiting.length;
        waiting.length = 0;
        for (const r of running) r.kill();
        await reporter.idle();
        log(`${label}: stopped; ${left} queued notice(s) not run`);
      }
    },
  };
  return reporter;
}
