// Builds complete kernel OOM-killer blocks of every era (formats.md §3) as "records":
// one record = one printk call, possibly of several lines (a multi-line record such as the
// `active_anon:` summary or cgroup v2's memory.stat). Renderers (generate.mjs) turn records
// into log lines of a shape (§4): rsyslog with `[uptime]`, rsyslog imjournal (`#012`, no
// uptime), or `dmesg -T`.
//
// Line shapes follow the real logs in ../shared/corpus/kernel/ and the kernel sources;
// every value (pids, sizes, addresses, offsets) is generated here.

/** The variants spread through a generated syslog: every era and every log shape. */
export const VARIANTS = [
  { id: 'rhel6-2.6.32-global', era: '2.6.32', constraint: 'global', shape: 'syslog' },
  { id: 'rhel6-2.6.32-child', era: '2.6.32', constraint: 'global', child: true, shape: 'syslog' },
  { id: 'ubuntu-3.13-global', era: '3.13', constraint: 'global', shape: 'syslog' },
  { id: 'ubuntu-3.13-memcg-v1', era: '3.13', constraint: 'memcg', shape: 'syslog' },
  { id: 'rhel7-3.10-global-child', era: '3.10', constraint: 'global', child: true, shape: 'syslog' },
  { id: 'ubuntu-4.13-global', era: '4.13', constraint: 'global', shape: 'syslog' },
  { id: 'ubuntu-4.15-memcg-v1', era: '4.15', constraint: 'memcg', shape: 'syslog' },
  { id: 'ubuntu-5.4-global', era: '5.4', constraint: 'global', shape: 'syslog' },
  { id: 'ubuntu-5.13-sysrq-f', era: '5.13', constraint: 'global', sysrq: true, shape: 'syslog' },
  { id: 'ubuntu-5.15-memcg-v2', era: '5.15', constraint: 'memcg', shape: 'syslog' },
  { id: 'ubuntu-6.8-global', era: '6.8', constraint: 'global', shape: 'syslog' },
  { id: 'debian-6.12-memcg-v2', era: '6.12', constraint: 'memcg', shape: 'syslog' },
  { id: 'rhel8-4.18-global-imjournal', era: '4.18el8', constraint: 'global', shape: 'imjournal' },
  { id: 'rhel9-5.14-memcg-v2-imjournal', era: '5.14el9', constraint: 'memcg', shape: 'imjournal' },
  { id: 'pve-5.15-memcg-v2-dmesg-T', era: '5.15pve', constraint: 'memcg', shape: 'dmesg-T' },
  { id: 'ubuntu-6.8-global-dmesg-T', era: '6.8', constraint: 'global', shape: 'dmesg-T' },
];

/**
 * gen: 2 = 2.6.32 (RHEL 6), 3 = 3.x, 4 = 4.1–4.19 two-line kills, 5 = 5.x one-line kills with `oom-kill:`.
 * header: how the `invoked oom-killer:` line continues after the gfp mask.
 * table: the task table's columns.
 */
const ERAS = {
  '2.6.32': { gen: 2, kver: '2.6.32-754.35.1.el6.x86_64', build: '#1', table: 'rhel6', cpuset: true, hw: null },
  '3.10': { gen: 3, kver: '3.10.0-1160.119.1.el7.x86_64', build: '#1', table: 'v3', cpuset: true, hw: 'VMware, Inc. VMware Virtual Platform/440BX Desktop Reference Platform, BIOS 6.00 12/12/2018', shmem: true },
  '3.13': { gen: 3, kver: '3.13.0-170-generic', build: '#220-Ubuntu', table: 'v3', cpuset: true, hw: 'Xen HVM domU, BIOS 4.2.amazon 08/24/2006', perCpu: true },
  '4.13': { gen: 4, kver: '4.13.0-46-generic', build: '#51-Ubuntu', table: 'v4pmd', cpuset: true, nodemask: '  ', hw: 'QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.10.2-1ubuntu1 04/01/2014', shmem: true, reaper: true },
  '4.15': { gen: 4, kver: '4.15.0-213-generic', build: '#224-Ubuntu', table: 'v415', cpuset: true, nodemask: ' ', hw: 'DigitalOcean Droplet, BIOS 20171212 12/12/2017', shmem: true, reaper: true },
  '4.18el8': { gen: 5, kver: '4.18.0-553.16.1.el8_10.x86_64', build: '#1', table: 'v419', kdump: true, hw: 'Red Hat KVM/RHEL-AV, BIOS 1.16.0-4.module+el8.9.0+19570+14a90618 04/01/2014', rip: true },
  '5.4': { gen: 5, kver: '5.4.0-190-generic', build: '#210-Ubuntu', table: 'v419', hw: 'Alibaba Cloud Alibaba Cloud ECS, BIOS 449e491 04/01/2014', reaper: true, rip: true },
  '5.13': { gen: 5, kver: '5.13.0-52-generic', build: '#59~20.04.1-Ubuntu', table: 'v419', hw: 'QEMU Standard PC (i440FX + PIIX, 1996), BIOS rel-1.14.0-0-g155821a1990b-prebuilt.qemu.org 04/01/2014', reaper: true },
  '5.14el9': { gen: 5, kver: '5.14.0-427.31.1.el9_4.x86_64', build: '#1', table: 'v419', kdump: true, hw: 'Red Hat KVM/RHEL, BIOS 1.16.3-2.el9 04/01/2014', task: true, rip: true, reaper: true },
  '5.15': { gen: 5, kver: '5.15.0-113-generic', build: '#123-Ubuntu', table: 'v419', hw: 'Tencent Cloud CVM, BIOS seabios-1.9.1-qemu-project.org 04/01/2014', task: true, rip: true, reaper: true },
  '5.15pve': { gen: 5, kver: '5.15.158-2-pve', build: '#1', table: 'v419', hw: 'Supermicro SYS-5019C-M/X11SCM-F, BIOS 2.6 09/06/2023', task: true, rip: true, tainted: 'P           O     ' },
  '6.8': { gen: 6, kver: '6.8.0-45-generic', build: '#45-Ubuntu', table: 'v68', hw: 'Hetzner vServer/Standard PC (Q35 + ICH9, 2009), BIOS 20171111 11/11/2017', task: true, rip: true, reaper: true },
  '6.12': { gen: 6, kver: '6.12.9-amd64', build: '#1 SMP PREEMPT_DYNAMIC Debian 6.12.9-1', table: 'v68', hw: 'Google Google Compute Engine/Google Compute Engine, BIOS Google 05/14/2024', task: true, rip: true, reaper: true, uidInCpu: true },
};

export function eraOf(id) {
  return ERAS[id];
}

// ---------------------------------------------------------------------------------------
// Processes that appear in task tables.

/** name, uid, rss pages range, oom_score_adj; `era` limits where a name is plausible. */
const SYSTEM_TASKS_MODERN = [
  ['systemd-journal', 0, [3000, 40000], -250],
  ['systemd-udevd', 0, [900, 2500], -1000],
  ['multipathd', 0, [4000, 7000], -1000],
  ['systemd-network', 100, [600, 2000], 0],
  ['systemd-resolve', 101, [1500, 3200], 0],
  ['systemd-timesyn', 102, [300, 1400], 0],
  ['cron', 0, [250, 700], 0],
  ['dbus-daemon', 104, [300, 1200], -900],
  ['rsyslogd', 107, [800, 9000], 0],
  ['systemd-logind', 0, [500, 1700], 0],
  ['snapd', 0, [4000, 9000], -900],
  ['sshd', 0, [500, 1700], -1000],
  ['agetty', 0, [100, 300], 0],
  ['nginx', 0, [300, 900], 0],
  ['fail2ban-server', 0, [3000, 6000], 0],
  ['polkitd', 0, [600, 2000], 0],
  ['unattended-upgr', 0, [2500, 5300], 0],
  ['containerd', 0, [3000, 9000], -999],
  ['dockerd', 0, [8000, 20000], -500],
  ['bash', 0, [300, 1400], 0],
  ['sudo', 0, [300, 1400], 0],
  ['tuned', 0, [3000, 5000], 0],
  ['chronyd', 998, [150, 400], 0],
];
const SYSTEM_TASKS_OLD = [
  ['udevd', 0, [100, 300], -1000],
  ['rsyslogd', 0, [800, 3000], 0],
  ['irqbalance', 0, [40, 120], 0],
  ['dbus-daemon', 81, [8, 200], 0],
  ['acpid', 0, [4, 40], 0],
  ['sshd', 0, [15, 300], -1000],
  ['crond', 0, [100, 300], 0],
  ['master', 0, [80, 300], 0],
  ['qmgr', 89, [80, 300], 0],
  ['pickup', 89, [80, 300], 0],
  ['mingetty', 0, [2, 80], 0],
  ['ntpd', 38, [100, 300], 0],
  ['httpd', 48, [800, 9000], 0],
  ['mysqld_safe', 0, [60, 200], 0],
  ['smartd', 0, [50, 200], 0],
  ['bash', 0, [300, 700], 0],
];

/** Victims by constraint, with their cgroup placement (v2 paths; v1 docker ids are made up per block). */
const VICTIMS_GLOBAL = [
  // [weight, name, uid, rssKb range, taskMemcg]
  [6, 'anqicms', 0, [2_800_000, 7_600_000], '/system.slice/cron.service'],
  [3, 'mysqld', 112, [1_200_000, 6_000_000], '/system.slice/mysql.service'],
  [2, 'php-fpm7.4', 33, [300_000, 1_400_000], '/system.slice/php7.4-fpm.service'],
  [2, 'java', 1001, [1_500_000, 7_000_000], '/system.slice/tomcat9.service'],
  [1, 'node', 1000, [900_000, 3_500_000], '/user.slice/user-1000.slice/session-12.scope'],
  [1, 'Plex Media Serv', 999, [800_000, 2_500_000], '/system.slice/plexmediaserver.service'],
  [1, 'Web Content', 1000, [600_000, 2_800_000], '/user.slice/user-1000.slice/user@1000.service/app.slice/app-firefox.scope'],
  [1, 'redis-server', 113, [1_000_000, 5_000_000], '/system.slice/redis-server.service'],
  [1, 'python3', 0, [800_000, 4_000_000], '/user.slice/user-0.slice/session-3.scope'],
];
const VICTIMS_MEMCG = [
  [3, 'java', 1000, [400_000, 2_000_000], 'docker'],
  [2, 'node', 1000, [200_000, 1_000_000], 'docker'],
  [2, 'php-fpm', 33, [100_000, 600_000], 'service:php-fpm.service'],
  [2, 'mysqld', 27, [500_000, 2_000_000], 'service:mysqld.service'],
  [1, 'tokio-runtime-w', 998, [200_000, 900_000], 'service:vector.service'],
  [1, 'python3', 1000, [200_000, 900_000], 'docker'],
];
/** Old kernels: the processes those machines ran. */
const VICTIMS_OLD = [
  [3, 'mysqld', 27, [1_500_000, 9_000_000]],
  [3, 'httpd', 48, [200_000, 900_000]],
  [2, 'java', 501, [1_000_000, 6_000_000]],
  [2, 'anqicms', 0, [2_000_000, 5_000_000]],
  [1, 'php-fpm', 48, [200_000, 900_000]],
];

/** Thread names (comm of the allocating thread) seen in real headers, e.g. `C2 CompilerThre invoked oom-killer`. */
const THREAD_TRIGGERS = {
  java: ['C2 CompilerThre', 'C1 CompilerThre', 'VM Thread', 'GC Thread#0', 'G1 Conc#0', 'http-nio-8080-e'],
  anqicms: ['anqicms'],
  mysqld: ['mysqld', 'connection', 'ib_io_rd-1'],
  node: ['node', 'V8Worker', 'libuv-worker'],
  'Web Content': ['Web Content', 'TaskCon~ller #0', 'Timer'],
  'Plex Media Serv': ['Plex Media Serv', 'Plex Transcoder'],
};

// ---------------------------------------------------------------------------------------

const hex16 = (rng) => 'ffffffff8' + rng.hex(7);

/** `sym+0xOFF/0xSIZE` with offsets fixed per era (a kernel build always prints the same ones). */
function frameText(era, sym) {
  let h = 2166136261;
  const key = era + sym;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  const size = 0x40 + ((h >>> 8) & 0x7ff);
  const off = 0x8 + ((h >>> 3) % size);
  return `${sym}+0x${off.toString(16)}/0x${size.toString(16)}`;
}

const TRACE_OLD = ['dump_header', '? security_real_capable_noaudit', 'oom_kill_process', '? select_bad_process', 'out_of_memory', '__alloc_pages_nodemask', 'alloc_pages_vma', 'handle_pte_fault', '? pte_alloc_one', 'handle_mm_fault', '__do_page_fault', '? vma_merge', 'do_page_fault', 'page_fault'];
const TRACE_3 = ['dump_stack', 'dump_header', '? find_lock_task_mm', 'oom_kill_process', '? security_capable_noaudit', 'out_of_memory', '__alloc_pages_nodemask', 'alloc_pages_vma', 'handle_mm_fault', '__do_page_fault', '? sched_clock', '? account_user_time', 'do_page_fault', 'page_fault'];
const TRACE_3_MEMCG = ['dump_stack', 'dump_header', '? find_lock_task_mm', 'oom_kill_process', 'mem_cgroup_oom_synchronize', '? mem_cgroup_charge_common', 'pagefault_out_of_memory', 'mm_fault_error', '__do_page_fault', '? set_next_entity', 'do_page_fault', 'page_fault'];
const TRACE_4 = ['dump_stack', 'dump_header', 'oom_kill_process', 'out_of_memory', '__alloc_pages_slowpath', '__alloc_pages_nodemask', 'alloc_pages_vma', '__handle_mm_fault', 'handle_mm_fault', '__do_page_fault', 'do_page_fault', '? page_fault', 'page_fault'];
const TRACE_4_MEMCG = ['dump_stack', 'dump_header', 'oom_kill_process', 'out_of_memory', 'mem_cgroup_out_of_memory', 'mem_cgroup_oom_synchronize', '? mem_cgroup_css_reset', 'pagefault_out_of_memory', 'mm_fault_error', '__do_page_fault', 'do_page_fault', '? page_fault', 'page_fault'];
const TRACE_5 = ['dump_stack_lvl', 'dump_header', 'oom_kill_process.cold', 'out_of_memory', '__alloc_pages_slowpath.constprop.0', '__alloc_pages', '__folio_alloc', 'vma_alloc_folio', '__handle_mm_fault', 'handle_mm_fault', 'do_user_addr_fault', '? sched_clock_cpu', 'exc_page_fault', 'asm_exc_page_fault'];
/** 4.18 (RHEL 8) and 5.4: before folios. */
const TRACE_5_OLD = ['dump_stack', 'dump_header', 'oom_kill_process.cold.33', 'out_of_memory', '__alloc_pages_slowpath', '__alloc_pages_nodemask', 'pagecache_get_page', 'filemap_fault', '? __mod_lruvec_page_state', '? page_add_file_rmap', '? alloc_set_pte', 'ext4_filemap_fault [ext4]', '__do_fault', 'handle_pte_fault', '__handle_mm_fault', 'handle_mm_fault', '__do_page_fault', 'do_page_fault', 'page_fault'];
const TRACE_5_MEMCG = ['dump_stack_lvl', 'dump_stack', 'dump_header', 'oom_kill_process.cold', 'out_of_memory', 'mem_cgroup_out_of_memory', 'try_charge_memcg', '? srso_alias_return_thunk', 'charge_memcg', '__mem_cgroup_charge', '__add_to_page_cache_locked', 'add_to_page_cache_lru', 'pagecache_get_page', 'filemap_fault', '__do_fault', '__handle_mm_fault', 'handle_mm_fault', 'do_user_addr_fault', 'exc_page_fault', 'asm_exc_page_fault'];
const TRACE_SYSRQ = ['show_stack', 'dump_stack', 'dump_header', 'oom_kill_process.cold', 'out_of_memory.part.0', 'out_of_memory', 'moom_callback', 'process_one_work', 'worker_thread', 'kthread', '? process_one_work', '? set_kthread_struct', 'ret_from_fork'];

function callTrace(rng, eraId, era, variant) {
  const lines = [['Call Trace:']];
  const memcg = variant.constraint === 'memcg';
  if (era.gen === 2) {
    // 2.6.32 marks every frame as unreliable: ` [<ffffffff81131420>] ? dump_header+0x90/0x1b0`.
    for (const sym of TRACE_OLD) lines.push([` [<${hex16(rng)}>] ? ${frameText(eraId, sym.replace('? ', ''))}`]);
    return lines;
  }
  if (era.gen === 3) {
    for (const sym of memcg ? TRACE_3_MEMCG : TRACE_3) {
      const q = sym.startsWith('? ') ? '? ' : '';
      lines.push([` [<${hex16(rng)}>] ${q}${frameText(eraId, sym.replace('? ', ''))}`]);
    }
    return lines;
  }
  const syms = variant.sysrq ? TRACE_SYSRQ : era.gen === 4 ? (memcg ? TRACE_4_MEMCG : TRACE_4) : memcg ? TRACE_5_MEMCG : eraId === '4.18el8' || eraId === '5.4' ? TRACE_5_OLD : TRACE_5;
  const wrap = era.task && !variant.sysrq;
  if (wrap) lines.push([' <TASK>']);
  for (const sym of syms) {
    const q = sym.startsWith('? ') ? '? ' : '';
    const [name, mod] = sym.replace('? ', '').split(' ');
    lines.push([` ${q}${frameText(eraId, name)}${mod ? ' ' + mod : ''}`]);
  }
  if (era.rip && !variant.sysrq) {
    const r = () => '0000' + rng.hex(12);
    const addr = '7f' + rng.hex(10);
    lines.push([`RIP: 0033:0x${addr}`]);
    lines.push([`Code: Unable to access opcode bytes at ${eraId === '5.4' ? '' : 'RIP '}0x${(parseInt(addr, 16) - 42).toString(16)}.`]);
    lines.push([`RSP: 002b:00007ff${rng.hex(9)} EFLAGS: 00010206`]);
    lines.push([`RAX: ${r()} RBX: ${r()} RCX: ${r()}`]);
    lines.push([`RDX: ${r()} RSI: ${r()} RDI: ${r()}`]);
    lines.push([`RBP: ${r()} R08: ${r()} R09: ${r()}`]);
    lines.push([`R10: ${r()} R11: ${r()} R12: ${r()}`]);
    lines.push([`R13: ${r()} R14: ${r()} R15: ${r()}`]);
  }
  if (wrap) lines.push([' </TASK>']);
  return lines;
}

// ---------------------------------------------------------------------------------------
// Mem-Info (global kills and the SysRq show_mem dump).

function buddyLine(rng, node, zone, withTypes, freeKb) {
  const sizes = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
  let rest = freeKb;
  const counts = sizes.map(() => 0);
  for (let i = sizes.length - 1; i >= 0; i--) {
    const share = i === 0 ? rest : Math.floor((rest * rng.int(0, 40)) / 100);
    counts[i] = Math.floor(share / sizes[i]);
    rest -= counts[i] * sizes[i];
  }
  counts[0] += Math.floor(rest / 4);
  const total = counts.reduce((sum, c, i) => sum + c * sizes[i], 0);
  const parts = counts.map((c, i) => {
    if (!withTypes || c === 0) return `${c}*${sizes[i]}kB`;
    return `${c}*${sizes[i]}kB (${rng.pick(['U', 'UM', 'UME', 'UE', 'ME', 'M', 'E'])})`;
  });
  return `Node ${node} ${zone}: ${parts.join(' ')} = ${total}kB`;
}

function memInfo(rng, era, m) {
  const recs = [['Mem-Info:']];
  const a = m.activeAnonPages;
  const ia = rng.int(5_000, Math.max(6_000, Math.floor(a / 8)));
  const free = rng.int(12_000, 48_000);
  if (era.gen === 2 || era.perCpu) {
    for (const zone of ['DMA', 'DMA32', 'Normal']) {
      recs.push([`Node 0 ${zone} per-cpu:`]);
      for (let cpu = 0; cpu < m.cpus; cpu++) {
        const hi = zone === 'DMA' ? 0 : 186;
        const btch = zone === 'DMA' ? 1 : 31;
        recs.push([`CPU ${String(cpu).padStart(4)}: hi: ${String(hi).padStart(4)}, btch: ${String(btch).padStart(3)} usd: ${String(zone === 'DMA' ? 0 : rng.int(0, 180)).padStart(3)}`]);
      }
    }
  }
  const summary = [
    `active_anon:${a} inactive_anon:${ia} isolated_anon:0`,
    ` active_file:${rng.int(20, 900)} inactive_file:${rng.int(20, 900)} isolated_file:${rng.int(0, 64)}`,
    ` unevictable:${era.gen >= 5 ? rng.int(0, 5000) : 0} dirty:${rng.int(0, 40)} writeback:0${era.gen <= 4 ? ' unstable:0' : ''}`,
    era.gen >= 4 ? ` slab_reclaimable:${rng.int(5000, 40000)} slab_unreclaimable:${rng.int(8000, 60000)}` : ` free:${free} slab_reclaimable:${rng.int(1000, 20000)} slab_unreclaimable:${rng.int(2000, 50000)}`,
    ` mapped:${rng.int(30, 40000)} shmem:${rng.int(50, 90000)} pagetables:${rng.int(1000, 130000)}${era.gen >= 6 ? '' : ' bounce:0'}`,
  ];
  if (era.gen >= 6) summary.push(` sec_pagetables:0 bounce:0`, ` kernel_misc_reclaimable:0`);
  summary.push(era.gen >= 4 ? ` free:${free} free_pcp:${rng.int(0, 4000)} free_cma:0` : ` free_cma:0`);
  if (era.gen === 2) {
    // 2.6.32 printed each of these with its own printk.
    for (const line of summary.slice(0, 5)) recs.push([line]);
  } else {
    recs.push(summary);
  }
  if (era.gen >= 4) {
    recs.push([
      `Node 0 active_anon:${a * 4}kB inactive_anon:${ia * 4}kB active_file:${rng.int(0, 3000)}kB inactive_file:${rng.int(0, 3000)}kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:${rng.int(100, 150000)}kB dirty:${rng.int(0, 200)}kB writeback:0kB shmem:${rng.int(100, 300000)}kB shmem_thp: 0kB shmem_pmdmapped: 0kB anon_thp: ${rng.int(0, 900) * 2048}kB writeback_tmp:0kB kernel_stack:${rng.int(2000, 12000)}kB pagetables:${rng.int(4000, 120000)}kB all_unreclaimable? ${rng.pick(['no', 'no', 'yes'])}`,
    ]);
  }
  const zones = [
    ['DMA', 15992, 15360],
    ['DMA32', 3129196, 2756784],
    ['Normal', Math.max(1_000_000, m.ramPages * 4 - 3_145_188), Math.max(900_000, m.ramPages * 4 - 3_300_000)],
  ];
  const frees = [];
  zones.forEach(([zone, present, managed], i) => {
    const zfree = zone === 'DMA' ? rng.int(7000, 15900) : rng.int(35_000, 130_000);
    frees.push(zfree);
    const min = Math.floor(zfree * 0.9);
    const body =
      era.gen >= 4
        ? `free:${zfree}kB ${era.gen >= 5 ? 'boost:0kB ' : ''}min:${min}kB low:${Math.floor(min * 1.25)}kB high:${Math.floor(min * 1.5)}kB ${era.gen >= 5 ? 'reserved_highatomic:0KB ' : ''}active_anon:${zone === 'DMA' ? 0 : rng.int(100000, a * 2)}kB inactive_anon:${zone === 'DMA' ? 0 : rng.int(1000, ia * 2)}kB active_file:0kB inactive_file:${rng.int(0, 400)}kB unevictable:0kB writepending:0kB present:${present}kB managed:${managed}kB mlocked:0kB ${era.gen === 4 ? 'kernel_stack:0kB pagetables:0kB ' : ''}bounce:0kB free_pcp:${rng.int(0, 4000)}kB local_pcp:${rng.int(0, 800)}kB free_cma:0kB`
        : `free:${zfree}kB min:${min}kB low:${Math.floor(min * 1.25)}kB high:${Math.floor(min * 1.5)}kB active_anon:${zone === 'DMA' ? 0 : rng.int(100000, a * 2)}kB inactive_anon:${rng.int(0, 800)}kB active_file:0kB inactive_file:${rng.int(0, 400)}kB unevictable:0kB isolated(anon):0kB isolated(file):0kB present:${present}kB ${era.gen === 3 ? `managed:${managed}kB ` : ''}mlocked:0kB dirty:0kB writeback:0kB mapped:${rng.int(0, 200)}kB shmem:${rng.int(0, 300)}kB slab_reclaimable:${rng.int(0, 9000)}kB slab_unreclaimable:${rng.int(0, 9000)}kB kernel_stack:${rng.int(0, 9000)}kB pagetables:${rng.int(0, 9000)}kB unstable:0kB bounce:0kB ${era.gen === 3 ? 'free_cma:0kB ' : ''}writeback_tmp:0kB pages_scanned:${rng.int(0, 900)} all_unreclaimable? ${zone === 'DMA' ? 'yes' : 'no'}`;
    recs.push([`Node 0 ${zone} ${body}`]);
    const reserves = ['0', String(Math.floor(zones[1][2] / 1024)), String(Math.floor(zones[2][2] / 1024 + zones[1][2] / 1024))];
    const lr = i === 0 ? reserves.concat(reserves[2]) : i === 1 ? ['0', '0', reserves[2].slice(0, -1) || '0', reserves[2].slice(0, -1) || '0'] : ['0', '0', '0', '0'];
    if (era.gen >= 5) lr.push(lr[lr.length - 1]);
    recs.push([`lowmem_reserve[]: ${lr.join(' ')}`]);
  });
  zones.forEach(([zone], i) => recs.push([buddyLine(rng, 0, zone, era.gen >= 3, frees[i])]));
  if (era.gen >= 3) recs.push([`Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB`]);
  recs.push([`${rng.int(200, 120000)} total pagecache pages`]);
  recs.push([`${m.swapKb === 0 ? 0 : rng.int(0, 20000)} pages in swap cache`]);
  recs.push([m.swapKb === 0 ? 'Swap cache stats: add 0, delete 0, find 0/0' : `Swap cache stats: add ${rng.int(100000, 9000000)}, delete ${rng.int(100000, 9000000)}, find ${rng.int(100000, 9000000)}/${rng.int(9000000, 19000000)}`]);
  recs.push([`Free swap  = ${m.swapKb === 0 ? 0 : rng.int(0, 100)}kB`]);
  recs.push([`Total swap = ${m.swapKb}kB`]);
  recs.push([`${m.ramPages} pages RAM`]);
  if (era.gen >= 3) recs.push(['0 pages HighMem/MovableOnly']);
  recs.push([`${rng.int(20000, 200000)} pages reserved`]);
  if (era.gen === 2) {
    recs.push([`${rng.int(100000, 3000000)} pages shared`]);
    recs.push([`${rng.int(1000000, 8000000)} pages non-shared`]);
  }
  if (era.gen === 4) recs.push(['0 pages cma reserved']);
  if (era.gen >= 4) recs.push(['0 pages hwpoisoned']);
  return recs;
}

/** A SysRq-m dump: `Show Memory`, then Mem-Info and the same figures an OOM block prints, but nobody is killed. */
export function sysrqShowMemRecords(rng, eraId) {
  const era = ERAS[eraId];
  const m = machine(rng, era);
  const head = era.gen >= 5 ? 'sysrq: Show Memory' : era.gen === 4 ? 'sysrq: SysRq : Show Memory' : 'SysRq : Show Memory';
  return [[head], ...memInfo(rng, era, m)];
}

function machine(rng, era) {
  const gib = rng.pick(era.gen <= 3 ? [4, 8, 16, 32] : [2, 4, 8, 16, 32]);
  return {
    cpus: rng.pick([2, 4, 8]),
    ramPages: gib * 262144 - rng.int(100, 9000),
    swapKb: rng.chance(0.4) ? rng.pick([1048572, 2097148, 4194300, 8388604]) : 0,
    activeAnonPages: Math.floor(gib * 262144 * (0.75 + rng.next() * 0.2)),
  };
}

// ---------------------------------------------------------------------------------------
// Task tables.

const TABLE_HEADERS = {
  rhel6: '[ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name',
  v3: '[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name',
  v4pmd: '[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name',
  v415: '[ pid ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
  v419: '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
  v68: '[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
};

const r = (v, w) => String(v).padStart(w);

function taskRow(table, t) {
  const head = table === 'v419' || table === 'v68' ? `[${r(t.pid, 7)}] ${r(t.uid, 5)} ${r(t.pid, 5)}` : `[${r(t.pid, 5)}] ${r(t.uid, 5)} ${r(t.pid, 5)}`;
  const vm = `${r(t.totalVm, 8)} ${r(t.rss, 8)}`;
  switch (table) {
    case 'rhel6':
      return `${head} ${vm} ${r(t.cpu, 3)}     ${r(t.oomAdj, 3)}         ${r(t.adj, 5)} ${t.name}`;
    case 'v3':
      return `${head} ${vm} ${r(Math.ceil(t.rss / 500) + 8, 7)} ${r(t.swap, 8)}         ${r(t.adj, 5)} ${t.name}`;
    case 'v4pmd':
      return `${head} ${vm} ${r(Math.ceil(t.rss / 500) + 8, 7)} ${r(3, 7)} ${r(t.swap, 8)}         ${r(t.adj, 5)} ${t.name}`;
    case 'v415':
    case 'v419':
      return `${head} ${vm} ${r(t.pgtables, 8)} ${r(t.swap, 8)}         ${r(t.adj, 5)} ${t.name}`;
    case 'v68':
      return `${head} ${vm} ${r(t.rssAnon, 8)} ${r(t.rssFile, 8)} ${r(t.rssShmem, 9)} ${r(t.pgtables, 8)} ${r(t.swap, 8)}         ${r(t.adj, 5)} ${t.name}`;
  }
  throw new Error(table);
}

function makeTask(rng, name, uid, rss, adj, pid) {
  const rssAnon = Math.floor(rss * 0.92);
  const rssFile = rss - rssAnon;
  return {
    pid,
    uid,
    name,
    rss,
    rssAnon,
    rssFile,
    rssShmem: 0,
    totalVm: rss + rng.int(2000, 40000) + Math.floor(rss * rng.next() * 0.3),
    pgtables: (Math.ceil(rss / 500) + 10) * 4096,
    swap: 0,
    adj,
    oomAdj: adj === -1000 ? -17 : 0,
    cpu: rng.int(0, 7),
  };
}

// ---------------------------------------------------------------------------------------

/**
 * Chooses the victim (and the process selected before it, for child kills) of one block.
 * `forcedVictim` pins the name/pid (the watched app's kills, whose pid the app logs know).
 */
export function chooseVictim(rng, variant, forced) {
  const era = ERAS[variant.era];
  let table;
  if (variant.constraint === 'memcg') table = VICTIMS_MEMCG.map(([w, n, u, range, cg]) => [w, { name: n, uid: u, range, cg }]);
  else if (era.gen <= 3) table = VICTIMS_OLD.map(([w, n, u, range]) => [w, { name: n, uid: u, range, cg: null }]);
  else table = VICTIMS_GLOBAL.map(([w, n, u, range, cg]) => [w, { name: n, uid: u, range, cg }]);
  if (forced) {
    const found = table.find(([, v]) => v.name === forced.name)?.[1];
    return { ...(found ?? { uid: 0, range: [2_500_000, 6_000_000], cg: '/system.slice/cron.service' }), name: forced.name, pid: forced.pid };
  }
  const pick = rng.weighted(table.filter(([, v]) => v.name !== 'anqicms'));
  return { ...pick };
}

/** Can this variant's victim be the watched app? (Only global kills: AnQiCMS under cron runs in no memory-limited cgroup.) */
export function variantCanKillApp(variant) {
  return variant.constraint === 'global' && !variant.child;
}

/**
 * One complete OOM block. Returns { records, kill } where records are string arrays (one per printk;
 * `records[i].killLine` marks the kill line) and kill is the truth about the victim.
 */
export function buildBlock(rng, variant, victimSpec, pidAlloc) {
  const eraId = variant.era;
  const era = ERAS[eraId];
  const m = machine(rng, era);
  const memcg = variant.constraint === 'memcg';

  // Victim and its memory.
  const victimRssKb = rng.int(victimSpec.range[0], victimSpec.range[1]);
  const victimPid = victimSpec.pid ?? pidAlloc();
  const victim = makeTask(rng, victimSpec.name, victimSpec.uid, Math.floor(victimRssKb / 4), 0, victimPid);
  const fileRssKb = rng.chance(0.3) ? rng.int(0, 20) * 4 : rng.int(1, 9000) * 4;
  const shmemRssKb = rng.chance(0.7) ? 0 : rng.int(1, 40000) * 4;
  const anonRssKb = victim.rss * 4 - fileRssKb > 0 ? victim.rss * 4 - fileRssKb : victim.rss * 4;
  const totalVmKb = victim.totalVm * 4;

  // The cgroup, for memcg kills.
  let cg = null;
  if (memcg) {
    if (era.gen <= 4 || victimSpec.cg === 'docker') {
      const id = rng.hex(64);
      const path = era.gen <= 4 ? `/docker/${id}` : `/system.slice/docker-${id}.scope`;
      cg = { path, taskPath: path };
    } else if (eraId === '5.15pve') {
      const ct = rng.int(100, 40000);
      cg = { path: `/lxc/${ct}`, taskPath: `/lxc/${ct}/ns/system.slice/${victimSpec.cg.slice(8)}` };
    } else {
      const unit = victimSpec.cg.startsWith('service:') ? victimSpec.cg.slice(8) : 'app.service';
      cg = { path: `/system.slice/${unit}`, taskPath: `/system.slice/${unit}` };
    }
    const limitKb = Math.ceil((victimRssKb * (1.02 + rng.next() * 0.2)) / 1024) * 1024;
    cg.limitKb = limitKb;
    cg.usageKb = limitKb - rng.int(0, 3) * 4;
    cg.failcnt = rng.int(1, 500000);
  }

  // Task table: the victim, its siblings, the machine's daemons (cgroup kills: the cgroup's tasks only).
  const tasks = [victim];
  const selected = variant.child ? makeTask(rng, victim.name, victim.uid, rng.int(2000, 30000), 0, victimPid - rng.int(1, 40)) : null;
  if (selected) tasks.push(selected);
  if (memcg) {
    for (let i = rng.int(0, 6); i > 0; i--) tasks.push(makeTask(rng, victim.name, victim.uid, rng.int(500, 40000), 0, pidAlloc()));
    if (rng.chance(0.5)) tasks.push(makeTask(rng, rng.pick(['sh', 'bash', 'tini']), victim.uid, rng.int(50, 400), 0, pidAlloc()));
  } else {
    const pool = era.gen <= 3 ? SYSTEM_TASKS_OLD : SYSTEM_TASKS_MODERN;
    for (const [name, uid, [lo, hi], adj] of pool) {
      if (!rng.chance(0.75)) continue;
      const count = name === 'nginx' || name === 'httpd' || name === 'bash' ? rng.int(1, 6) : 1;
      for (let i = 0; i < count; i++) tasks.push(makeTask(rng, name, uid, rng.int(lo, hi), adj, rng.int(300, 1500) + i));
    }
    if (victim.name !== 'mysqld' && rng.chance(0.7)) tasks.push(makeTask(rng, 'mysqld', era.gen <= 3 ? 27 : 112, rng.int(60000, 400000), 0, rng.int(1500, 3000)));
    for (let i = rng.int(0, 10); i > 0; i--) {
      tasks.push(makeTask(rng, rng.pick(['php-fpm', 'php-fpm7.4', 'nginx', 'bash', 'node', 'python3']), 33, rng.int(2000, 40000), 0, pidAlloc()));
    }
  }
  tasks.sort((a, b) => a.pid - b.pid);

  // The process that asked for memory.
  let trigger;
  if (variant.sysrq) trigger = { comm: `kworker/${rng.int(0, m.cpus - 1)}:${rng.int(0, 3)}`, pid: rng.int(30, 900) };
  else if (THREAD_TRIGGERS[victim.name] && rng.chance(0.6)) {
    // A thread of the victim asked for memory: the header names the thread, the CPU line its tid.
    trigger = { comm: rng.pick(THREAD_TRIGGERS[victim.name]), pid: victim.pid + rng.int(1, 300) };
  } else if (rng.chance(0.5)) trigger = { comm: victim.name, pid: victim.pid };
  else {
    const other = rng.pick(tasks.filter((t) => t !== victim));
    trigger = other ? { comm: other.name, pid: other.pid } : { comm: victim.name, pid: victim.pid };
  }

  const recs = [];
  // 1. header
  const gfp =
    era.gen === 2 ? rng.pick(['0x280da', '0x201da'])
    : era.gen === 3 ? (memcg ? '0xd0' : rng.pick(['0x280da', '0x201da']))
    : era.gen === 4 ? (memcg ? '0x14000c0(GFP_KERNEL)' : rng.pick(['0x14280ca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO)', '0x14200ca(GFP_HIGHUSER_MOVABLE)']))
    : variant.sysrq ? '0xcc0(GFP_KERNEL)'
    : eraId === '4.18el8' ? '0x6200ca(GFP_HIGHUSER_MOVABLE)'
    : memcg ? rng.pick(['0xcc0(GFP_KERNEL)', '0x1100cca(GFP_HIGHUSER_MOVABLE)'])
    : rng.pick(['0x100cca(GFP_HIGHUSER_MOVABLE)', '0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)', '0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO)']);
  const order = variant.sysrq ? -1 : 0;
  let header;
  if (era.gen === 2) header = `${trigger.comm} invoked oom-killer: gfp_mask=${gfp}, order=0, oom_adj=0, oom_score_adj=0`;
  else if (era.nodemask) header = `${trigger.comm} invoked oom-killer: gfp_mask=${gfp}, nodemask=(null),${era.nodemask}order=${order}, oom_score_adj=0`;
  else header = `${trigger.comm} invoked oom-killer: gfp_mask=${gfp}, order=${order}, oom_score_adj=0`;
  if (variant.sysrq) recs.push(['sysrq: Manual OOM execution']);
  recs.push([header]);
  if (era.cpuset) recs.push([`${trigger.comm} cpuset=${memcg && cg ? cg.path.replace(/^\/docker\//, '') : '/'} mems_allowed=0`]);
  // 2. CPU / Pid line, hardware, stack
  if (era.gen === 2) recs.push([`Pid: ${trigger.pid}, comm: ${trigger.comm} Not tainted ${era.kver} ${era.build}`]);
  else {
    const tainted = era.tainted ? `Tainted: ${era.tainted}` : 'Not tainted';
    recs.push([`CPU: ${rng.int(0, m.cpus - 1)} ${era.uidInCpu ? `UID: ${trigger.pid === victim.pid ? victim.uid : 0} ` : ''}PID: ${trigger.pid} Comm: ${trigger.comm} ${era.kdump ? 'Kdump: loaded ' : ''}${tainted} ${era.kver} ${era.build}`]);
  }
  if (era.hw) recs.push([`Hardware name: ${era.hw}`]);
  if (variant.sysrq) recs.push(['Workqueue: events moom_callback']);
  if (era.gen === 3 && eraId === '3.13') {
    for (let i = 0; i < 3; i++) recs.push([` ${Array.from({ length: 4 }, () => 'ffff88' + rng.hex(10)).join(' ')}`]);
  }
  recs.push(...callTrace(rng, eraId, era, variant));

  // 3./4. cgroup figures or Mem-Info
  if (memcg) {
    const statsFor = cg.path;
    if (era.gen <= 4) {
      recs.push([`Task in ${cg.taskPath} killed as a result of limit of ${cg.path}`]);
      recs.push([`memory: usage ${cg.usageKb}kB, limit ${cg.limitKb}kB, failcnt ${cg.failcnt}`]);
      recs.push([`memory+swap: usage ${cg.usageKb}kB, limit 9007199254740988kB, failcnt 0`]);
      recs.push([`kmem: usage ${rng.int(1000, 30000)}kB, limit 9007199254740988kB, failcnt 0`]);
      const cache = rng.int(0, 9000);
      const rss = cg.usageKb - cache;
      recs.push([
        `Memory cgroup stats for ${statsFor}: cache:${cache}KB rss:${rss}KB rss_huge:${rng.int(0, 20) * 2048}KB ${era.gen === 4 ? `shmem:0KB ` : ''}mapped_file:${rng.int(0, 900)}KB ${era.gen === 4 ? 'dirty:0KB ' : ''}writeback:0KB ${era.gen === 4 ? 'swap:0KB ' : ''}inactive_anon:${rng.int(0, 9000)}KB active_anon:${rss}KB inactive_file:${rng.int(0, 900)}KB active_file:${rng.int(0, 900)}KB unevictable:0KB`,
      ]);
    } else {
      recs.push([`memory: usage ${cg.usageKb}kB, limit ${cg.limitKb}kB, failcnt ${cg.failcnt}`]);
      recs.push([`swap: usage 0kB, limit ${rng.chance(0.5) ? 0 : 9007199254740988}kB, failcnt 0`]);
      recs.push([`Memory cgroup stats for ${statsFor}:`]);
      const stat = [
        `anon ${cg.usageKb * 1024 - rng.int(0, 900000) * 4096}`,
        `file ${rng.int(0, 90000) * 4096}`,
        `kernel ${rng.int(100, 9000) * 4096}`,
        `kernel_stack ${rng.int(10, 400) * 16384}`,
        `pagetables ${rng.int(100, 30000) * 4096}`,
        `sec_pagetables 0`,
        `percpu ${rng.int(10, 900) * 4096}`,
        `sock ${rng.int(0, 200) * 4096}`,
        `vmalloc ${rng.int(0, 50) * 4096}`,
        `shmem ${rng.int(0, 9000) * 4096}`,
        `zswap 0`,
        `zswapped 0`,
        `file_mapped ${rng.int(0, 9000) * 4096}`,
        `file_dirty 0`,
        `file_writeback 0`,
        `swapcached 0`,
        `anon_thp ${rng.int(0, 30) * 2097152}`,
        `file_thp 0`,
        `shmem_thp 0`,
        `inactive_anon ${rng.int(100000, 900000) * 4096}`,
        `active_anon ${rng.int(1000, 90000) * 4096}`,
        `inactive_file ${rng.int(0, 9000) * 4096}`,
        `active_file ${rng.int(0, 9000) * 4096}`,
        `unevictable 0`,
        `slab_reclaimable ${rng.int(1000, 90000) * 64}`,
        `slab_unreclaimable ${rng.int(1000, 90000) * 64}`,
        `slab ${rng.int(2000, 180000) * 64}`,
        `workingset_refault_anon 0`,
        `workingset_refault_file ${rng.int(0, 9000000)}`,
        `workingset_activate_anon 0`,
        `workingset_activate_file ${rng.int(0, 900000)}`,
        `workingset_restore_anon 0`,
        `workingset_restore_file ${rng.int(0, 900000)}`,
        `workingset_nodereclaim ${rng.int(0, 90000)}`,
        `pgscan ${rng.int(0, 90000000)}`,
        `pgsteal ${rng.int(0, 90000000)}`,
        `pgfault ${rng.int(1000000, 900000000)}`,
        `pgmajfault ${rng.int(0, 9000000)}`,
      ];
      // 5.x cut memory.stat at about 1 KB in the OOM report.
      let bytes = 0;
      const cut = [];
      for (const line of stat) {
        if (era.gen === 5 && bytes + line.length + 1 > 1000) break;
        bytes += line.length + 1;
        cut.push(line);
      }
      recs.push(cut);
    }
  } else {
    recs.push(...memInfo(rng, era, m));
  }

  // 5. task table
  if (era.table === 'v419' || era.table === 'v68') recs.push(['Tasks state (memory values in pages):']);
  recs.push([TABLE_HEADERS[era.table]]);
  const rowStart = recs.length;
  for (const t of tasks) recs.push([taskRow(era.table, t)]);
  const rowEnd = recs.length;

  // 6.–8. summary, kill, reaper
  const prefix = memcg ? 'Memory cgroup out of memory' : 'Out of memory';
  const constraintName = memcg ? 'CONSTRAINT_MEMCG' : 'CONSTRAINT_NONE';
  const score = rng.int(300, 999);
  const killRecs = [];
  if (era.gen >= 5) {
    const memcgPart = memcg ? `oom_memcg=${cg.path},task_memcg=${cg.taskPath}` : `global_oom,task_memcg=${victimSpec.cg ?? '/'}`;
    const cpuset = memcg && cg.path.includes('docker-') ? cg.path.split('/').pop() : '/';
    killRecs.push([`oom-kill:constraint=${constraintName},nodemask=(null),cpuset=${cpuset},mems_allowed=0,${memcgPart},task=${victim.name},pid=${victim.pid},uid=${victim.uid}`]);
    killRecs.push([`${prefix}: Killed process ${victim.pid} (${victim.name}) total-vm:${totalVmKb}kB, anon-rss:${anonRssKb}kB, file-rss:${fileRssKb}kB, shmem-rss:${shmemRssKb}kB, UID:${victim.uid} pgtables:${Math.ceil(victim.pgtables / 1024)}kB oom_score_adj:0`]);
  } else {
    const sel = selected ?? victim;
    killRecs.push([`${prefix}: Kill process ${sel.pid} (${sel.name}) score ${score} or sacrifice child`]);
    if (era.gen === 2) killRecs.push([`Killed process ${victim.pid}, UID ${victim.uid}, (${victim.name}) total-vm:${totalVmKb}kB, anon-rss:${anonRssKb}kB, file-rss:${fileRssKb}kB`]);
    else if (era.shmem) killRecs.push([`Killed process ${victim.pid} (${victim.name}) total-vm:${totalVmKb}kB, anon-rss:${anonRssKb}kB, file-rss:${fileRssKb}kB, shmem-rss:${shmemRssKb}kB`]);
    else killRecs.push([`Killed process ${victim.pid} (${victim.name}) total-vm:${totalVmKb}kB, anon-rss:${anonRssKb}kB, file-rss:${fileRssKb}kB`]);
  }
  const killIndex = recs.length + killRecs.length - 1;
  recs.push(...killRecs);
  let reaperIndex = -1;
  if (era.reaper && rng.chance(0.8)) {
    reaperIndex = recs.length;
    recs.push([`oom_reaper: reaped process ${victim.pid} (${victim.name}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`]);
  }

  return {
    records: recs,
    killIndex,
    reaperIndex,
    rowRange: [rowStart, rowEnd],
    kill: {
      pid: victim.pid,
      name: victim.name,
      uid: victim.uid,
      constraint: memcg ? 'memcg' : 'global',
      memcg: cg ? cg.path : null,
      taskMemcg: cg ? cg.taskPath : era.gen >= 5 ? (victimSpec.cg ?? '/') : null,
      totalVmKb,
      anonRssKb,
      selected: selected ? { pid: selected.pid, name: selected.name } : null,
      trigger: { pid: trigger.pid, name: trigger.comm },
      kernelVersion: era.kver,
    },
  };
}
