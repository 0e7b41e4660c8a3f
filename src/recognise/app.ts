// Recognises one line of AnQiCMS's running.log: its stamp, start banners, goodbyes, restarts, start-up failures, Go crash lines.
import type { LocalStamp } from '../model/stamps.js';
import { findGluedTrace, recogniseTraceLine, type TraceLine } from './go-trace.js';
import type { StartupFailureCause } from './startup-errors.js';
import { clipText } from '../read/clip-text.js';

/** A stamp read from an app line; Iris/golog stamps stop at the minute. */
export interface AppStamp {
  local: LocalStamp;
  precision: 'minute' | 'second' | 'microsecond';
}

export type { StartupFailureCause };

/** What one running.log line is. */
export type AppLineBody =
  /** Go `log.Println(ExecPath)`, the first line of every start: `2024/07/23 10:05:02 /www/wwwroot/anqicms.com/`. */
  | { kind: 'exec-path'; path: string }
  /** `nohup: ignoring input` — nohup, run from a terminal, before the program starts. */
  | { kind: 'nohup' }
  /** Iris v12.2 banner: `Iris Version: 12.2.11`. */
  | { kind: 'iris-version'; version: string }
  /** Iris: `Now listening on: http://localhost:8001` (2022), or `Now listening on: ` with the addresses below it. */
  | { kind: 'now-listening'; address: string | null }
  /** The rest of the start banner: `> Network:  …`, `> Local:    …`, `Application started. …`, `请手动在浏览器输入访问地址： …`. */
  | { kind: 'banner'; what: 'network' | 'local' | 'application-started' | 'visit-address'; address: string | null }
  /** `退出 terminated` (or hangup / interrupt / quit): a signal was received, goodbye follows. */
  | { kind: 'exit-signal'; signal: string }
  /** `监听到退出信号`: the app is shutting down on purpose, exit 0. */
  | { kind: 'exit-heard' }
  /** `监听到路由更改`: an admin change asks for a restart. */
  | { kind: 'route-changed' }
  /** `进程结束，开始重启`: the app re-executes itself — same PID, not a death. */
  | { kind: 'restarting' }
  /** `重载模板`: templates reloaded, no restart. */
  | { kind: 'template-reload' }
  /** A start-up failure; the process exits at once. */
  | { kind: 'startup-failure'; cause: StartupFailureCause; message: string }
  /** `isLimiting 1 429`: AnQiCMS's memory-pressure limiter refused work. */
  | { kind: 'is-limiting' }
  /** A run of NUL bytes: space the file system allocated but nobody wrote — usually a host crash. */
  | { kind: 'nul-padding' }
  /** A line shaped like a Go crash report line; `prefix` is the text before it when it did not begin the line (a prompt, a log prefix, a progress bar). */
  | { kind: 'trace'; trace: TraceLine; prefix: string | null }
  /** Empty after cleaning. */
  | { kind: 'blank' }
  /** Anything else. */
  | { kind: 'other' };

export type AppLine = AppLineBody & {
  /** The line with colour codes, `\r` and trailing blanks removed (clipped to TEXT_CLIP characters). */
  text: string;
  /** The line's own stamp (Go log, GORM, `[mysql]`, Iris `[ERRO]`), or null. */
  stamp: AppStamp | null;
};

/** Longest text kept from one line. */
export const TEXT_CLIP = 2000;
/** Longer lines are only looked at for their stamp and a leading `panic:` / `fatal error:`. */
const RECOGNISE_LIMIT = 8192;

// ANSI CSI sequences (`\x1b[32m`, `\x1b[0m`, `\x1b[1;31m`, `\x1b[K`) and the rarer OSC/charset escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z])/g;
// eslint-disable-next-line no-control-regex
const CR = /\r/g;
const GO_LOG = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: +|$)/;
const MYSQL_PREFIX = '[mysql] ';
const GOLOG = /^\[(?:ERRO|WARN|INFO|DBUG|FTAL)\] (\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})(?: +|$)/;

/** Removes colour codes and carriage returns (GORM starts its lines with `\r\n`) and trailing blanks. */
export function cleanAppLine(raw: string): string {
  let text = raw;
  if (text.includes('\x1b')) text = text.replace(ANSI, '');
  if (text.includes('\r')) text = text.replace(CR, '');
  return text.trimEnd();
}

/** Reads one raw running.log line. */
export function recogniseAppLine(raw: string): AppLine {
  const clean = cleanAppLine(raw);
  const text = clipText(clean, TEXT_CLIP);
  const { stamp, rest } = readStamp(clean);
  // the body is a fresh object: adding the two fields in place is much cheaper than spreading it
  const line = recogniseBody(rest.trimStart(), stamp, clean) as AppLine;
  line.text = text;
  line.stamp = stamp;
  return line;
}

/** Splits a leading stamp off: Go log (`2024/07/23 10:00:01 `, optional `.123456`), `[mysql] ` + Go log, Iris `[ERRO] 2024/07/23 10:00 `. */
export function readStamp(text: string): { stamp: AppStamp | null; rest: string } {
  const head = text.charCodeAt(0);
  if (head >= 0x30 && head <= 0x39) {
    const m = GO_LOG.exec(text);
    const stamp = m && goLogStamp(m);
    if (stamp) return { stamp, rest: text.slice(m[0].length) };
  } else if (head === 0x5b /* [ */) {
    if (text.startsWith(MYSQL_PREFIX)) {
      const m = GO_LOG.exec(text.slice(MYSQL_PREFIX.length));
      const stamp = m && goLogStamp(m);
      if (stamp) return { stamp, rest: text.slice(MYSQL_PREFIX.length + m[0].length) };
    }
    const m = GOLOG.exec(text);
    const local = m && makeStamp(m[1], m[2], m[3], m[4], m[5], '0', undefined);
    if (local) return { stamp: { local, precision: 'minute' }, rest: text.slice(m[0].length) };
  }
  return { stamp: null, rest: text };
}

function goLogStamp(m: RegExpExecArray): AppStamp | null {
  const local = makeStamp(m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
  return local && { local, precision: m[7] ? 'microsecond' : 'second' };
}

function makeStamp(
  y: string | undefined, mo: string | undefined, d: string | undefined,
  h: string | undefined, mi: string | undefined, s: string | undefined, frac: string | undefined,
): LocalStamp | null {
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const micros = frac ? Number(frac.padEnd(6, '0')) : 0;
  return { year, month, day, hour, minute, second, micros };
}

const EXEC_PATH = /^(?:\/.*\/|[A-Za-z]:\\.*\\)$/;
const IRIS_VERSION = /^Iris Version: (\S+)/;
const NOW_LISTENING = /^Now listening on:\s*(\S*)/;
const BANNER_ADDRESS = /^> (Network|Local):\s+(\S+)/;
const EXIT_SIGNAL = /^退出 ([a-z][a-z /-]*)$/;
const ADDRESS_IN_USE = /listen tcp[46]? \S*: bind: address already in use/;
const URL = /https?:\/\/\S+/;

function recogniseBody(message: string, stamp: AppStamp | null, clean: string): AppLineBody {
  if (message === '') return { kind: 'blank' };
  if (message.charCodeAt(0) === 0 && /^\0+$/.test(message)) return { kind: 'nul-padding' };
  if (message.length > RECOGNISE_LIMIT) {
    const trace = recogniseTraceLine(message.slice(0, RECOGNISE_LIMIT));
    return trace && (trace.kind === 'panic' || trace.kind === 'fatal-error') ? { kind: 'trace', trace, prefix: null } : { kind: 'other' };
  }

  let m: RegExpExecArray | null;
  if (stamp && stamp.precision !== 'minute' && EXEC_PATH.test(message) && !clean.startsWith('[')) {
    return { kind: 'exec-path', path: message };
  }
  if (message.startsWith('nohup: ignoring input')) return { kind: 'nohup' };
  if ((m = IRIS_VERSION.exec(message))) return { kind: 'iris-version', version: m[1]! };
  if ((m = NOW_LISTENING.exec(message))) return { kind: 'now-listening', address: m[1] || null };
  if ((m = BANNER_ADDRESS.exec(message))) {
    return { kind: 'banner', what: m[1] === 'Network' ? 'network' : 'local', address: m[2]! };
  }
  if (message.startsWith('Application started.')) return { kind: 'banner', what: 'application-started', address: null };
  if (message.startsWith('请手动在浏览器输入访问地址')) {
    return { kind: 'banner', what: 'visit-address', address: URL.exec(message)?.[0] ?? null };
  }
  if ((m = EXIT_SIGNAL.exec(message))) return { kind: 'exit-signal', signal: m[1]! };
  if (message.startsWith('监听到退出信号')) return { kind: 'exit-heard' };
  if (message.startsWith('监听到路由更改')) return { kind: 'route-changed' };
  if (message.startsWith('进程结束，开始重启')) return { kind: 'restarting' };
  if (message.startsWith('重载模板')) return { kind: 'template-reload' };
  if (message.startsWith('isLimiting')) return { kind: 'is-limiting' };
  if (message.includes('端口已经被占用') || ADDRESS_IN_USE.test(message)) {
    return { kind: 'startup-failure', cause: 'port-in-use', message };
  }
  if (message.startsWith('Invalid Config:')) return { kind: 'startup-failure', cause: 'invalid-config', message };
  if (message.startsWith('Failed To Connect Database:')) {
    return { kind: 'startup-failure', cause: 'database-unreachable', message };
  }
  const trace = recogniseTraceLine(message);
  if (trace && !(stamp && isFrameShape(trace))) return { kind: 'trace', trace, prefix: null };
  // A crash line glued behind other text: the prefix is everything before it in the cleaned line.
  const glued = findGluedTrace(message);
  if (glued) return { kind: 'trace', trace: glued.trace, prefix: clean.slice(0, clean.length - message.length + glued.prefix.length) };
  return { kind: 'other' };
}

/** Stamped lines are log lines, never stack frames. */
function isFrameShape(trace: TraceLine): boolean {
  return trace.kind === 'frame-function' || trace.kind === 'frame-file' || trace.kind === 'trace-noise';
}
