// Every field explained: the gfp mask read per kernel era, Mem-Info captured, and the explanation's figures,
// each expected value worked out by hand from the file (line numbers count the `# source:` line as line 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import { readGfpMask, parseKernelVersion } from '../../src/recognise/kernel/gfp-flags.js';
import { recogniseOomLine } from '../../src/recognise/kernel/oom-lines.js';
import { badnessPages, explainKill, explainLines, scoreOf, totalPagesOf, type ExplainItem } from '../../src/tell/explain.js';

import { corpusFile, fixture } from '../support/paths.js';

async function kills(path: string) {
  const report = await diagnose({ kernel: [path], check: [], app: [], dir: [], tz: 'UTC', year: 2024 });
  return report.oomKills;
}

function item(items: ExplainItem[], field: string): ExplainItem {
  const found = items.find((i) => i.field === field);
  assert.ok(found, `no explanation item ${field} in ${items.map((i) => i.field).join(', ')}`);
  return found;
}

test('kernel versions: release numbers and vendor kernels', () => {
  assert.deepEqual(parseKernelVersion('5.15.0-113-generic'), { major: 5, minor: 15, patch: 0, vendor: null });
  assert.deepEqual(parseKernelVersion('2.6.32-642.11.1.el6.x86_64'), { major: 2, minor: 6, patch: 32, vendor: 'el6' });
  assert.deepEqual(parseKernelVersion('3.10.0-514.6.1.el7.x86_64')?.vendor, 'el7');
  assert.equal(parseKernelVersion('4.14.35-2047.500.9.uek')?.vendor, 'uek');
  assert.equal(parseKernelVersion(null), null);
  assert.equal(parseKernelVersion('unknown'), null);
});

test('gfp mask: printed names are taken as printed and expanded for the reading', () => {
  const r = readGfpMask('0x140dca', ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_ZERO'], '6.1.1-arch1-1');
  assert.equal(r.source, 'printed');
  assert.deepEqual(r.names, ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_ZERO']);
  assert.ok(r.flags.includes('__GFP_MOVABLE') && r.flags.includes('__GFP_HARDWALL') && r.flags.includes('__GFP_ZERO'));
  assert.equal(r.kind, 'user-movable');
  assert.equal(readGfpMask('0xcc0', ['GFP_KERNEL'], '5.13.0-19-generic').kind, 'kernel');
  assert.equal(readGfpMask('0x400cc0', ['GFP_KERNEL_ACCOUNT'], '5.15.0').kind, 'kernel-accounted');
  assert.equal(readGfpMask('0x0', null, '5.15.0').source, 'none');
});

test('gfp mask: hex of 2.6.32–4.3 decoded with that layout (gfp.h: WAIT 0x10, HARDWALL 0x20000, ZERO 0x8000)', () => {
  // 0x280da = 0x20000 HARDWALL + 0x8000 ZERO + 0x80 FS + 0x40 IO + 0x10 WAIT + 0x08 MOVABLE + 0x02 HIGHMEM.
  const a = readGfpMask('0x280da', null, '3.13.0-27-generic');
  assert.equal(a.source, 'decoded');
  assert.equal(a.layout, '2.6.32–4.3');
  assert.deepEqual(a.names, ['GFP_HIGHUSER_MOVABLE', '__GFP_ZERO']);
  assert.equal(a.unknownBits, null);
  assert.equal(a.kind, 'user-movable');
  // 0xd0 = WAIT|IO|FS = GFP_KERNEL in this era.
  const b = readGfpMask('0xd0', null, '3.13.0-43-generic');
  assert.deepEqual(b.names, ['GFP_KERNEL']);
  assert.equal(b.kind, 'kernel');
  // 0x201da = GFP_HIGHUSER_MOVABLE (0x200da) | __GFP_COLD (0x100).
  assert.deepEqual(readGfpMask('0x201da', null, '3.10.108').names, ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  // 0x2000 is __GFP_MEMALLOC from 3.10 on but unused in 2.6.32: there it stays unnamed.
  const c = readGfpMask('0x20d0', null, '2.6.32');
  assert.deepEqual(c.names, ['GFP_KERNEL']);
  assert.equal(c.unknownBits, '0x2000');
  assert.equal(c.source, 'partial');
});

test('gfp mask: hex of 4.4 and 4.5 decoded with the reclaim-bits layout', () => {
  // 4.4: DIRECT_RECLAIM 0x400000 + KSWAPD_RECLAIM 0x2000000; 0x24201ca = GFP_HIGHUSER_MOVABLE (0x24200ca) | COLD 0x100.
  const a = readGfpMask('0x24201ca', null, '4.4.0-21-generic');
  assert.equal(a.layout, '4.4–4.5');
  assert.deepEqual(a.names, ['GFP_HIGHUSER_MOVABLE', '__GFP_COLD']);
  // 4.5 turned 0x100000 into __GFP_ACCOUNT: 0x25000c0 = GFP_KERNEL_ACCOUNT; in 4.4 the same bit is __GFP_NOACCOUNT.
  assert.deepEqual(readGfpMask('0x25000c0', null, '4.5.7').names, ['GFP_KERNEL_ACCOUNT']);
  assert.deepEqual(readGfpMask('0x25000c0', null, '4.4.7').names, ['GFP_KERNEL', '__GFP_NOACCOUNT']);
});

test('gfp mask: without a version, or on a vendor kernel, only the bits stable since 2.6.32 are named', () => {
  // RHEL 7's 0x201da: stable bits HIGHMEM 0x02, MOVABLE 0x08, IO 0x40, FS 0x80 → 0xca; 0x20110 stays undecoded.
  const a = readGfpMask('0x201da', null, '3.10.0-514.6.1.el7.x86_64');
  assert.equal(a.source, 'partial');
  assert.equal(a.limit, 'vendor');
  assert.deepEqual(a.names, ['__GFP_HIGHMEM', '__GFP_MOVABLE', '__GFP_IO', '__GFP_FS']);
  assert.equal(a.unknownBits, '0x20110');
  assert.equal(a.kind, 'user-movable');
  const b = readGfpMask('0xd0', null, null);
  assert.equal(b.limit, 'no-version');
  assert.deepEqual(b.names, ['__GFP_IO', '__GFP_FS']);
  assert.equal(b.unknownBits, '0x10');
  assert.equal(b.kind, 'may-sleep');
  const c = readGfpMask('0xd0', null, '2.6.18-1.el5');
  assert.equal(c.limit, 'vendor');
  const d = readGfpMask('0xd0', null, '2.6.18');
  assert.equal(d.limit, 'unverified-version');
  assert.deepEqual(d.names, []);
});

test('Mem-Info lines are recognised: summary pairs, zones, lowmem_reserve, page cache', () => {
  assert.deepEqual(recogniseOomLine(' slab_reclaimable:130091 slab_unreclaimable:89303'), {
    kind: 'mem-stats',
    values: { slab_reclaimable: 130091, slab_unreclaimable: 89303 },
  });
  assert.equal(recogniseOomLine(' dump_stack_lvl+0x48/0x60'), null);
  assert.deepEqual(
    recogniseOomLine('Node 0 Normal free:61900kB boost:8192kB min:61948kB low:75384kB high:88820kB reserved_highatomic:0KB active_anon:1529368kB present:13096960kB managed:12774792kB mlocked:64kB'),
    { kind: 'zone', node: 0, zone: 'Normal', freeKb: 61900, minKb: 61948, lowKb: 75384, highKb: 88820, managedKb: 12774792 },
  );
  assert.deepEqual(recogniseOomLine('Node 0 DMA: 3*4kB (U) 1*8kB = 20kB'), { kind: 'buddy', pageSizeKb: 4 });
  assert.deepEqual(recogniseOomLine('lowmem_reserve[]: 0 3191 15659 15659 15659'), { kind: 'lowmem-reserve', pages: [0, 3191, 15659, 15659, 15659] });
  assert.deepEqual(recogniseOomLine('44659 total pagecache pages'), { kind: 'pagecache', pages: 44659 });
});

test('corpus 22 (6.1, global, swap full): memInfo and the victim row as printed', async (t) => {
  const path = corpusFile(t, '22_archlinux_6.1.1_oomanalyser.log');
  if (!path) return;
  const [kill] = await kills(path);
  assert.ok(kill);
  const info = kill.memInfo!;
  // L30-L38 Mem-Info (pages × 4 KiB): free:34629, slab_reclaimable:130091, slab_unreclaimable:89303, shmem:19540.
  assert.equal(info.freeKb, 34629 * 4);
  assert.equal(info.slabReclaimableKb, 130091 * 4);
  assert.equal(info.slabUnreclaimableKb, 89303 * 4);
  assert.equal(info.shmemKb, 19540 * 4);
  assert.equal(info.activeAnonKb, 1413442 * 4);
  // L50 `44659 total pagecache pages`.
  assert.equal(info.pagecacheKb, 44659 * 4);
  // L40-L45 zone lines and their lowmem_reserve[] lines.
  assert.deepEqual(info.zones.map((z) => [z.zone, z.freeKb, z.minKb, z.lowKb, z.highKb]), [
    ['DMA', 13312, 64, 80, 96],
    ['DMA32', 63304, 13760, 17200, 20640],
    ['Normal', 61900, 61948, 75384, 88820],
  ]);
  assert.deepEqual(info.zones[0]!.lowmemReserveKb, [0, 3191 * 4, 15659 * 4, 15659 * 4, 15659 * 4]);
  assert.deepEqual(info.zones[1]!.lowmemReserveKb, [0, 0, 12468 * 4, 12468 * 4, 12468 * 4]);
  // L170 doxygen's row: rss 2308581, pgtables_bytes 60686336, swapents 5225427, oom_score_adj 0.
  assert.deepEqual(kill.victimTask, { pid: 473206, name: 'doxygen', rssKb: 2308581 * 4, swapKb: 5225427 * 4, pgtablesKb: 60686336 / 1024, oomScoreAdj: 0 });
});

test('corpus 22: the explanation, figure by figure', async (t) => {
  const path = corpusFile(t, '22_archlinux_6.1.1_oomanalyser.log');
  if (!path) return;
  const [kill] = await kills(path);
  const items = explainKill(kill!, 'en');
  assert.match(item(items, 'invoked oom-killer').value, /^doxygen \(pid 473206\)$/);
  assert.match(item(items, 'invoked oom-killer').text, /itself chosen and killed/);
  const gfp = item(items, 'gfp_mask');
  assert.equal(gfp.value, '0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)');
  assert.deepEqual(gfp.items!.map((i) => i.field), ['GFP_HIGHUSER_MOVABLE', '__GFP_COMP', '__GFP_ZERO']);
  assert.match(gfp.text, /page fault/);
  assert.match(item(items, 'order').text, /^One page \(4 KiB\)/);
  assert.equal(item(items, 'constraint').value, 'CONSTRAINT_NONE');
  // Zones: DMA 13312 ≤ 64 + 15659×4 (62636) and DMA32 63304 ≤ 13760 + 12468×4 (49872) are held back by
  // lowmem_reserve; Normal 61900 ≤ min 61948. Every zone exhausted.
  const zones = item(items, 'Mem-Info');
  assert.equal(zones.tone, 'bad');
  assert.deepEqual(zones.items!.map((z) => [z.field, z.tone]), [['Node 0 DMA', 'bad'], ['Node 0 DMA32', 'bad'], ['Node 0 Normal', 'bad']]);
  assert.match(zones.items![0]!.text, /keeps 61\.2 MiB back \(lowmem_reserve\)/);
  assert.match(zones.items![2]!.text, /at or below min 60\.5 MiB/);
  // L52-L53 swap: 84 kB free of 25165820 kB.
  const swap = item(items, 'Free swap / Total swap');
  assert.equal(swap.value, '84 KiB / 24.0 GiB');
  assert.equal(swap.tone, 'bad');
  // 44659 pages = 178636 KiB = 174.4 MiB; of RAM 4115400 × 4 = 16461600 KiB: 1.1%.
  assert.equal(item(items, 'total pagecache pages').value, '44659 × 4 KiB = 174.4 MiB');
  assert.match(item(items, 'total pagecache pages').text, /174\.4 MiB, 1\.1% of RAM/);
  // slab 130091 × 4 = 508.2 MiB, 89303 × 4 = 348.8 MiB = 2.2% of RAM.
  assert.equal(item(items, 'slab_reclaimable / slab_unreclaimable').value, '508.2 MiB / 348.8 MiB');
  assert.match(item(items, 'slab_reclaimable / slab_unreclaimable').text, /2\.2% of RAM/);
  // anon 9234320 + file 4 + shmem 0 = 9234324 KiB of 16461600: 56%.
  assert.equal(item(items, 'rss / RAM').value, '56%');
  assert.match(item(items, 'rss / RAM').text, /19\.9 GiB of it was in swap/);
  assert.match(item(items, 'oom_score_adj').text, /^No adjustment/);
  // badness = 2308581 + 5225427 + 60686336/4096 (14816) = 7548824 pages; all pages = (16461600 + 25165820)/4 =
  // 10406855; 7548824 × 1000 / 10406855 = 725.4. Runner-up by the same score: a chrome renderer with
  // oom_score_adj 300, pid 376692 (L147): 2362 + 57194 + 1826816/4096 (446) = 60002, + 300 × 10406855 / 1000 =
  // 3182058.5 → 305.8 (java, the second largest by rss, scores only 102.5 with adj 0).
  const why = item(items, 'badness');
  assert.equal(why.value, '≈ 725 / 1000');
  assert.match(why.text, /doxygen: 2308581 \+ 5225427 \+ 14816 = 7548824 pages/);
  assert.match(why.text, /Runner-up by the same score: chrome \(oom_score_adj 300\), about 306\./);
  assert.equal(kill!.topByBadness![1]!.pid, 376692);
  assert.equal(totalPagesOf(kill!), 10406855);
  assert.equal(badnessPages(kill!.victimTask!, 4).pages, 7548824);
  assert.equal(scoreOf(7548824, 0, 10406855), 725);
  assert.equal(item(items, 'oom_reaper').value, 'reaped');
});

test('corpus 01 (3.13, hex only) and 20 (RHEL 7): the mask read as far as the version allows', async (t) => {
  const path01 = corpusFile(t, '01_cadvisor_system_oom_3.13_syslog_dmesg.log');
  const path20 = corpusFile(t, '20_rhel7_3.10.0-514_dmesg_no_timestamps_oomanalyser.log');
  if (!path01 || !path20) return;
  const [a] = await kills(path01);
  const gfpA = item(explainKill(a!, 'en'), 'gfp_mask');
  assert.equal(gfpA.value, '0x280da → GFP_HIGHUSER_MOVABLE|__GFP_ZERO');
  assert.match(gfpA.text, /bit layout of Linux 2\.6\.32–4\.3/);
  const [b] = await kills(path20);
  const gfpB = item(explainKill(b!, 'en'), 'gfp_mask');
  assert.equal(gfpB.value, '0x201da → __GFP_HIGHMEM|__GFP_MOVABLE|__GFP_IO|__GFP_FS');
  assert.match(gfpB.text, /vendor kernel \(el7\).*0x20110 stays undecoded/);
});

test('corpus 21 (SysRq-f, order=-1): read as a kill asked for by hand, not a shortage', async (t) => {
  const path = corpusFile(t, '21_ubuntu21.10_5.13_sysrq_order-1_oomanalyser.log');
  if (!path) return;
  const [kill] = await kills(path);
  const items = explainKill(kill!, 'en');
  assert.match(item(items, 'invoked oom-killer').text, /SysRq-f handler/);
  assert.match(item(items, 'order').text, /invoked by hand/);
  assert.match(item(items, 'constraint').text, /asked for by hand/);
  // DMA32 had 1.6 GiB free, far above its watermarks: no zone was short.
  assert.ok(item(items, 'Mem-Info').items!.every((z) => z.tone === 'ok'));
});

test('the sample (5.15, no swap): explanation in English and Chinese, and as terminal lines', async () => {
  const path = fixture('samples', 'anqicms', 'kern.log');
  const report = await diagnose({ kernel: [path], check: [], app: [], dir: [], tz: 'Asia/Shanghai' });
  const kill = report.oomKills.find((k) => k.name === 'anqicms')!;
  const en = explainKill(kill, 'en');
  assert.equal(item(en, 'Free swap / Total swap').tone, 'warn');
  assert.match(item(en, 'Free swap / Total swap').text, /^No swap/);
  // The anqicms row: rss 365634 + swapents 0 + 3174400/4096 (775) = 366409 pages; all pages 524158 → 699.
  assert.equal(item(en, 'badness').value, '≈ 699 / 1000');
  // Runner-up by badness: mysqld 97544 + 0 + 1040384/4096 (254) = 97798 → 97798 × 1000 / 524158 = 186.6.
  assert.match(item(en, 'badness').text, /Runner-up by the same score: mysqld, about 187\./);
  const zh = explainKill(kill, 'zh-CN');
  assert.match(item(zh, 'Free swap / Total swap').text, /^没有交换空间：/); // the glossary: swap → 交换空间
  assert.doesNotMatch(item(zh, 'Free swap / Total swap').text, /swap/);
  assert.match(item(zh, 'badness').text, /约 699 \/ 1000/);
  const lines = explainLines(en, '  ', (s) => s);
  assert.ok(lines.some((l) => l.startsWith('    gfp_mask = 0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)')));
});
