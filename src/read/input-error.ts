// An input that could not be read, with a one-line reason and the fix a person needs.

export type InputErrorCode =
  | 'not-found'
  | 'permission-denied'
  | 'is-directory'
  | 'truncated-gzip'
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

  static fromSystem(path: string, error: unknown): InputError {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT') return new InputError(path, 'not-found', 'no such file', 'check the path');
    if (code === 'EACCES' || code === 'EPERM') {
      const fix = path.startsWith('/var/log/')
        ? 'run with sudo, or add your user to the adm group'
        : 'run with sudo or make the file readable';
      return new InputError(path, 'permission-denied', 'permission denied', fix);
    }
    if (code === 'EISDIR') return new InputError(path, 'is-directory', 'is a directory, not a log file');
    if (code === 'Z_BUF_ERROR' || (error as Error)?.message === 'unexpected end of file') {
      return new InputError(path, 'truncated-gzip', 'the gzip data ends early (file cut off or still being written)');
    }
    return new InputError(path, 'read-failed', (error as Error)?.message ?? String(error));
  }
}
