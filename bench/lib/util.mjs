// Small helpers shared by the generator and the runner: a seeded PRNG, stamp formatting, sizes.

/** mulberry32: fast, seeded, good enough for synthetic logs. */
export class Rng {
  constructor(seed) {
    this.s = (seed >>> 0) || 0x9e3779b9;
  }
  next() {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [a, b]. */
  int(a, b) {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  pick(arr) {
    return arr[Math.floor(this.next() * arr.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** Picks from [[weight, value], …]. */
  weighted(table) {
    let total = 0;
    for (const [w] of table) total += w;
    let r = this.next() * total;
    for (const [w, v] of table) {
      r -= w;
      if (r < 0) return v;
    }
    return table[table.length - 1][1];
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.next() * 16)];
    return s;
  }
  ip() {
    return `${this.pick([45, 80, 89, 103, 111, 117, 141, 162, 185, 193, 194, 212, 218, 222])}.${this.int(1, 254)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const p2 = (n) => (n < 10 ? '0' + n : '' + n);
const sp2 = (n) => (n < 10 ? ' ' + n : '' + n);

/** Caches one formatted stamp per second (logs are written in time order, so the cache almost always hits). */
function cachedBySecond(format) {
  let lastSec = NaN;
  let last = '';
  return (ms) => {
    const sec = Math.floor(ms / 1000);
    if (sec !== lastSec) {
      lastSec = sec;
      last = format(new Date(sec * 1000));
    }
    return last;
  };
}

/** rsyslog traditional: `Jul 30 10:04:01` / `Aug  1 10:04:01` (UTC, no year). */
export const syslogStamp = () =>
  cachedBySecond((d) => `${MONTHS[d.getUTCMonth()]} ${sp2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`);

/** dmesg -T (util-linux, strftime "%a %b %e %H:%M:%S %Y"): `Tue Jul 30 10:04:01 2024`. */
export const ctimeStamp = () =>
  cachedBySecond(
    (d) =>
      `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${sp2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`,
  );

/** Go's log.LstdFlags: `2024/07/30 10:04:01`. */
export const goStamp = () =>
  cachedBySecond((d) => `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`);

/** check.log (`date +'%Y%m%d %H:%M:%S'`): `20240730 10:04:01`. */
export const checkStamp = () =>
  cachedBySecond((d) => `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`);

/** nginx $time_local: `30/Jul/2024:10:04:01 +0000`. */
export const nginxStamp = () =>
  cachedBySecond((d) => `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`);

/** The kernel's printk time: `[%5lu.%06lu]` from microseconds since boot. */
export function uptimeStamp(us) {
  const sec = Math.floor(us / 1e6);
  const frac = String(us - sec * 1e6).padStart(6, '0');
  return `[${String(sec).padStart(5, ' ')}.${frac}]`;
}

/** Uptime in seconds, as a JSON number with microsecond precision. */
export const uptimeSeconds = (us) => Math.round(us) / 1e6;

export function isoUtc(ms) {
  return new Date(ms).toISOString();
}

/** `64M`, `256MiB`, `1G`, `4GiB`, `1.5G` → bytes (binary units). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG])(?:i?B)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`not a size: "${text}" (use e.g. 64M, 256M, 1G, 4G)`);
  const mult = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase()];
  return Math.round(Number(m[1]) * mult);
}

/** Bytes → the canonical label used in file names: `64M`, `1G`. */
export function sizeLabel(bytes) {
  if (bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3}G`;
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2}M`;
  return `${Math.round(bytes / 1024)}K`;
}
