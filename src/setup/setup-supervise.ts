// `oomscope setup supervise` as plain data: the install folder, start.sh's cron lines and logs, the memory limit
// offered, and the files that would replace the cron guardian by a systemd unit running `oomscope supervise`.
// Reads only; writing is writePlannedFiles's, after the user agreed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageError } from '../usage-error.js';
import { findStartCronLines, type CronLine } from './cron-lines.js';
import { findInstallDirs, type InstallCandidate } from './find-install.js';
import { commentedCrontabs, offeredMemoryMax, startScriptLogs, superviseUnit, superviseUnitName, validMemoryMax, type StartScriptLogs } from './supervise-plan.js';
import type { PlannedFile } from './watch-plan.js';

export interface SetupSuperviseOptions {
  root: string;
  dir?: string | undefined;
  processName: string;
  /** `--memory-max`: a size, `none`, or undefined for the offer. */
  memoryMax?: string | undefined;
  command: string[];
}

/** Why setup supervise will not go on; the command turns each into a UsageError in the user's language. */
export type SuperviseRefusal =
  | { why: 'no-dir'; processName: string }
  | { why: 'no-systemd' }
  | { why: 'no-cron-line'; dir: string }
  | { why: 'bad-memory-max'; value: string }
  | { why: 'crontab-not-utf8'; file: string };

export interface SetupSuperviseFindings {
  chosen: InstallCandidate | { dir: string; found: 'given'; pid: null; exe: null };
  others: InstallCandidate[];
  cronLines: CronLine[];
  logs: StartScriptLogs;
  binary: string;
  /** The limit in the unit, and whether it is the one offered from the machine's RAM (not given). */
  memoryMax: { value: string | null; offered: boolean };
  unitName: string;
  files: PlannedFile[];
  commands: string[][];
}

function memoryMaxFor(options: SetupSuperviseOptions, refuse: (refusal: SuperviseRefusal) => UsageError): { value: string | null; offered: boolean } {
  if (options.memoryMax === undefined) return { value: offeredMemoryMax(options.root), offered: true };
  if (options.memoryMax === 'none') return { value: null, offered: false };
  if (!validMemoryMax(options.memoryMax)) throw refuse({ why: 'bad-memory-max', value: options.memoryMax });
  return { value: options.memoryMax, offered: false };
}

/** Throws the refusal's UsageError when there is nothing to replace, or nothing to replace it with. */
export function findSetupSupervise(options: SetupSuperviseOptions, refuse: (refusal: SuperviseRefusal) => UsageError): SetupSuperviseFindings {
  const candidates = findInstallDirs(options.root, options.processName);
  const chosen = options.dir !== undefined ? { dir: options.dir.replace(/(.)\/+$/, '$1'), found: 'given' as const, pid: null, exe: null } : candidates[0];
  if (chosen === undefined) throw refuse({ why: 'no-dir', processName: options.processName });
  // sd_booted(3): systemd is the init system when this folder exists.
  if (!existsSync(join(options.root, 'run', 'systemd', 'system'))) throw refuse({ why: 'no-systemd' });
  const cronLines = findStartCronLines(options.root, chosen.dir);
  if (cronLines.length === 0) throw refuse({ why: 'no-cron-line', dir: chosen.dir });
  const memoryMax = memoryMaxFor(options, refuse);
  const crontabs = commentedCrontabs(options.root, cronLines);
  if (crontabs.unreadable[0] !== undefined) throw refuse({ why: 'crontab-not-utf8', file: crontabs.unreadable[0] });
  const logs = startScriptLogs(options.root, chosen.dir);
  // The running binary where it runs from this folder (its real name: comm keeps 15 bytes), else the folder's NAME.
  const binary = chosen.exe?.startsWith(`${chosen.dir}/`) ? chosen.exe : `${chosen.dir}/${options.processName}`;
  const unitName = superviseUnitName(options.processName);
  const unit = superviseUnit({
    dir: chosen.dir, binary, processName: options.processName, checkLog: logs.checkLog, runningLog: logs.runningLog, memoryMax: memoryMax.value, command: options.command,
  });
  return {
    chosen,
    others: candidates.filter((candidate) => candidate.dir !== chosen.dir),
    cronLines,
    logs,
    binary,
    memoryMax,
    unitName,
    // The unit first: were writing the crontab to fail, cron still starts the app.
    files: [{ path: `/etc/systemd/system/${unitName}`, content: unit, mode: 0o644 }, ...crontabs.files],
    // Enabled, not started: the app cron started still runs; it is handed over when the user stops it (see next.supervise).
    commands: [['systemctl', 'daemon-reload'], ['systemctl', 'enable', unitName]],
  };
}
