// Opens one input (file, stdin, gzip by magic bytes) as a stream of byte chunks; read-only, never the whole file.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { InputError } from './input-error.js';

const CHUNK_BYTES = 1 << 20;
/**
 * A gzip file is read in smaller pieces: zlib inflates each piece it is given whole before it looks at backpressure,
 * and text inflates about tenfold, so a 1 MiB piece left ~10 MiB of output chunks waiting (peak RSS 141 MiB on a
 * 1 GiB .gz, against 69–85 MiB for plain files). zlib's output chunks are 64 KiB for the same reason.
 */
const GZIP_PIECE_BYTES = 128 * 1024;

export interface OpenedInput {
  /** Byte chunks in file order, gunzipped when the content is gzip. */
  chunks: AsyncIterable<Buffer>;
  gzip: boolean;
  /** The file's modification time, when it is a file. */
  mtimeMs: number | null;
}

/** Opens a path (or `-` for stdin) read-only and reports what it is; errors become InputError with a fix. */
export async function openInput(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<OpenedInput> {
  if (path === '-') return sniffStream(Readable.from(stdin as AsyncIterable<Buffer>), null, path, null);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw InputError.fromSystem(path, error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw InputError.fromSystem(path, { code: 'EISDIR' });
    if (info.isFile()) {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      if (!(bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b)) {
        return { chunks: readFileChunks(handle, path, info.size), gzip: false, mtimeMs: info.mtimeMs };
      }
    }
    const stream = handle.createReadStream({ highWaterMark: info.isFile() ? GZIP_PIECE_BYTES : CHUNK_BYTES, autoClose: true });
    return await sniffStream(stream, info.mtimeMs, path, info.isFile() ? info.size : null);
  } catch (error) {
    await handle.close().catch(() => {});
    throw error instanceof InputError ? error : InputError.fromSystem(path, error);
  }
}

/** A regular file's size and modification time when it is not gzip (a parallel read can cut it into ranges), else null. */
export async function plainFileInfo(path: string): Promise<{ size: number; mtimeMs: number } | null> {
  if (path === '-') return null;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const info = await handle.stat();
    if (!info.isFile()) return null;
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b ? null : { size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return null; // the serial read reports why
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Two buffers, read into in turn: the next chunk is read while the reader works on this one, and readers use each
 * chunk before asking for the next (copying what they keep), so no chunk is allocated per read.
 */
const FILE_CHUNK_BYTES = 1 << 20;

async function* readFileChunks(handle: FileHandle, path: string, expectedSize: number): AsyncGenerator<Buffer> {
  let current = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
  let spare = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
  let position = 0;
  let reading: Promise<{ bytesRead: number }> | null = null;
  try {
    reading = handle.read(current, 0, current.length, position);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      position += bytesRead;
      const ready = current.subarray(0, bytesRead);
      reading = handle.read(spare, 0, spare.length, position);
      [current, spare] = [spare, current];
      yield ready;
    }
  } catch (error) {
    throw error instanceof InputError ? error : InputError.fromSystem(path, error);
  } finally {
    // A reader that stopped early leaves a read in flight: let it land before the file is closed under it.
    await reading?.catch(() => {});
    await handle.close().catch(() => {});
  }
  if (position < expectedSize) {
    throw new InputError(path, 'changed-while-reading', 'input-truncated/shrank', { read: position, size: expectedSize });
  }
}

/**
 * Reads the first bytes to tell gzip from text. `expectedSize` is a regular file's size when opened: ending
 * with fewer bytes means it was truncated (or rotated by copy-and-truncate) while being read, an InputError
 * at the end of the chunks, so what was read still counts and the source is marked cut short.
 */
async function sniffStream(stream: Readable, mtimeMs: number | null, path: string, expectedSize: number | null): Promise<OpenedInput> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first = await iterator.next();
  while (!first.done && first.value.length < 2) {
    const more = await iterator.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  const head: Buffer | null = first.done ? null : first.value;
  const gzip = head !== null && head[0] === 0x1f && head[1] === 0x8b;
  async function* raw(): AsyncGenerator<Buffer> {
    let bytes = 0;
    if (head && head.length > 0) {
      bytes += head.length;
      yield head;
    }
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      if (next.value.length === 0) continue; // an empty chunk (a stream may send one) is no line
      bytes += next.value.length;
      yield next.value;
    }
    if (expectedSize !== null && bytes < expectedSize) {
      throw new InputError(path, 'changed-while-reading', 'input-truncated/shrank', { read: bytes, size: expectedSize });
    }
  }
  if (!gzip) return { chunks: raw(), gzip, mtimeMs };
  // Loaded only for a .gz: zlib costs milliseconds of every start that reads plain files.
  const { createGunzip } = await import('node:zlib');
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const source = Readable.from(raw());
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  return { chunks: gunzip as AsyncIterable<Buffer>, gzip, mtimeMs };
}
