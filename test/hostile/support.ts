// Helpers of the hostile-input suite: running the CLI, feeding the library byte chunks, and writing kernel,
// guardian and application logs whose true content is known.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { diagnose } from '../../src/diagnose.js';
import type { DiagnoseOptions } from '../../src/options.js';
import type { Report } from '../../src/model/report.js';
import { NO_SYSTEM_LOGS, projectRoot } from '../support/paths.js';

export const cli = join(projectRoot, '.build', 'src', 'cli.js');
/** Preloaded into the CLI by `peakRss`: writes the process's peak RSS (KiB) to $OOMSCOPE_RSS_FILE at exit. */
const rssProbe = join(projectRoot, '.build', 'test', 'hostile', 'rss-probe.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to completion (no colour, English, UTC unless told otherwise). */
export function runCli(args: string[], options: { input?: string | Buffer; env?: Record<string, string>; prefix?: string[] } = {}): CliResult {
  const prefix = options.prefix ?? [];
  const [command, ...rest] = [...prefix, process.execPath, cli, ...args];
  const result = spawnSync(command!, rest, {
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', LANG: 'C', LC_ALL: '', ...NO_SYSTEM_LOGS, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs the CLI without waiting (for inputs changed while it reads): `done` resolves with its result; `opened(path)`
 * once the process holds that file open (read from /proc; after 3 s, or where /proc is missing, it just resolves).
 */
export function startCli(args: string[]): { done: Promise<CliResult>; opened: (path: string) => Promise<void> } {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, NO_COLOR: '1', LANG: 'C', ...NO_SYSTEM_LOGS }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let exited = false;
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => {
    exited = true;
    resolve({ code, stdout, stderr });
  }));
  const opened = async (path: string): Promise<void> => {
    const deadline = Date.now() + 3000;
    while (!exited && Date.now() < deadline) {
      try {
        const fds = readdirSync(`/proc/${child.pid}/fd`);
        if (fds.some((fd) => { try { return readlinkSync(`/proc/${child.pid}/fd/${fd}`) === path; } catch { return false; } })) return;
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return { done, opened };
}

/** The CLI's peak resident memory in MiB (from inside the process, so no external `time` is needed), and its result. */
export async function peakRss(args: string[]): Promise<{ mib: number; result: CliResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-rss-'));
  const file = join(dir, 'rss');
  try {
    const child = spawn(process.execPath, ['--import', rssProbe, cli, ...args], {
      env: { ...process.env, NO_COLOR: '1', LANG: 'C', ...NO_SYSTEM_LOGS, OOMSCOPE_RSS_FILE: file },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const { readFileSync } = await import('node:fs');
    const kib = Number(readFileSync(file, 'utf8'));
    return { mib: kib / 1024, result: { code, stdout, stderr } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Role = 'kernel' | 'check' | 'app';

/** diagnose() over one input read from "stdin", delivered in exactly these chunks. */
export async function diagnoseChunks(role: Role, chunks: Uint8Array[], options: DiagnoseOptions = {}): Promise<Report> {
  const stdin = Readable.from(chunks.map((c) => Buffer.from(c)));
  return diagnose({ tz: 'UTC', year: 2024, lang: 'en', ...options, [role]: ['-'] }, { stdin });
}

/** Cuts bytes at the given offsets (any order, duplicates and out-of-range ones ignored). */
export function cutAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => Math.max(0, Math.min(bytes.length, o))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    if (point > start) out.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  if (start < bytes.length || out.length === 0) out.push(bytes.subarray(start));
  return out;
}

/** A temporary directory removed when the test ends. */
export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'oomscope-hostile-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The report without what legitimately differs between two runs over the same content (nothing, today). */
export function comparable(report: Report): string {
  return JSON.stringify(report);
}

// ---------------------------------------------------------------------------------------------------------------
// Kernel logs whose kills are known.

/** The boot all generated kernel logs belong to: 2024-07-20T00:00:00Z. */
export const BOOT_MS = Date.UTC(2024, 6, 20, 0, 0, 0);

export interface KillSpec {
  pid: number;
  name: string;
  /** Uptime of the block's first line, seconds. */
  uptime: number;
  rssPages: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Jul 23 10:03:37 web01 kernel: [273053.001127] ` for an uptime, the wall stamp being boot + uptime (UTC). */
export function syslogPrefix(uptime: number): string {
  const at = new Date(BOOT_MS + Math.floor(uptime) * 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${MONTHS[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, ' ')} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
  return `${stamp} web01 kernel: [${uptime.toFixed(6).padStart(12, ' ')}] `;
}

/** The lines of one 5.15 OOM block (no prefix): header, CPU, memory, task table, summary, kill, reaper. */
export function oomBlockMessages(kill: KillSpec, others: { pid: number; name: string; rssPages: number }[] = []): string[] {
  const row = (pid: number, name: string, rss: number): string =>
    `[${String(pid).padStart(7, ' ')}]     0 ${String(pid).padStart(5, ' ')}  ${String(rss * 4 + 10000).padStart(7, ' ')}  ${String(rss).padStart(7, ' ')}        1040384        0             0 ${name}`;
  return [
    `${kill.name} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`,
    `CPU: 1 PID: ${kill.pid} Comm: ${kill.name} Not tainted 5.15.0-113-generic #123-Ubuntu`,
    'Mem-Info:',
    'Free swap  = 0kB',
    'Total swap = 0kB',
    '524158 pages RAM',
    'Tasks state (memory values in pages):',
    '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    ...others.map((o) => row(o.pid, o.name, o.rssPages)),
    row(kill.pid, kill.name, kill.rssPages),
    `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=${kill.name},pid=${kill.pid},uid=0`,
    `Out of memory: Killed process ${kill.pid} (${kill.name}) total-vm:${kill.rssPages * 4 + 10000}kB, anon-rss:${kill.rssPages * 4}kB, file-rss:236kB, shmem-rss:0kB, UID:0 pgtables:3100kB oom_score_adj:0`,
    `oom_reaper: reaped process ${kill.pid} (${kill.name}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`,
  ];
}

/** One block's lines with syslog prefixes, all within its start second (uptime steps of 10 µs). */
export function oomBlock(kill: KillSpec, others: { pid: number; name: string; rssPages: number }[] = []): string[] {
  return oomBlockMessages(kill, others).map((message, i) => syslogPrefix(kill.uptime + i * 0.00001) + message);
}

/** A kernel log: a clock line (wall and uptime) every `quietEvery` seconds (20) and the given blocks, in time order. */
export function kernelLog(kills: KillSpec[], options: { from?: number; to?: number; quietEvery?: number } = {}): string[] {
  const from = options.from ?? Math.min(1000, ...kills.map((k) => k.uptime - 10));
  const to = options.to ?? Math.max(from + 60, ...kills.map((k) => k.uptime + 10));
  const events: { uptime: number; lines: string[] }[] = kills.map((k) => ({ uptime: k.uptime, lines: oomBlock(k) }));
  for (let t = Math.floor(from); t <= to; t += options.quietEvery ?? 20) {
    events.push({ uptime: t + 0.5, lines: [syslogPrefix(t + 0.5) + `[UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.5 LEN=40 PROTO=TCP SPT=41234 DPT=${t % 65536}`] });
  }
  events.sort((a, b) => a.uptime - b.uptime);
  return events.flatMap((e) => e.lines);
}

/** What a kill is, for comparing runs: victim and time, nothing that depends on where it was read. */
export function killKey(kill: { pid: number | null; name: string | null; time: string | null }): string {
  return `${kill.pid}|${kill.name}|${kill.time}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Guardian and application logs.

/** `20240723 10:04:01` for an epoch ms (UTC). */
export function guardianStamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** `2024/07/23 10:04:01` for an epoch ms (UTC). */
export function goStamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** One life of the app in running.log: its start banner, some work, and how it ended. */
export function appLife(startMs: number, ending: 'panic' | 'silent' | 'goodbye', minutes = 5): string[] {
  const lines = [
    `${goStamp(startMs)} /www/wwwroot/anqicms.com/`,
    'Iris Version: 12.2.11',
    'Now listening on: http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
  ];
  for (let m = 1; m < minutes; m++) lines.push(`${goStamp(startMs + m * 60_000)} request served in 3ms`);
  const endMs = startMs + minutes * 60_000;
  if (ending === 'panic') {
    lines.push('panic: runtime error: invalid memory address or nil pointer dereference', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x8c2f1a]', '',
      'goroutine 87 [running]:', 'kandaoni.com/anqicms/controller.ArticleDetail({0x1a2b3c0, 0xc000432000})', '\t/www/src/anqicms/controller/article.go:274 +0x1da',
      'created by net/http.(*Server).Serve', '\t/usr/local/go/src/net/http/server.go:3086 +0x4db');
  } else if (ending === 'goodbye') {
    lines.push(`${goStamp(endMs)} 退出 terminated`, `${goStamp(endMs)} 监听到退出信号`);
  } else {
    lines.push(`${goStamp(endMs)} last words before a silent death`);
  }
  return lines;
}

/** check.log around the lives: the guardian checks every minute; N=0 from each death until the next start. */
export function guardianChecks(fromMs: number, toMs: number, downs: { from: number; to: number }[]): string[] {
  const lines: string[] = [];
  for (let t = fromMs; t <= toMs; t += 60_000) {
    const down = downs.some((d) => t > d.from && t < d.to);
    lines.push(`${guardianStamp(t)} anqicms PID check: ${down ? 0 : 1}`);
  }
  return lines;
}
