// Reads the allocation request of an OOM header: the GFP mask's flags, as the kernel printed them (4.6 and later
// print `gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)`), or, for kernels that printed only the hex, decoded
// with the bit layout of that kernel's era — but only where the version pins that layout.
//
// The layouts are read from the kernel source, include/linux/gfp.h (gfp_types.h since 6.0):
// - 2.6.32, 3.10, 3.13 and 4.2 releases: __GFP_WAIT 0x10 … __GFP_RECLAIMABLE 0x80000; 3.10–3.13 add __GFP_KMEMCG
//   0x100000, __GFP_NO_KSWAPD 0x400000, __GFP_OTHER_NODE 0x800000, __GFP_WRITE 0x1000000; 4.2 has __GFP_NOACCOUNT
//   0x100000 instead of __GFP_KMEMCG. 2.6.32 has nothing at 0x2000 (__GFP_MEMALLOC, seen from 3.10 on).
// - 4.4 (Mel Gorman, "mm, page_alloc: use masks and shifts when converting GFP flags to migrate types" and
//   "…distinguish between being unable to sleep, unwilling to sleep and avoiding waking kswapd"): __GFP_RECLAIMABLE
//   moves to 0x10, __GFP_WAIT becomes __GFP_ATOMIC 0x80000 + __GFP_DIRECT_RECLAIM 0x400000 + __GFP_KSWAPD_RECLAIM
//   0x2000000. 4.5 (Vladimir Davydov, "mm: memcontrol: only account kmem allocations marked as __GFP_ACCOUNT")
//   turns __GFP_NOACCOUNT 0x100000 into __GFP_ACCOUNT.
// - 4.6 (Vlastimil Babka, "mm, oom: print symbolic gfp_flags in oom warning", v4.6-rc1): the kernel prints the names
//   itself, so later layouts (4.10, 4.13, 4.15, 4.20, 6.3 moved bits again) never need decoding here.
// Bits that meant the same in every one of those layouts, 2.6.32 to 6.x: DMA 0x01, HIGHMEM 0x02, DMA32 0x04,
// MOVABLE 0x08, HIGH 0x20, IO 0x40, FS 0x80. A kernel whose version is unknown, or a vendor kernel known for
// backporting memory-management changes (RHEL and its rebuilds `.el7`, Oracle `uek`, Amazon `amzn`), gets those only.

export interface KernelVersionNumber {
  major: number;
  minor: number;
  patch: number;
  /** `el7`, `uek`, `amzn2`: a vendor kernel whose internals may differ from the release it is numbered after. */
  vendor: string | null;
}

/** `5.15.0-113-generic` → 5.15.0; `2.6.32-642.11.1.el6.x86_64` → 2.6.32 (vendor el6); null when unreadable. */
export function parseKernelVersion(text: string | null): KernelVersionNumber | null {
  if (!text) return null;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return null;
  const vendor = /\.(el\d+)|\b(uek)\b|\.?(amzn\d*)/i.exec(text);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), vendor: vendor ? (vendor[1] ?? vendor[2] ?? vendor[3])!.toLowerCase() : null };
}

type V = [number, number, number];

function atLeast(v: KernelVersionNumber, [a, b, c]: V): boolean {
  if (v.major !== a) return v.major > a;
  if (v.minor !== b) return v.minor > b;
  return v.patch >= c;
}

interface BitName {
  bit: number;
  name: string;
  /** The releases the name is certain for: from (inclusive) to (exclusive). */
  from: V;
  until: V;
}

const ERA_A: V = [2, 6, 32];
const ERA_B: V = [4, 4, 0];
const NAMES_ERA: V = [4, 6, 0];

const bits = (from: V, until: V, list: [number, string][]): BitName[] => list.map(([bit, name]) => ({ bit, name, from, until }));

const LAYOUTS: BitName[] = [
  // 2.6.32 – 4.3
  ...bits(ERA_A, ERA_B, [
    [0x01, '__GFP_DMA'], [0x02, '__GFP_HIGHMEM'], [0x04, '__GFP_DMA32'], [0x08, '__GFP_MOVABLE'], [0x10, '__GFP_WAIT'],
    [0x20, '__GFP_HIGH'], [0x40, '__GFP_IO'], [0x80, '__GFP_FS'], [0x100, '__GFP_COLD'], [0x200, '__GFP_NOWARN'],
    [0x400, '__GFP_REPEAT'], [0x800, '__GFP_NOFAIL'], [0x1000, '__GFP_NORETRY'], [0x4000, '__GFP_COMP'],
    [0x8000, '__GFP_ZERO'], [0x10000, '__GFP_NOMEMALLOC'], [0x20000, '__GFP_HARDWALL'], [0x40000, '__GFP_THISNODE'],
    [0x80000, '__GFP_RECLAIMABLE'], [0x200000, '__GFP_NOTRACK'],
  ]),
  ...bits([3, 10, 0], ERA_B, [
    [0x2000, '__GFP_MEMALLOC'], [0x400000, '__GFP_NO_KSWAPD'], [0x800000, '__GFP_OTHER_NODE'], [0x1000000, '__GFP_WRITE'],
  ]),
  ...bits([3, 10, 0], [3, 14, 0], [[0x100000, '__GFP_KMEMCG']]),
  ...bits([4, 2, 0], ERA_B, [[0x100000, '__GFP_NOACCOUNT']]),
  // 4.4 – 4.5
  ...bits(ERA_B, NAMES_ERA, [
    [0x01, '__GFP_DMA'], [0x02, '__GFP_HIGHMEM'], [0x04, '__GFP_DMA32'], [0x08, '__GFP_MOVABLE'], [0x10, '__GFP_RECLAIMABLE'],
    [0x20, '__GFP_HIGH'], [0x40, '__GFP_IO'], [0x80, '__GFP_FS'], [0x100, '__GFP_COLD'], [0x200, '__GFP_NOWARN'],
    [0x400, '__GFP_REPEAT'], [0x800, '__GFP_NOFAIL'], [0x1000, '__GFP_NORETRY'], [0x2000, '__GFP_MEMALLOC'],
    [0x4000, '__GFP_COMP'], [0x8000, '__GFP_ZERO'], [0x10000, '__GFP_NOMEMALLOC'], [0x20000, '__GFP_HARDWALL'],
    [0x40000, '__GFP_THISNODE'], [0x80000, '__GFP_ATOMIC'], [0x200000, '__GFP_NOTRACK'], [0x400000, '__GFP_DIRECT_RECLAIM'],
    [0x800000, '__GFP_OTHER_NODE'], [0x1000000, '__GFP_WRITE'], [0x2000000, '__GFP_KSWAPD_RECLAIM'],
  ]),
  ...bits(ERA_B, [4, 5, 0], [[0x100000, '__GFP_NOACCOUNT']]),
  ...bits([4, 5, 0], NAMES_ERA, [[0x100000, '__GFP_ACCOUNT']]),
];

/** The bits every layout from 2.6.32 to 6.x agrees on. */
const STABLE: [number, string][] = [
  [0x01, '__GFP_DMA'], [0x02, '__GFP_HIGHMEM'], [0x04, '__GFP_DMA32'], [0x08, '__GFP_MOVABLE'],
  [0x20, '__GFP_HIGH'], [0x40, '__GFP_IO'], [0x80, '__GFP_FS'],
];

/** Composite names of the hex-only eras, largest first, as the kernel's own printer would fold them. */
const COMPOSITES: { name: string; flags: string[]; from: V; until: V }[] = [
  { name: 'GFP_HIGHUSER_MOVABLE', flags: ['__GFP_WAIT', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM', '__GFP_MOVABLE'], from: ERA_A, until: ERA_B },
  { name: 'GFP_HIGHUSER', flags: ['__GFP_WAIT', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM'], from: ERA_A, until: ERA_B },
  { name: 'GFP_USER', flags: ['__GFP_WAIT', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL'], from: ERA_A, until: ERA_B },
  { name: 'GFP_TEMPORARY', flags: ['__GFP_WAIT', '__GFP_IO', '__GFP_FS', '__GFP_RECLAIMABLE'], from: ERA_A, until: ERA_B },
  { name: 'GFP_KERNEL', flags: ['__GFP_WAIT', '__GFP_IO', '__GFP_FS'], from: ERA_A, until: ERA_B },
  { name: 'GFP_NOFS', flags: ['__GFP_WAIT', '__GFP_IO'], from: ERA_A, until: ERA_B },
  { name: 'GFP_NOIO', flags: ['__GFP_WAIT'], from: ERA_A, until: ERA_B },
  { name: 'GFP_HIGHUSER_MOVABLE', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM', '__GFP_MOVABLE'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_HIGHUSER', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_USER', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_TEMPORARY', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_RECLAIMABLE'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_KERNEL_ACCOUNT', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_ACCOUNT'], from: [4, 5, 0], until: NAMES_ERA },
  { name: 'GFP_KERNEL', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_NOFS', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_ATOMIC', flags: ['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_KSWAPD_RECLAIM'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_NOIO', flags: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM'], from: ERA_B, until: NAMES_ERA },
  { name: 'GFP_NOWAIT', flags: ['__GFP_KSWAPD_RECLAIM'], from: ERA_B, until: NAMES_ERA },
];

/** What the names the kernel prints (include/trace/events/mmflags.h) stand for, in single flags. */
const EXPANSIONS: Record<string, string[]> = {
  GFP_TRANSHUGE: ['__GFP_DIRECT_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM', '__GFP_MOVABLE', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NOWARN'],
  GFP_TRANSHUGE_LIGHT: ['__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM', '__GFP_MOVABLE', '__GFP_COMP', '__GFP_NOMEMALLOC', '__GFP_NOWARN'],
  GFP_HIGHUSER_MOVABLE: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM', '__GFP_MOVABLE'],
  GFP_HIGHUSER: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL', '__GFP_HIGHMEM'],
  GFP_USER: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_HARDWALL'],
  GFP_KERNEL_ACCOUNT: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_ACCOUNT'],
  GFP_KERNEL: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS'],
  GFP_TEMPORARY: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO', '__GFP_FS', '__GFP_RECLAIMABLE'],
  GFP_NOFS: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM', '__GFP_IO'],
  GFP_NOIO: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM'],
  GFP_ATOMIC: ['__GFP_HIGH', '__GFP_ATOMIC', '__GFP_KSWAPD_RECLAIM'],
  GFP_NOWAIT: ['__GFP_KSWAPD_RECLAIM'],
  GFP_DMA: ['__GFP_DMA'],
  GFP_DMA32: ['__GFP_DMA32'],
  __GFP_RECLAIM: ['__GFP_DIRECT_RECLAIM', '__GFP_KSWAPD_RECLAIM'],
};

/** What the mask says about the allocation, from the flags that are known. */
type AllocationKind =
  | 'transparent-huge-page'
  | 'user-movable'
  | 'user'
  | 'kernel-accounted'
  | 'kernel'
  | 'kernel-nofs'
  | 'kernel-noio'
  | 'atomic'
  | 'may-sleep'
  | 'unknown';

export interface GfpReading {
  mask: string | null;
  /** `printed`: names from the log; `decoded`: every set bit named by a pinned layout; `partial`: only some bits named; `none`. */
  source: 'printed' | 'decoded' | 'partial' | 'none';
  /** The names to show: as printed, or folded from the decoded bits the way the kernel folds them. */
  names: string[];
  /** Every single flag those names stand for. */
  flags: string[];
  /** Set bits nobody can name with certainty here (hex), or null. */
  unknownBits: string | null;
  /** The releases whose layout decoded the hex, e.g. `2.6.32–4.3`; null for printed names. */
  layout: string | null;
  /** Why the hex was not decoded in full. */
  limit: 'no-version' | 'vendor' | 'unverified-version' | 'names-expected' | null;
  kind: AllocationKind;
}

const layoutLabel = (from: V, until: V): string => `${from.join('.').replace(/\.0$/, '')}–${until[0]}.${until[1] - 1}`;

/** Reads a trigger's gfp mask; `printed` is the list of names the kernel printed in parentheses, if any. */
export function readGfpMask(mask: string | null, printed: string[] | null, kernelVersion: string | null): GfpReading {
  if (printed && printed.length > 0) {
    const flags = new Set<string>();
    let unknown: string | null = null;
    for (const name of printed) {
      if (/^0x[0-9a-f]+$/i.test(name)) unknown = name;
      else for (const flag of EXPANSIONS[name] ?? [name]) flags.add(flag);
    }
    const known = [...flags];
    return { mask, source: 'printed', names: printed, flags: known, unknownBits: unknown, layout: null, limit: null, kind: classify(known, printed, true) };
  }
  const value = mask !== null && /^0x[0-9a-f]+$/i.test(mask) ? parseInt(mask, 16) : null;
  if (value === null) return { mask, source: 'none', names: [], flags: [], unknownBits: null, layout: null, limit: null, kind: 'unknown' };
  const version = parseKernelVersion(kernelVersion);
  let table: [number, string][];
  let layout: string | null = null;
  let limit: GfpReading['limit'] = null;
  let complete = false;
  if (version === null) {
    limit = 'no-version';
  } else if (version.vendor !== null) {
    limit = 'vendor';
  } else if (!atLeast(version, ERA_A)) {
    limit = 'unverified-version';
  } else if (atLeast(version, NAMES_ERA)) {
    limit = 'names-expected';
  } else {
    complete = true;
  }
  if (complete && version) {
    table = LAYOUTS.filter((b) => atLeast(version, b.from) && !atLeast(version, b.until)).map((b) => [b.bit, b.name]);
    layout = atLeast(version, ERA_B) ? layoutLabel(ERA_B, NAMES_ERA) : layoutLabel(ERA_A, ERA_B);
  } else {
    table = version !== null && limit === 'unverified-version' ? [] : STABLE;
  }
  let rest = value;
  const single: string[] = [];
  for (const [bit, name] of table) {
    if ((value & bit) !== 0) {
      single.push(name);
      rest &= ~bit;
    }
  }
  const names = complete && version ? fold(single, version) : single;
  const unknownBits = rest !== 0 ? `0x${rest.toString(16)}` : null;
  const source: GfpReading['source'] = complete && unknownBits === null ? 'decoded' : single.length > 0 || complete ? 'partial' : 'none';
  return { mask, source, names, flags: single, unknownBits, layout, limit: complete ? null : limit, kind: classify(single, names, complete) };
}

/** Folds single flags into the composite names of the era, largest first, like the kernel's own printer. */
function fold(single: string[], version: KernelVersionNumber): string[] {
  const left = new Set(single);
  const out: string[] = [];
  for (const composite of COMPOSITES) {
    if (!atLeast(version, composite.from) || atLeast(version, composite.until)) continue;
    if (composite.flags.every((f) => left.has(f))) {
      out.push(composite.name);
      for (const f of composite.flags) left.delete(f);
    }
  }
  return [...out, ...single.filter((f) => left.has(f))];
}

/**
 * What the allocation was. `complete` says whether an absent flag is known to be absent (names printed, or a pinned
 * layout decoded), or merely unknown (only the stable bits were read).
 */
function classify(flags: string[], names: string[], complete: boolean): AllocationKind {
  const has = (f: string): boolean => flags.includes(f);
  if (names.some((n) => n.startsWith('GFP_TRANSHUGE'))) return 'transparent-huge-page';
  if (has('__GFP_MOVABLE')) return 'user-movable';
  if (!complete) return has('__GFP_IO') && has('__GFP_FS') ? 'may-sleep' : 'unknown';
  if (has('__GFP_HARDWALL')) return 'user';
  const reclaim = has('__GFP_DIRECT_RECLAIM') || has('__GFP_WAIT');
  if (!reclaim) return 'atomic';
  if (has('__GFP_ACCOUNT') || has('__GFP_KMEMCG')) return 'kernel-accounted';
  if (has('__GFP_IO') && has('__GFP_FS')) return 'kernel';
  if (has('__GFP_IO')) return 'kernel-nofs';
  return 'kernel-noio';
}

/** Pages of an allocation of this order: 2^order; null for order -1 (no allocation) or unknown. */
export function orderPages(order: number | null): number | null {
  return order === null || order < 0 ? null : 2 ** order;
}

/** Above this order an allocation is "costly": the allocator gives up rather than kill for it (PAGE_ALLOC_COSTLY_ORDER). */
export const COSTLY_ORDER = 3;
