// Memory sizes as people write them on a command line (`256M`, `1G`, `1.5GiB`, `268435456`), and GOMEMLIMIT values.
import { memTotalBytes } from './proc.js';

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * Bytes from `N`, `N[KMGT]`, `N[KMGT]i?B?` (case-insensitive). K/M/G/T are powers of 1024, as systemd's MemoryMax= and
 * docker read them. Null when it is not a size.
 */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return null;
  const bytes = Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
  return Number.isFinite(bytes) && bytes >= 1 ? Math.floor(bytes) : null;
}

/** Go's GOMEMLIMIT syntax, in whole MiB (the runtime reads `NNNMiB`). */
export function formatGoMemLimit(bytes: number): string {
  return `${Math.max(1, Math.floor(bytes / 1024 ** 2))}MiB`;
}

/** GOMEMLIMIT is a soft limit: 80% of the hard one leaves the runtime room to collect before the kernel steps in. */
const GOMEMLIMIT_SHARE = 0.8;

/**
 * `--gomemlimit auto|SIZE` → the value for the child's GOMEMLIMIT: auto is 80% of --memory-max, or of the machine's
 * RAM without it. Null when SIZE is not a size.
 */
export function goMemLimitFor(spec: string, memoryMaxBytes: number | null, ramBytes: number | null = memTotalBytes()): string | null {
  if (spec.trim().toLowerCase() === 'auto') {
    const base = memoryMaxBytes ?? ramBytes;
    return base === null ? null : formatGoMemLimit(base * GOMEMLIMIT_SHARE);
  }
  const bytes = parseSize(spec);
  return bytes === null ? null : formatGoMemLimit(bytes);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
  if (bytes >= 1024 ** 2) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
  return `${bytes} bytes`;
}
