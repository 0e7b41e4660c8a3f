// A memory cgroup for the real-kernel tests: the stand-in app runs inside it, so the kernel's
// OOM killer acts on that cgroup alone (a memcg kill), never on the machine.
//
// Where the memory controller lives is read from /proc/self/mountinfo and /proc/self/cgroup:
// - cgroup v1 (or hybrid): the `memory` hierarchy; the test cgroup is made inside our own
//   memory cgroup (so any limit above us still applies), e.g.
//   /sys/fs/cgroup/memory/<ours>/oomscope-test-<pid>.
// - pure cgroup v2: a cgroup that already has processes cannot hand controllers to children
//   (the no-internal-processes rule), so the test cgroup is made beside ours, in our parent,
//   when the parent delegates `memory` (cgroup.subtree_control); else at the v2 root when the
//   root delegates it, or inside ours when ours is the root. It never changes subtree_control.
// Limits: v1 memory.limit_in_bytes (+ memory.memsw.limit_in_bytes when swap accounting is
// on, + memory.swappiness 0); v2 memory.max (+ memory.swap.max 0).
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, procStat, shellQuote, signalQuietly, sleep } from './real-kernel-proc.js';

const DEFAULT_LIMIT_BYTES = 96 * 1024 * 1024;

export interface MemoryCgroup {
  readonly version: 1 | 2;
  /** The cgroup's directory, e.g. /sys/fs/cgroup/memory/process_api/abc/oomscope-test-123. */
  readonly dir: string;
  /**
   * The cgroup's path as the kernel prints it in OOM records (`oom_memcg=`, `task_memcg=`,
   * `Memory cgroup stats for …`), e.g. /process_api/abc/oomscope-test-123. Read from
   * /proc/self/cgroup, so inside a cgroup namespace it is relative to the namespace's root.
   */
  readonly kernelPath: string;
  /** The limit as the kernel took it (rounded to pages). */
  readonly limitBytes: number;
  readonly procsFile: string;
  /**
   * A command prefix that moves the process into the cgroup before it runs anything else:
   * `sh -c 'echo $$ > <dir>/cgroup.procs; exec "$@"' sh`; append the command and its arguments.
   * The PID stays the same through both execs.
   */
  readonly prefix: readonly string[];
  /** `prefix`, quoted for a shell command line. */
  readonly shellPrefix: string;
  /** PIDs in the cgroup now. */
  pids(): number[];
  /** How many OOM kills the kernel made in this cgroup (v1 memory.oom_control, v2 memory.events), or null. */
  oomKills(): number | null;
  /** SIGKILLs every process in it, until none is left (or timeoutMs passes). */
  killAll(timeoutMs?: number): Promise<void>;
  /** killAll, then removes the directory. Safe to call twice. */
  remove(): Promise<void>;
}

export type CgroupAttempt = { cgroup: MemoryCgroup; reason?: undefined } | { cgroup?: undefined; reason: string };

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

function readMounts(): Mount[] {
  const mounts: Mount[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const before = line.slice(0, dash).split(' ');
    const after = line.slice(dash + 3).split(' ');
    const unescape = (s: string): string => s.replace(/\\(\d{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
    mounts.push({
      root: unescape(before[3] ?? ''),
      mountPoint: unescape(before[4] ?? ''),
      fsType: after[0] ?? '',
      superOptions: (after[2] ?? '').split(','),
    });
  }
  return mounts;
}

/** Own cgroup paths from /proc/self/cgroup: v1 by controller name, v2 under ''. */
function ownCgroups(): Map<string, string> {
  const byController = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const controllers = m[2] ?? '';
    const path = m[3] ?? '/';
    if (m[1] === '0' && controllers === '') byController.set('', path);
    else for (const c of controllers.split(',')) byController.set(c, path);
  }
  return byController;
}

function joinCgroupPath(...parts: string[]): string {
  const joined = parts.join('/').replace(/\/+/g, '/');
  return joined === '' ? '/' : joined.startsWith('/') ? joined : '/' + joined;
}

/** The directory of cgroup `cgPath` under a mount whose root is `mount.root`, or undefined. */
function dirUnder(mount: Mount, cgPath: string): string | undefined {
  const root = mount.root === '/' ? '' : mount.root;
  if (root !== '' && cgPath !== root && !cgPath.startsWith(root + '/')) return undefined;
  return join(mount.mountPoint, cgPath.slice(root.length));
}

function readWords(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').trim().split(/\s+/).filter((w) => w !== '');
  } catch {
    return [];
  }
}

interface Place {
  version: 1 | 2;
  parentDir: string;
  parentKernelPath: string;
}

/** Where a child memory cgroup may be made, or the reason there is no such place. */
function findPlace(): Place | { reason: string } {
  const mounts = readMounts();
  const own = ownCgroups();
  const v1 = mounts.find((m) => m.fsType === 'cgroup' && m.superOptions.includes('memory'));
  if (v1) {
    const path = own.get('memory') ?? '/';
    const dir = dirUnder(v1, path);
    if (dir && existsSync(dir)) return { version: 1, parentDir: dir, parentKernelPath: path };
    const rootDir = v1.mountPoint;
    return { version: 1, parentDir: rootDir, parentKernelPath: v1.root };
  }
  const v2 = mounts.find((m) => m.fsType === 'cgroup2' && readWords(join(m.mountPoint, 'cgroup.controllers')).includes('memory'));
  if (!v2) {
    return { reason: 'no memory cgroup controller is mounted (neither a cgroup v1 "memory" hierarchy nor cgroup2 with memory in cgroup.controllers)' };
  }
  const ownPath = own.get('') ?? '/';
  const candidates: string[] = [];
  if (ownPath === '/' || ownPath === v2.root) candidates.push(ownPath);
  const parent = ownPath.replace(/\/[^/]+$/, '') || '/';
  if (parent !== ownPath) candidates.push(parent);
  candidates.push(v2.root);
  for (const cgPath of candidates) {
    const dir = dirUnder(v2, cgPath);
    if (!dir) continue;
    if (readWords(join(dir, 'cgroup.subtree_control')).includes('memory')) {
      return { version: 2, parentDir: dir, parentKernelPath: cgPath };
    }
  }
  return {
    reason: `cgroup v2: neither our cgroup's parent nor the root delegates the memory controller (cgroup.subtree_control lacks "memory"; own cgroup ${ownPath})`,
  };
}

/** Removes test cgroups that earlier, crashed runs left behind (their creator is gone and they are empty). */
function removeStale(parentDir: string): void {
  let names: string[];
  try {
    names = readdirSync(parentDir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^oomscope-test-(\d+)(?:-\d+)?$/.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    const dir = join(parentDir, name);
    if (readWords(join(dir, 'cgroup.procs')).length > 0) continue;
    try {
      rmdirSync(dir);
    } catch {
      // busy or gone: leave it
    }
  }
}

let serial = 0;

/** Why no memory cgroup can be made here, or undefined when one can (checks without creating one). */
export function memoryCgroupUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root: making a memory cgroup needs root';
  try {
    const place = findPlace();
    return 'reason' in place ? place.reason : undefined;
  } catch (err) {
    return `cannot read the cgroup setup: ${(err as Error).message}`;
  }
}

/**
 * Makes `oomscope-test-<pid>[-n]` with the given memory limit (default 96 MiB) and no swap.
 * Answers the reason instead when this machine or user cannot have one.
 */
export function createMemoryCgroup(options: { limitBytes?: number } = {}): CgroupAttempt {
  const unavailable = memoryCgroupUnavailable();
  if (unavailable) return { reason: unavailable };
  const place = findPlace();
  if ('reason' in place) return { reason: place.reason };
  removeStale(place.parentDir);

  const limit = options.limitBytes ?? DEFAULT_LIMIT_BYTES;
  const name = `oomscope-test-${process.pid}${serial++ === 0 ? '' : '-' + serial}`;
  const dir = join(place.parentDir, name);
  try {
    mkdirSync(dir);
  } catch (err) {
    return { reason: `cannot create the memory cgroup ${dir}: ${(err as Error).message}` };
  }
  const kernelPath = joinCgroupPath(place.parentKernelPath, name);
  const cleanupOnError = (): void => {
    try {
      rmdirSync(dir);
    } catch {
      // leave it; removeStale tidies it later
    }
  };

  let limitBytes: number;
  try {
    if (place.version === 1) {
      writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limit));
      if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(limit));
      try {
        writeFileSync(join(dir, 'memory.swappiness'), '0');
      } catch {
        // not settable on every kernel; memsw (or no swap) keeps it out of swap anyway
      }
      limitBytes = Number(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8').trim());
    } else {
      writeFileSync(join(dir, 'memory.max'), String(limit));
      if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
      limitBytes = Number(readFileSync(join(dir, 'memory.max'), 'utf8').trim());
    }
  } catch (err) {
    cleanupOnError();
    return { reason: `cannot set the memory limit of ${dir}: ${(err as Error).message}` };
  }
  // Never run a leak in a cgroup whose limit did not take: it would grow until the machine's OOM.
  if (!(limitBytes > 0 && limitBytes <= limit)) {
    cleanupOnError();
    return { reason: `the memory limit of ${dir} did not take (reads ${limitBytes}, wanted ${limit})` };
  }

  const procsFile = join(dir, 'cgroup.procs');
  const prefix = ['sh', '-c', `echo $$ > ${shellQuote(procsFile)}; exec "$@"`, 'sh'] as const;
  let removed = false;

  const pids = (): number[] => readWords(procsFile).map(Number).filter((n) => n > 0);

  const killAll = async (timeoutMs = 5000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = pids().filter((pid) => {
        const st = procStat(pid);
        return st !== null && st.state !== 'Z';
      });
      if (left.length === 0) return;
      if (place.version === 2 && existsSync(join(dir, 'cgroup.kill'))) {
        try {
          writeFileSync(join(dir, 'cgroup.kill'), '1');
        } catch {
          // fall back to signals
        }
      }
      for (const pid of left) signalQuietly(pid, 'SIGKILL');
      if (Date.now() > deadline) throw new Error(`processes ${left.join(', ')} in ${dir} survive SIGKILL`);
      await sleep(20);
    }
  };

  const cgroup: MemoryCgroup = {
    version: place.version,
    dir,
    kernelPath,
    limitBytes,
    procsFile,
    prefix,
    shellPrefix: prefix.map(shellQuote).join(' '),
    pids,
    oomKills(): number | null {
      const file = place.version === 1 ? 'memory.oom_control' : 'memory.events';
      try {
        const m = /^oom_kill (\d+)$/m.exec(readFileSync(join(dir, file), 'utf8'));
        return m ? Number(m[1]) : null;
      } catch {
        return null;
      }
    },
    killAll,
    async remove(): Promise<void> {
      if (removed) return;
      await killAll();
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          rmdirSync(dir);
          removed = true;
          return;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            removed = true;
            return;
          }
          if (code !== 'EBUSY' || Date.now() > deadline) throw new Error(`cannot remove the memory cgroup ${dir}: ${(err as Error).message}`);
          await killAll();
          await sleep(50);
        }
      }
    },
  };
  return { cgroup };
}
