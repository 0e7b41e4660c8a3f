// Reads single lines of a plain file by offset (positional reads through a small window): the lines a parallel
// read's replay needs beyond those the range scans shipped (an open block's next lines, the head of the file).
import { readSync } from 'node:fs';
import { MAX_LINE_BYTES } from './split-lines.js';

const WINDOW_BYTES = 256 << 10;
const NEWLINE = 10;

export interface FetchedLine {
  /** The line's text bytes, as a serial read hands them over (leading NULs dropped, cut at MAX_LINE_BYTES). */
  bytes: Buffer;
  /** Offset of the line's `\n`, or `size` for a last line without one. */
  end: number;
  overlong: boolean;
}

/** The text of a line's raw bytes [start, end) as scan-lines hands it over, for lines shorter than MAX_LINE_BYTES. */
export function lineText(raw: Buffer): Buffer {
  if (raw.length === 0 || raw[0] !== 0) return raw;
  let at = 0;
  while (at < raw.length && raw[at] === 0) at++;
  return raw.subarray(at);
}

export class LineFetcher {
  private window = Buffer.allocUnsafe(WINDOW_BYTES);
  private windowStart = 0;
  private windowLength = 0;

  /** `size`: the file's size when opened, its end for this read. */
  constructor(private readonly fd: number, private readonly size: number) {}

  /** The line that starts at `start` (< size). The bytes are valid until the next call. */
  lineAt(start: number): FetchedLine {
    let newline = this.newlineInWindow(start);
    if (newline === -1) {
      this.fill(start);
      newline = this.newlineInWindow(start);
    }
    if (newline !== -1) {
      return { bytes: lineText(this.window.subarray(start - this.windowStart, newline - this.windowStart)), end: newline, overlong: false };
    }
    if (this.windowStart + this.windowLength >= this.size) {
      // The last line, without `\n`, within the window.
      return { bytes: lineText(this.window.subarray(start - this.windowStart, this.windowLength)), end: this.size, overlong: false };
    }
    return this.longLineAt(start);
  }

  /** The offset of the first `\n` at or after `start` inside the window, or -1. */
  private newlineInWindow(start: number): number {
    if (start < this.windowStart || start >= this.windowStart + this.windowLength) return -1;
    const at = this.window.indexOf(NEWLINE, start - this.windowStart);
    return at === -1 || at >= this.windowLength ? -1 : this.windowStart + at;
  }

  private fill(start: number): void {
    this.windowStart = start;
    this.windowLength = readSync(this.fd, this.window, 0, Math.min(WINDOW_BYTES, this.size - start), start);
  }

  /** A line longer than the window: its end, its leading NUL run and last NUL found piece by piece (scan-lines' rules). */
  private longLineAt(start: number): FetchedLine {
    let textStart = start;
    let leading = true;
    let lastNul = -1;
    let end = this.size;
    for (let pos = start; pos < this.size; ) {
      this.fill(pos);
      if (this.windowLength === 0) break;
      const piece = this.window.subarray(0, this.windowLength);
      const newline = piece.indexOf(NEWLINE);
      const stop = newline === -1 ? piece.length : newline;
      let i = 0;
      if (leading) {
        while (i < stop && piece[i] === 0) i++;
        textStart = pos + i;
        leading = i === stop;
      }
      const nul = piece.subarray(0, stop).lastIndexOf(0);
      if (nul !== -1) lastNul = pos + nul;
      if (newline !== -1) {
        end = pos + newline;
        break;
      }
      pos += piece.length;
    }
    if (end - textStart > MAX_LINE_BYTES && lastNul >= textStart) textStart = lastNul + 1;
    const overlong = end - textStart > MAX_LINE_BYTES;
    const bytes = Buffer.allocUnsafe(Math.min(end - textStart, MAX_LINE_BYTES));
    const got = readSync(this.fd, bytes, 0, bytes.length, textStart);
    this.windowLength = 0;
    return { bytes: bytes.subarray(0, got), end, overlong };
  }
}
