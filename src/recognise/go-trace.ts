// Recognises the lines the Go runtime prints when a program dies: panic, fatal error, goroutine headers, stack frames.

/** One line of a Go crash report (or a line shaped like one: frames are only meaningful inside a trace). */
export type TraceLine =
  /** `panic: <value>` (also after a log prefix, or `\tpanic:` for a re-panic); `[recovered]` when Go says so. */
  | { kind: 'panic'; message: string; recovered: boolean }
  /** `fatal error: <what>` — an unrecoverable runtime error. */
  | { kind: 'fatal-error'; message: string }
  /** `runtime: <what>` — the runtime explaining a fatal error that follows; numbers of an out-of-memory line kept. */
  | { kind: 'runtime-says'; message: string; cannotAllocateBytes: number | null; inUseBytes: number | null }
  /** `[signal SIGSEGV: segmentation violation code=0x1 addr=0x180 pc=0x1092728]` (also `unexpected fault address 0x…`). */
  | { kind: 'signal'; text: string; signal: string | null }
  /** `SIGABRT: abort` — a fatal signal the runtime dumps goroutines for (followed by a `PC=` line). */
  | { kind: 'signal-dump'; signal: string; message: string }
  /** `goroutine 132 [running]:`, Go 1.21+ `goroutine 0 gp=0x… m=0 mp=0x… [idle]:`. */
  | { kind: 'goroutine'; id: number; state: string }
  /** `runtime stack:` — the system stack of a fatal error. */
  | { kind: 'runtime-stack' }
  /** `pkg.(*T).Method(0xc000…, …)` — a frame's function; `panic({…})` too. */
  | { kind: 'frame-function'; function: string; args: string }
  /** `\t/path/file.go:274 +0x47` (tab optional, ` fp=… sp=… pc=…` optional). */
  | { kind: 'frame-file'; file: string; line: number }
  /** `created by pkg.func in goroutine 121`. */
  | { kind: 'created-by'; function: string }
  /** Other lines of the report: `...additional frames elided...`, `PC=…`, register dumps, `exit status 2`, `-----`. */
  | { kind: 'trace-noise' };

const PANIC = /^panic: (.*?)( \[recovered(?:, repanicked)?\])?$/;
const FATAL = /^fatal error: (.*)$/;
const RUNTIME = /^runtime: (.*)$/;
const CANNOT_ALLOCATE = /^out of memory: cannot allocate (\d+)-byte block \((\d+) in use\)/;
const SIGNAL = /^\[signal (\S+?):?(?: .*)?\]$/;
const FAULT = /^unexpected fault address /;
const SIGNAL_DUMP = /^(SIG[A-Z0-9]+): ([a-z][a-z /-]*)$/;
const GOROUTINE = /^goroutine (\d+)(?: gp=\S+)?(?: m=\S+)?(?: mp=\S+)? \[([^\]]*)\]:$/;
const CREATED_BY = /^created by (\S+)(?: in goroutine \d+)?$/;
// ` fp=… sp=… pc=…` may be cut short by a paste (a console's width, a tracker's excerpt)
const FRAME_FILE = /^(.+?):(\d+)(?: \+0x[0-9a-fA-F]+)?(?: fp=\S*(?: sp=\S*)?(?: pc=\S*)?)?$/;
const NOISE = [
  /^\.\.\.additional frames elided\.\.\.$/,
  /^\.\.\.\d+ frames elided\.\.\.$/,
  /^PC=0x[0-9a-fA-F]+ m=\S+ sigcode=\S+/,
  /^signal arrived during (?:cgo|external code) execution$/,
  /^goroutine running on other thread; stack unavailable$/,
  /^exit status \d+$/,
  /^-{5,}$/,
  /^(?:r[a-z0-9]{1,3}|e[a-z]{2}|[a-z]{2,6}) +0x[0-9a-fA-F]+$/, // register dump: `rax    0x0`, `rflags 0x10246`, `lr  0x…`
];

/**
 * Reads `message` (a line with its log prefix, colours and indentation already removed) as a Go crash
 * report line; null when it is not one. Frame lines are recognised by shape alone.
 */
export function recogniseTraceLine(message: string): TraceLine | null {
  const head = message.charCodeAt(0);
  let m: RegExpExecArray | null;
  if (head === 0x70 /* p */ && (m = PANIC.exec(message))) {
    return { kind: 'panic', message: m[1]!, recovered: m[2] !== undefined };
  }
  if (head === 0x66 /* f */ && (m = FATAL.exec(message))) return { kind: 'fatal-error', message: m[1]! };
  if (head === 0x72 /* r */) {
    if (message === 'runtime stack:') return { kind: 'runtime-stack' };
    if ((m = RUNTIME.exec(message))) {
      const oom = CANNOT_ALLOCATE.exec(m[1]!);
      return {
        kind: 'runtime-says', message: m[1]!,
        cannotAllocateBytes: oom ? Number(oom[1]) : null, inUseBytes: oom ? Number(oom[2]) : null,
      };
    }
  }
  if (head === 0x5b /* [ */ && (m = SIGNAL.exec(message))) return { kind: 'signal', text: message, signal: m[1]! };
  if (FAULT.test(message)) return { kind: 'signal', text: message, signal: null };
  if (head === 0x53 /* S */ && (m = SIGNAL_DUMP.exec(message))) return { kind: 'signal-dump', signal: m[1]!, message: m[2]! };
  if (head === 0x67 /* g */ && (m = GOROUTINE.exec(message))) return { kind: 'goroutine', id: Number(m[1]), state: m[2]! };
  if (head === 0x63 /* c */ && (m = CREATED_BY.exec(message))) return { kind: 'created-by', function: m[1]! };
  for (const noise of NOISE) if (noise.test(message)) return { kind: 'trace-noise' };
  const frame = readFrameFunction(message);
  if (frame) return frame;
  if ((m = FRAME_FILE.exec(message)) && looksLikeSourcePath(m[1]!)) {
    return { kind: 'frame-file', file: m[1]!, line: Number(m[2]) };
  }
  return null;
}

/** `func(args)` where the parenthesis closing the line opens the arguments and the function has no blanks. */
function readFrameFunction(message: string): TraceLine | null {
  if (!message.endsWith(')')) return null;
  let depth = 0;
  for (let i = message.length - 1; i >= 0; i--) {
    const c = message[i];
    if (c === ')') depth++;
    else if (c === '(' && --depth === 0) {
      const fn = message.slice(0, i);
      if (fn === '' || /\s/.test(fn)) return null;
      if (fn !== 'panic' && !fn.includes('.')) return null;
      return { kind: 'frame-function', function: fn, args: message.slice(i + 1, -1) };
    }
  }
  return null;
}

function looksLikeSourcePath(path: string): boolean {
  return path === '<autogenerated>' || /\.(?:go|s|c|h)$/.test(path) || (/[\\/]/.test(path) && !/\s/.test(path));
}

/** True for frames of the Go runtime itself (and the `panic(…)` frame): the crashing function is the first frame that is not. */
export function isRuntimeFrame(fn: string): boolean {
  return fn === 'panic' || fn.startsWith('runtime.') || fn.startsWith('runtime/internal/') ||
    fn.startsWith('internal/runtime/') || fn === 'sync.fatal' || fn === 'sync.throw';
}

/** Markers a crash line can begin with; looked for anywhere in a line that did not begin with one. */
const GLUED_MARKERS = ['panic: ', 'fatal error: ', 'runtime: ', 'SIG', '[signal ', 'unexpected fault address', 'goroutine '];
/** `runtime:` lines that announce a death (others, like `runtime: marked free object`, are read only at a line's start). */
const FATAL_RUNTIME = /^(?:out of memory|goroutine stack exceeds|program exceeds|cannot allocate memory)/;

/** A crash line found behind other text: what came before it (a prompt, a log prefix, a progress bar) and the line itself. */
export interface GluedTrace {
  prefix: string;
  trace: TraceLine;
}

/**
 * Finds a Go crash line that begins inside `text` (not at its start): `panic:`, `fatal error:`, the fatal `runtime:`
 * lines, `SIGABRT: abort`, `[signal …]`, `unexpected fault address`, `goroutine N [state]:`. The earliest wins.
 * A few `indexOf` per line; regular expressions only where a marker was found.
 */
export function findGluedTrace(text: string): GluedTrace | null {
  let best: GluedTrace | null = null;
  let bestAt = text.length;
  for (const marker of GLUED_MARKERS) {
    let at = text.indexOf(marker, 1);
    while (at > 0 && at < bestAt) {
      // inside a quoted string (`{"msg":"panic: …"}`, `msg="… panic: …"`) it is a log field, not the runtime's own line
      const trace = insideQuotes(text, at) ? null : recogniseTraceLine(text.slice(at));
      if (trace && isGluedOpener(trace)) {
        best = { prefix: text.slice(0, at), trace };
        bestAt = at;
        break;
      }
      at = text.indexOf(marker, at + 1);
    }
  }
  return best;
}

function insideQuotes(text: string, at: number): boolean {
  let quotes = 0;
  for (let i = text.indexOf('"'); i >= 0 && i < at; i = text.indexOf('"', i + 1)) quotes++;
  return quotes % 2 === 1;
}

function isGluedOpener(trace: TraceLine): boolean {
  switch (trace.kind) {
    case 'panic':
    case 'fatal-error':
    case 'signal':
    case 'signal-dump':
    case 'goroutine':
      return true;
    case 'runtime-says':
      return FATAL_RUNTIME.test(trace.message);
    default:
      return false;
  }
}
