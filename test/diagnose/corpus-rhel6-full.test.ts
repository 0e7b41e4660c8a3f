// The whole RHEL 6 /var/log/messages (kernel 2.6.32-642.11.1.el6.x86_64) that corpus file 03
// was cut from: 34189 lines, Jun 19 05:43:21 – Jun 20 20:32:45, two boots, 20 OOM kills in one
// 92-second storm. Every figure below was read off the file by hand (grep/sed/awk, line numbers
// 1-based, the `# source:` line is line 1, line 2 is empty): never from oomscope's own output.
//
// Year: 2017. No syslog line carries a year, but line 32638 (kernel, second boot) says
// `rtc_cmos 00:04: setting system clock to 2017-06-20 03:14:46 UTC`, the same Jun 20; ntpd at line
// 32888 was built `Mon Feb  6 … 2017`. (That RTC line also shows the host ran at UTC+10; this test
// reads the stamps in UTC as asked, so every time below is the syslog wall clock read as UTC.)
//
// Boots:
// - boot 1: from the top of the file to line 32109 (last kernel line with `[15180376.731468]`);
//   it started before the file did, so it has no `Linux version` line. All 20 kills are in it.
// - boot 2: rsyslog restarts at line 32110 (`imklog 5.8.10, log source = /proc/kmsg started.`),
//   `Linux version 2.6.32-642.11.1.el6.x86_64 …` at 32114, uptime falls back to `[    0.000000]`
//   at 32276; its ring-buffer lines are all stamped 13:16:08 (rsyslog's start), its calibration is
//   min(wall − uptime) = 13:14:43.734 (line 33077). No OOM kill happens in boot 2, so none of the
//   kills below uses boot 2's calibration; they must not use it either. (Lines 32290 → 32291 go
//   `[    0.001000]` → `[    0.000006]`: a TSC recalibration in early boot, not a third boot.)
//
// Time (contract §Time). Boot 1's time = min(wall − uptime) over the lines near the storm =
// 1482782526.494710 s = 2016-12-26T20:02:06.494710Z, reached at line 31056 (kill 19's own line,
// `Jun 20 12:48:22` − 15180375.505290). The same value results for any window of ±90 s around
// each kill up to the whole boot (the uptime clock gains ~28 s every 8 h on the wall clock — see
// the `talpa-cache` lines at 1055/4831/10933/12338 — so earlier lines only give larger
// offsets). Each kill's time = that + its uptime. During the storm rsyslog/imklog fell behind the
// kernel: the kill lines' own wall stamps are 0–19.3 s LATE (kill 2: stamped 12:47:42, kernel
// clock 12:47:22.716), so "within 1.5 s of the kill line's own wall stamp" does not hold here;
// the test checks the exact date/hour/minute of boot + uptime and ±0.25 s (a ±60 s window would
// move kill 1 by 0.169 s; windows of 30 s or less are wrong by ~10 s for the early kills).
//
// The storm overran the kernel's ring buffer (klogd was that far behind), so two blocks are
// damaged. The kill lines themselves are all intact.
// - Kill 2 (kill line 15816, `Killed process 13929` at 15180316.221882): the header above it
//   (14860, `php-fpm invoked oom-killer` at 15180302.218110) is another invocation's ("event A").
//   Event A's task table runs from 14951 to the spliced row at 15405
//   (`[23093]    48 23093    53756      863   8       0     p-fpm`, cut and glued to a stranger's
//   tail); line 15406 jumps 13.3 s on the kernel clock (15180302.651394 → 15180315.959741) and
//   starts a second walk of the task list (pid 23033 is listed at 15345 AND 15416). So rows
//   15406–15814 and the kill at 15815/15816 belong to a later invocation ("event B") whose header,
//   `Pid:` line, Mem-Info, swap and RAM lines and the first part of its table (including 13929's
//   own row) were lost; event A's kill lines were lost. Hence kill 2: incomplete, trigger,
//   ramKb, swap, oomScoreAdj and kernelVersion null (not seen in its block), topConsumers not
//   asserted (partial table). Event A has no kill line, so it is not an oomKills entry.
// - Kill 3 (header 15817, kill 16266): one invocation (header 15180321.768572, kill 0.61 s later,
//   like every other block), but everything from `CPU    8` of `Node 0 DMA32 per-cpu` (15864,
//   15180321.785320) to the row of pid 23033 is gone: line 15865 is `kernel: [123033]    48 23033 …`
//   (no uptime) and the next line is 0.334 s later, about 575 lines' worth. Lost with them: the
//   swap and `pages RAM` lines, the `[ pid ]` table header and the victim 14278's row. Hence
//   kill 3: incomplete, ramKb/swap/oomScoreAdj null; trigger and kernelVersion are present
//   (15817, 15819); topConsumers not asserted (partial table).
// - Line 19232 (kill 7's table) has a corrupt stamp `[15180329.new] [22944] …`; nothing was lost
//   there (its neighbours are 1.157 ms apart, two rows' worth) and that row (18226 pages) is not
//   in kill 7's top five, so kill 7 is complete.
//
// Every block: 2.6.32 prints `<comm> invoked oom-killer: gfp_mask=0x…, order=N, oom_adj=N,
// oom_score_adj=N`, `<comm> cpuset=/ mems_allowed=0`, `Pid: N, comm: X Not tainted
// 2.6.32-642.11.1.el6.x86_64 #1`, Mem-Info, `Free swap  = NkB`, `Total swap = 2097148kB`,
// `8388607 pages RAM`, the table headed `[ pid ]   uid  tgid total_vm      rss cpu oom_adj
// oom_score_adj name`, `Out of memory: Kill process N (comm) score S or sacrifice child`, and
// `Killed process N, UID N, (comm) total-vm:…kB, anon-rss:…kB, file-rss:…kB` (no shmem-rss, no
// pgtables, no oom_reaper in 2.6.32). The selected pid equals the killed pid in all 20, so
// `selected` is null throughout. Nothing says memcg (no `Task in … killed as a result of limit`,
// the prefix is `Out of memory`, not `Memory cgroup out of memory`): constraint `global`.
//
// anon-rss + file-rss (kill line) vs the victim's task-table rss × 4 kB (row printed ~0.5 s
// before the kill line, the victim kept running; RHEL 6 also batches rss per thread):
//   1: 13132 vs 13148 (−16)   2: row lost (event A's row 15204, 14 s older: 218196 vs 218136)
//   3: row lost               4: 217080 vs 217088 (−8)   5: 216544 = 216544
//   6: 214232 vs 214260 (−28) 7: 217004 =   8: 209328 =   9: 219144 vs 219480 (−336, 0.15 %)
//  10: 216496 =  11: 214972 vs 214988 (−16)  12: 219424 =  13: 217660 =  14: 217184 =
//  15: 215452 vs 215464 (−12) 16: 193536 =  17: 196876 =  18: 195188 =  19: 194696 =
//  20: 196488 vs 196540 (−52). None disagrees by more than 84 pages.

import { test, before } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { OomKill, Report } from '../../src/index.js';
import { corpusDir, corpusFile } from '../support/paths.js';

const FILE = 'rhel6_2.6.32_var_log_messages_full.log';
const YEAR = 2017;
const KV = '2.6.32-642.11.1.el6.x86_64';
const RAM_KB = 8388607 * 4; // `8388607 pages RAM` × 4 kB = 33554428
const SWAP_KB = 2097148; // `Total swap = 2097148kB`

interface Expected {
  /** Line of this kill's own `invoked oom-killer` header (null: lost), of the victim's task-table row, of `Killed process`. */
  header: number | null;
  row: number | null;
  line: number;
  /** The kill line's own syslog stamp (what rsyslog wrote; kernel time is earlier, see above). */
  wall: string;
  uptime: number;
  /** Boot 1 (2016-12-26T20:02:06.494710Z) + uptime, truncated to ms. */
  time: string;
  pid: number;
  name: string;
  uid: number;
  totalVmKb: number;
  anonRssKb: number;
  fileRssKb: number;
  trigger: { pid: number; name: string; gfpMask: string; order: number } | null;
  ramKb: number | null;
  swapTotalKb: number | null;
  swapFreeKb: number | null;
  oomScoreAdj: number | null;
  kernelVersion: string | null;
  /** Top five rows by rss (pages × 4 kB), ties by pid; absent = not asserted (partial table). */
  top?: Array<[pid: number, name: string, rssKb: number]>;
  incomplete: boolean;
}

const SAV: Array<[number, string, number]> = [[15597, 'savscand', 239136], [15578, 'savscand', 235168]];

const KILLS: Expected[] = [
  // 1: header 13979 (Pid 13981), swap 14057–14058, RAM 14059, table header 14063, row 14109, `Kill process` 14857, kill 14858
  { header: 13979, row: 14109, line: 14858, wall: 'Jun 20 12:47:04', uptime: 15180286.180369, time: '2017-06-20T12:46:52.675+00:00',
    pid: 40738, name: 'mysqld', uid: 27, totalVmKb: 6424316, anonRssKb: 13128, fileRssKb: 4,
    trigger: { pid: 23212, name: 'php-fpm', gfpMask: '0x280da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [[15597, 'savscand', 239140], [15578, 'savscand', 235172], [17406, 'php-fpm', 221820], [14529, 'php-fpm', 220704], [14849, 'php-fpm', 220660]],
    incomplete: false },
  // 2: DAMAGED. Own header lost (14860 is event A's); own row lost; `Kill process` 15815, kill 15816
  { header: null, row: null, line: 15816, wall: 'Jun 20 12:47:42', uptime: 15180316.221882, time: '2017-06-20T12:47:22.716+00:00',
    pid: 13929, name: 'php-fpm', uid: 1002, totalVmKb: 737252, anonRssKb: 138288, fileRssKb: 79848,
    // kernelVersion: the version is a fact of the boot (line 13981 printed it in this boot), so a block that lost its own line still knows it.
    trigger: null, ramKb: null, swapTotalKb: null, swapFreeKb: null, oomScoreAdj: null, kernelVersion: KV,
    incomplete: true },
  // 3: DAMAGED. header 15817 (Pid 15819); swap/RAM/table header/row lost (gap after 15864); `Kill process` 16265, kill 16266
  { header: 15817, row: null, line: 16266, wall: 'Jun 20 12:47:43', uptime: 15180322.381182, time: '2017-06-20T12:47:28.875+00:00',
    pid: 14278, name: 'php-fpm', uid: 1002, totalVmKb: 752004, anonRssKb: 139876, fileRssKb: 79816,
    trigger: { pid: 4903, name: 'controller', gfpMask: '0x201da', order: 0 },
    ramKb: null, swapTotalKb: null, swapFreeKb: null, oomScoreAdj: null, kernelVersion: KV,
    incomplete: true },
  // 4: header 16267 (Pid 16269), swap 16346–16347, RAM 16348, table header 16352, row 16606, kill 17149
  { header: 16267, row: 16606, line: 17149, wall: 'Jun 20 12:47:43', uptime: 15180323.301047, time: '2017-06-20T12:47:29.795+00:00',
    pid: 14290, name: 'php-fpm', uid: 1002, totalVmKb: 746556, anonRssKb: 136404, fileRssKb: 80676,
    trigger: { pid: 23228, name: 'php-fpm', gfpMask: '0x280da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 222036], [14849, 'php-fpm', 220164], [14526, 'php-fpm', 219924]],
    incomplete: false },
  // 5: header 17150 (Pid 17152), swap 17226–17227 (`Free swap  = 4kB`), RAM 17228, table header 17232, row 17486, kill 18039
  { header: 17150, row: 17486, line: 18039, wall: 'Jun 20 12:47:47', uptime: 15180324.373394, time: '2017-06-20T12:47:30.868+00:00',
    pid: 14293, name: 'php-fpm', uid: 1002, totalVmKb: 746204, anonRssKb: 136056, fileRssKb: 80488,
    trigger: { pid: 23406, name: 'php-fpm', gfpMask: '0x84d0', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 4, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 221984], [14849, 'php-fpm', 220832], [14526, 'php-fpm', 220228]],
    incomplete: false },
  // 6: header 18040 (Pid 18042), swap 18120–18121, RAM 18122, table header 18126, row 18380, kill 18933
  { header: 18040, row: 18380, line: 18933, wall: 'Jun 20 12:47:47', uptime: 15180325.656395, time: '2017-06-20T12:47:32.151+00:00',
    pid: 14301, name: 'php-fpm', uid: 1002, totalVmKb: 734056, anonRssKb: 135108, fileRssKb: 79124,
    trigger: { pid: 23171, name: 'php-fpm', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 221024], [14529, 'php-fpm', 219908], [14849, 'php-fpm', 219836]],
    incomplete: false },
  // 7: header 18934 (Pid 18936), swap 19018–19019, RAM 19020, table header 19024, row 19278, kill 19831 (corrupt stamp at 19232, nothing lost)
  { header: 18934, row: 19278, line: 19831, wall: 'Jun 20 12:47:48', uptime: 15180330.210217, time: '2017-06-20T12:47:36.704+00:00',
    pid: 14302, name: 'php-fpm', uid: 1002, totalVmKb: 748192, anonRssKb: 135996, fileRssKb: 81008,
    trigger: { pid: 23108, name: 'php-fpm', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 220988], [14529, 'php-fpm', 219872], [14849, 'php-fpm', 219800]],
    incomplete: false },
  // 8: header 19832 (Pid 19834), swap 19914–19915, RAM 19916, table header 19920, row 20174, kill 20726
  { header: 19832, row: 20174, line: 20726, wall: 'Jun 20 12:47:48', uptime: 15180335.430267, time: '2017-06-20T12:47:41.924+00:00',
    pid: 14303, name: 'php-fpm', uid: 1002, totalVmKb: 727420, anonRssKb: 128600, fileRssKb: 80728,
    trigger: { pid: 31833, name: 'magent', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 221008], [14529, 'php-fpm', 219872], [14849, 'php-fpm', 219800]],
    incomplete: false },
  // 9: header 20727 (Pid 20729), swap 20805–20806, RAM 20807, table header 20811, row 21065, kill 21617
  { header: 20727, row: 21065, line: 21617, wall: 'Jun 20 12:47:50', uptime: 15180336.387035, time: '2017-06-20T12:47:42.881+00:00',
    pid: 14334, name: 'php-fpm', uid: 1002, totalVmKb: 749272, anonRssKb: 139132, fileRssKb: 80012,
    trigger: { pid: 23192, name: 'php-fpm', gfpMask: '0x280da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 220996], [14849, 'php-fpm', 220472], [14361, 'php-fpm', 220008]],
    incomplete: false },
  // 10: header 21618 (Pid 21620), swap 21697–21698, RAM 21699, table header 21703, row 21957, kill 22508
  { header: 21618, row: 21957, line: 22508, wall: 'Jun 20 12:47:50', uptime: 15180337.313747, time: '2017-06-20T12:47:43.808+00:00',
    pid: 14335, name: 'php-fpm', uid: 1002, totalVmKb: 745660, anonRssKb: 135524, fileRssKb: 80972,
    trigger: { pid: 23223, name: 'php-fpm', gfpMask: '0x280da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 221016], [14529, 'php-fpm', 219872], [14849, 'php-fpm', 219828]],
    incomplete: false },
  // 11: header 22509 (Pid 22511), swap 22588–22589, RAM 22590, table header 22594, row 22848, kill 23401
  { header: 22509, row: 22848, line: 23401, wall: 'Jun 20 12:47:50', uptime: 15180338.194910, time: '2017-06-20T12:47:44.689+00:00',
    pid: 14358, name: 'php-fpm', uid: 1002, totalVmKb: 733880, anonRssKb: 134912, fileRssKb: 80060,
    trigger: { pid: 23252, name: 'php-fpm', gfpMask: '0x280da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 221176], [14526, 'php-fpm', 220184], [14849, 'php-fpm', 219992]],
    incomplete: false },
  // 12: header 23402 (Pid 23404), swap 23485–23486, RAM 23487, table header 23491, row 23746, kill 24307
  { header: 23402, row: 23746, line: 24307, wall: 'Jun 20 12:47:50', uptime: 15180341.580094, time: '2017-06-20T12:47:48.074+00:00',
    pid: 14361, name: 'php-fpm', uid: 1002, totalVmKb: 749864, anonRssKb: 139728, fileRssKb: 79696,
    trigger: { pid: 19450, name: 'php-fpm', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 220988], [14529, 'php-fpm', 219872], [14849, 'php-fpm', 219800]],
    incomplete: false },
  // 13: header 24308 (Pid 24310), swap 24391–24392, RAM 24393, table header 24397, row 24652, kill 25213
  { header: 24308, row: 24652, line: 25213, wall: 'Jun 20 12:47:50', uptime: 15180343.196778, time: '2017-06-20T12:47:49.691+00:00',
    pid: 14362, name: 'php-fpm', uid: 1002, totalVmKb: 737404, anonRssKb: 138440, fileRssKb: 79220,
    trigger: { pid: 22997, name: 'php-fpm', gfpMask: '0xd0', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 221480], [14849, 'php-fpm', 220292], [14526, 'php-fpm', 220040]],
    incomplete: false },
  // 14: header 25215 (Pid 25217), swap 25297–25298, RAM 25299, table header 25303, row 25558, kill 26127
  { header: 25215, row: 25558, line: 26127, wall: 'Jun 20 12:47:52', uptime: 15180345.335829, time: '2017-06-20T12:47:51.830+00:00',
    pid: 14393, name: 'php-fpm', uid: 1002, totalVmKb: 746000, anonRssKb: 135864, fileRssKb: 81320,
    trigger: { pid: 23177, name: 'php-fpm', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [[15597, 'savscand', 239136], [15578, 'savscand', 235172], [17406, 'php-fpm', 221384], [14529, 'php-fpm', 220408], [14849, 'php-fpm', 220196]],
    incomplete: false },
  // 15: header 26129 (Pid 26131), swap 26213–26214, RAM 26215, table header 26219, row 26475, kill 27076
  { header: 26129, row: 26475, line: 27076, wall: 'Jun 20 12:48:02', uptime: 15180348.216770, time: '2017-06-20T12:47:54.711+00:00',
    pid: 14396, name: 'php-fpm', uid: 1002, totalVmKb: 749468, anonRssKb: 139364, fileRssKb: 76088,
    trigger: { pid: 14418, name: 'php-fpm', gfpMask: '0xd0', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 216856], [14529, 'php-fpm', 215748], [14849, 'php-fpm', 215616]],
    incomplete: false },
  // 16: header 27078 (Pid 27080), swap 27155–27156, RAM 27157, table header 27161, row 27417, kill 28032
  { header: 27078, row: 27417, line: 28032, wall: 'Jun 20 12:48:05', uptime: 15180358.277006, time: '2017-06-20T12:48:04.771+00:00',
    pid: 14397, name: 'php-fpm', uid: 1002, totalVmKb: 745748, anonRssKb: 135604, fileRssKb: 57932,
    trigger: { pid: 23197, name: 'php-fpm', gfpMask: '0xd0', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 198672], [14529, 'php-fpm', 198172], [14849, 'php-fpm', 198160]],
    incomplete: false },
  // 17: header 28034 (Pid 28036), swap 28111–28112, RAM 28113, table header 28117, row 28374, kill 29019
  { header: 28034, row: 28374, line: 29019, wall: 'Jun 20 12:48:17', uptime: 15180360.269252, time: '2017-06-20T12:48:06.763+00:00',
    pid: 14418, name: 'php-fpm', uid: 1002, totalVmKb: 737760, anonRssKb: 138800, fileRssKb: 58076,
    trigger: { pid: 23323, name: 'php-fpm', gfpMask: '0x280da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 199228], [14849, 'php-fpm', 198716], [14529, 'php-fpm', 198528]],
    incomplete: false },
  // 18: header 29021 (Pid 29023), swap 29101–29102, RAM 29103, table header 29107, row 29364, kill 30029
  { header: 29021, row: 29364, line: 30029, wall: 'Jun 20 12:48:20', uptime: 15180373.349973, time: '2017-06-20T12:48:19.844+00:00',
    pid: 14419, name: 'php-fpm', uid: 1002, totalVmKb: 746652, anonRssKb: 136564, fileRssKb: 58624,
    trigger: { pid: 23454, name: 'php-fpm', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [[15597, 'savscand', 239136], [15578, 'savscand', 235240], [17406, 'php-fpm', 198932], [14849, 'php-fpm', 198420], [14529, 'php-fpm', 198164]],
    incomplete: false },
  // 19: header 30030 (Pid 30032), swap 30118–30119, RAM 30120, table header 30124, row 30381, kill 31056 (rsyslog line 31067 inside: not kernel)
  { header: 30030, row: 30381, line: 31056, wall: 'Jun 20 12:48:22', uptime: 15180375.505290, time: '2017-06-20T12:48:22.000+00:00',
    pid: 14420, name: 'php-fpm', uid: 1002, totalVmKb: 746016, anonRssKb: 135876, fileRssKb: 58820,
    trigger: { pid: 5174, name: 'spooler', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 198972], [14849, 'php-fpm', 198620], [14529, 'php-fpm', 198184]],
    incomplete: false },
  // 20: header 31057 (Pid 31059), swap 31140–31141, RAM 31142, table header 31146, row 31403, kill 32109
  { header: 31057, row: 31403, line: 32109, wall: 'Jun 20 12:48:24', uptime: 15180376.731468, time: '2017-06-20T12:48:23.226+00:00',
    pid: 14421, name: 'php-fpm', uid: 1002, totalVmKb: 737260, anonRssKb: 138312, fileRssKb: 58176,
    trigger: { pid: 3289, name: 'rg-listener', gfpMask: '0x201da', order: 0 },
    ramKb: RAM_KB, swapTotalKb: SWAP_KB, swapFreeKb: 0, oomScoreAdj: 0, kernelVersion: KV,
    top: [...SAV, [17406, 'php-fpm', 199168], [14849, 'php-fpm', 198652], [14529, 'php-fpm', 198296]],
    incomplete: false },
];

// One diagnosis for every test: started in `before` when the corpus is there; each test still
// calls corpusFile so that a missing corpus skips it (or fails it under CI=true).
let pending: Promise<Report> | undefined;
const run = (path: string): Promise<Report> => diagnose({ kernel: [path], tz: 'UTC', year: YEAR });

before(() => {
  const path = join(corpusDir, FILE);
  if (!existsSync(path)) return;
  pending = run(path);
  pending.catch(() => {}); // the tests that await it report the failure
});

async function load(t: TestContext): Promise<{ path: string; report: Report } | undefined> {
  const path = corpusFile(t, FILE);
  if (!path) return undefined;
  pending ??= run(path);
  return { path, report: await pending };
}

function at(kills: OomKill[], i: number): OomKill {
  const k = kills[i];
  assert.ok(k, `kill ${i + 1} is missing`);
  return k;
}

const ISO_MS_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

test('rhel6 full: one syslog-rfc3164 kernel source, read to the end', async (t) => {
  const got = await load(t);
  if (!got) return;
  const { path, report } = got;
  assert.equal(report.sources.length, 1);
  const src = report.sources[0];
  assert.ok(src);
  assert.equal(src.path, path);
  assert.equal(src.role, 'kernel');
  assert.equal(src.format, 'syslog-rfc3164');
  assert.equal(src.lines, 34189); // `wc -l`; the file ends with a newline
  assert.equal(src.from, '2017-06-19T05:43:21.000+00:00'); // line 3, first stamped line (rsyslogd)
  assert.equal(src.to, '2017-06-20T20:32:45.000+00:00'); // line 34189 (rsyslogd)
  assert.equal(src.complete, true); // the damage is inside the log, the read itself was not cut short
});

test('rhel6 full: exactly the 20 `Killed process` records, in file order', async (t) => {
  const got = await load(t);
  if (!got) return;
  const { path, report } = got;
  assert.equal(report.oomKills.length, 20);
  const ids = new Set(report.oomKills.map((k) => k.id));
  assert.equal(ids.size, 20, 'kill ids are unique');
  KILLS.forEach((e, i) => {
    const k = at(report.oomKills, i);
    const ev = k.evidence.find((x) => x.line === e.line);
    assert.ok(ev, `kill ${i + 1}: evidence names line ${e.line}`);
    assert.equal(ev.path, path, `kill ${i + 1}: evidence path`);
    assert.ok(ev.text.startsWith(`${e.wall} new-db1 kernel: [`), `kill ${i + 1}: evidence text is the line: ${ev.text}`);
    assert.ok(ev.text.includes(`Killed process ${e.pid}, UID ${e.uid}, (${e.name})`), `kill ${i + 1}: evidence text`);
  });
});

test('rhel6 full: the victim as the kill line states it', async (t) => {
  const got = await load(t);
  if (!got) return;
  KILLS.forEach((e, i) => {
    const k = at(got.report.oomKills, i);
    const w = `kill ${i + 1} (line ${e.line})`;
    assert.equal(k.pid, e.pid, `${w}: pid`);
    assert.equal(k.name, e.name, `${w}: name`);
    assert.equal(k.uid, e.uid, `${w}: uid`);
    assert.equal(k.totalVmKb, e.totalVmKb, `${w}: totalVmKb`);
    assert.equal(k.anonRssKb, e.anonRssKb, `${w}: anonRssKb`);
    assert.equal(k.fileRssKb, e.fileRssKb, `${w}: fileRssKb`);
    assert.equal(k.shmemRssKb, null, `${w}: 2.6.32 prints no shmem-rss`);
    assert.equal(k.pgtablesKb, null, `${w}: 2.6.32 prints no pgtables`);
    assert.equal(k.uptimeSeconds, e.uptime, `${w}: uptimeSeconds`);
    assert.equal(k.selected, null, `${w}: \`Out of memory: Kill process\` names the killed pid`);
    assert.equal(k.reaped, null, `${w}: 2.6.32 has no oom_reaper`);
  });
});

test('rhel6 full: kill times are boot 1 (2016-12-26T20:02:06.4947Z) + uptime, not the late syslog stamps', async (t) => {
  const got = await load(t);
  if (!got) return;
  let previous = -Infinity;
  KILLS.forEach((e, i) => {
    const k = at(got.report.oomKills, i);
    const w = `kill ${i + 1} (line ${e.line}, stamped ${e.wall})`;
    assert.ok(k.time !== null, `${w}: time`);
    assert.match(k.time, ISO_MS_UTC, `${w}: ISO-8601 with ms and the --tz offset`);
    assert.equal(k.time.slice(0, 16), e.time.slice(0, 16), `${w}: date, hour and minute (got ${k.time}, want ${e.time})`);
    const off = Math.abs(Date.parse(k.time) - Date.parse(e.time));
    assert.ok(off <= 250, `${w}: ${k.time} is ${off} ms from ${e.time}`);
    // the kernel printed the line before rsyslog stamped it (stamps are whole seconds, floored)
    const stamp = Date.parse(`${YEAR}-06-20T${e.wall.slice(7)}.000Z`);
    assert.ok(Date.parse(k.time) < stamp + 1000, `${w}: ${k.time} after its own syslog stamp`);
    assert.ok(Date.parse(k.time) > previous, `${w}: kernel time runs forward within boot 1`);
    previous = Date.parse(k.time);
  });
});

test('rhel6 full: the reboot at line 32110–32276 comes after every kill', async (t) => {
  const got = await load(t);
  if (!got) return;
  // Boot 2 starts at 13:14:43.734 by its own calibration (min over its lines, line 33077); every
  // kill is in boot 1, before line 32110, and its time is taken from boot 1's calibration.
  const boot2 = Date.parse('2017-06-20T13:14:43.734Z');
  got.report.oomKills.forEach((k, i) => {
    assert.ok(k.evidence.every((x) => x.path !== got.path || x.line < 32110), `kill ${i + 1}: evidence inside boot 1`);
    assert.ok(k.time !== null && Date.parse(k.time) < boot2 - 25 * 60 * 1000, `kill ${i + 1}: ${k.time} is in boot 1`);
  });
});

test('rhel6 full: trigger, constraint, kernel and memory figures of each block', async (t) => {
  const got = await load(t);
  if (!got) return;
  KILLS.forEach((e, i) => {
    const k = at(got.report.oomKills, i);
    const w = `kill ${i + 1} (header ${e.header ?? 'lost'}, kill ${e.line})`;
    const tr = k.trigger;
    const trigger = tr === null || (tr.pid === null && tr.name === null && tr.gfpMask === null && tr.order === null)
      ? null
      : { pid: tr.pid, name: tr.name, gfpMask: tr.gfpMask, order: tr.order };
    assert.deepEqual(trigger, e.trigger, `${w}: trigger`);
    if (tr !== null) assert.equal(tr.gfpFlags, null, `${w}: 2.6.32 prints the gfp mask as hex only`);
    assert.equal(k.constraint, 'global', `${w}: constraint`);
    assert.equal(k.memcg, null, `${w}: memcg`);
    assert.equal(k.limitKb, null, `${w}: limitKb`);
    assert.equal(k.usageKb, null, `${w}: usageKb`);
    assert.equal(k.kernelVersion, e.kernelVersion, `${w}: kernelVersion (from \`Pid: N, comm: X Not tainted …\`)`);
    assert.equal(k.ramKb, e.ramKb, `${w}: ramKb`);
    assert.equal(k.swapTotalKb, e.swapTotalKb, `${w}: swapTotalKb`);
    assert.equal(k.swapFreeKb, e.swapFreeKb, `${w}: swapFreeKb`);
  });
});

test('rhel6 full: oomScoreAdj and topConsumers from each task table', async (t) => {
  const got = await load(t);
  if (!got) return;
  let checkedTops = 0;
  KILLS.forEach((e, i) => {
    const k = at(got.report.oomKills, i);
    const w = `kill ${i + 1} (row ${e.row ?? 'lost'})`;
    assert.equal(k.oomScoreAdj, e.oomScoreAdj, `${w}: oomScoreAdj`);
    if (!e.top) return;
    assert.ok(k.topConsumers, `${w}: topConsumers`);
    assert.deepEqual(
      k.topConsumers.map((c) => ({ pid: c.pid, name: c.name, rssKb: c.rssKb })),
      e.top.map(([pid, name, rssKb]) => ({ pid, name, rssKb })),
      `${w}: topConsumers`,
    );
    checkedTops++;
  });
  assert.equal(checkedTops, 18);
});

test('rhel6 full: only the two blocks the ring buffer cut are incomplete', async (t) => {
  const got = await load(t);
  if (!got) return;
  const { report } = got;
  KILLS.forEach((e, i) => {
    assert.equal(at(report.oomKills, i).incomplete, e.incomplete, `kill ${i + 1} (line ${e.line}): incomplete`);
  });
  // No warning may say that one of the 18 whole blocks was cut off.
  const whole = KILLS.filter((e) => !e.incomplete).map((e) => e.line);
  for (const warning of report.warnings) {
    assert.equal(typeof warning.code, 'string');
    assert.equal(typeof warning.message, 'string');
    if (!/incomplete|cut off|cut short|truncat|lost|missing/i.test(warning.message)) continue;
    for (const line of whole) {
      assert.ok(!new RegExp(`\\b${line}\\b`).test(warning.message), `warning calls the block of line ${line} incomplete: ${warning.message}`);
    }
  }
});
