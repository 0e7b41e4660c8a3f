// Turns one line's bytes into text: UTF-8 when it is, GB18030 (which covers GBK) when that reads cleanly, else lossy UTF-8.
import { Buffer, isAscii, isUtf8 } from 'node:buffer';

/** How a line's bytes were read. */
type LineEncoding = 'utf-8' | 'gb18030' | 'invalid';

export interface DecodedLine {
  text: string;
  /** `invalid`: neither UTF-8 nor GB18030; bad sequences became U+FFFD. */
  encoding: LineEncoding;
}

const gb18030 = new TextDecoder('gb18030', { fatal: true, ignoreBOM: true });
const BOM = '\uFEFF';

/**
 * Decodes one line (without its `\n`). Rules, in order:
 * 1. pure ASCII or valid UTF-8 → as is (`utf-8`);
 * 2. valid UTF-8 cut short inside its last character (a truncated file) → lossy UTF-8 (`invalid`),
 *    because GB18030 would otherwise "read" the whole line as mojibake;
 * 3. decodes without error as GB18030 → that (`gb18030`);
 * 4. otherwise UTF-8 with U+FFFD for each bad sequence (`invalid`).
 * A leading byte-order mark is dropped.
 */
export function decodeLine(bytes: Uint8Array): DecodedLine {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isAscii(buf)) return { text: buf.toString('latin1'), encoding: 'utf-8' };
  if (isUtf8(buf)) return { text: dropBom(buf.toString('utf8')), encoding: 'utf-8' };
  if (!isUtf8CutInLastCharacter(buf)) {
    try {
      return { text: dropBom(gb18030.decode(buf)), encoding: 'gb18030' };
    } catch {
      // not GB18030 either
    }
  }
  return { text: dropBom(buf.toString('utf8')), encoding: 'invalid' };
}

function dropBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/** True when all but the last 1–3 bytes are valid UTF-8 and those bytes begin a multi-byte character that never finishes. */
function isUtf8CutInLastCharacter(buf: Buffer): boolean {
  const len = buf.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const lead = buf[len - back]!;
    if ((lead & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 0;
    return needed > back && isUtf8(buf.subarray(0, len - back));
  }
  return false;
}
