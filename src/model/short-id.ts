// The report's stable ids (`k-1a2b3c4d`, `i-…`): the first 8 hex digits of the SHA-1 of a key (sha1.ts).
import { sha1Hex } from './sha1.js';

/** `prefix` + the first 8 hex digits of SHA-1 over the UTF-8 bytes of `key`: stable across runs and machines. */
export function shortId(prefix: string, key: string): string {
  return prefix + sha1Hex(Buffer.from(key, 'utf8')).slice(0, 8);
}
