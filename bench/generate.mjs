#!/usr/bin/env node
// Generates large, realistic inputs for oomscope's benchmark, streaming (never a whole file in memory):
//   bench/data/syslog-<size>.log(.gz)     rsyslog traditional /var/log/syslog: daemon noise, decoys, a reboot,
//                                          and N complete OOM blocks of every kernel era and log shape
//   bench/data/running-<size>.log(.gz)    AnQiCMS running.log for the same period (about size/8)
//   bench/data/check-<size>.log(.gz)      the cron guardian's check.log for the same period
//   bench/data/syslog-<size>.truth.json   every kill (pid, name, uptime, wall time, constraint, line) and every death
//
// Usage: node bench/generate.mjs [--sizes 64M,256M] [--full] [--out DIR] [--seed N] [--kills N]
//                                [--days D] [--app-ratio R] [--no-gzip] [--gzip-level L] [--force] [--quiet]
// The timeline (kills, deaths, reboot) depends only on --seed, --kills and --days, so every size holds
// the same kills; only the amount of noise between them differs.
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import { buildBlock, chooseVictim, eraOf, sysrqShowMemRecords, VARIANTS, variantCanKillApp } from './lib/kernel-blocks.mjs';
import { SyslogNoise } from './lib/syslog-noise.mjs';
import { writeCheckLog, writeRunningLog } from './lib/app-logs.mjs';
import { ctimeStamp, isoUtc, parseSize, Rng, sizeLabel, syslogStamp, uptimeSeconds, uptimeStamp } from './lib/util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(HERE, 'data');
export const QUICK_SIZES = ['64M', '256M'];
export const FULL_SIZES = ['64M', '256M', '1G', '4G'];
/** Bump when the generated content changes, so stale data is regenerated. */
const GENERATOR_VERSION = 5;
const HOST = 'web01';
/** The manual method this benchmark compares against. */
export const GREP_PATTERN = 'oom|out of memory|killed process';
const GREP_RE = /oom|out of memory|killed process/i;

// ---------------------------------------------------------------------------------------
// Output: a file and, optionally, its gzip twin written from the same chunks.

class Sink {
  constructor(path, gzPath, level) {
    this.path = path;
    this.file = createWriteStream(path, { highWaterMark: 4 << 20 });
    this.bytes = 0;
    if (gzPath) {
      this.gz = createGzip({ level, chunkSize: 256 * 1024 });
      this.gzFile = createWriteStream(gzPath, { highWaterMark: 4 << 20 });
      this.gz.pipe(this.gzFile);
    }
  }
  async write(text) {
    const buf = Buffer.from(text, 'utf8');
    this.bytes += buf.length;
    this.file.write(buf);
    if (this.gz) this.gz.write(buf);
    // Wait on whichever still needs it (checking again after each wait: the other may have drained meanwhile).
    if (this.file.writableNeedDrain) await once(this.file, 'drain');
    if (this.gz?.writableNeedDrain) await once(this.gz, 'drain');
  }
  async end() {
    this.file.end();
    await finished(this.file);
    if (this.gz) {
      this.gz.end();
      await finished(this.gzFile);
    }
  }
}

// ---------------------------------------------------------------------------------------
// The plan: one timeline of kills, deaths, restarts and a reboot, shared by the three logs.

function makePlan({ seed, kills: killCount, days }) {
  const rng = new Rng(seed);
  const startMs = Date.UTC(2024, 6, 30, 6, 0, 0); // Tue 30 Jul 2024 (crosses into August: `Aug  1` padding)
  const durMs = Math.round(days * 86400e3);
  const endMs = startMs + durMs;
  const boot1Ms = startMs - (17 * 86400e3 + 3 * 3600e3 + 14 * 60e3 + 7512.345);
  const rebootMs = startMs + Math.floor((0.56 * durMs) / 1000) * 1000 + 417; // shutdown begins
  const boot2Ms = rebootMs + 38_214.871; // the kernel starts again
  const syslogUpMs = boot2Ms + 9_306; // rsyslog starts and writes the boot messages
  const cronUpMs = boot2Ms + 15_000;
  const bootOf = (ms) => (ms < rebootMs ? boot1Ms : boot2Ms);

  const usedPids = new Set();
  const newPid = (lo = 2000, hi = 3_999_999) => {
    for (;;) {
      const pid = rng.int(lo, hi);
      if (!usedPids.has(pid)) {
        usedPids.add(pid);
        return pid;
      }
    }
  };

  // Moments that must stay apart (blocks must not overlap each other or the reboot).
  const taken = [[rebootMs - 20 * 60e3, cronUpMs + 20 * 60e3]];
  const free = (t, gap) => taken.every(([a, b]) => t < a - gap || t > b + gap);
  const place = (gapMs) => {
    for (let tries = 0; tries < 100000; tries++) {
      const t = startMs + 20 * 60e3 + rng.next() * (durMs - 40 * 60e3);
      if (free(t, gapMs)) {
        taken.push([t, t]);
        return t;
      }
    }
    throw new Error('could not place an event: use fewer --kills or more --days');
  };

  // Kills: every variant in turn (shuffled per round), each at its own moment.
  const killPlans = [];
  while (killPlans.length < killCount) {
    const order = VARIANTS.map((v) => [rng.next(), v]).sort((a, b) => a[0] - b[0]);
    for (const [, variant] of order) if (killPlans.length < killCount) killPlans.push({ variant });
  }
  for (const k of killPlans) {
    // Whole microseconds, so the printed uptime is exact.
    k.killMs = Math.round(place(12 * 60e3) * 1000) / 1000;
    k.appVictim = variantCanKillApp(k.variant) && rng.chance(0.55);
  }
  // Other deaths of the app, and SysRq memory dumps (decoys).
  const others = [];
  for (let i = 0; i < 3; i++) others.push({ cause: 'go-panic', diedAtMs: place(10 * 60e3), variant: i });
  others.push({ cause: 'go-fatal', diedAtMs: place(10 * 60e3) });
  const stopAt = place(10 * 60e3);
  others.push({ cause: 'stopped', diedAtMs: stopAt + 48, stopLineMs: stopAt });
  others.push({ cause: 'host-reboot', diedAtMs: rebootMs - 2600, printAtMs: rebootMs - 2600 });
  const sysrqDumps = [];
  for (let i = 0; i < 3; i++) sysrqDumps.push({ atMs: place(10 * 60e3), era: ['5.15', '4.15', '3.13'][i] });

  // The app's life: started by hand at the beginning, then restarted by cron after every death.
  const deaths = [
    ...killPlans.filter((k) => k.appVictim).map((k) => ({ cause: 'kernel-oom', diedAtMs: k.killMs, kill: k })),
    ...others,
  ].sort((a, b) => a.diedAtMs - b.diedAtMs);
  const instances = [];
  let alive = { pid: newPid(20000, 60000), startMs: startMs + 2000, byHand: true, death: null };
  instances.push(alive);
  const cronTicks = [];
  let di = 0;
  const firstMinute = Math.ceil(startMs / 60e3) * 60e3 + 60e3;
  for (let m = firstMinute; m < endMs; m += 60e3) {
    const tickMs = m + 1000 + rng.int(0, 400);
    // deaths before this tick
    while (di < deaths.length && deaths[di].diedAtMs < tickMs) {
      const d = deaths[di++];
      if (!alive) throw new Error(`death at ${isoUtc(d.diedAtMs)} while the app is down`);
      d.pid = alive.pid;
      alive.death = d;
      alive.endMs = d.diedAtMs;
      if (d.kill) d.kill.pid = alive.pid;
      alive = null;
    }
    if (m >= rebootMs && m < cronUpMs) continue; // the host is down: cron does not run
    if (alive) {
      cronTicks.push({ atMs: tickMs, count: 1 });
      continue;
    }
    const dead = instances[instances.length - 1];
    const tick = { atMs: tickMs, count: 0, restart: dead };
    cronTicks.push(tick);
    const pid = newPid(20000, 3_999_999);
    alive = { pid, startMs: tickMs + 1000 + rng.int(0, 500), byHand: false, death: null };
    dead.death.restartedAtMs = alive.startMs;
    instances.push(alive);
  }
  if (di < deaths.length) throw new Error('a death falls after the last cron tick');

  // Build every block now (own seeded RNG per kill: identical content for every size).
  let pidRng = new Rng(seed ^ 0x5eed);
  const blockPid = () => {
    for (;;) {
      const pid = pidRng.int(2000, 3_999_999);
      if (!usedPids.has(pid)) {
        usedPids.add(pid);
        return pid;
      }
    }
  };
  killPlans.forEach((k, i) => {
    const brng = new Rng(seed * 31 + i * 1009 + 17);
    const victim = chooseVictim(brng, k.variant, k.appVictim ? { name: 'anqicms', pid: k.pid } : null);
    k.block = buildBlock(brng, k.variant, victim, blockPid);
    k.lagMs = brng.int(0, 1800); // rsyslog falls behind while the machine is out of memory
    k.gapsUs = k.block.records.map((_rec, j) => (j === 0 ? 0 : era(k).gen === 2 ? brng.int(300, 700) : brng.int(5, 400)));
    if (k.block.reaperIndex > 0) k.gapsUs[k.block.reaperIndex] = brng.int(20_000, 400_000);
    k.interleave = k.variant.shape === 'syslog' && brng.chance(0.3) ? brng.int(2, k.block.killIndex - 1) : -1;
    k.seqRng = brng;
  });
  pidRng = null;

  return { seed, startMs, endMs, durMs, boot1Ms, boot2Ms, rebootMs, syslogUpMs, cronUpMs, bootOf, kills: killPlans, sysrqDumps, instances, deaths, cronTicks };
}

const era = (k) => eraOf(k.variant.era);

// ---------------------------------------------------------------------------------------
// syslog

const BOOT_LINES = (rng) => [
  [0, 'Linux version 5.15.0-113-generic (buildd@lcy02-amd64-072) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #123-Ubuntu SMP Mon Jun 10 08:16:17 UTC 2024 (Ubuntu 5.15.0-113.123-generic 5.15.152)'],
  [0, 'Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-113-generic root=UUID=3f1c2e0a-6b1d-4d0e-9a51-2f3b8c7d9e10 ro console=tty1 console=ttyS0'],
  [0, 'KERNEL supported cpus:'],
  [0, '  Intel GenuineIntel'],
  [0, '  AMD AuthenticAMD'],
  [0, 'BIOS-provided physical RAM map:'],
  [0, 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable'],
  [0, 'BIOS-e820: [mem 0x0000000000100000-0x00000000bffdafff] usable'],
  [0, 'BIOS-e820: [mem 0x0000000100000000-0x000000023fffffff] usable'],
  [0, 'NX (Execute Disable) protection: active'],
  [0, 'DMI: Tencent Cloud CVM, BIOS seabios-1.9.1-qemu-project.org 04/01/2014'],
  [0, 'Hypervisor detected: KVM'],
  [12, 'Memory: 8012716K/8388088K available (16393K kernel code, 4379K rwdata, 10812K rodata, 3240K init, 6552K bss, 375112K reserved, 0K cma-reserved)'],
  [180_000 + rng.int(0, 9000), 'smpboot: Allowing 4 CPUs, 0 hotplug CPUs'],
  [912_000 + rng.int(0, 9000), 'NET: Registered PF_INET6 protocol family'],
  [1_830_000 + rng.int(0, 9000), 'virtio_net virtio1 eth0: renamed from enp0s5'],
  [2_404_000 + rng.int(0, 9000), 'EXT4-fs (vda1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.'],
  [4_817_000 + rng.int(0, 9000), 'systemd[1]: systemd 249.11-0ubuntu3.12 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS -OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY -P11KIT -QRENCODE +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'],
  [6_112_000 + rng.int(0, 9000), 'audit: type=1400 audit(1722530000.123:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="lsb_release" pid=612 comm="apparmor_parser"'],
];

async function writeSyslog(plan, targetBytes, sink, truth) {
  const rng = new Rng(plan.seed ^ 0x9e3779b1);
  const stamp = syslogStamp();
  const ctime = ctimeStamp();
  const { startMs, endMs, durMs } = plan;
  let prefixSec = -1;
  let prefix = '';
  const pre = (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== prefixSec) {
      prefixSec = s;
      prefix = `${stamp(ms)} ${HOST} `;
    }
    return prefix;
  };
  const kernelUptimeUs = (tMs) => Math.floor((tMs - plan.bootOf(tMs)) * 1000) - rng.int(0, 20_000);
  const noise = new SyslogNoise(rng, HOST, kernelUptimeUs);

  // Events in time order; each renders its lines when the byte clock reaches it.
  const events = [];
  for (const k of plan.kills) {
    const total = k.gapsUs.reduce((a, b, j) => a + (j <= k.block.killIndex ? b : 0), 0);
    events.push({ at: k.killMs - total / 1000, kind: 'kill', k });
  }
  for (const s of plan.sysrqDumps) events.push({ at: s.atMs, kind: 'sysrq', s });
  events.push({ at: plan.rebootMs - 6000, kind: 'reboot' });
  events.sort((a, b) => a.at - b.at);

  // Bytes the events add (estimated) are taken off the noise, so the file lands near the target.
  const eventBytes = plan.kills.reduce((sum, k) => sum + k.block.records.reduce((s, rec) => s + rec.reduce((x, l) => x + l.length + 60, 0), 0), 0);
  const noiseTarget = Math.max(targetBytes - eventBytes - 200_000, targetBytes * 0.5);

  let lineNo = 0;
  let grepCount = 0;
  let noiseBytes = 0;
  let lastT = startMs;
  const chunk = [];
  let chunkChars = 0;
  const emit = (line) => {
    chunk.push(line);
    chunkChars += line.length + 1;
    lineNo++;
    if (GREP_RE.test(line)) grepCount++;
  };
  let nextMinute = Math.ceil(startMs / 60e3) * 60e3;
  let ei = 0;

  const renderKill = (k) => {
    const kill = k.block.kill;
    const boot = plan.bootOf(k.killMs);
    const killUs = Math.round((k.killMs - boot) * 1000);
    // uptime of each record, counted back from the kill line
    const us = new Array(k.block.records.length);
    us[k.block.killIndex] = killUs;
    for (let j = k.block.killIndex - 1; j >= 0; j--) us[j] = us[j + 1] - k.gapsUs[j + 1];
    for (let j = k.block.killIndex + 1; j < us.length; j++) us[j] = us[j - 1] + k.gapsUs[j];
    const shape = k.variant.shape;
    const headerIndex = k.block.records.findIndex((rec) => rec[0].includes(' invoked oom-killer: '));
    let headerLine = null;
    let headerText = null;
    let killLine = null;
    let killText = null;
    let killWallMs = null;
    let lastWall = lastT;
    k.block.records.forEach((rec, j) => {
      const trueMs = boot + us[j] / 1000;
      const isKill = j === k.block.killIndex;
      if (shape === 'syslog') {
        const wall = Math.max(lastWall, trueMs + k.lagMs + j * 0.05);
        lastWall = wall;
        const head = `${pre(wall)}kernel: ${uptimeStamp(us[j])} `;
        for (const line of rec) emit(head + line);
        if (isKill) [killLine, killText, killWallMs] = [lineNo, head + rec[0], Math.floor(wall / 1000) * 1000];
        if (j === headerIndex) [headerLine, headerText] = [lineNo - rec.length + 1, head + rec[0]];
        if (j === k.interleave) emit(noise.daemonLine(wall, pre(wall)));
      } else if (shape === 'imjournal') {
        const wall = Math.max(lastWall, trueMs + k.lagMs + j * 0.05);
        lastWall = wall;
        const text = `${pre(wall)}kernel: ${rec.map((l, i) => (i === 0 ? l.replace(/^ +/, '') : l)).join('#012')}`;
        emit(text);
        if (isKill) [killLine, killText, killWallMs] = [lineNo, text, Math.floor(wall / 1000) * 1000];
        if (j === headerIndex) [headerLine, headerText] = [lineNo, text];
      } else {
        // dmesg -T: boot time + uptime, so no logger lag; continuation lines are indented under the text.
        const wall = trueMs;
        const head = `[${ctime(wall)}] `;
        emit(head + rec[0]);
        const indent = ' '.repeat(head.length);
        for (let i = 1; i < rec.length; i++) emit(indent + rec[i]);
        if (isKill) [killLine, killText, killWallMs] = [lineNo, head + rec[0], Math.floor(wall / 1000) * 1000];
        if (j === headerIndex) [headerLine, headerText] = [lineNo - rec.length + 1, head + rec[0]];
        lastWall = Math.max(lastWall, wall);
      }
    });
    lastT = Math.max(lastT, lastWall);
    // systemd notices the kill in the unit's cgroup (cgroup v2 memory.events): syslog lines of its own.
    let unitEvent = null;
    const unit = /\/([^/]+\.service)$/.exec(kill.taskMemcg ?? '')?.[1];
    if (shape !== 'dmesg-T' && era(k).gen >= 5 && unit) {
      const at = lastT + 40 + k.seqRng.int(0, 200);
      const p = pre(at);
      emit(`${p}systemd[1]: ${unit}: A process of this unit has been killed by the OOM killer.`);
      const main = ['mysqld', 'java', 'redis-server', 'Plex Media Serv'].includes(kill.name);
      if (main) {
        emit(`${p}systemd[1]: ${unit}: Main process exited, code=killed, status=9/KILL`);
        emit(`${p}systemd[1]: ${unit}: Failed with result 'oom-kill'.`);
        emit(`${p}systemd[1]: ${unit}: Consumed ${k.seqRng.int(1, 59)}min ${k.seqRng.int(1, 59)}.${k.seqRng.int(100, 999)}s CPU time.`);
      }
      unitEvent = { kind: 'unit-notice', unit, time: isoUtc(Math.floor(at / 1000) * 1000), line: lineNo - (main ? 3 : 0) };
      lastT = at;
    }
    truth.kills.push({
      pid: kill.pid,
      name: kill.name,
      uid: kill.uid,
      constraint: kill.constraint,
      memcg: kill.memcg,
      taskMemcg: kill.taskMemcg,
      variant: k.variant.id,
      era: k.variant.era,
      shape,
      kernelVersion: kill.kernelVersion,
      uptimeSeconds: shape === 'syslog' ? uptimeSeconds(killUs) : null,
      /** The kill's true moment (boot time + uptime). */
      time: isoUtc(k.killMs),
      /** The stamp its own line carries (syslog receipt second, or dmesg -T second). */
      wall: isoUtc(killWallMs),
      selected: kill.selected,
      trigger: kill.trigger,
      totalVmKb: kill.totalVmKb,
      anonRssKb: kill.anonRssKb,
      line: killLine,
      text: killText,
      headerLine,
      headerText,
      app: k.appVictim,
    });
    if (unitEvent) truth.events.push(unitEvent);
  };

  const renderSysrq = (s) => {
    const srng = new Rng(plan.seed + Math.floor(s.atMs));
    const recs = sysrqShowMemRecords(srng, s.era);
    const boot = plan.bootOf(s.atMs);
    let us = Math.round((s.atMs - boot) * 1000);
    const firstLine = lineNo + 1;
    for (const rec of recs) {
      us += srng.int(5, 200);
      const head = `${pre(boot + us / 1000)}kernel: ${uptimeStamp(us)} `;
      for (const line of rec) emit(head + line);
    }
    truth.decoys.push({ kind: 'sysrq-show-memory', line: firstLine, lines: lineNo - firstLine + 1 });
    lastT = Math.max(lastT, boot + us / 1000);
  };

  const renderReboot = () => {
    const r = plan.rebootMs;
    const down = [
      [-6000, 'systemd-logind[612]: The system will reboot now!'],
      [-5800, 'systemd-logind[612]: System is rebooting.'],
      [-3000, 'systemd[1]: Stopping Regular background program processing daemon...'],
      [-2950, 'systemd[1]: cron.service: Deactivated successfully.'],
      [-2900, 'systemd[1]: Stopped Regular background program processing daemon.'],
      [-1200, 'systemd[1]: Stopping MySQL Community Server...'],
      [-300, 'systemd[1]: Stopped target Network.'],
      [-100, `rsyslogd: [origin software="rsyslogd" swVersion="8.2112.0" x-pid="733" x-info="https://www.rsyslog.com"] exiting on signal 15.`],
    ];
    for (const [dt, text] of down) emit(pre(r + dt) + text);
    // After boot: rsyslog starts late and writes the kernel's buffered boot lines with its start time.
    const up = plan.syslogUpMs;
    const brng = new Rng(plan.seed ^ 0xb007);
    const p = pre(up);
    for (const [us, text] of BOOT_LINES(brng)) emit(`${p}kernel: ${uptimeStamp(us)} ${text}`);
    emit(`${p}rsyslogd: [origin software="rsyslogd" swVersion="8.2112.0" x-pid="731" x-info="https://www.rsyslog.com"] start`);
    emit(`${p}systemd[1]: Starting Userspace Out-Of-Memory (OOM) Killer...`);
    emit(`${p}systemd[1]: Started Userspace Out-Of-Memory (OOM) Killer.`);
    emit(`${p}earlyoom[655]: earlyoom v1.7`);
    emit(`${p}earlyoom[655]: mem total: 7824 MiB, swap total:    0 MiB`);
    emit(`${p}earlyoom[655]: sending SIGTERM when mem <= 10.00% and swap <= 10.00%,`);
    emit(`${p}earlyoom[655]:         SIGKILL when mem <=  5.00% and swap <=  5.00%`);
    emit(`${p}systemd[1]: Started Regular background program processing daemon.`);
    emit(`${p}cron[702]: (CRON) INFO (Running @reboot jobs)`);
    emit(`${p}systemd[1]: Started MySQL Community Server.`);
    truth.reboot = { shutdown: isoUtc(r), bootTime: isoUtc(plan.boot2Ms), syslogUp: isoUtc(up) };
    lastT = up + 1;
    // skip the byte clock over the downtime
    noiseBytes = Math.max(noiseBytes, ((lastT - startMs) / durMs) * noiseTarget);
    nextMinute = Math.max(nextMinute, Math.ceil(plan.cronUpMs / 60e3) * 60e3);
  };

  for (;;) {
    let done = false;
    while (chunkChars < 1 << 20) {
      let t = startMs + durMs * (noiseBytes / noiseTarget);
      if (t >= endMs) {
        done = true;
        break;
      }
      if (t < lastT) t = lastT;
      if (ei < events.length && events[ei].at <= t) {
        const ev = events[ei++];
        if (ev.kind === 'kill') renderKill(ev.k);
        else if (ev.kind === 'sysrq') renderSysrq(ev.s);
        else renderReboot();
        continue;
      }
      if (t >= nextMinute) {
        // cron runs the guardian every minute, and the hourly jobs at :17
        const at = nextMinute + rng.int(0, 400);
        const p = pre(at);
        if (new Date(nextMinute).getUTCMinutes() === 17) emit(`${p}CRON[${rng.int(100000, 999999)}]: (root) CMD (   cd / && run-parts --report /etc/cron.hourly)`);
        emit(`${p}CRON[${rng.int(100000, 999999)}]: (root) CMD (/www/wwwroot/anqicms.com/start.sh)`);
        nextMinute += 60e3;
        lastT = Math.max(lastT, at);
        continue;
      }
      const line = noise.line(t, pre(t));
      emit(line);
      noiseBytes += line.length + 1;
    }
    if (chunk.length > 0) await sink.write(chunk.join('\n') + '\n');
    chunk.length = 0;
    chunkChars = 0;
    if (done) break;
  }
  if (ei < events.length) throw new Error(`${events.length - ei} events were not written (the timeline ended first)`);
  return { lines: lineNo, grepCount };
}

// ---------------------------------------------------------------------------------------

function paramsKey(o, size) {
  return JSON.stringify({ v: GENERATOR_VERSION, seed: o.seed, kills: o.kills, days: o.days, appRatio: o.appRatio, size });
}

export function pathsFor(outDir, label) {
  return {
    kernel: join(outDir, `syslog-${label}.log`),
    kernelGz: join(outDir, `syslog-${label}.log.gz`),
    app: join(outDir, `running-${label}.log`),
    appGz: join(outDir, `running-${label}.log.gz`),
    check: join(outDir, `check-${label}.log`),
    checkGz: join(outDir, `check-${label}.log.gz`),
    truth: join(outDir, `syslog-${label}.truth.json`),
  };
}

/** True when the files for this size exist and were made with these parameters. */
function upToDate(paths, key, gzip) {
  if (!existsSync(paths.truth)) return false;
  try {
    const truth = JSON.parse(readFileSync(paths.truth, 'utf8'));
    if (truth.params !== key) return false;
    const need = [paths.kernel, paths.app, paths.check, ...(gzip ? [paths.kernelGz, paths.appGz, paths.checkGz] : [])];
    return need.every((p) => existsSync(p)) && statSync(paths.kernel).size === truth.files.kernel.bytes;
  } catch {
    return false;
  }
}

export async function generate(options = {}) {
  const o = {
    sizes: QUICK_SIZES,
    out: DEFAULT_OUT,
    seed: 20240730,
    kills: 48,
    days: 3.5,
    appRatio: 1 / 8,
    gzip: true,
    gzipLevel: 6,
    force: false,
    quiet: false,
    ...options,
  };
  const log = o.quiet ? () => {} : (s) => process.stderr.write(s + '\n');
  mkdirSync(o.out, { recursive: true });
  const results = [];
  for (const sizeText of o.sizes) {
    const size = parseSize(sizeText);
    const label = sizeLabel(size);
    const paths = pathsFor(o.out, label);
    const key = paramsKey(o, size);
    if (!o.force && upToDate(paths, key, o.gzip)) {
      log(`generate: ${label}: up to date (${paths.truth})`);
      results.push({ label, paths, skipped: true });
      continue;
    }
    const t0 = process.hrtime.bigint();
    const plan = makePlan(o);
    const truth = {
      params: key,
      generator: `bench/generate.mjs v${GENERATOR_VERSION}`,
      seed: o.seed,
      size: label,
      tz: 'UTC',
      year: 2024,
      host: HOST,
      period: { from: isoUtc(plan.startMs), to: isoUtc(plan.endMs) },
      grep: { pattern: GREP_PATTERN, flags: '-c -iE' },
      files: {},
      reboot: null,
      kills: [],
      events: [],
      deaths: [],
      decoys: [],
    };
    log(`generate: ${label}: syslog …`);
    const sys = new Sink(paths.kernel, o.gzip ? paths.kernelGz : null, o.gzipLevel);
    const sysInfo = await writeSyslog(plan, size, sys, truth);
    await sys.end();
    const tSys = Number(process.hrtime.bigint() - t0) / 1e9;
    log(`generate: ${label}: syslog ${(sys.bytes / 1048576).toFixed(1)} MiB, ${sysInfo.lines} lines in ${tSys.toFixed(1)} s; running.log, check.log …`);

    const app = new Sink(paths.app, o.gzip ? paths.appGz : null, o.gzipLevel);
    const appTarget = Math.max(256 * 1024, Math.round(size * o.appRatio));
    const appInfo = await writeRunningLog(app, plan, appTarget, new Rng(o.seed ^ 0xa99));
    await app.end();
    // The sizes the README and the bench tables state: the syslog `size`, running.log size × --app-ratio (it prints
    // nothing while the app is down, so it ends a little short). Off by more than 2%, the generator is wrong.
    for (const [name, bytes, target] of [['syslog', sys.bytes, size], ['running.log', app.bytes, appTarget]]) {
      if (Math.abs(bytes - target) > target * 0.02) throw new Error(`${name} for ${label} is ${bytes} bytes, not about ${target}: the generator's byte count is off`);
    }
    const chk = new Sink(paths.check, o.gzip ? paths.checkGz : null, o.gzipLevel);
    const chkInfo = await writeCheckLog(chk, plan);
    await chk.end();

    truth.files = {
      kernel: { path: paths.kernel, bytes: sys.bytes, lines: sysInfo.lines, grepCount: sysInfo.grepCount, gz: o.gzip ? paths.kernelGz : null },
      app: { path: paths.app, bytes: app.bytes, lines: appInfo.lines, gz: o.gzip ? paths.appGz : null },
      check: { path: paths.check, bytes: chk.bytes, lines: chkInfo.lines, gz: o.gzip ? paths.checkGz : null },
    };
    truth.kills.sort((a, b) => a.line - b.line);
    truth.deaths = plan.instances
      .filter((i) => i.death)
      .map((i) => ({
        pid: i.pid,
        cause: i.death.cause,
        died: isoUtc(i.death.diedAtMs),
        restarted: i.death.restartedAtMs ? isoUtc(i.death.restartedAtMs) : null,
        killPid: i.death.kill ? i.death.kill.pid : null,
        appLine: i.death.appLine ?? null,
        checkLine: i.death.checkLine ?? null,
        checkStopLine: i.death.checkStopLine ?? null,
      }));
    truth.instances = plan.instances.map((i) => ({ pid: i.pid, started: isoUtc(i.startMs), appStartLine: i.appStartLine ?? null, ended: i.endMs ? isoUtc(i.endMs) : null }));
    writeFileSync(paths.truth, JSON.stringify(truth, null, 1) + '\n');
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    log(`generate: ${label}: done in ${secs.toFixed(1)} s (${truth.kills.length} kills, ${truth.deaths.length} app deaths, grep count ${sysInfo.grepCount}) → ${paths.truth}`);
    results.push({ label, paths, skipped: false, seconds: secs });
  }
  return results;
}

// ---------------------------------------------------------------------------------------

export function parseGenerateArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = val().split(',').filter(Boolean);
    else if (a === '--full') o.sizes = FULL_SIZES;
    else if (a === '--out') o.out = resolve(val());
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--kills') o.kills = Number(val());
    else if (a === '--days') o.days = Number(val());
    else if (a === '--app-ratio') o.appRatio = Number(val());
    else if (a === '--no-gzip') o.gzip = false;
    else if (a === '--gzip-level') o.gzipLevel = Number(val());
    else if (a === '--force') o.force = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '-h' || a === '--help') o.help = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const USAGE = `usage: node bench/generate.mjs [--sizes 64M,256M] [--full] [--out DIR] [--seed N] [--kills N]
                              [--days D] [--app-ratio R] [--no-gzip] [--gzip-level L] [--force] [--quiet]
  --sizes     comma-separated syslog sizes (binary units: 64M = 64 MiB); default ${QUICK_SIZES.join(',')}
  --full      ${FULL_SIZES.join(',')}
  --kills     OOM blocks per syslog (default 48: every one of ${VARIANTS.length} era/shape variants, 3 times)
  --days      length of the period (default 3.5)
  --app-ratio running.log size as a share of the syslog size (default 0.125)
  Existing data made with the same parameters is kept; --force rewrites it.`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let o;
  try {
    o = parseGenerateArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`generate: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  }
  if (o.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  // A stalled stream would let the event loop run dry and node exit quietly half-way: say so.
  let finishedAll = false;
  process.on('exit', (code) => {
    if (!finishedAll && code === 0) {
      process.stderr.write('generate: stopped before finishing (an output stream stalled); the data is incomplete\n');
      process.exitCode = 1;
    }
  });
  await generate(o);
  finishedAll = true;
}
