// Writes samples/anqicms/{check.log,running.log,kern.log}: four days of a small AnQiCMS server (Asia/Shanghai)
// with one death of each common kind. Deterministic: run it again and the files are the same.
// The story (local times, 2024):
//   07-21 14:22:10  Go panic in provider/titleImage.go (nil font)            → restart 14:23:01
//   07-21 20:15:33  the kernel OOM-kills mysqld (not a death of anqicms)
//   07-22 03:12:07  the kernel OOM-kills anqicms (global, 2 GiB machine)      → restart 03:13:01
//   07-22 16:40:27  someone runs kill -9 on anqicms (no record anywhere)      → restart 16:41:01
//   07-23 09:30:05  admin restart from the back office (same PID: not a death)
//   07-23 22:05:12  SIGTERM: anqicms says goodbye                             → restart 22:06:01
//   07-24 04:00:30  the machine goes down; it boots at 04:05:40               → cron at 04:06:01
//   07-24 04:06–04:08 three starts fail: MySQL is not up yet                  → running from 04:09:01
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples', 'anqicms');
const DIR = '/www/wwwroot/anqicms.com/';
// Wall clock as UTC numbers standing for Asia/Shanghai local time (the files have no zone).
const T = (d, h, m, s = 0) => Date.UTC(2024, 6, d, h, m, s);
const pad = (n, w = 2) => String(n).padStart(w, '0');
const parts = (t) => { const d = new Date(t); return { Y: d.getUTCFullYear(), M: d.getUTCMonth() + 1, D: d.getUTCDate(), h: d.getUTCHours(), m: d.getUTCMinutes(), s: d.getUTCSeconds() }; };
const goStamp = (t) => { const p = parts(t); return `${p.Y}/${pad(p.M)}/${pad(p.D)} ${pad(p.h)}:${pad(p.m)}:${pad(p.s)}`; };
const checkStamp = (t) => { const p = parts(t); return `${p.Y}${pad(p.M)}${pad(p.D)} ${pad(p.h)}:${pad(p.m)}:${pad(p.s)}`; };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const sysStamp = (t) => { const p = parts(t); return `${MONTHS[p.M - 1]} ${String(p.D).padStart(2, ' ')} ${pad(p.h)}:${pad(p.m)}:${pad(p.s)}`; };

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

const START = T(21, 0, 0, 1);
const END = T(24, 12, 0, 1);
// Deaths: when the process died, and how; the guardian sees it at the next minute.
const deaths = [
  { at: T(21, 14, 22, 10), kind: 'panic' },
  { at: T(22, 3, 12, 7), kind: 'oom' },
  { at: T(22, 16, 40, 27), kind: 'kill9' },
  { at: T(23, 22, 5, 12), kind: 'goodbye' },
  { at: T(24, 4, 0, 30), kind: 'reboot' },
];
const adminRestartAt = T(23, 9, 30, 5);
const bootOld = T(18, 0, 0, 0) - 0.4321; // the boot before the sample, in ms (uptime = (t - boot) / 1000)
const bootNew = T(24, 4, 5, 40) + 0.1234;
const downUntil = T(24, 4, 5, 40);
const failedStarts = [T(24, 4, 6, 1), T(24, 4, 7, 1), T(24, 4, 8, 1)];

const check = [];
const running = [];
const kern = [];

function appStart(t) {
  running.push(`${goStamp(t)} ${DIR}`);
  running.push('Iris Version: 12.2.11', '', 'Now listening on: ', '> Network:  http://10.0.0.5:8001', '> Local:    http://localhost:8001', 'Application started. Press CTRL+C to shut down.');
  running.push(`${goStamp(t + 1000)} 请手动在浏览器输入访问地址： http://10.0.0.5:8001`);
}

function appNoise(from, to) {
  for (let t = from + 120_000; t < to; t += 240_000 + Math.floor(rand() * 600_000)) {
    const r = rand();
    if (r < 0.35) running.push(`\r\n\x1b[35m${goStamp(t)} /www/go/anqicms/model/archive.go:412\x1b[0m \x1b[31;1mSLOW SQL >= 200ms\x1b[0m`.replace('\r\n', '\r'), `\x1b[33m[${(200 + rand() * 400).toFixed(3)}ms] \x1b[34;1m[rows:20]\x1b[0m SELECT * FROM \`archives\` WHERE \`status\` = 1 ORDER BY id desc LIMIT 20`);
    else if (r < 0.5) running.push(`[mysql] ${goStamp(t)} packets.go:37: unexpected EOF`);
    else if (r < 0.6) running.push(`${goStamp(t)} isLimiting 1 429`);
    else running.push(`${goStamp(t)} 生成sitemap完成`);
  }
}

function uptime(t) {
  const boot = t >= bootNew ? bootNew : bootOld;
  return ((t - boot) / 1000).toFixed(6).padStart(12, ' ');
}
const k = (t, msg, stampAt = t) => kern.push(`${sysStamp(stampAt)} web01 kernel: [${uptime(t)}] ${msg}`);

function oomBlock(t, victim, trigger) {
  let u = t - 3; // the header comes a few ms before the kill
  k(u, `${trigger.name} invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0`);
  k(u, `CPU: 1 PID: ${trigger.pid} Comm: ${trigger.name} Not tainted 5.15.0-113-generic #123-Ubuntu`);
  k(u, 'Hardware name: Alibaba Cloud Alibaba Cloud ECS, BIOS 449e491 04/01/2014');
  k(u, 'Call Trace:');
  for (const frame of ['<TASK>', 'dump_stack_lvl+0x4a/0x63', 'dump_header+0x4a/0x1f4', 'oom_kill_process.cold+0xb/0x10', 'out_of_memory+0x106/0x2e0', '__alloc_pages_slowpath.constprop.0+0x97a/0xa40', '__alloc_pages+0x30d/0x320', 'handle_mm_fault+0xd8/0x2c0', 'exc_page_fault+0x77/0x170', 'asm_exc_page_fault+0x27/0x30', '</TASK>']) k(u, ` ${frame}`);
  u += 1;
  k(u, 'Mem-Info:');
  k(u, 'active_anon:2094 inactive_anon:371955 isolated_anon:0');
  k(u, ' free:12794 free_pcp:62 free_cma:0');
  k(u, 'Node 0 DMA: 1*4kB (U) 1*8kB (U) 0*16kB 1*32kB (U) 2*64kB (U) 1*128kB (U) 2*256kB (U) 2*512kB (U) 2*1024kB (U) 2*2048kB (UM) 0*4096kB = 7980kB');
  k(u, 'Node 0 DMA32: 1019*4kB (UME) 562*8kB (UME) 402*16kB (UME) 260*32kB (UME) 133*64kB (UME) 48*128kB (UM) 10*256kB (UM) 0*512kB 0*1024kB 0*2048kB 0*4096kB = 43196kB');
  k(u, '2430 total pagecache pages');
  k(u, 'Free swap  = 0kB');
  k(u, 'Total swap = 0kB');
  k(u, '524158 pages RAM');
  k(u, '15949 pages reserved');
  k(u, 'Tasks state (memory values in pages):');
  k(u, '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name');
  const rows = [[312, 0, 12054, 598, 106496, -250, 'systemd-journal'], [702, 0, 2042, 221, 53248, 0, 'cron'], [709, 104, 55601, 412, 77824, 0, 'rsyslogd'], [735, 0, 3043, 420, 61440, -1000, 'sshd'], [1902, 0, 12020, 1810, 90112, 0, 'nginx'], ...victim.otherRows];
  for (const [pid, uid, vm, rss, pgt, adj, name] of rows) k(u, `[${pad(pid, 7).replace(/^0+/, (z) => ' '.repeat(z.length))}] ${String(uid).padStart(5)} ${String(pid).padStart(5)} ${String(vm).padStart(8)} ${String(rss).padStart(8)} ${String(pgt).padStart(14)}        0 ${String(adj).padStart(13)} ${name}`);
  u += 1;
  k(u, `oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=${victim.memcg},task=${victim.name},pid=${victim.pid},uid=${victim.uid}`);
  k(t, `Out of memory: Killed process ${victim.pid} (${victim.name}) total-vm:${victim.vmKb}kB, anon-rss:${victim.anonKb}kB, file-rss:${victim.fileKb}kB, shmem-rss:0kB, UID:${victim.uid} pgtables:${victim.pgtKb}kB oom_score_adj:0`);
  k(t + 41, `oom_reaper: reaped process ${victim.pid} (${victim.name}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`);
}

// The guardian: a check every minute at :01; the app's lives between deaths.
let up = true;
let pendingStart = false;
const deathQueue = [...deaths];
let lastKernelNoise = START;
appStart(START);
let lifeStart = START;
let pid = 4100;
for (let t = START; t <= END; t += 60_000) {
  const next = deathQueue[0];
  if (next && next.at < t) {
    deathQueue.shift();
    appNoise(lifeStart, next.at);
    if (next.kind === 'panic') {
      running.push(`${goStamp(next.at - 2000)} 生成缩略图: /uploads/202407/21/title.png`);
      running.push('panic: runtime error: invalid memory address or nil pointer dereference', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x180 pc=0x1092728]', '', 'goroutine 132 [running]:',
        'github.com/golang/freetype/truetype.(*Font).Bounds(...)', '\t/root/go/pkg/mod/github.com/golang/freetype@v0.0.0-20170609003504-e2365dfdc4a0/truetype/truetype.go:274',
        'kandaoni.com/anqicms/provider.(*Website).NewTitleImage(0xc000226000, {0xc0004a2000, 0x10})', '\t/www/go/anqicms/provider/titleImage.go:87 +0x47',
        'kandaoni.com/anqicms/provider.(*Website).GenerateTitleImage(0xc000226000, 0xc0003b4120)', '\t/www/go/anqicms/provider/titleImage.go:274 +0x1a5',
        'created by kandaoni.com/anqicms/controller.ArchiveDetail in goroutine 121', '\t/www/go/anqicms/controller/archive.go:112 +0x3f2');
    } else if (next.kind === 'oom') {
      running.push(`\r\x1b[35m${goStamp(next.at - 2000)} /www/go/anqicms/model/archive.go:412\x1b[0m \x1b[31;1mSLOW SQL >= 200ms\x1b[0m`, '\x1b[33m[3512.118ms] \x1b[34;1m[rows:48211]\x1b[0m SELECT * FROM `archives` WHERE `status` = 1');
      oomBlock(next.at, { pid, name: 'anqicms', uid: 0, memcg: '/user.slice/user-0.slice/session-3.scope', vmKb: 8123456, anonKb: 1462300, fileKb: 236, pgtKb: 3100,
        otherRows: [[1771, 113, 421650, 97544, 1040384, 0, 'mysqld'], [pid, 0, 2030864, 365634, 3174400, 0, 'anqicms']] }, { pid, name: 'anqicms' });
    } else if (next.kind === 'kill9') {
      running.push(`${goStamp(next.at - 5000)} 生成sitemap完成`);
    } else if (next.kind === 'goodbye') {
      running.push('退出 terminated', '监听到退出信号');
    } else if (next.kind === 'reboot') {
      running.push(`${goStamp(next.at - 20_000)} 生成sitemap完成`);
    }
    up = false;
    pendingStart = true;
  }
  if (t === adminRestartAt - (adminRestartAt % 60_000) + 1000 && up) {
    // back office: route change → the process re-executes itself, same PID
    appNoise(lifeStart, adminRestartAt);
    running.push(`${goStamp(adminRestartAt)} 监听到路由更改`, `${goStamp(adminRestartAt)} 进程结束，开始重启`);
    appStart(adminRestartAt + 1000);
    lifeStart = adminRestartAt + 1000;
  }
  if (t >= T(24, 4, 0, 31) && t < downUntil) continue; // the machine is down: no cron, no log
  if (t - lastKernelNoise >= 30 * 60_000) {
    lastKernelNoise = t;
    k(t + 13_000, `[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=203.0.113.${Math.floor(rand() * 250)} DST=10.0.0.5 LEN=40 TOS=0x00 PREC=0x00 TTL=241 ID=${Math.floor(rand() * 65535)} PROTO=TCP SPT=${40000 + Math.floor(rand() * 20000)} DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0`);
  }
  if (t === T(21, 20, 16, 1)) {
    oomBlock(T(21, 20, 15, 33), { pid: 1771, name: 'mysqld', uid: 113, memcg: '/system.slice/mysql.service', vmKb: 1686600, anonKb: 390100, fileKb: 76, pgtKb: 1016,
      otherRows: [[1771, 113, 421650, 97544, 1040384, 0, 'mysqld'], [pid, 0, 1030864, 61034, 974400, 0, 'anqicms']] }, { pid: 1771, name: 'mysqld' });
  }
  if (t === downUntil + 21_000) {
    // the new boot: rsyslog starts late and stamps the early ring buffer with its own start time
    const rsyslogStart = bootNew + 12_400;
    for (const [dt, msg] of [[0, 'Linux version 5.15.0-113-generic (buildd@lcy02-amd64-072) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0) #123-Ubuntu SMP Mon Jun 10 08:16:17 UTC 2024'], [0, 'Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-113-generic root=UUID=1f2e3d4c ro'], [1, 'x86/fpu: Supporting XSAVE feature 0x001: \'x87 floating point registers\''], [2100, 'EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.'], [7300, 'systemd[1]: Started Journal Service.']]) {
      k(bootNew + dt, msg, rsyslogStart);
    }
    k(bootNew + 15_800, 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready');
  }
  // start.sh
  if (up) {
    check.push(`${checkStamp(t)} anqicms PID check: 1`);
  } else {
    check.push(`${checkStamp(t)} anqicms PID check: 0`);
    pid += 37;
    if (failedStarts.includes(t)) {
      running.push(`${goStamp(t)} ${DIR}`, 'Failed To Connect Database:  dial tcp 127.0.0.1:3306: connect: connection refused');
    } else if (pendingStart) {
      appStart(t);
      lifeStart = t;
      up = true;
      pendingStart = false;
    }
  }
}
appNoise(lifeStart, END);

writeFileSync(join(out, 'check.log'), check.join('\n') + '\n');
writeFileSync(join(out, 'running.log'), running.join('\n') + '\n');
writeFileSync(join(out, 'kern.log'), kern.join('\n') + '\n');
console.log(`check.log ${check.length} lines, running.log ${running.length} lines, kern.log ${kern.length} lines`);
