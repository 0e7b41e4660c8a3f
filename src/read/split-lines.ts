// Cuts byte chunks into lines without holding more than one chunk and one unfinished line.

/** Longest line kept whole; the rest of a longer line is dropped (and counted), so one huge line cannot exhaust memory. */
export const MAX_LINE_BYTES = 1 << 20;

/**
 * Needle lines up to this long are put to a scan's filter (ScanOptions.keepNeedleLine); longer ones are handed over
 * unfiltered. Counted on the line's raw bytes, so serial and range reads decide alike.
 */
export const MAX_FILTERED_LINE_BYTES = 4096;

export interface LineSink {
  /** One line without its `\n` (a trailing `\r` is kept: readers decide). `lineNo` is 1-based. */
  line(bytes: Buffer, lineNo: number): void;
}

export interface SplitResult {
  lines: number;
  /** Lines longer than MAX_LINE_BYTES, kept only up to that length. */
  overlongLines: number;
}

/** Feeds every line of the chunks to the sink, in order; a last line without `\n` counts too. */
export async function splitLines(chunks: AsyncIterable<Buffer>, sink: LineSink): Promise<SplitResult> {
  let lineNo = 0;
  let overlongLines = 0;
  let carry: Buffer | null = null;
  let carryOverlong = false;
  for await (const chunk of chunks) {
    let start = 0;
    let newline = chunk.indexOf(10, 0);
    if (carry !== null) {
      if (newline === -1) {
        if (carry.length < MAX_LINE_BYTES) carry = Buffer.concat([carry, chunk]).subarray(0, MAX_LINE_BYTES);
        else carryOverlong = true;
        if (carry.length >= MAX_LINE_BYTES) carryOverlong = true;
        continue;
      }
      const joined: Buffer = carry.length < MAX_LINE_BYTES ? Buffer.concat([carry, chunk.subarray(0, newline)]) : carry;
      if (joined.length > MAX_LINE_BYTES || carryOverlong) overlongLines++;
      sink.line(joined.length > MAX_LINE_BYTES ? joined.subarray(0, MAX_LINE_BYTES) : joined, ++lineNo);
      carry = null;
      carryOverlong = false;
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    while (newline !== -1) {
      sink.line(chunk.subarray(start, newline), ++lineNo);
      start = newline + 1;
      newline = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      // Copy: the chunk's memory may be reused by the stream; a long rest is cut at the limit.
      carry = Buffer.from(rest.length > MAX_LINE_BYTES ? rest.subarray(0, MAX_LINE_BYTES) : rest);
      carryOverlong = rest.length > MAX_LINE_BYTES;
    }
  }
  if (carry !== null) {
    if (carryOverlong) overlongLines++;
    sink.line(carry, ++lineNo);
  }
  return { lines: lineNo, overlongLines };
}
