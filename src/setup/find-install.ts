// Where the watched program is installed on this server: the folder of its running binary (read from /proc), the Go
// projects Baota's panel runs, and the site folders under /www/wwwroot/ (Baota's and AnQiCMS's layout) that hold it,
// its start.sh or its logs. Every path is a path on the server; `root` is put in front of it to read (a fake root in
// tests, else `/`).
// Baota keeps its Go projects in the SQLite table `sites` (project_type 'Go', project_config JSON with project_path and
// project_exe) of /www/server/panel/data/default.db; reading SQLite would need a native module, so the project list
// is taken from what the panel writes beside it: /var/tmp/gopids/NAME.pid, the pid of each project it started.
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface InstallCandidate {
  dir: string;
  /**
   * `running`: the folder of a live process's binary; `baota`: the folder of a Go project Baota's panel started;
   * `wwwroot`: a site folder holding the program's files.
   */
  found: 'running' | 'baota' | 'wwwroot';
  pid: number | null;
  /** The binary, as /proc/PID/exe names it; null when no process was looked at. */
  exe: string | null;
}

/** The kernel keeps 15 bytes of a process name. */
const COMM_BYTES = 15;

function commOf(name: string): string {
  return Buffer.from(name).subarray(0, COMM_BYTES).toString();
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A process's binary; a binary replaced while it runs reads as "/path (deleted)": its folder is still the install folder. */
function exeOf(root: string, pid: number): string | null {
  try {
    return readlinkSync(join(root, 'proc', String(pid), 'exe')).replace(/ \(deleted\)$/, '');
  } catch {
    return null; // gone, or not ours to read
  }
}

/** Folders of the Go projects Baota started that still run (the pid in /var/tmp/gopids/NAME.pid is alive). */
function baotaDirs(root: string): InstallCandidate[] {
  const gopids = join(root, 'var', 'tmp', 'gopids');
  let names: string[];
  try {
    names = readdirSync(gopids).filter((name) => name.endsWith('.pid')).sort();
  } catch {
    return [];
  }
  const found: InstallCandidate[] = [];
  for (const name of names) {
    let pid: number;
    try {
      pid = Number(readFileSync(join(gopids, name), 'utf8').trim());
    } catch {
      continue;
    }
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    const exe = exeOf(root, pid);
    if (exe !== null) found.push({ dir: dirname(exe), found: 'baota', pid, exe });
  }
  return found;
}

/** Folders of running processes named `processName`, by pid, from /proc/PID/{comm,exe}. */
function runningDirs(root: string, processName: string): InstallCandidate[] {
  const proc = join(root, 'proc');
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const found: InstallCandidate[] = [];
  for (const pid of pids) {
    try {
      if (readFileSync(join(proc, pid, 'comm'), 'utf8').trim() !== commOf(processName)) continue;
      const exe = exeOf(root, Number(pid));
      if (exe !== null) found.push({ dir: dirname(exe), found: 'running', pid: Number(pid), exe });
    } catch {
      // gone, or not ours to read
    }
  }
  return found.sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0));
}

/** Site folders under /www/wwwroot/ holding the binary, start.sh, check.log or running.log. */
function wwwrootDirs(root: string, processName: string): InstallCandidate[] {
  const wwwroot = join(root, 'www', 'wwwroot');
  let sites: string[];
  try {
    sites = readdirSync(wwwroot).sort();
  } catch {
    return [];
  }
  return sites
    .filter((site) => isDir(join(wwwroot, site)) && [processName, 'start.sh', 'check.log', 'running.log'].some((name) => existsSync(join(wwwroot, site, name))))
    .map((site) => ({ dir: `/www/wwwroot/${site}`, found: 'wwwroot', pid: null, exe: null }));
}

/** Candidates, the running binary's folder first, then Baota's Go projects, then site folders; each folder once. */
export function findInstallDirs(root: string, processName: string): InstallCandidate[] {
  const seen = new Set<string>();
  return [...runningDirs(root, processName), ...baotaDirs(root), ...wwwrootDirs(root, processName)].filter((candidate) => {
    if (seen.has(candidate.dir)) return false;
    seen.add(candidate.dir);
    return true;
  });
}
