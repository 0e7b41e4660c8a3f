// Every field of a kill record read aloud the way a kernel engineer would: each value with one plain sentence.
// Shared by the HTML report and `--explain` in the text report. Values from the logs stay raw here: renderers escape.
import { explainText } from '../i18n/explain-messages.js';
import { message, type Lang } from '../i18n/messages.js';
import type { Consumer, MemInfoZone, OomKill } from '../model/report.js';
import { COSTLY_ORDER, orderPages, parseKernelVersion, readGfpMask, type GfpReading } from '../recognise/kernel/gfp-flags.js';
import { formatKb } from './sizes.js';

export interface ExplainItem {
  /** The field as the kernel names it: `gfp_mask`, `order`, `Node 0 Normal`, `anon-rss`… */
  field: string;
  /** The value as printed or worked out (may hold log text: escape before display). */
  value: string;
  /** One plain sentence (or two) in the report's language. */
  text: string;
  /** `bad`: the figure that explains the kill; `warn`: worth a look; `ok`: not the problem. */
  tone?: 'bad' | 'warn' | 'ok';
  items?: ExplainItem[];
}

const CONSTRAINT_KERNEL_NAMES: Record<string, string> = {
  global: 'CONSTRAINT_NONE',
  memcg: 'CONSTRAINT_MEMCG',
  cpuset: 'CONSTRAINT_CPUSET',
  mempolicy: 'CONSTRAINT_MEMORY_POLICY',
};

/** The kernel's badness of a task-table row, in pages: rss + swap + page tables; `complete` when all three were printed. */
export function badnessPages(task: Consumer, pageSizeKb: number): { pages: number; complete: boolean } {
  const pages = (kb: number | null | undefined): number => (kb ? Math.round(kb / pageSizeKb) : 0);
  return {
    pages: pages(task.rssKb) + pages(task.swapKb) + pages(task.pgtablesKb),
    complete: task.swapKb !== undefined && task.swapKb !== null && task.pgtablesKb !== undefined && task.pgtablesKb !== null,
  };
}

/** Pages the kernel weighs oom_score_adj against: RAM + swap for a global OOM, the limit for a cgroup's. */
export function totalPagesOf(kill: OomKill): number | null {
  const page = kill.pageSizeKb ?? 4;
  if (kill.constraint === 'memcg') return kill.limitKb !== null ? Math.round(kill.limitKb / page) : null;
  if (kill.ramKb === null) return null;
  return Math.round((kill.ramKb + (kill.swapTotalKb ?? 0)) / page);
}

/** The score out of 1000 the kernel ranks by (what /proc/PID/oom_score shows): badness plus adj, over total pages. */
export function scoreOf(badness: number, adj: number | null, totalPages: number): number {
  const points = badness + ((adj ?? 0) * totalPages) / 1000;
  return Math.max(0, Math.round((points * 1000) / totalPages));
}

function percent(part: number, whole: number): string {
  const p = (part / whole) * 100;
  return `${p >= 10 ? Math.round(p) : p.toFixed(1)}%`;
}

// (Over 80 lines: one entry per field of a kill, in the order the report shows them.)
/** The whole record, field by field. */
export function explainKill(kill: OomKill, lang: Lang): ExplainItem[] {
  const t = (code: string, params: Record<string, string | number> = {}): string => explainText(lang, code, params);
  const page = kill.pageSizeKb ?? 4;
  const items: ExplainItem[] = [];
  if (kill.incomplete) items.push({ field: '!', value: '', text: t('x.incomplete'), tone: 'warn' });

  // 1. Who asked, and for what.
  const trigger = kill.trigger;
  const manual = trigger?.order === -1;
  if (trigger) {
    const self = trigger.pid !== null && trigger.pid === kill.pid;
    items.push({
      field: 'invoked oom-killer',
      value: `${trigger.name ?? '?'} (pid ${trigger.pid ?? '?'})`,
      text: t(manual ? 'x.trigger-manual' : self ? 'x.trigger-self' : 'x.trigger'),
    });
    const gfp = readGfpMask(trigger.gfpMask, trigger.gfpFlags, kill.kernelVersion);
    if (gfp.mask !== null) items.push(gfpItem(gfp, t, kill.kernelVersion, lang));
    items.push(orderItem(trigger.order, page, t));
  } else {
    items.push({ field: 'invoked oom-killer', value: '?', text: t('x.trigger-unknown') });
  }

  // 2. What ran out.
  if (kill.constraint) {
    const memcg = kill.memcg ?? kill.taskMemcg ?? '?';
    items.push({
      field: 'constraint',
      value: CONSTRAINT_KERNEL_NAMES[kill.constraint] ?? kill.constraint,
      text: t(manual && kill.constraint === 'global' ? 'x.constraint-manual' : `x.constraint-${kill.constraint}`, { memcg, usage: formatKb(kill.usageKb), limit: formatKb(kill.limitKb) }),
    });
  }
  const info = kill.memInfo;
  if (info && info.zones.length > 0) {
    const zoneItems = info.zones.map((zone) => zoneItem(zone, gfpUsesAnyZone(trigger?.gfpFlags ?? null), t));
    const exhausted = zoneItems.every((z) => z.tone === 'bad');
    items.push({
      field: 'Mem-Info',
      value: info.zones.map((z) => `${z.zone} ${formatKb(z.freeKb)}`).join(' · '),
      text: t(exhausted ? 'x.zones-exhausted' : 'x.zones'),
      tone: exhausted ? 'bad' : undefined,
      items: zoneItems,
    });
  }
  if (kill.swapTotalKb !== null) items.push(swapItem(kill.swapTotalKb, kill.swapFreeKb, t));
  if (info && info.pagecacheKb !== null) {
    const share = kill.ramKb ? info.pagecacheKb / kill.ramKb : null;
    items.push({
      field: 'total pagecache pages',
      value: `${Math.round(info.pagecacheKb / page)} × ${page} KiB = ${formatKb(info.pagecacheKb)}`,
      text: t(share !== null && share >= 0.2 ? 'x.pagecache-large' : 'x.pagecache', {
        size: formatKb(info.pagecacheKb),
        share: share === null ? '?' : percent(info.pagecacheKb, kill.ramKb!),
        shmem: info.shmemKb === null ? '' : formatKb(info.shmemKb),
      }),
      tone: share !== null && share < 0.05 ? 'warn' : undefined,
    });
  }
  if (info && (info.slabReclaimableKb !== null || info.slabUnreclaimableKb !== null)) {
    const unreclaimable = info.slabUnreclaimableKb ?? 0;
    const large = kill.ramKb ? unreclaimable / kill.ramKb >= 0.1 : false;
    items.push({
      field: 'slab_reclaimable / slab_unreclaimable',
      value: `${formatKb(info.slabReclaimableKb)} / ${formatKb(info.slabUnreclaimableKb)}`,
      text: t(large ? 'x.slab-large' : 'x.slab', { share: kill.ramKb ? percent(unreclaimable, kill.ramKb) : '?' }),
      tone: large ? 'warn' : undefined,
    });
  }

  // 3. The victim, and why it was the one.
  if (kill.name !== null || kill.pid !== null) items.push(victimItem(kill, t));
  const held = (kill.anonRssKb ?? 0) + (kill.fileRssKb ?? 0) + (kill.shmemRssKb ?? 0);
  const whole = kill.constraint === 'memcg' ? kill.limitKb : kill.ramKb;
  if (kill.anonRssKb !== null && whole) {
    const swap = kill.victimTask?.swapKb;
    items.push({
      field: kill.constraint === 'memcg' ? 'rss / limit' : 'rss / RAM',
      value: percent(held, whole),
      text: t(kill.constraint === 'memcg' ? 'x.share-limit' : 'x.share-ram', { held: formatKb(held), whole: formatKb(whole) }) +
        (swap ? sentenceGap(lang) + t('x.share-swap', { swap: formatKb(swap) }) : ''),
      tone: held / whole >= 0.5 ? 'bad' : undefined,
    });
  }
  if (kill.oomScoreAdj !== null) items.push(adjItem(kill, t));
  const why = whyItem(kill, t, lang);
  if (why) items.push(why);
  if (kill.reaped !== null) {
    items.push({ field: 'oom_reaper', value: message(lang, kill.reaped ? 'explain.reaped' : 'explain.not-reaped'), text: t(kill.reaped ? 'x.reaped' : 'x.not-reaped') });
  }
  if (kill.taskMemcg) items.push({ field: 'task_memcg', value: kill.taskMemcg, text: t('x.task-memcg') });
  if (kill.kernelVersion) items.push({ field: 'kernel', value: kill.kernelVersion, text: t('x.kernel') });
  return items;
}

type T = (code: string, params?: Record<string, string | number>) => string;

/** Between two sentences: a space in English, nothing after a Chinese 。. */
function sentenceGap(lang: Lang): string {
  return lang === 'en' ? ' ' : '';
}

function gfpItem(gfp: GfpReading, t: T, kernelVersion: string | null, lang: Lang): ExplainItem {
  const shown = gfp.names.length === 0 ? '' : gfp.source === 'printed' ? `(${gfp.names.join('|')})` : ` → ${gfp.names.join('|')}`;
  const vendor = parseKernelVersion(kernelVersion)?.vendor ?? '';
  const how =
    gfp.source === 'printed' ? t('x.gfp-printed')
    : gfp.layout !== null ? t(gfp.unknownBits ? 'x.gfp-decoded-rest' : 'x.gfp-decoded', { layout: gfp.layout, bits: gfp.unknownBits ?? '' })
    : t(`x.gfp-limit-${gfp.limit ?? 'no-version'}`, { bits: gfp.unknownBits ?? '', vendor });
  const flags: ExplainItem[] = gfp.names.map((name) =>
    /^0x/i.test(name) ? { field: name, value: '', text: t('x.gfp-unknown-bits') } : { field: name, value: '', text: flagText(name, t) },
  );
  if (gfp.unknownBits && gfp.source !== 'printed') flags.push({ field: gfp.unknownBits, value: '', text: t('x.gfp-unknown-bits') });
  return { field: 'gfp_mask', value: `${gfp.mask}${shown}`, text: `${t(`alloc.${gfp.kind}`)}${sentenceGap(lang)}${how}`, items: flags };
}

function flagText(name: string, t: T): string {
  const text = t(`gfp.${name}`);
  return text === `gfp.${name}` ? t('x.gfp-unknown-flag') : text;
}

/** Whether the allocation may use every zone (so the lower zones' lowmem_reserve applies against it). */
function gfpUsesAnyZone(flags: string[] | null): boolean {
  return !flags?.some((f) => f === '__GFP_DMA' || f === '__GFP_DMA32' || f === 'GFP_DMA' || f === 'GFP_DMA32');
}

function orderItem(order: number | null, page: number, t: T): ExplainItem {
  const pages = orderPages(order);
  const size = pages === null ? '' : formatKb(pages * page);
  const code = order === null ? 'x.order-unknown' : order < 0 ? 'x.order-manual' : order === 0 ? 'x.order-0' : order <= COSTLY_ORDER ? 'x.order-small' : 'x.order-costly';
  return { field: 'order', value: order === null ? '?' : String(order), text: t(code, { pages: pages ?? 0, size }), tone: order !== null && order > COSTLY_ORDER ? 'warn' : undefined };
}

function zoneItem(zone: MemInfoZone, anyZone: boolean, t: T): ExplainItem {
  const reserve = anyZone && zone.lowmemReserveKb ? Math.max(0, ...zone.lowmemReserveKb) : 0;
  const params = { free: formatKb(zone.freeKb), min: formatKb(zone.minKb), low: formatKb(zone.lowKb), reserve: formatKb(reserve) };
  let code: string;
  let tone: ExplainItem['tone'];
  if (zone.freeKb <= zone.minKb) [code, tone] = ['x.zone-below-min', 'bad'];
  else if (zone.freeKb <= zone.minKb + reserve) [code, tone] = ['x.zone-reserve', 'bad'];
  else if (zone.freeKb <= zone.lowKb + reserve) [code, tone] = ['x.zone-below-low', 'warn'];
  else [code, tone] = ['x.zone-ok', 'ok'];
  return {
    field: `Node ${zone.node} ${zone.zone}`,
    value: `free ${formatKb(zone.freeKb)} · min ${formatKb(zone.minKb)} · low ${formatKb(zone.lowKb)} · high ${formatKb(zone.highKb)}${reserve ? ` · lowmem_reserve ${formatKb(reserve)}` : ''}`,
    text: t(code, params),
    tone,
  };
}

function swapItem(total: number, free: number | null, t: T): ExplainItem {
  const value = `${formatKb(free)} / ${formatKb(total)}`;
  if (total === 0) return { field: 'Free swap / Total swap', value, text: t('x.swap-none'), tone: 'warn' };
  if (free === null) return { field: 'Free swap / Total swap', value, text: t('x.swap-unknown', { total: formatKb(total) }) };
  if (free / total < 0.02) return { field: 'Free swap / Total swap', value, text: t('x.swap-full', { free: formatKb(free), total: formatKb(total) }), tone: 'bad' };
  return { field: 'Free swap / Total swap', value, text: t('x.swap-left', { free: formatKb(free) }), tone: 'ok' };
}

function victimItem(kill: OomKill, t: T): ExplainItem {
  const sub: ExplainItem[] = [];
  if (kill.anonRssKb !== null) sub.push({ field: 'anon-rss', value: formatKb(kill.anonRssKb), text: t('x.anon-rss') });
  if (kill.fileRssKb !== null) sub.push({ field: 'file-rss', value: formatKb(kill.fileRssKb), text: t('x.file-rss') });
  if (kill.shmemRssKb !== null) sub.push({ field: 'shmem-rss', value: formatKb(kill.shmemRssKb), text: t('x.shmem-rss') });
  const swap = kill.victimTask?.swapKb;
  if (swap !== undefined && swap !== null) sub.push({ field: 'swapents', value: formatKb(swap), text: t('x.victim-swap') });
  if (kill.totalVmKb !== null) sub.push({ field: 'total-vm', value: formatKb(kill.totalVmKb), text: t('x.total-vm') });
  const pgtables = kill.pgtablesKb ?? kill.victimTask?.pgtablesKb ?? null;
  if (pgtables !== null) sub.push({ field: 'pgtables', value: formatKb(pgtables), text: t('x.pgtables') });
  if (kill.uid !== null) sub.push({ field: 'UID', value: String(kill.uid), text: t(kill.uid === 0 ? 'x.uid-root' : 'x.uid') });
  return { field: 'Killed process', value: `${kill.name ?? '?'} (pid ${kill.pid ?? '?'})`, text: t('x.victim'), items: sub };
}

function adjItem(kill: OomKill, t: T): ExplainItem {
  const adj = kill.oomScoreAdj!;
  const total = totalPagesOf(kill);
  const shift = total === null ? '?' : formatKb((Math.abs(adj) * total * (kill.pageSizeKb ?? 4)) / 1000);
  const code = adj === 0 ? 'x.adj-zero' : adj <= -1000 ? 'x.adj-never' : adj >= 1000 ? 'x.adj-first' : adj > 0 ? 'x.adj-plus' : 'x.adj-minus';
  return { field: 'oom_score_adj', value: String(adj), text: t(code, { adj, share: `${(Math.abs(adj) / 10).toFixed(1)}%`, size: shift }), tone: adj > 0 ? 'warn' : undefined };
}

function whyItem(kill: OomKill, t: T, lang: Lang): ExplainItem | null {
  const version = parseKernelVersion(kill.kernelVersion);
  if (version && (version.major < 2 || (version.major === 2 && (version.minor < 6 || (version.minor === 6 && version.patch < 36))))) {
    return { field: 'badness', value: kill.selected?.score != null ? String(kill.selected.score) : '', text: t('x.why-old') };
  }
  const page = kill.pageSizeKb ?? 4;
  const total = totalPagesOf(kill);
  const parts: string[] = [t('x.why-formula')];
  let value = '';
  const victim = kill.victimTask ?? (kill.anonRssKb !== null && kill.pid !== null && kill.name !== null
    ? { pid: kill.pid, name: kill.name, rssKb: (kill.anonRssKb ?? 0) + (kill.fileRssKb ?? 0) + (kill.shmemRssKb ?? 0), swapKb: null, pgtablesKb: kill.pgtablesKb, oomScoreAdj: kill.oomScoreAdj }
    : null);
  if (kill.selected) {
    parts.push(t('x.why-child', { parent: kill.selected.name, ppid: kill.selected.pid, score: kill.selected.score ?? '?', child: kill.name ?? '?' }));
    value = kill.selected.score !== null ? message(lang, 'explain.score', { score: kill.selected.score }) : '';
  }
  if (victim) {
    const b = badnessPages(victim, page);
    const adj = victim.oomScoreAdj ?? kill.oomScoreAdj;
    const score = total ? scoreOf(b.pages, adj, total) : null;
    if (!kill.selected) value = score !== null ? `≈ ${score} / 1000` : message(lang, 'explain.pages', { pages: b.pages });
    parts.push(
      t(b.complete ? 'x.why-victim' : 'x.why-victim-rss', {
        name: victim.name,
        rss: Math.round(victim.rssKb / page),
        swap: Math.round((victim.swapKb ?? 0) / page),
        pgtables: Math.round((victim.pgtablesKb ?? 0) / page),
        pages: b.pages,
        size: formatKb(b.pages * page),
        adj: adj ?? 0,
        score: score ?? '?',
      }),
    );
    // The runner-up by the kernel's own ranking where the task table had the columns for it, else by resident size.
    const others = (kill.topByBadness ?? kill.topConsumers ?? []).filter((c) => c.pid !== victim.pid);
    if (others.length > 0 && total) {
      const ranked = others
        .map((c) => ({ c, score: scoreOf(badnessPages(c, page).pages, c.oomScoreAdj ?? null, total) }))
        .sort((a, b) => b.score - a.score);
      const next = ranked[0]!;
      const nextAdj = next.c.oomScoreAdj ?? 0;
      const who = nextAdj !== 0 ? `${next.c.name} (oom_score_adj ${nextAdj})` : next.c.name;
      parts.push(t(next.score > (score ?? 0) ? 'x.why-runner-up-higher' : 'x.why-runner-up', { name: who, score: next.score }));
    }
  }
  return { field: 'badness', value, text: parts.join(sentenceGap(lang)) };
}

/**
 * The explanation as terminal lines: `field = value`, the sentence under it, sub-items as `· field = value — text`.
 * `escape` makes log text safe for the terminal; `mark` paints the figures that explain the kill.
 */
export function explainLines(items: ExplainItem[], indent: string, escape: (s: string) => string, mark: (s: string) => string = (s) => s): string[] {
  const lines: string[] = [];
  for (const item of items) {
    const head = `${item.field}${item.value ? ` = ${item.value}` : ''}`;
    lines.push(`${indent}${item.tone === 'bad' ? mark(`! ${escape(head)}`) : `  ${escape(head)}`}`);
    lines.push(`${indent}    ${escape(item.text)}`);
    for (const sub of item.items ?? []) {
      const subHead = `${sub.field}${sub.value ? ` = ${sub.value}` : ''}`;
      const line = `${indent}    · ${escape(subHead)} — ${escape(sub.text)}`;
      lines.push(sub.tone === 'bad' ? mark(line) : line);
    }
  }
  return lines;
}
