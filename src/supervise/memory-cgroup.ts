// `--memory-max SIZE`: the app in a memory cgroup of its own, made and removed by oomscope, so that when the app leaks
// the kernel kills the app alone (a memcg kill), not whatever the machine-wide OOM killer picks.
//
// Where the memory controller lives is read from /proc/self/mountinfo and /proc/self/cgroup:
// - cgroup v1 (or hybrid, memory on v1): a child of our own memory cgroup; limits above ours still apply.
// - cgroup v2: a cgroup with processes cannot hand controllers to children (the no-internal-processes rule). At the
//   root, a child of the root. When our cgroup was delegated to us (systemd Delegate=yes: memory is in our
//   cgroup.controllers), the supervisor moves itself into a leaf `oomscope-supervisor` of its own cgroup (unlimited:
//   never into the app's), enables memory for its children, and makes the app's cgroup beside that leaf. Failing
//   that, beside our cgroup when our parent already enables memory for its children.
// Limits: v1 memory.limit_in_bytes (+ memory.memsw.limit_in_bytes, the same, so swap cannot extend it, where swap
// accounting is on; + memory.swappiness 0); v2 memory.max (+ memory.swap.max 0, + memory.oom.group 1).
// The app joins it before it runs any code of its own: it is started through
// `sh -c 'echo $$ > CGROUP/cgroup.procs || exit 125; exec "$@"' sh COMMAND ARGS…` (one pid throughout).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, procStat } from './proc.js';
import type { Params } from '../i18n/catalog.js';
import { errorMessage, type ErrorCode } from '../i18n/error-messages.js';

/** Why the app's memory cgroup cannot be made: a code of the errors catalogue, so the CLI says it in --lang. */
export class CgroupError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
  ) {
    super(errorMessage('en', code, params));
  }
}

export interface AppCgroup {
  readonly version: 1 | 2;
  readonly dir: string;
  /** The path the kernel prints in OOM records (`oom_memcg=`, `task_memcg=`). */
  readonly kernelPath: string;
  /** The limit as the kernel took it (page-rounded), or null for a cgroup found rather than made. */
  readonly limitBytes: number | null;
  /** Swap cannot extend the limit (memsw / swap.max 0 were set). */
  readonly swapLimited: boolean;
  /** `sh -c 'echo $$ > …/cgroup.procs … exec "$@"' sh` + the command: enters the cgroup, then becomes the command. */
  wrap(command: readonly string[]): string[];
  /** The cgroup's own count of OOM kills of its processes, for any cause (v1 memory.oom_control, v2 memory.events `oom_kill`), or null. */
  oomKills(): number | null;
  /** How often its own limit was hit (v2 memory.events `oom`; v1 memory.failcnt + memory.memsw.failcnt), or null. */
  limitHits(): number | null;
  pids(): number[];
  /** SIGKILL to everything left in it (v2: cgroup.kill where the kernel has it). */
  killAll(): void;
  /** killAll, then rmdir (a few tries). False when it could not be removed. */
  remove(): boolean;
}

/** The exit code of the wrapper when the app could not join its cgroup (it then never runs). */
export const CGROUP_JOIN_FAILED = 125;

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

function readMounts(): Mount[] {
  const mounts: Mount[] = [];
  const unescape = (s: string): string => s.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const before = line.slice(0, dash).split(' ');
    const after = line.slice(dash + 3).split(' ');
    mounts.push({ root: unescape(before[3] ?? ''), mountPoint: unescape(before[4] ?? ''), fsType: after[0] ?? '', superOptions: (after[2] ?? '').split(',') });
  }
  return mounts;
}

/** /proc/PID/cgroup: v1 paths by controller, the v2 path under ''. */
function cgroupsOf(pid: number | 'self'): Map<string, string> {
  const byController = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return byController;
  }
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === '0' && m[2] === '') byController.set('', m[3]!);
    else for (const c of m[2]!.split(',')) byController.set(c, m[3]!);
  }
  return byController;
}

function dirUnder(mount: Mount, cgPath: string): string | null {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && cgPath !== root && !cgPath.startsWith(root + '/')) return null;
  return join(mount.mountPoint, cgPath.slice(root.length));
}

function words(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').trim().split(/\s+/).filter((w) => w !== '');
  } catch {
    return [];
  }
}

function joinPath(parent: string, name: string): string {
  return (parent === '/' ? '' : parent.replace(/\/+$/, '')) + '/' + name;
}

interface Place {
  version: 1 | 2;
  parentDir: string;
  parentKernelPath: string;
}

/** The memory hierarchy this process sees: the v1 memory mount, or a cgroup2 mount offering memory. */
function memoryMount(): { version: 1 | 2; mount: Mount } | null {
  const mounts = readMounts();
  const v1 = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes('memory'));
  if (v1) return { version: 1, mount: v1 };
  const v2 = mounts.find((m) => m.fsType === 'cgroup2' && words(join(m.mountPoint, 'cgroup.controllers')).includes('memory'));
  return v2 ? { version: 2, mount: v2 } : null;
}

function findPlace(): Place {
  const found = memoryMount();
  if (!found) throw new CgroupError('cgroup.no-controller');
  const own = cgroupsOf('self');
  const { mount } = found;
  if (found.version === 1) {
    const path = own.get('memory') ?? '/';
    const dir = dirUnder(mount, path);
    if (dir && existsSync(dir)) return { version: 1, parentDir: dir, parentKernelPath: path };
    return { version: 1, parentDir: mount.mountPoint, parentKernelPath: mount.root };
  }
  const ownPath = own.get('') ?? '/';
  const ownDir = dirUnder(mount, ownPath);
  if (ownDir === null) throw new CgroupError('cgroup.outside-mount', { cgroup: ownPath, mount: mount.mountPoint });
  const atRoot = ownPath === '/' || ownPath === mount.root;
  if (atRoot) return { version: 2, parentDir: ownDir, parentKernelPath: ownPath };
  if (words(join(ownDir, 'cgroup.controllers')).includes('memory')) {
    // Delegated to us: move ourselves into an unlimited leaf, then our cgroup may hand memory to its children.
    try {
      if (!words(join(ownDir, 'cgroup.subtree_control')).includes('memory')) {
        const leaf = join(ownDir, 'oomscope-supervisor');
        if (!existsSync(leaf)) mkdirSync(leaf);
        writeFileSync(join(leaf, 'cgroup.procs'), String(process.pid));
        writeFileSync(join(ownDir, 'cgroup.subtree_control'), '+memory');
      }
      return { version: 2, parentDir: ownDir, parentKernelPath: ownPath };
    } catch {
      // other processes share our cgroup (a login session): try beside it
    }
  }
  const parentPath = ownPath.replace(/\/[^/]+$/, '') || '/';
  const parentDir = dirUnder(mount, parentPath);
  if (parentDir !== null && words(join(parentDir, 'cgroup.subtree_control')).includes('memory')) {
    return { version: 2, parentDir, parentKernelPath: parentPath };
  }
  throw new CgroupError('cgroup.not-delegated', { cgroup: ownPath });
}

/** A cgroup name from the app's name: letters, digits, `._-`. */
function cgroupName(name: string, pid: number): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'app';
  return `oomscope-${safe}-${pid}`;
}

/** Removes empty cgroups that earlier supervisors of this app left when they died (their pid no longer runs). */
function removeStale(parentDir: string, name: string): void {
  const prefix = cgroupName(name, 0).replace(/0$/, '');
  let entries: string[];
  try {
    entries = readdirSync(parentDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isRunning(pid, null)) continue;
    const dir = join(parentDir, entry);
    if (words(join(dir, 'cgroup.procs')).length > 0) continue;
    try {
      rmdirSync(dir);
    } catch {
      // busy or gone
    }
  }
}

/** Makes the app's memory cgroup with the limit; throws CgroupError with a one-line reason and the fix. */
export function createAppCgroup(name: string, limitBytes: number): AppCgroup {
  if (process.platform !== 'linux') throw new CgroupError('cgroup.not-linux', { platform: process.platform });
  const place = findPlace();
  removeStale(place.parentDir, name);
  const leaf = cgroupName(name, process.pid);
  const dir = join(place.parentDir, leaf);
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new CgroupError('cgroup.create-denied', { dir, error: code });
      throw new CgroupError('cgroup.create-failed', { dir, error: (error as Error).message });
    }
  }
  let took: number;
  let swapLimited = false;
  try {
    if (place.version === 1) {
      writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
      if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) {
        writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(limitBytes));
        swapLimited = true;
      }
      try {
        writeFileSync(join(dir, 'memory.swappiness'), '0');
      } catch {
        // not settable on every kernel (and not needed where memsw limits swap)
      }
      took = Number(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8').trim());
    } else {
      writeFileSync(join(dir, 'memory.max'), String(limitBytes));
      if (existsSync(join(dir, 'memory.swap.max'))) {
        writeFileSync(join(dir, 'memory.swap.max'), '0');
        swapLimited = true;
      }
      try {
        writeFileSync(join(dir, 'memory.oom.group'), '1');
      } catch {
        // older kernels: each process is chosen on its own
      }
      took = Number(readFileSync(join(dir, 'memory.max'), 'utf8').trim());
    }
  } catch (error) {
    rmdirQuietly(dir);
    throw new CgroupError('cgroup.set-limit-failed', { dir, error: (error as Error).message });
  }
  // A limit that did not take would let a leak grow until the machine's OOM: refuse to go on.
  if (!(took > 0 && took <= limitBytes)) {
    rmdirQuietly(dir);
    throw new CgroupError('cgroup.limit-not-taken', { dir, took, wanted: limitBytes });
  }
  return cgroupAt(place.version, dir, joinPath(place.parentKernelPath, leaf), took, swapLimited);
}

/** The memory cgroup a running process is in, if oomscope made it (adoption: the old supervisor's cgroup). */
export function appCgroupOf(pid: number): AppCgroup | null {
  const found = memoryMount();
  if (!found) return null;
  const path = cgroupsOf(pid).get(found.version === 1 ? 'memory' : '');
  if (!path || !/\/oomscope-[^/]+-\d+$/.test(path)) return null;
  const dir = dirUnder(found.mount, path);
  if (!dir || !existsSync(dir)) return null;
  return cgroupAt(found.version, dir, path, null, false);
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // leave it; removeStale tidies it later
  }
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function cgroupAt(version: 1 | 2, dir: string, kernelPath: string, limitBytes: number | null, swapLimited: boolean): AppCgroup {
  const procsFile = join(dir, 'cgroup.procs');
  const quoted = `'${procsFile.replace(/'/g, `'\\''`)}'`;
  const script = `echo $$ > ${quoted} || { echo "oomscope: cannot join the memory cgroup ${dir.replace(/["`$\\]/g, '_')}" >&2; exit ${CGROUP_JOIN_FAILED}; }; exec "$@"`;
  const pids = (): number[] => words(procsFile).map(Number).filter((n) => n > 0);
  const killAll = (): void => {
    if (version === 2 && existsSync(join(dir, 'cgroup.kill'))) {
      try {
        writeFileSync(join(dir, 'cgroup.kill'), '1');
      } catch {
        // fall back to signals
      }
    }
    for (const pid of pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  };
  return {
    version,
    dir,
    kernelPath,
    limitBytes,
    swapLimited,
    wrap: (command) => ['sh', '-c', script, 'sh', ...command],
    oomKills() {
      try {
        const m = /^oom_kill (\d+)$/m.exec(readFileSync(join(dir, version === 1 ? 'memory.oom_control' : 'memory.events'), 'utf8'));
        return m ? Number(m[1]) : null;
      } catch {
        return null;
      }
    },
    limitHits() {
      if (version === 2) {
        try {
          const m = /^oom (\d+)$/m.exec(readFileSync(join(dir, 'memory.events'), 'utf8'));
          return m ? Number(m[1]) : null;
        } catch {
          return null;
        }
      }
      let total: number | null = null;
      for (const file of ['memory.failcnt', 'memory.memsw.failcnt']) {
        try {
          total = (total ?? 0) + Number(readFileSync(join(dir, file), 'utf8').trim());
        } catch {
          // no swap accounting
        }
      }
      return total;
    },
    pids,
    killAll,
    remove() {
      for (let attempt = 0; attempt < 40; attempt++) {
        const alive = pids().filter((pid) => {
          const stat = procStat(pid);
          return stat !== null && stat.state !== 'Z';
        });
        if (alive.length > 0) killAll();
        try {
          rmdirSync(dir);
          return true;
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') return true;
          if (code !== 'EBUSY') return false;
        }
        sleepSync(50);
      }
      return false;
    },
  };
}
