// Building an Envelope: an empty one of a shape, the bare fallback, an epoch stamp.

import type { Envelope, LineShape } from './envelope-types.js';

/** An envelope of `shape` with nothing read yet. */
export function newEnvelope(shape: LineShape, message: string): Envelope {
  return {
    shape,
    message,
    uptime: null,
    local: null,
    epochMs: null,
    epochMicrosRemainder: 0,
    host: null,
    ident: null,
    identPid: null,
    fromKernel: null,
    continuation: false,
    caller: null,
    bootId: null,
    sequence: null,
    deltaSeconds: null,
    problem: null,
  };
}

/** A line with no prefix we know: the whole line is the message. */
export function bareEnvelope(line: string): Envelope {
  const env = newEnvelope('bare', line);
  const c = line.charCodeAt(0);
  // An indented line without a stamp: in dmesg output, the continuation of a multi-line record.
  if (c === 32 || c === 9) env.continuation = true;
  return env;
}

/** Microseconds since the epoch → epochMs plus the microseconds a millisecond cannot hold. */
export function setEpochFromMicros(env: Envelope, epochMicros: number): void {
  env.epochMs = Math.floor(epochMicros / 1000);
  env.epochMicrosRemainder = epochMicros - env.epochMs * 1000;
}
