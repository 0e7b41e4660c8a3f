// `oomscope setup watch` as plain data: where the program is installed, start.sh's cron line, and the files and
// commands that would set the watcher up. Reads only; writing is writePlannedFiles's, after the user agreed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageError } from '../usage-error.js';
import { findStartCronLines, type CronLine } from './cron-lines.js';
import { findInstallDirs, type InstallCandidate } from './find-install.js';
import { planWatch, type WatchPlan } from './watch-plan.js';

export interface SetupWatchOptions {
  /** The server's root: `/`, or a fake root in tests. */
  root: string;
  dir?: string | undefined;
  processName: string;
  kernel: string;
  /** How to run this oomscope. */
  command: string[];
  webhook?: { url: string; template: string } | null;
}

export interface SetupWatchFindings {
  /** The folder chosen: --dir, else the first candidate. */
  chosen: InstallCandidate | { dir: string; found: 'given'; pid: null; exe: null };
  /** The other candidates found. */
  others: InstallCandidate[];
  cronLines: CronLine[];
  systemd: boolean;
  plan: WatchPlan;
}

/** Throws UsageError when no folder is given and none is found (the message names the fix). */
export function findSetupWatch(options: SetupWatchOptions, noDir: (processName: string) => UsageError): SetupWatchFindings {
  const candidates = findInstallDirs(options.root, options.processName);
  const chosen = options.dir !== undefined ? { dir: options.dir.replace(/(.)\/+$/, '$1'), found: 'given' as const, pid: null, exe: null } : candidates[0];
  if (chosen === undefined) throw noDir(options.processName);
  // sd_booted(3): systemd is the init system when this folder exists.
  const systemd = existsSync(join(options.root, 'run', 'systemd', 'system'));
  return {
    chosen,
    others: candidates.filter((candidate) => candidate.dir !== chosen.dir),
    cronLines: findStartCronLines(options.root, chosen.dir),
    systemd,
    plan: planWatch({ dir: chosen.dir, processName: options.processName, kernel: options.kernel, command: options.command, webhook: options.webhook ?? null }, systemd),
  };
}
