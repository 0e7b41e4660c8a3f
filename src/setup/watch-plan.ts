// What `oomscope setup watch` writes: contrib/oomscope-watch.service with the folder, the kernel source and this
// oomscope's own path filled in, or, where systemd is not running, contrib/oomscope-watch.cron's lines.
// test/setup/watch-plan.test.ts checks that the unit is contrib's, line for line, but for ExecStart= and Documentation=.

export interface WatchSettings {
  /** The install folder (check.log, running.log). */
  dir: string;
  processName: string;
  /** kmsg, journal or a file. */
  kernel: string;
  /** How to run this oomscope: the executable, or node and bin/oomscope.cjs. */
  command: string[];
  /** A chat robot or HTTP endpoint told of each death (`--webhook`), or none. */
  webhook?: { url: string; template: string } | null;
}

export interface PlannedFile {
  path: string;
  content: string;
  mode: number;
}

export interface WatchPlan {
  files: PlannedFile[];
  /** Commands to run after writing, each an argv. */
  commands: string[][];
}

const UNIT_PATH = '/etc/systemd/system/oomscope-watch.service';
const CRON_PATH = '/etc/cron.d/oomscope-watch';

/** One word of an ExecStart= line: quoted when it must be, `%` doubled (systemd's specifier character). */
export function unitWord(word: string): string {
  const escaped = word.replace(/%/g, '%%');
  return /[\s"'\\;]/.test(escaped) ? `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : escaped;
}

/** One word for sh: as it is when plainly safe, else single-quoted. */
function shWord(word: string): string {
  return /^[\w@+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function watchArgs(settings: WatchSettings): string[] {
  const webhook = settings.webhook ? ['--webhook', settings.webhook.url, '--webhook-template', settings.webhook.template] : [];
  return [...settings.command, 'watch', '--kernel', settings.kernel, '--dir', settings.dir, '--process', settings.processName, '--metrics', '9101', ...webhook];
}

/** The systemd unit for these settings. */
export function watchUnit(settings: WatchSettings): string {
  const execStart = watchArgs(settings).map(unitWord).join(' ');
  return `# Written by \`oomscope setup watch\` from contrib/oomscope-watch.service; running it again rewrites this file.
[Unit]
Description=oomscope watch: tells why the server's processes die
Documentation=https://github.com/oomscope/oomscope#watch-know-within-seconds
After=network-online.target systemd-journald.service
Wants=network-online.target

[Service]
Type=simple
ExecStart=${execStart}
# OOMSCOPE_WEBHOOK_SECRET=… (and LANG=zh_CN.UTF-8 for Chinese messages), kept out of the unit and of \`ps\`.
# V8's heap for a daemon (README, "Speed and memory"): a 1 MiB semi-space keeps the young generation at 3 MiB
# instead of up to 48 (a pass makes little garbage); the old space is capped so that a runaway ends in a restart.
Environment="NODE_OPTIONS=--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1"
EnvironmentFile=-/etc/oomscope/watch.env
Restart=always
RestartSec=5s
# The watcher must outlive what it watches: a memory-starved machine should kill the app, not the witness.
OOMScoreAdjust=-500
# If oomscope itself should be bounded (a huge log held in memory), uncomment: it is then restarted, not the machine starved.
#MemoryMax=512M

# --- who it runs as
DynamicUser=yes
SupplementaryGroups=adm systemd-journal
CapabilityBoundingSet=CAP_SYSLOG CAP_DAC_READ_SEARCH
AmbientCapabilities=CAP_SYSLOG CAP_DAC_READ_SEARCH
NoNewPrivileges=yes

# --- what it can see and write: --state defaults to $STATE_DIRECTORY/watch-state.json (/var/lib/oomscope)
StateDirectory=oomscope
StateDirectoryMode=0700
ProtectSystem=strict
# The state directory is writable through StateDirectory=; paths an --exec hook writes to go here, e.g.
#ReadWritePaths=/var/log/oomscope-hooks
ProtectHome=read-only
PrivateTmp=yes
UMask=0077
# /dev/kmsg must stay visible: PrivateDevices=yes or ProtectKernelLogs=yes would hide it.
PrivateDevices=no
ProtectKernelLogs=no
DevicePolicy=closed
DeviceAllow=/dev/kmsg r

# --- the rest of the kernel and the system
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
# Node's JIT needs writable+executable memory: MemoryDenyWriteExecute=yes would crash it.
MemoryDenyWriteExecute=no
# Webhooks and /metrics need IP; journalctl a Unix socket; the resolver asks netlink which addresses exist.
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM

[Install]
WantedBy=multi-user.target
`;
}

/** /etc/cron.d lines for a machine without systemd: started at boot, and every minute again if it died (flock). */
function watchCron(settings: WatchSettings): string {
  const command = [...watchArgs(settings), '--state', '/var/lib/oomscope/watch-state.json'].map(shWord).join(' ');
  // The daemons' heap flags, as the units give them (README, "Speed and memory"); watch.env may override them.
  const inner = `set -a; NODE_OPTIONS='--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1'; [ -r /etc/oomscope/watch.env ] && . /etc/oomscope/watch.env; exec ${command}`;
  // cron turns an unescaped % into a newline.
  const run = `root flock -n /run/oomscope-watch.lock sh -c ${shWord(inner)} >> /var/log/oomscope-watch.log 2>&1`.replace(/%/g, '\\%');
  return [
    '# Written by `oomscope setup watch` from contrib/oomscope-watch.cron, for a machine that does not run systemd.',
    'SHELL=/bin/sh',
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    '',
    `@reboot   ${run}`,
    `* * * * * ${run}`,
    '',
  ].join('\n');
}

/** The files and commands that set the watcher up, on a machine running systemd or not. */
export function planWatch(settings: WatchSettings, systemd: boolean): WatchPlan {
  // A robot's URL carries its token: the file is then readable by root alone.
  const mode = settings.webhook ? 0o600 : 0o644;
  if (systemd) {
    return {
      files: [{ path: UNIT_PATH, content: watchUnit(settings), mode }],
      commands: [['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', 'oomscope-watch.service']],
    };
  }
  return { files: [{ path: CRON_PATH, content: watchCron(settings), mode }], commands: [] };
}
