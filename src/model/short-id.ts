// The report's stable ids (`k-1a2b3c4d`, `i-…`): the first 8 hex digits of the SHA-1 of a key (node:crypto).
import { createHash } from 'node:crypto';

/** `prefix` + the first 8 hex digits of SHA-1 over the UTF-8 bytes of `key`: stable across runs and machines. */
export function shortId(prefix: string, key: string): string {
  return prefix + createHash('sha1').update(key, 'utf8').digest('hex').slice(0, 8);
}
