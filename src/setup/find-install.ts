// Where the watched program is installed on this server: the folder of its running binary (read from /proc), and the
// site folders under /www/wwwroot/ (Baota's and AnQiCMS's layout) that hold it, its start.sh or its logs.
// Every path is a path on the server; `root` is put in front of it to read (a fake root in tests, else `/`).
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface InstallCandidate {
  dir: string;
  /** `running`: the folder of a live process's binary; `wwwroot`: a site folder holding the program's files. */
  found: 'running' | 'wwwroot';
  pid: number | null;
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
      // A binary replaced while it runs reads as "/path (deleted)": its folder is still the install folder.
      const exe = readlinkSync(join(proc, pid, 'exe')).replace(/ \(deleted\)$/, '');
      found.push({ dir: dirname(exe), found: 'running', pid: Number(pid) });
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
    .map((site) => ({ dir: `/www/wwwroot/${site}`, found: 'wwwroot', pid: null }));
}

/** Candidates, the running binary's folder first; each folder once. */
export function findInstallDirs(root: string, processName: string): InstallCandidate[] {
  const seen = new Set<string>();
  return [...runningDirs(root, processName), ...wwwrootDirs(root, processName)].filter((candidate) => {
    if (seen.has(candidate.dir)) return false;
    seen.add(candidate.dir);
    return true;
  });
}
