// What `oomscope setup supervise` writes: contrib/oomscope-supervise.service with the app's binary, folder, logs and
// memory limit filled in, and start.sh's crontab lines commented out (not deleted) behind a marker, so cron no longer
// starts a second copy. test/setup/setup-supervise.test.ts checks the unit against contrib's, line for line.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSize } from '../supervise/sizes.js';
import type { CronLine } from './cron-lines.js';
import { unitWord, type PlannedFile } from './watch-plan.js';

export interface SuperviseSettings {
  /** The install folder: the unit's WorkingDirectory=. */
  dir: string;
  /** The app's binary. */
  binary: string;
  processName: string;
  /** Paths on the server, as start.sh wrote them; checkLog null when start.sh wrote none. */
  checkLog: string | null;
  runningLog: string;
  /** `--memory-max` of the app, e.g. `768M`; null for none. */
  memoryMax: string | null;
  /** How to run this oomscope. */
  command: string[];
}

/** The start of a line setup commented out; `setup undo` restores the whole file from its backup, not by this. */
const CRON_MARKER = '#oomscope-setup-supervise# ';

/** The unit's file name: the app's own name when systemd accepts it, as contrib suggests (anqicms.service). */
export function superviseUnitName(processName: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(processName) && !processName.startsWith('oomscope') ? `${processName}.service` : 'oomscope-supervise.service';
}

/** The log files start.sh appends to (`>> $BINPATH/check.log`, `>> running.log`), as paths on the server. */
export interface StartScriptLogs {
  checkLog: string | null;
  runningLog: string;
  /** False when start.sh could not be read: the paths are then the usual ones in the folder. */
  read: boolean;
}

export function startScriptLogs(root: string, dir: string): StartScriptLogs {
  let script: string;
  try {
    script = readFileSync(join(root, dir, 'start.sh'), 'utf8');
  } catch {
    return { checkLog: `${dir}/check.log`, runningLog: `${dir}/running.log`, read: false };
  }
  const target = (name: string): string | null => {
    const match = new RegExp(`>>\\s*"?([^\\s">&;]*${name.replace('.', '\\.')})`).exec(script);
    if (!match) return null;
    // $BINPATH / ${BINPATH} (AnQiCMS's start.sh) is the folder itself; a bare name is relative to it (`cd $BINPATH`).
    const path = match[1]!.replace(/^\$\{?\w+\}?\//, '');
    return path.startsWith('/') ? path : `${dir}/${path}`;
  };
  return { checkLog: target('check.log'), runningLog: target('running.log') ?? `${dir}/running.log`, read: true };
}

/** Half the machine's RAM (MemTotal in /proc/meminfo), rounded down to 256 MiB steps: room for the rest of the server. */
export function offeredMemoryMax(root: string): string | null {
  let meminfo: string;
  try {
    meminfo = readFileSync(join(root, 'proc', 'meminfo'), 'utf8');
  } catch {
    return null;
  }
  const kb = /^MemTotal:\s+(\d+) kB$/m.exec(meminfo);
  if (!kb) return null;
  const mib = Math.floor(Number(kb[1]) / 1024 / 2 / 256) * 256;
  if (mib < 256) return null;
  return mib % 1024 === 0 ? `${mib / 1024}G` : `${mib}M`;
}

/** A memory size as `--memory-max` reads it, or null. */
export function validMemoryMax(text: string): boolean {
  return parseSize(text) !== null;
}

export function superviseUnit(settings: SuperviseSettings): string {
  const name = settings.processName;
  const args = [
    ...settings.command, 'supervise', '--name', name,
    ...(settings.checkLog !== null ? ['--check-log', settings.checkLog] : []),
    '--log', settings.runningLog,
    '--incidents', `${settings.dir}/oomscope-incidents.ndjson`,
    '--pidfile', `/run/oomscope-${name.replace(/[^\w.-]/g, '_')}.pid`,
    ...(settings.memoryMax !== null ? ['--memory-max', settings.memoryMax, '--gomemlimit', 'auto'] : []),
    '--', settings.binary,
  ];
  return `# Written by \`oomscope setup supervise\` from contrib/oomscope-supervise.service; \`oomscope setup undo\` removes it
# and puts start.sh's cron line back.
[Unit]
Description=${name.replace(/%/g, '%%')}, supervised by oomscope (restarts it and tells why it died)
After=network-online.target mysql.service mariadb.service
Wants=network-online.target

[Service]
Type=simple
WorkingDirectory=${settings.dir.replace(/%/g, '%%')}
ExecStart=${args.map(unitWord).join(' ')}
# V8's heap for the supervisor itself (README, "Speed and memory"); oomscope takes these two flags out of
# NODE_OPTIONS before it starts the app, so a Node app keeps its own heap.
Environment="NODE_OPTIONS=--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1"
# oomscope makes the app's memory cgroup inside this unit's cgroup: it needs the subtree delegated.
Delegate=yes
# oomscope restarts the app itself; systemd restarts oomscope if oomscope itself dies.
Restart=on-failure
RestartSec=2
# A stop sends SIGTERM to oomscope alone: it passes it on to the app, waits --grace (10 s), then SIGKILLs it.
KillMode=process
KillSignal=SIGTERM
TimeoutStopSec=30
# Reading /dev/kmsg and making memory cgroups need root. Webhook secrets: Environment=OOMSCOPE_WEBHOOK_SECRET=…
User=root

[Install]
WantedBy=multi-user.target
`;
}

/**
 * The crontab files with start.sh's lines commented out behind CRON_MARKER, everything else byte for byte as it was
 * (line ends, a byte-order mark, the mode included). A file that is not UTF-8 is listed in `unreadable`, not rewritten.
 */
export function commentedCrontabs(root: string, lines: CronLine[]): { files: PlannedFile[]; unreadable: string[] } {
  const files: PlannedFile[] = [];
  const unreadable: string[] = [];
  for (const file of [...new Set(lines.map((line) => line.file))]) {
    let text: string;
    let mode: number;
    try {
      mode = statSync(join(root, file)).mode & 0o7777;
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(join(root, file)));
    } catch {
      unreadable.push(file);
      continue;
    }
    const numbers = new Set(lines.filter((line) => line.file === file).map((line) => line.line));
    const content = text.split('\n').map((line, index) => (numbers.has(index + 1) ? `${CRON_MARKER}${line}` : line)).join('\n');
    files.push({ path: file, content, mode });
  }
  return { files, unreadable };
}
