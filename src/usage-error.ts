// Wrong usage: a bad flag value or combination. The CLI prints it in one line, in --lang, and exits 2.
import type { Params } from './i18n/catalog.js';
import { errorFix, errorMessage, withFix, type ErrorCode } from './i18n/error-messages.js';
import type { Lang } from './i18n/messages.js';

export class UsageError extends Error {
  /** The catalogue's code and values when the error came from it (`UsageError.of`), so it can be said in any language. */
  readonly code?: ErrorCode;
  readonly params?: Params;
  /** The message without its fix (as given, in whatever language that was). */
  readonly problem: string;

  constructor(message: string, readonly fix?: string) {
    super(fix ? `${message} (${fix})` : message);
    this.name = 'UsageError';
    this.problem = message;
  }

  /** An error from the catalogue: its `message` is the English sentence, `inLanguage` says it in another. */
  static of(code: ErrorCode, params: Params = {}): UsageError {
    return Object.assign(new UsageError(errorMessage('en', code, params), errorFix('en', code, params)), { code, params });
  }

  /** The one line the CLI prints (after `oomscope: `): the catalogue's sentence in `lang`, or the text as given with its fix bracketed for `lang`. */
  inLanguage(lang: Lang): string {
    if (this.code === undefined) return withFix(lang, this.problem, this.fix);
    return withFix(lang, errorMessage(lang, this.code, this.params), errorFix(lang, this.code, this.params));
  }
}
