// Finds where the kernel's own text begins in a line that carries something in front of it: a hypervisor's or
// serial console's stamp, an e-mail quote, markdown, a relay's second syslog envelope, NUL bytes left by a hard
// reset. One rule for every source: the kernel's text starts at its `<N>` priority, its `[ uptime]` stamp, or a
// syslog/ISO stamp of its own; the prefix stays in the line's evidence text.
import { parseEnvelope, type Envelope } from './envelope/index.js';

export interface KernelText {
  env: Envelope;
  /** Text stood in front of the kernel's own (console, quote, markdown, relay, NUL run). */
  prefixed: boolean;
}

/** Any place a kernel line's own text may begin inside a longer line. */
const INNER_START =
  /<\d{1,3}>\[|\[ {0,12}\d{1,12}\.\d{1,9}\]|\b\d{4}-\d\d-\d\dT\d\d:\d\d|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d |\b\d{1,2}月 {1,2}\d{1,2} \d\d:\d\d:\d\d /g;
/** The same, at the very start of an envelope's message (a relay's second envelope, a console stamp before dmesg's). */
const STAMP_AT_START = /^(?:<\d{1,3}>\[|\[ {0,12}\d{1,12}\.\d{1,9}\]|\d{4}-\d\d-\d\dT\d\d:\d\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d )/;
/**
 * A guest console's kernel line behind the host's envelope: `<N>[ uptime]`, or `[ uptime]` right after a label's
 * colon (`Guest: [123.4]`). A bare bracketed number elsewhere in a program's message is not taken for the kernel's.
 */
const KERNEL_STAMP = /<\d{1,3}>\[ {0,12}\d{1,12}\.\d{1,9}\]|(?<=: )\[ {0,12}\d{1,12}\.\d{1,9}\]/g;
const CONSOLE_STAMP = /<\d{1,3}>\[ {0,12}\d{1,12}\.\d{1,9}\]|(?<=\bkernel: )\[ {0,12}\d{1,12}\.\d{1,9}\]/g;
/** Quote marks and markdown in front of a pasted line: `> `, `>> `, `| `, backticks. */
const QUOTE_PREFIX = /^\s*(?:[>|`]+ ?)+/;
const QUOTE_SUFFIX = /\s*[|`]+\s*$/;
/** Search this far into a line for the kernel's text: prefixes are short, log lines may not be. */
const SEARCH_CHARS = 512;

/** The envelope of a kernel-log line, read from where the kernel's own text begins. */
export function findKernelText(line: string): KernelText {
  let text = line;
  let prefixed = false;
  if (text.includes('\0')) {
    // A hard reset pads the file with NULs and the next line often follows them without a newline: the stamped
    // line after the last NUL run is the line. (A NUL inside a field of a line is kept: it is that line's.)
    const after = text.slice(text.lastIndexOf('\0') + 1).trimStart();
    if (after !== '' && parseEnvelope(after).shape !== 'bare') {
      text = after;
      prefixed = true;
    }
  }
  let env = parseEnvelope(text);
  if (env.shape === 'bare') {
    const inner = unquote(text) ?? innerEnvelope(text, INNER_START);
    if (inner === null) return { env, prefixed };
    env = inner;
    prefixed = true;
  }
  if (env.uptime === null && env.fromKernel !== true) {
    const inner = envelopeInMessage(env);
    if (inner !== null) return { env: inner, prefixed: true };
  }
  return { env, prefixed };
}

/** A quoted or markdown line: the same line without its quote marks, when that reads as a kernel line. */
function unquote(text: string): Envelope | null {
  const quote = QUOTE_PREFIX.exec(text);
  if (quote === null || !/[>|`]/.test(quote[0])) return null;
  let rest = text.slice(quote[0].length);
  if (/[|`]/.test(quote[0])) rest = rest.replace(QUOTE_SUFFIX, '');
  const env = parseEnvelope(rest);
  if (env.shape !== 'bare') return env;
  // A quoted line without a stamp: its text is the message, unquoted (markers are found in it as in any bare line).
  return innerEnvelope(rest, INNER_START) ?? env;
}

/** The first place in `text` (after its start, unless `atStart`) where a stamp starts a line that parses as a stamped one. */
function innerEnvelope(text: string, starts: RegExp, atStart = false): Envelope | null {
  const window = text.length > SEARCH_CHARS ? text.slice(0, SEARCH_CHARS) : text;
  starts.lastIndex = 0;
  for (let m = starts.exec(window); m !== null; m = starts.exec(window)) {
    if (m.index === 0 && !atStart) continue;
    const env = parseEnvelope(text.slice(m.index));
    if (env.shape !== 'bare') return env;
  }
  return null;
}

/**
 * An envelope whose message holds another kernel line: a relay's second syslog envelope, a guest console line
 * behind the host's stamp. The inner line's uptime is the kernel's; the outer wall stamp stays when the inner has none.
 */
function envelopeInMessage(outer: Envelope): Envelope | null {
  const message = outer.message;
  let inner: Envelope | null = null;
  if (STAMP_AT_START.test(message)) {
    const env = parseEnvelope(message);
    if (env.shape !== 'bare' && (env.uptime !== null || env.fromKernel === true)) inner = env;
  }
  if (inner === null && message.includes('[')) {
    // A program's own line (a known tag that is not the kernel) is taken for a console's only by `<N>[` or `kernel: [`
    // (checked by plain search first: most of a syslog is other programs' lines).
    if (outer.fromKernel !== false) inner = innerEnvelope(message, KERNEL_STAMP, true);
    else if (message.includes('>[') || message.includes('kernel: [')) inner = innerEnvelope(message, CONSOLE_STAMP, true);
  }
  if (inner === null) return null;
  return {
    ...inner,
    shape: outer.shape,
    local: inner.local ?? outer.local,
    epochMs: inner.local === null && inner.epochMs === null ? outer.epochMs : inner.epochMs,
    epochMicrosRemainder: inner.local === null && inner.epochMs === null ? outer.epochMicrosRemainder : inner.epochMicrosRemainder,
    host: inner.host ?? outer.host,
    fromKernel: inner.fromKernel === false ? false : inner.fromKernel ?? null,
  };
}
