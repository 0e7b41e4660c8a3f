// Wrong usage: a bad flag value or combination. The CLI prints it in one line and exits 2.

export class UsageError extends Error {
  constructor(message: string, readonly fix?: string) {
    super(fix ? `${message} (${fix})` : message);
    this.name = 'UsageError';
  }
}
