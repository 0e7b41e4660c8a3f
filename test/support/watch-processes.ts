// Children the `oomscope watch` tests start (the watcher itself, Prometheus), a webhook receiver, and kernel logs
// made up with current times. Every child is registered so an `after` hook can kill what is left, even on failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { findCommand, httpGet, waitFor } from './real-kernel-proc.js';
import { fixture, NO_SYSTEM_LOGS } from './paths.js';

const CLI = fixture('.build', 'src', 'cli.js');

const live = new Set<ChildProcess>();

/** SIGKILLs every child these helpers started that is still running (for `after` hooks). */
export function killAllChildren(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
  live.clear();
}

function track(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  live.add(child);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', () => {
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how it ended. */
async function stopChild(child: ChildProcess, exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>, graceMs: number) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const end = await exited;
  clearTimeout(timer);
  return end;
}

export interface Notice {
  /** When the test received it (ms since the epoch). */
  at: number;
  json: Record<string, unknown>;
}

export interface WatcherChild {
  child: ChildProcess;
  /** ndjson lines from stdout, parsed, in order. */
  notices: Notice[];
  stdout(): string;
  stderr(): string;
  waitForNotice(what: string, timeoutMs: number, match: (json: Record<string, unknown>) => boolean): Promise<Notice>;
  /** SIGTERM (SIGKILL after 15 s); the exit code. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node .build/src/cli.js watch ARGS` (the caller gives --format ndjson for `notices`). */
export function startWatcher(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): WatcherChild {
  const child = spawn(process.execPath, [CLI, 'watch', ...args], { cwd: options.cwd, env: { ...process.env, ...NO_SYSTEM_LOGS, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = track(child);
  const notices: Notice[] = [];
  let out = '';
  let err = '';
  let pending = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (data: string) => {
    out += data;
    const parts = (pending + data).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      try {
        notices.push({ at: Date.now(), json: JSON.parse(line) as Record<string, unknown> });
      } catch {
        // not ndjson (--format text): kept in stdout()
      }
    }
  });
  child.stderr!.on('data', (data: string) => (err += data));
  return {
    child,
    notices,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForNotice: (what, timeoutMs, match) =>
      waitFor(`${what} (stdout so far:\n${out}\nstderr:\n${err})`, timeoutMs, () => notices.find((n) => match(n.json)), 50).catch((error: Error) => {
        error.message = `timed out after ${timeoutMs} ms waiting for ${what}\n--- watcher stdout\n${out}--- watcher stderr\n${err}`;
        throw error;
      }),
    stop: () => stopChild(child, exited, 15_000),
  };
}

/** GET /metrics of a watcher; '' while it does not answer. */
export async function scrape(port: number): Promise<string> {
  try {
    const res = await httpGet(port, '/metrics', 1000);
    return res.status === 200 ? res.body : '';
  } catch {
    return '';
  }
}

/** The value of one sample of an exposition text, by metric name and exact labels (in any order); undefined if absent. */
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const got = parseLabels(line.slice(name.length));
    if (!got) continue;
    const keys = Object.keys(labels);
    if (keys.every((k) => got.labels[k] === labels[k])) return got.value;
  }
  return undefined;
}

/** Every sample of a metric: its labels and value. */
export function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const got = parseLabels(line.slice(name.length));
    if (got) out.push(got);
  }
  return out;
}

/** `{a="x",b="y\"z"} 3` → labels and value, per the text exposition format (escapes \\, \", \n); null if malformed. */
function parseLabels(rest: string): { labels: Record<string, string>; value: number } | null {
  const labels: Record<string, string> = {};
  let i = 0;
  if (rest[0] === '{') {
    i = 1;
    while (rest[i] !== '}') {
      const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(rest.slice(i));
      if (!m) return null;
      i += m[0].length;
      let value = '';
      for (;;) {
        const c = rest[i];
        if (c === undefined) return null;
        if (c === '"') break;
        if (c === '\n') return null;
        if (c === '\\') {
          const next = rest[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else return null;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      i++;
      labels[m[1]!] = value;
      if (rest[i] === ',') i++;
      else if (rest[i] !== '}') return null;
    }
    i++;
  }
  const m = /^ (\S+)$/.exec(rest.slice(i));
  if (!m) return null;
  const value = Number(m[1]);
  return Number.isNaN(value) && m[1] !== 'NaN' ? null : { labels, value };
}

export interface ReceivedPost {
  at: number;
  path: string;
  body: string;
  json: Record<string, unknown> | null;
}

/** An HTTP server on 127.0.0.1 that answers 200 to every POST and keeps what it got. */
export async function startWebhookReceiver(): Promise<{ port: number; posts: ReceivedPost[]; close(): Promise<void> }> {
  const posts: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let json: Record<string, unknown> | null = null;
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        json = null;
      }
      posts.push({ at: Date.now(), path: req.url ?? '', body, json });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Why Prometheus cannot be started here, or undefined. */
export function prometheusUnavailable(): string | undefined {
  if (!findCommand('prometheus')) return 'prometheus is not installed (apt-get install -y --no-install-recommends prometheus)';
  return undefined;
}

export interface ServerChild {
  pid: number;
  port: number;
  /** Its stderr so far. */
  log(): string;
  /** SIGTERM (SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Starts a server (Prometheus, Alertmanager) on 127.0.0.1:`port` and waits until its /-/ready answers 200. */
export async function startServerChild(name: string, command: string, args: string[], cwd: string, port: number): Promise<ServerChild> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = track(child);
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (data: string) => (log += data));
  const stop = async (): Promise<void> => {
    await stopChild(child, exited, 10_000);
  };
  try {
    await waitFor(`${name} to be ready`, 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log}`);
      try {
        return (await httpGet(port, '/-/ready', 500)).status === 200;
      } catch {
        return false;
      }
    }, 100);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, port, log: () => log, stop };
}

/** An instant query against Prometheus's HTTP API on 127.0.0.1:`port`: its result vector, [] on any failure. */
export async function promQuery(port: number, expr: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  try {
    const res = await httpGet(port, `/api/v1/query?query=${encodeURIComponent(expr)}`, 2000);
    if (res.status !== 200) return [];
    const body = JSON.parse(res.body) as { status: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success' || body.data?.resultType !== 'vector') return [];
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  } catch {
    return [];
  }
}

export interface PrometheusChild extends ServerChild {
  /** promQuery against it. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: number }[]>;
}

/** Starts Prometheus on 127.0.0.1:`port`, data in `dir`, scraping `target` (host:port) every second as job oomscope. */
export async function startPrometheus(dir: string, port: number, target: string): Promise<PrometheusChild> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: oomscope',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  const server = await startServerChild('Prometheus', findCommand('prometheus') ?? 'prometheus', args, dir, port);
  return { ...server, query: (expr) => promQuery(port, expr) };
}

// ---- kernel logs with current times ----

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `Mmm dd HH:MM:SS` in UTC (rsyslog's traditional stamp; the watcher runs with --tz UTC). */
function syslogStampUtc(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** check.log's `YYYYMMDD HH:MM:SS` in UTC. */
function checkStampUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** Go's log stamp `YYYY/MM/DD HH:MM:SS` in UTC. */
function goStampUtc(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The OOM block of test/diagnose/fixtures/anqicms-kill-5.15.kern.log (messages only, with their uptime offsets from its first line). */
function fixtureBlock(): { offset: number; message: string }[] {
  const text = readFileSync(fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log'), 'utf8');
  const out: { offset: number; message: string }[] = [];
  let first: number | null = null;
  for (const line of text.split('\n')) {
    const m = /^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: \[\s*(\d+\.\d+)\] (.*)$/.exec(line);
    if (!m) continue;
    const uptime = Number(m[1]);
    if (first === null) {
      if (!m[2]!.includes('invoked oom-killer')) continue;
      first = uptime;
    }
    out.push({ offset: uptime - first, message: m[2]! });
    if (m[2]!.startsWith('oom_reaper:')) break;
  }
  return out;
}

let block: { offset: number; message: string }[] | null = null;

/**
 * The fixture's global OOM kill of `anqicms` pid 21880, re-stamped: the block starts at wall time `atMs`, on a machine
 * booted at `bootMs` (each line's uptime = its wall time − boot), with the victim's pid and name replaced.
 * Lines are `Mmm dd HH:MM:SS HOST kernel: [uptime] …` (UTC), each ending in `\n`.
 */
export function killBlock(options: { bootMs: number; atMs: number; pid: number; name?: string; host?: string }): string {
  block ??= fixtureBlock();
  const name = options.name ?? 'anqicms';
  const host = options.host ?? 'web01';
  const start = (options.atMs - options.bootMs) / 1000;
  return block
    .map(({ offset, message }) => {
      const uptime = start + offset;
      const wall = options.bootMs + Math.round(uptime * 1000);
      const text = message
        .replace(/\b21880\b/g, String(options.pid))
        .replace(/\(anqicms\)/g, `(${name})`)
        .replace(/task=anqicms,/, `task=${name},`)
        .replace(/Comm: anqicms /, `Comm: ${name} `)
        .replace(/^anqicms invoked/, `${name} invoked`)
        .replace(/(\d+\s+\d+\s+\d+\s+\d+\s+-?\d+) anqicms$/, `$1 ${name}`);
      return `${syslogStampUtc(wall)} ${host} kernel: [${uptime.toFixed(6).padStart(12, ' ')}] ${text}\n`;
    })
    .join('');
}

/** One harmless kernel line at `atMs` (a firewall log), for files that must not be empty. */
export function kernelNoise(options: { bootMs: number; atMs: number; host?: string }): string {
  const uptime = (options.atMs - options.bootMs) / 1000;
  return `${syslogStampUtc(options.atMs)} ${options.host ?? 'web01'} kernel: [${uptime.toFixed(6).padStart(12, ' ')}] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.5 PROTO=TCP SPT=41234 DPT=23\n`;
}

/** running.log lines of one start of AnQiCMS at `atMs` from `installDir`. */
export function appStart(atMs: number, installDir: string): string {
  return [
    `${goStampUtc(atMs)} ${installDir}/`,
    'Iris Version: 12.2.11',
    '',
    'Now listening on: ',
    '> Network:  http://10.0.0.5:8001',
    '> Local:    http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
    `${goStampUtc(atMs + 1000)} 请手动在浏览器输入访问地址： http://10.0.0.5:8001`,
    '',
  ].join('\n');
}

/** One check.log line. */
export function checkLine(atMs: number, count: number): string {
  return `${checkStampUtc(atMs)} anqicms PID check: ${count}\n`;
}
