// One pass over the bytes of a range finds the lines holding a needle and counts newlines: a small
// WebAssembly SIMD module (src/read/byte-scanner.wat) where the runtime has SIMD128, else Buffer.indexOf.
import { BYTE_SCANNER_WASM_BASE64 } from './byte-scanner-wasm.js';

/** One pass over bytes: the start offsets of lines that hold any of the needles, and newline counts. */
export interface ByteScanner {
  /** 'wasm-simd' or 'js' (the Buffer.indexOf fallback). */
  readonly kind: 'wasm-simd' | 'js';
  /**
   * Sorted, unique start offsets (in `chunk`) of the lines in chunk[from, to) that contain a needle. A line
   * starts at `from` or after a '\n'; a needle counts only if all its bytes lie inside [from, to).
   */
  lineStartsWithNeedles(chunk: Buffer, from: number, to: number): number[];
  /**
   * Number of '\n' bytes in chunk[from, to). Within the range of the latest lineStartsWithNeedles call on the
   * same Buffer this reads the copy and newline index that call made (no new pass over the bytes), so do not
   * change the chunk's bytes between the two calls.
   */
  countNewlines(chunk: Buffer, from: number, to: number): number;
}

const MAX_NEEDLES = 4;
const MIN_NEEDLE_BYTES = 3;
const MAX_NEEDLE_BYTES = 16;

const NEWLINE = 10;

/** A needle: ASCII text, or any bytes but '\n' (e.g. a Chinese marker in UTF-8 or GBK). */
export type Needle = string | Uint8Array;

/** The fastest scanner this runtime has: WebAssembly SIMD, or Buffer.indexOf without it. */
export function createByteScanner(needles: readonly Needle[]): ByteScanner {
  return createWasmByteScanner(needles) ?? createJsByteScanner(needles);
}

/**
 * Any number of needles: one scanner per four, their line starts merged. Newline counts come from the first,
 * whose table holds the latest region it scanned.
 */
export function createMultiScanner(needles: readonly Needle[]): ByteScanner {
  const groups: ByteScanner[] = [];
  for (let i = 0; i < needles.length; i += MAX_NEEDLES) groups.push(createByteScanner(needles.slice(i, i + MAX_NEEDLES)));
  if (groups.length === 1) return groups[0]!;
  return {
    kind: groups[0]!.kind,
    lineStartsWithNeedles(chunk, from, to) {
      const starts = groups.flatMap((g) => g.lineStartsWithNeedles(chunk, from, to));
      starts.sort((a, b) => a - b);
      return starts.filter((start, i) => i === 0 || start !== starts[i - 1]);
    },
    countNewlines: (chunk, from, to) => groups[0]!.countNewlines(chunk, from, to),
  };
}

/** The needles as bytes, checked: 1 to 4 of them, ASCII text or bytes without '\n', 3 to 16 bytes each. */
function needleBytes(needles: readonly Needle[]): Buffer[] {
  if (needles.length < 1 || needles.length > MAX_NEEDLES) {
    throw new RangeError(`byte scanner: 1 to ${MAX_NEEDLES} needles, not ${needles.length}`);
  }
  return needles.map((needle) => {
    if (typeof needle === 'string' && !/^[\x00-\x09\x0b-\x7f]*$/.test(needle)) throw new RangeError(`byte scanner: needle ${JSON.stringify(needle)} is not ASCII without '\\n'`);
    const bytes = typeof needle === 'string' ? Buffer.from(needle, 'latin1') : Buffer.from(needle);
    if (bytes.includes(NEWLINE)) throw new RangeError(`byte scanner: a needle holds '\\n'`);
    if (bytes.length < MIN_NEEDLE_BYTES || bytes.length > MAX_NEEDLE_BYTES) {
      throw new RangeError(`byte scanner: needle ${JSON.stringify(String(needle))} is not ${MIN_NEEDLE_BYTES} to ${MAX_NEEDLE_BYTES} bytes`);
    }
    return bytes;
  });
}

function checkRange(chunk: Buffer, from: number, to: number): void {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > chunk.length || from > to) {
    throw new RangeError(`byte scanner: [${from}, ${to}) is not a range of a ${chunk.length}-byte chunk`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The fallback: a native search per needle, a native search per newline.

/** The Buffer.indexOf scanner: one native search per needle, then one per newline. */
export function createJsByteScanner(needles: readonly Needle[]): ByteScanner {
  const bytes = needleBytes(needles);
  return {
    kind: 'js',
    lineStartsWithNeedles(chunk, from, to) {
      checkRange(chunk, from, to);
      return jsLineStarts(chunk, from, to, bytes);
    },
    countNewlines(chunk, from, to) {
      checkRange(chunk, from, to);
      return jsCountNewlines(chunk, from, to);
    },
  };
}

/** The bytes up to `to`, so that no search runs past the range. */
const upTo = (chunk: Buffer, to: number): Buffer => (to === chunk.length ? chunk : chunk.subarray(0, to));

function jsLineStarts(chunk: Buffer, from: number, to: number, needles: readonly Buffer[]): number[] {
  const bytes = upTo(chunk, to);
  const starts: number[] = [];
  for (const needle of needles) {
    let at = bytes.indexOf(needle, from);
    while (at !== -1) {
      // (lastIndexOf with a negative offset would count from the end: never call it at `from`.)
      starts.push(at === from ? from : Math.max(from, bytes.lastIndexOf(NEWLINE, at - 1) + 1));
      const lineEnd = bytes.indexOf(NEWLINE, at);
      if (lineEnd === -1) break;
      at = bytes.indexOf(needle, lineEnd + 1);
    }
  }
  if (needles.length > 1) starts.sort((a, b) => a - b);
  return starts.filter((start, i) => i === 0 || start !== starts[i - 1]);
}

function jsCountNewlines(chunk: Buffer, from: number, to: number): number {
  const bytes = upTo(chunk, to);
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE, from); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

// ---------------------------------------------------------------------------------------------------------
// WebAssembly SIMD.

/** `(module (func (result v128) v128.const i32x4 0 0 0 0))`: valid only where SIMD128 is. */
const SIMD_PROBE = Uint8Array.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b, // code: v128.const 0
]);

// The little of the WebAssembly API used here (the project's `lib` has no DOM types, which declare it).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
/** The runtime's WebAssembly, if it has one (`node --jitless` has none). */
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** True if this runtime runs WebAssembly with SIMD128. */
export function hasWasmSimd(): boolean {
  try {
    return wasmApi?.validate(SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

interface ScannerExports {
  memory: WasmMemory;
  scan(base: number, n: number, table: number, out: number): number;
  newlinesBefore(base: number, table: number, x: number): number;
  count(start: number, end: number): number;
}

let compiled: object | null | undefined;

/** The compiled module, once per process; null where WebAssembly SIMD is not to be had. */
function scannerModule(): object | null {
  if (compiled === undefined) {
    compiled = null;
    if (wasmApi !== undefined && hasWasmSimd()) {
      try {
        compiled = new wasmApi.Module(Buffer.from(BYTE_SCANNER_WASM_BASE64, 'base64'));
      } catch {
        compiled = null;
      }
    }
  }
  return compiled;
}

// Memory layout (see the .wat): the needles' config below BASE, then per scan the input, 32 zero bytes, the
// newline table (a u32 per 256 bytes) and the line starts found (a u32 per 4 bytes at most).
const BASE = 128;
const PAD = 32;
const PAGE = 65536;
/**
 * Larger ranges go to the fallback: a scan needs memory for twice the range, and the memory, once grown, stays
 * with the scanner (chunks are 1 MiB or so).
 */
export const MAX_WASM_RANGE = 64 << 20;
/** countNewlines outside a scanned range copies at most this many bytes at a time. */
const COUNT_PIECE = 4 << 20;

const align16 = (x: number): number => (x + 15) & ~15;

/** The WebAssembly SIMD scanner, or null where this runtime has no WebAssembly SIMD. */
export function createWasmByteScanner(needles: readonly Needle[]): ByteScanner | null {
  const bytes = needleBytes(needles);
  const module = scannerModule();
  if (module === null || wasmApi === undefined) return null;
  const wasm = new wasmApi.Instance(module, {}).exports as ScannerExports;
  let view = Buffer.from(wasm.memory.buffer);
  // Needle k at 16k, its mask at 64 + 4k, its length at 80 + 4k; unused slots repeat needle 0.
  for (let k = 0; k < MAX_NEEDLES; k++) {
    const needle = bytes[k] ?? bytes[0]!;
    view.fill(0, 16 * k, 16 * k + 16);
    needle.copy(view, 16 * k);
    view.writeUInt32LE(2 ** needle.length - 1, 64 + 4 * k);
    view.writeUInt32LE(needle.length, 80 + 4 * k);
  }
  const fallback = createJsByteScanner(needles);

  /** Room for `bytes` bytes of memory: grows it (and renews the view) when short. */
  const reserve = (size: number): void => {
    const have = wasm.memory.buffer.byteLength;
    if (size <= have) return;
    wasm.memory.grow(Math.ceil((size - have) / PAGE));
    view = Buffer.from(wasm.memory.buffer);
  };

  // What the latest scan left in memory: countNewlines within it reads the table instead of the bytes.
  let scanned: { chunk: Buffer; from: number; to: number; table: number } | null = null;

  return {
    kind: 'wasm-simd',
    lineStartsWithNeedles(chunk, from, to) {
      checkRange(chunk, from, to);
      scanned = null;
      const n = to - from;
      if (n > MAX_WASM_RANGE) return fallback.lineStartsWithNeedles(chunk, from, to);
      const table = align16(BASE + n + PAD);
      const out = table + 4 * ((n >>> 8) + 2);
      try {
        reserve(out + 4 * ((n >>> 2) + 2));
      } catch {
        return fallback.lineStartsWithNeedles(chunk, from, to);
      }
      chunk.copy(view, BASE, from, to);
      view.fill(0, BASE + n, BASE + n + PAD);
      const found = wasm.scan(BASE, n, table, out);
      const starts = new Array<number>(found);
      for (let i = 0, at = out; i < found; i++, at += 4) starts[i] = from + view.readUInt32LE(at);
      scanned = { chunk, from, to, table };
      return starts;
    },
    countNewlines(chunk, from, to) {
      checkRange(chunk, from, to);
      if (from === to) return 0;
      const last = scanned;
      if (last !== null && last.chunk === chunk && from >= last.from && to <= last.to) {
        return wasm.newlinesBefore(BASE, last.table, to - last.from) - wasm.newlinesBefore(BASE, last.table, from - last.from);
      }
      if (to - from < 64) return jsCountNewlines(chunk, from, to);
      scanned = null;
      try {
        reserve(BASE + Math.min(to - from, COUNT_PIECE));
      } catch {
        return fallback.countNewlines(chunk, from, to);
      }
      let count = 0;
      for (let at = from; at < to; at += COUNT_PIECE) {
        const end = Math.min(to, at + COUNT_PIECE);
        chunk.copy(view, BASE, at, end);
        count += wasm.count(BASE, BASE + end - at);
      }
      return count;
    },
  };
}
