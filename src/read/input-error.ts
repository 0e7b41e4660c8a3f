// An input that could not be read: the warnings catalogue's key and values for the reason and the fix a person needs,
// so the report and the CLI say it in --lang; the Error's own message is the English sentence, behind the path.
import type { Params } from '../i18n/catalog.js';
import { warningMessage, type Notice, type WarningKey } from '../i18n/warning-messages.js';

export type InputErrorCode =
  | 'not-found'
  | 'permission-denied'
  | 'is-directory'
  | 'truncated-gzip'
  | 'changed-while-reading'
  | 'read-failed'
  | 'live-unavailable';

/** The warnings of an input that could not be read, or only in part. */
export type InputErrorKey = Extract<WarningKey, `input-unreadable/${string}` | `input-truncated/${string}`>;

export class InputError extends Error {
  constructor(
    readonly path: string,
    readonly code: InputErrorCode,
    readonly key: InputErrorKey,
    readonly params: Params = {},
  ) {
    super(`${path}: ${warningMessage('en', key, params)}`);
    this.name = 'InputError';
  }

  /** The report's warning code: `input-truncated` when what was read is a cut-short part, else `input-unreadable`. */
  get warningCode(): 'input-truncated' | 'input-unreadable' {
    return this.code === 'truncated-gzip' || this.code === 'changed-while-reading' ? 'input-truncated' : 'input-unreadable';
  }

  /** The report's warning, not said yet (the path is the warning's own, not part of the sentence). */
  get notice(): Notice {
    return { key: this.key, path: this.path, params: this.params };
  }

  static fromSystem(path: string, error: unknown): InputError {
    const code = (error as NodeJS.ErrnoException)?.code;
    const text = (error as Error)?.message ?? String(error);
    if (code === 'ENOENT') return new InputError(path, 'not-found', 'input-unreadable/not-found');
    if (code === 'EACCES' || code === 'EPERM') {
      return new InputError(path, 'permission-denied', path.startsWith('/var/log/') ? 'input-unreadable/permission-denied-var-log' : 'input-unreadable/permission-denied');
    }
    if (code === 'EISDIR') return new InputError(path, 'is-directory', 'input-unreadable/is-directory');
    if (code === 'Z_BUF_ERROR' || text === 'unexpected end of file') return new InputError(path, 'truncated-gzip', 'input-truncated/gzip-ends-early');
    if (code === 'Z_DATA_ERROR') return new InputError(path, 'truncated-gzip', 'input-truncated/gzip-damaged', { error: text });
    if (code === 'ELOOP') return new InputError(path, 'read-failed', 'input-unreadable/symlink-loop');
    if (code === 'ENOTDIR') return new InputError(path, 'not-found', 'input-unreadable/not-a-directory');
    return new InputError(path, 'read-failed', 'input-unreadable/read-failed', { error: text });
  }
}
