// Finds the logs by itself: an install directory's check.log and running.log (with rotated siblings), and the kernel log.
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface FoundInputs {
  check: string[];
  app: string[];
  kernel: string[];
  /** Where it looked and what it found, for the report's warnings. */
  notes: string[];
}

/** `syslog.10.gz` before `syslog.2.gz` before `syslog.1` before `syslog`: oldest first. */
function rotatedSiblings(path: string): string[] {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return existsSync(path) ? [path] : [];
  }
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[.-](\\d+))?(?:\\.gz)?$`);
  return names
    .map((name) => ({ name, m: pattern.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null && isFile(join(dir, x.name)))
    .sort((a, b) => rotationNumber(b.m) - rotationNumber(a.m))
    .map((x) => join(dir, x.name));
}

function rotationNumber(m: RegExpExecArray): number {
  return m[1] === undefined ? -1 : Number(m[1]);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** check.log and running.log of one install directory, rotated siblings included. */
export function findInDir(dir: string): { check: string[]; app: string[] } {
  return { check: rotatedSiblings(join(dir, 'check.log')), app: rotatedSiblings(join(dir, 'running.log')) };
}

export interface DiscoveryPlaces {
  cwd: string;
  /** Parents of install directories (`/www/wwwroot`). */
  siteRoots: string[];
  /** Baota's Go project logs (`/www/wwwlogs/go`). */
  goLogDirs: string[];
  logDir: string;
  process: string;
  /** Whether journald runs here (its socket exists). */
  journald: boolean;
  kmsgReadable: boolean;
}

export function defaultPlaces(processName: string): DiscoveryPlaces {
  return {
    cwd: process.cwd(),
    siteRoots: ['/www/wwwroot'],
    goLogDirs: ['/www/wwwlogs/go'],
    logDir: '/var/log',
    process: processName,
    journald: existsSync('/run/systemd/journal/socket') && commandExists('journalctl'),
    kmsgReadable: readable('/dev/kmsg'),
  };
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function commandExists(command: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, command)));
}

/**
 * Where the logs of a live machine usually are: the current directory or the usual install places for the
 * guardian and app logs; for the kernel, the journal where journald runs (all boots, and the user-space
 * killers), else the rsyslog files, with /dev/kmsg for the current boot when it can be read.
 */
export function discoverInputs(places: DiscoveryPlaces): FoundInputs {
  const found: FoundInputs = { check: [], app: [], kernel: [], notes: [] };
  const here = findInDir(places.cwd);
  if (here.check.length > 0 || here.app.length > 0) {
    found.check.push(...here.check);
    found.app.push(...here.app);
    found.notes.push(`using the logs in the current directory ${places.cwd}`);
  } else {
    for (const root of places.siteRoots) {
      let sites: string[] = [];
      try {
        sites = readdirSync(root).map((name) => join(root, name)).filter((dir) => existsSync(join(dir, 'running.log')) || existsSync(join(dir, 'check.log')));
      } catch {
        continue;
      }
      // Several sites: prefer the one whose directory holds the watched binary.
      const withBinary = sites.filter((dir) => existsSync(join(dir, places.process)));
      const chosen = withBinary.length > 0 ? withBinary : sites;
      for (const dir of chosen.slice(0, 1)) {
        const logs = findInDir(dir);
        found.check.push(...logs.check);
        found.app.push(...logs.app);
        found.notes.push(`using the logs of ${dir}${chosen.length > 1 ? ` (${chosen.length} sites found; pass --dir for another)` : ''}`);
      }
      if (found.app.length > 0 || found.check.length > 0) break;
    }
    if (found.app.length === 0) {
      for (const dir of places.goLogDirs) {
        const log = join(dir, `${places.process}.log`);
        if (isFile(log)) {
          found.app.push(...rotatedSiblings(log));
          found.notes.push(`using Baota's Go project log ${log}`);
          break;
        }
      }
    }
  }
  if (places.journald) {
    found.kernel.push('journal');
    found.notes.push('reading the kernel log from the journal (all boots)');
    return found;
  }
  for (const name of ['kern.log', 'syslog', 'messages']) {
    const files = rotatedSiblings(join(places.logDir, name));
    if (files.length > 0) {
      found.kernel.push(...files);
      found.notes.push(`reading ${join(places.logDir, name)} and its rotated files`);
      break;
    }
  }
  if (places.kmsgReadable) {
    found.kernel.push('kmsg');
    found.notes.push('reading /dev/kmsg for the current boot');
  }
  return found;
}
