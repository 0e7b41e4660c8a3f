// diagnose() on real pastes from bug trackers, mail archives and forums (fixtures/wild).
// Every expected figure is a hand count from the file (fixtures/wild/MANIFEST.md); line numbers count
// the `# source:` line as line 1. Never update these from the program's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose } from '../../src/index.js';
import type { OomEventKind, OomKill } from '../../src/index.js';
import { fixture } from '../support/paths.js';

/** A victim: pid, comm, and anon-rss in kB (null where the paste prints none). */
type Kill = [pid: number, name: string, anonRssKb: number | null];

const CHECKED = ['oom-unfinished', 'no-killable', 'panic-on-oom', 'sysrq-oom', 'userspace-kill', 'unit-notice'] as const;
type Checked = (typeof CHECKED)[number];

interface Case {
  file: string;
  tz: string;
  year?: number;
  /** In file order (by the first line that names the victim). */
  kills: Kill[];
  /** Counts of event kinds; a kind not listed must not occur. */
  events?: Partial<Record<Checked, number>>;
  /** unit-notice events' units, sorted. */
  units?: string[];
  /** Decoys: user-space tools may be reported as they like, but nothing kernel-side may be invented. */
  decoy?: boolean;
}

const cases: Case[] = [
  // Lines 2–8: memcg stats and task table behind a VMware `vcpu-5 - Guest: <6>[…]` prefix; no header, no kill line.
  { file: '01-vmware-vcpu-guest-memcg-fragment.log', tz: 'UTC', kills: [] },
  // Line 4: talosctl-prefixed header (vcpu7); the kept part ends in the trace (line 14).
  { file: '02-talos-console-vcpu-unfinished.log', tz: 'UTC', kills: [], events: { 'oom-unfinished': 1 } },
  // Line 3: header; the user's paste stops after line 6.
  { file: '03-cut-paste-header-only.log', tz: 'UTC', year: 2020, kills: [], events: { 'oom-unfinished': 1 } },
  // Line 3: SysRq manual OOM; line 4: compulsory panic_on_oom.
  { file: '04-serial-console-sysrq-compulsory-panic.log', tz: 'UTC', kills: [], events: { 'sysrq-oom': 1, 'panic-on-oom': 1 } },
  // Lines 2–3: no killable processes, then "System is deadlocked on memory" (one situation, not panic_on_oom).
  { file: '05-no-killable-deadlocked-padded.log', tz: 'UTC', kills: [], events: { 'no-killable': 1 } },
  // Line 4: "Kernel panic - not syncing: Out of memory and no killable processes".
  { file: '06-no-killable-panic-bootconsole.log', tz: 'UTC', kills: [], events: { 'no-killable': 1 } },
  // Line 3: memcg no-killable; line 4: new header, trace to line 28, no kill.
  { file: '07-memcg-no-killable-then-unfinished.log', tz: 'UTC', kills: [], events: { 'no-killable': 1, 'oom-unfinished': 1 } },
  // `> > ` quoted, hard-wrapped 2.6.35: lines 72–76 kill 1727; line 154 selects sshd 1806, lines 155–156 kill child 1810.
  {
    file: '08-linux-mm-quoted-2.6.35-sacrifice-child.log', tz: 'UTC',
    kills: [[1727, 'console-kit-dae', 0], [1810, 'bash', 0]],
  },
  // `> > ` quoted selection-only lines 6–29 (14 selections; 1447 twice on lines 22–23).
  {
    file: '09-linux-mm-quoted-grepped-selection-2.6.39.log', tz: 'UTC',
    kills: [
      [1175, 'dhclient', null], [1247, 'rsyslogd', null], [1284, 'irqbalance', null], [1303, 'rpcbind', null],
      [1321, 'rpc.statd', null], [1333, 'mdadm', null], [1365, 'rpc.idmapd', null], [1403, 'dbus-daemon', null],
      [1438, 'acpid', null], [1447, 'hald', null], [1447, 'hald', null], [1487, 'hald-addon-inpu', null],
      [1488, 'hald-addon-acpi', null], [1507, 'automount', null],
    ],
  },
  // Hypermail `> ` quote, wrapped: headers on lines 4 and 10, no kill line.
  { file: '10-lkml-hypermail-quoted-unfinished-2.6.23.log', tz: 'UTC', year: 2008, kills: [], events: { 'oom-unfinished': 2 } },
  // Line 7: ``` glued to a real selection line; lines 2–3 are a placeholder template (pid ****).
  { file: '11-markdown-backticks-glued.log', tz: 'Europe/Moscow', year: 2018, kills: [[31490, 'corerun', null]] },
  // Line 3: RHEL6 `Killed process 11726, UID 498, (mysqld)` after a prompt line.
  { file: '12-grep-killed-only-rhel6-prompt.log', tz: 'UTC', year: 2016, kills: [[11726, 'mysqld', 2539268]] },
  // Line 2: kill; lines 3–10: four selection+kill pairs; line 11: a selection whose kill line was cut.
  {
    file: '13-grep-memcg-selection-rhel7-uid.log', tz: 'Asia/Shanghai', year: 2023,
    kills: [
      [42452, 'memcg_test_1', 96], [42453, 'memcg_test_1', 96], [42474, 'memcg_test_1', 96],
      [42471, 'memcg_test_1', 96], [42468, 'memcg_test_1', 96], [42469, 'memcg_test_1', null],
    ],
  },
  // Lines 4–9: ISO dmesg grep: header, summary (7), kill (8), reaper (9).
  { file: '14-dmesg-iso-grep-oom.log', tz: 'Europe/Oslo', kills: [[1440763, 'perl', 60356340]] },
  // Lines 3–7: kill lines prefixed by line numbers.
  {
    file: '15-numbered-grep-killed-lines.log', tz: 'Europe/Oslo',
    kills: [
      [328391, 'fluvial_facies', 163272252], [1597132, 'eclipse.exe', 7239092], [1595933, 'rms', 8908940],
      [1596142, 'rms', 9804376], [1596008, 'rms', 9901112],
    ],
  },
  // Lines 2–9: `> `-quoted grepped RHEL7 kill lines.
  {
    file: '16-github-quote-grepped-killed-uid.log', tz: 'Asia/Shanghai', year: 2017,
    kills: [
      [817194, 'node', 133380], [818294, 'node', 83360], [818809, 'node', 82076], [818550, 'node', 97916],
      [819466, 'node', 78112], [819825, 'node', 90732], [819991, 'node', 112444], [819228, 'node', 95232],
    ],
  },
  // Lines 4–8: `dmesg -T | grep` memcg kill lines.
  {
    file: '17-dmesg-T-grep-memcg-killed.log', tz: 'UTC',
    kills: [
      [26901, 'python3', 47049328], [5925, 'python3', 44982540], [17645, 'python3', 53387872],
      [12906, 'python3', 45306688], [32316, 'python3', 52936380],
    ],
  },
  // Lines 4–9: header, summary, kill 265; line 10: a second header with no kill.
  {
    file: '18-markdown-log-fence-grep-oom-6x.log', tz: 'UTC',
    kills: [[265, 'plymouthd', 520]], events: { 'oom-unfinished': 1 },
  },
  // Lines 8–10: OpenWrt logread selection, kill, reaper.
  { file: '19-openwrt-logread-sacrifice.log', tz: 'Asia/Shanghai', kills: [[1039, 'netifd', 148]] },
  // Line 10: pager-truncated kill line (ends in `>`).
  { file: '20-journal-pager-truncated-lines.log', tz: 'UTC', year: 2022, kills: [[2647771, 'node', 3559004]] },
  // Line 3: systemd-oomd kill; line 4: unit notice.
  {
    file: '21-systemd-oomd-kill-and-unit-notice.log', tz: 'America/Los_Angeles', year: 2023, kills: [],
    events: { 'userspace-kill': 1, 'unit-notice': 1 }, units: ['vte-spawn-dbb4a75e-031f-480d-924b-5de5af7579d2.scope'],
  },
  // Lines 3–4: wrapped systemd-oomd kill; line 5: unit notice.
  {
    file: '22-systemd-oomd-kill-wrapped.log', tz: 'America/New_York', year: 2026, kills: [],
    events: { 'userspace-kill': 1, 'unit-notice': 1 }, units: ['overdeck-tmux-server.service'],
  },
  // Line 6: "Marked … for killing"; lines 7–8: two notices of one unit.
  {
    file: '23-systemd-oomd-marked-for-killing-oom-kill-result.log', tz: 'Europe/Berlin', year: 2026, kills: [],
    events: { 'userspace-kill': 1, 'unit-notice': 1 }, units: ['app-Hyprland-xdg\\x2dterminal\\x2dexec-0ae8dde6.scope'],
  },
  // Lines 3–7: five notices within 0.4 ms, systemd's report of kills for a unit and each slice above it (issue 12
  // item 5: one event naming the unit). user@1021.service (line 5) lies in user-1021.slice (line 3) in user.slice
  // (line 6); system-postgresql.slice (line 4) lies in system.slice (line 7): two kills, two events.
  {
    file: '24-unit-notices-rfc3339-five-units.log', tz: 'UTC', kills: [], events: { 'unit-notice': 2 },
    units: ['system-postgresql.slice', 'user@1021.service'],
  },
  // Lines 4 and 9: two notices of jenkins.service.
  {
    file: '25-unit-notice-oom-kill-pager-truncated.log', tz: 'UTC', year: 2021, kills: [],
    events: { 'unit-notice': 1 }, units: ['jenkins.service'],
  },
  // Line 3: bare WSL2 kill line.
  { file: '26-wsl2-bare-kill-line.log', tz: 'UTC', kills: [[5017, 'test', null]] },
  // Line 2: kill; lines 3–7: header, summary, kill; line 8: header with no kill.
  {
    file: '27-proxmox-lxc-journal-memcg.log', tz: 'Europe/Prague', year: 2025,
    kills: [[3777481, 'pulse', 10461592], [3783517, 'pulse', 10461428]], events: { 'oom-unfinished': 1 },
  },
  // Lines 3–5 and 6–8: parent 4142 selected, children 4254 and 4255 killed.
  {
    file: '28-docker-memcg-sacrifice-child-syslog.log', tz: 'UTC', year: 2020,
    kills: [[4254, 'python3', 4288], [4255, 'python3', 4288]],
  },
  // Lines 2–9: kills with reapers; comm "(resolved)" printed as "((resolved))".
  {
    file: '29-parenthesised-comm-resolved.log', tz: 'UTC', year: 2020,
    kills: [[15784, 'python3', 4288], [15925, '(resolved)', 4064], [15783, 'python3', 4288], [15934, '(resolved)', 4064]],
  },
  // French / Chinese locale journal: systemd-oomd candidate lists only.
  { file: '30-french-journal-systemd-oomd-candidates.log', tz: 'Europe/Paris', year: 2024, kills: [] },
  { file: '31-chinese-journal-systemd-oomd-candidates.log', tz: 'Asia/Shanghai', year: 2026, kills: [] },
  // Decoys: lmkd (line 13), bcc oomkill, JVM OutOfMemoryError (line 3), oom_adj write (line 3), earlyoom oom_score_adj.
  { file: '32-decoy-android-lmkd-unit-test.log', tz: 'UTC', kills: [], decoy: true },
  { file: '33-decoy-bcc-oomkill-garbled.log', tz: 'UTC', kills: [], decoy: true },
  { file: '34-decoy-jvm-outofmemoryerror-wrapper.log', tz: 'Asia/Shanghai', kills: [] },
  { file: '35-decoy-kernel-oom-adj-deprecated.log', tz: 'UTC', kills: [] },
  { file: '36-decoy-earlyoom-could-not-set-oom-score-adj.log', tz: 'UTC', kills: [] },
];

/** The first line of this file that the kill's evidence cites (kills are compared in file order). */
function firstLine(kill: OomKill, path: string): number {
  const lines = kill.evidence.filter((e) => e.path === path).map((e) => e.line);
  return lines.length > 0 ? Math.min(...lines) : Number.MAX_SAFE_INTEGER;
}

for (const c of cases) {
  test(`wild ${c.file}: ${c.kills.length} kill(s) by hand count`, async () => {
    const path = fixture('test', 'diagnose', 'fixtures', 'wild', c.file);
    const report = await diagnose({ kernel: [path], tz: c.tz, ...(c.year === undefined ? {} : { year: c.year }) });
    assert.ok(report.oomKills.every((k) => k.pid !== null && k.name !== null), 'a kill always names its victim');
    const kills = [...report.oomKills].sort((a, b) => firstLine(a, path) - firstLine(b, path));
    assert.deepEqual(
      kills.map((k): Kill => [k.pid!, k.name!, k.anonRssKb]),
      c.kills,
      'victims (pid, name, anon-rss kB) in file order',
    );
    const skip: ReadonlySet<OomEventKind> = new Set(c.decoy ? ['userspace-kill', 'unit-notice'] : []);
    const count = (kind: Checked): number => report.oomEvents.filter((e) => e.kind === kind).length;
    const got = Object.fromEntries(CHECKED.filter((k) => !skip.has(k)).map((k) => [k, count(k)]));
    const want = Object.fromEntries(CHECKED.filter((k) => !skip.has(k)).map((k) => [k, c.events?.[k] ?? 0]));
    assert.deepEqual(got, want, 'event kinds');
    if (c.units) {
      const units = report.oomEvents.filter((e) => e.kind === 'unit-notice').map((e) => e.unit ?? '');
      assert.deepEqual(units.sort(), c.units);
    }
  });
}
