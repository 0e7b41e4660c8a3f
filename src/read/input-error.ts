// An input that could not be read, with a one-line reason and the fix a person needs.

export type InputErrorCode =
  | 'not-found'
  | 'permission-denied'
  | 'is-directory'
  | 'truncated-gzip'
  | 'changed-while-reading'
  | 'read-failed'
  | 'live-unavailable';

export class InputError extends Error {
  constructor(
    readonly path: string,
    readonly code: InputErrorCode,
    readonly reason: string,
    readonly fix?: string,
  ) {
    super(`${path}: ${reason}${fix ? ` (${fix})` : ''}`);
    this.name = 'InputError';
  }

  /** The report's warning code: `input-truncated` when what was read is a cut-short part, else `input-unreadable`. */
  get warningCode(): 'input-truncated' | 'input-unreadable' {
    return this.code === 'truncated-gzip' || this.code === 'changed-while-reading' ? 'input-truncated' : 'input-unreadable';
  }

  static fromSystem(path: string, error: unknown): InputError {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return new InputError(path, 'not-found', 'no such file', 'check the path');
    if (code === 'EACCES' || code === 'EPERM') {
      const fix = path.startsWith('/var/log/')
        ? 'run with sudo, or add your user to the adm group'
        : 'run with sudo or make the file readable';
      return new InputError(path, 'permission-denied', 'permission denied', fix);
    }
    if (code === 'EISDIR') {
      return new InputError(path, 'is-directory', 'is a directory, not a log file', 'name a log file in it, or pass an install directory with --dir');
    }
    if (code === 'Z_BUF_ERROR' || (error as Error)?.message === 'unexpected end of file') {
      return new InputError(path, 'truncated-gzip', 'the gzip data ends early (file cut off or still being written)',
        'the lines before the cut are reported; if it is still being written, run again once it is complete');
    }
    if (code === 'Z_DATA_ERROR') {
      return new InputError(path, 'truncated-gzip', `the gzip data is damaged (${(error as Error).message})`,
        'the lines before the damage are reported; `gzip -t` on the file tells more');
    }
    if (code === 'ELOOP') return new InputError(path, 'read-failed', 'too many symbolic links', 'name the log file itself');
    if (code === 'ENOTDIR') return new InputError(path, 'not-found', 'a part of the path is not a directory', 'check the path');
    return new InputError(path, 'read-failed', (error as Error)?.message ?? String(error), 'check that the file can be read, e.g. with `head`');
  }
}
