// Finds the logs by itself: an install directory's check.log and running.log (with rotated siblings), and the kernel log.
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../usage-error.js';
import type { FoundNote } from '../i18n/cli-messages.js';

export interface FoundInputs {
  check: string[];
  app: string[];
  kernel: string[];
  /** Where it looked and what it found, for the report's warnings (said in --lang). */
  notes: FoundNote[];
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
function findInDir(dir: string): { check: string[]; app: string[] } {
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

/**
 * The usual places on this machine; with `root` (OOMSCOPE_ROOT: another machine's disk mounted there, or a test's
 * folder) every path is looked for under it, and this machine's own journal and /dev/kmsg are not used.
 */
export function defaultPlaces(processName: string, root?: string): DiscoveryPlaces {
  const under = (path: string): string => (root ? join(root, path) : path);
  return {
    cwd: process.cwd(),
    siteRoots: [under('/www/wwwroot')],
    goLogDirs: [under('/www/wwwlogs/go')],
    logDir: under('/var/log'),
    process: processName,
    journald: !root && existsSync('/run/systemd/journal/socket') && commandExists('journalctl'),
    kmsgReadable: !root && readable('/dev/kmsg'),
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

const KERNEL_LOG_NAMES = ['kern.log', 'syslog', 'messages'];

/** A kernel log copied into a folder (`kern.log`, else `syslog`, else `messages`), with its rotated siblings. */
function kernelLogIn(dir: string): string[] {
  for (const name of KERNEL_LOG_NAMES) {
    const files = rotatedSiblings(join(dir, name));
    if (files.length > 0) return files;
  }
  return [];
}

/** The guardian and app logs of the current directory, else of the usual install places, else Baota's Go log. */
function discoverLocal(places: DiscoveryPlaces, found: FoundInputs, roles: { check: boolean; app: boolean }): string[] {
  const here = findInDir(places.cwd);
  if (here.check.length > 0 || here.app.length > 0) {
    if (roles.check) found.check.push(...here.check);
    if (roles.app) found.app.push(...here.app);
    found.notes.push({ code: 'found.cwd', params: { dir: places.cwd } });
    return [places.cwd];
  }
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
    const dir = chosen[0];
    if (dir === undefined) continue;
    const logs = findInDir(dir);
    if (roles.check) found.check.push(...logs.check);
    if (roles.app) found.app.push(...logs.app);
    found.notes.push(chosen.length > 1 ? { code: 'found.sites', params: { dir, count: chosen.length } } : { code: 'found.site', params: { dir } });
    return [];
  }
  if (roles.app) {
    for (const dir of places.goLogDirs) {
      const log = join(dir, `${places.process}.log`);
      if (isFile(log)) {
        found.app.push(...rotatedSiblings(log));
        found.notes.push({ code: 'found.go-log', params: { path: log } });
        break;
      }
    }
  }
  return [];
}

/** This machine's kernel log: the journal where journald runs (all boots), else the rsyslog files; /dev/kmsg beside them. */
function discoverSystemKernel(places: DiscoveryPlaces, found: FoundInputs): void {
  if (places.journald) {
    found.kernel.push('journal');
    found.notes.push({ code: 'found.journal', params: {} });
    return;
  }
  for (const name of KERNEL_LOG_NAMES) {
    const files = rotatedSiblings(join(places.logDir, name));
    if (files.length > 0) {
      found.kernel.push(...files);
      found.notes.push({ code: 'found.system-log', params: { path: join(places.logDir, name) } });
      break;
    }
  }
  if (places.kmsgReadable) {
    found.kernel.push('kmsg');
    found.notes.push({ code: 'found.kmsg', params: {} });
  }
}

/**
 * Where the logs of a live machine usually are, for the roles asked: the current directory or the usual install
 * places for the guardian and app logs; for the kernel, a kern.log in the install directory (named or found) and the
 * journal where journald runs (all boots, and the user-space killers), else the rsyslog files, with /dev/kmsg for
 * the current boot when it can be read.
 */
function discoverRoles(places: DiscoveryPlaces, roles: { check: boolean; app: boolean; kernel: boolean }, namedDirs: readonly string[]): FoundInputs {
  const found: FoundInputs = { check: [], app: [], kernel: [], notes: [] };
  const installDirs = [...namedDirs];
  if (roles.check || roles.app) installDirs.push(...discoverLocal(places, found, roles));
  else if (roles.kernel && isInstallDir(places.cwd)) installDirs.push(places.cwd);
  if (!roles.kernel) return found;
  for (const dir of installDirs) {
    const files = kernelLogIn(dir);
    if (files.length === 0) continue;
    found.kernel.push(...files);
    found.notes.push({ code: 'found.install-kernel-log', params: { path: files.at(-1)!, dir, rotated: files.length > 1 ? 1 : 0 } });
  }
  discoverSystemKernel(places, found);
  return found;
}

function isInstallDir(dir: string): boolean {
  const logs = findInDir(dir);
  return logs.check.length > 0 || logs.app.length > 0;
}

/** What a run asks to read: the named inputs of each role, the roles turned off, and whether unnamed roles are looked for. */
export interface InputRequest {
  check?: string[];
  app?: string[];
  kernel?: string[];
  dir?: string[];
  noCheck?: boolean;
  noApp?: boolean;
  noKernel?: boolean;
  discoverUnnamed?: boolean;
  places?: DiscoveryPlaces;
}

/**
 * The inputs to read. A role named (`--kernel`; `--check`/`--app`, or `--dir` for both) is read as named; with
 * `discoverUnnamed` each other role that is not turned off is looked for; without it, discovery runs only when no
 * input is named at all (the library's behaviour before per-role discovery).
 */
export function chooseInputs(request: InputRequest, processName: string): FoundInputs {
  const check = request.noCheck ? [] : [...(request.check ?? [])];
  const app = request.noApp ? [] : [...(request.app ?? [])];
  const kernel = request.noKernel ? [] : [...(request.kernel ?? [])];
  const dirs = request.dir ?? [];
  for (const dir of dirs) {
    const found = findInDir(dir);
    if (found.check.length === 0 && found.app.length === 0) {
      throw UsageError.of('dir.no-logs', { dir });
    }
    if (!request.noCheck) check.push(...found.check);
    if (!request.noApp) app.push(...found.app);
  }
  const namedLocal = (request.check ?? []).length + (request.app ?? []).length + dirs.length > 0;
  const namedKernel = (request.kernel ?? []).length > 0;
  const roles = request.discoverUnnamed
    ? { check: !namedLocal && !request.noCheck, app: !namedLocal && !request.noApp, kernel: !namedKernel && !request.noKernel }
    : namedLocal || namedKernel ? { check: false, app: false, kernel: false }
    : { check: !request.noCheck, app: !request.noApp, kernel: !request.noKernel };
  const notes: FoundNote[] = [];
  if (roles.check || roles.app || roles.kernel) {
    const found = discoverRoles(request.places ?? defaultPlaces(processName), roles, dirs);
    check.push(...found.check);
    app.push(...found.app);
    kernel.push(...found.kernel);
    notes.push(...found.notes);
    if (roles.kernel && found.kernel.length === 0) {
      notes.push({ code: 'found.no-kernel', params: {} });
    }
  }
  if (check.length + app.length + kernel.length === 0) {
    throw UsageError.of('no-logs');
  }
  return { check, app, kernel, notes };
}
