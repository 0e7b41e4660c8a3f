// Recognises the kernel OOM killer's lines (formats.md §3) in a message already stripped of its stamps.

export interface KilledFigures {
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  uid: number | null;
  pgtablesKb: number | null;
  oomScoreAdj: number | null;
}

export type OomLine =
  /** `<comm> invoked oom-killer: gfp_mask=…, order=…, oom_score_adj=…` (any era). */
  | { kind: 'header'; comm: string | null; gfpMask: string | null; gfpFlags: string[] | null; order: number | null; oomScoreAdj: number | null }
  /** `<comm> cpuset=<name> mems_allowed=…` (until 4.19). */
  | { kind: 'cpuset'; comm: string; cpuset: string }
  /** `CPU: 1 PID: 2074 Comm: anqicms Not tainted 6.8.0 #45` or 2.6's `Pid: 2074, comm: anqicms Not tainted 2.6.32 #1`. */
  | { kind: 'cpu'; pid: number; comm: string; kernelVersion: string | null }
  | { kind: 'linux-version'; kernelVersion: string }
  /** v1 up to 4.19: `Task in /a killed as a result of limit of /b`. */
  | { kind: 'task-in'; taskMemcg: string; memcg: string }
  | { kind: 'memcg-usage'; usageKb: number; limitKb: number }
  | { kind: 'memcg-stats'; memcg: string }
  | { kind: 'mem-info' }
  /** Mem-Info's page counts: `active_anon:… inactive_anon:…` and its indented continuation lines (` free:12794 …`). */
  | { kind: 'mem-stats'; values: Record<string, number> }
  /** `Node 0 Normal free:61900kB boost:8192kB min:61948kB low:75384kB high:88820kB … managed:12774792kB …`. */
  | { kind: 'zone'; node: number; zone: string; freeKb: number; minKb: number; lowKb: number; highKb: number; managedKb: number | null }
  /** `44659 total pagecache pages`. */
  | { kind: 'pagecache'; pages: number }
  /** `lowmem_reserve[]: 0 3191 15659 15659 15659` after a zone line: pages that zone keeps back, per allocation class. */
  | { kind: 'lowmem-reserve'; pages: number[] }
  /** A buddy-allocator line such as `Node 0 DMA: 0*4kB 1*8kB …`: its first size is the page size. */
  | { kind: 'buddy'; pageSizeKb: number }
  | { kind: 'swap-free'; kb: number }
  | { kind: 'swap-total'; kb: number }
  | { kind: 'pages-ram'; pages: number }
  | { kind: 'task-header'; columns: string[] }
  /** One task-table row; `values` follow the columns of the table header between `tgid` and `name`. */
  | { kind: 'task-row'; pid: number; uid: number; tgid: number; values: number[]; name: string }
  /** 5.0+ one-line summary `oom-kill:constraint=…,task=…,pid=…,uid=…`. */
  | { kind: 'summary'; constraint: string | null; memcg: string | null; taskMemcg: string | null; pid: number | null; name: string | null; uid: number | null; globalOom: boolean }
  /** `Out of memory: Kill process 2074 (anqicms) score 999 or sacrifice child` (the process selected). */
  | { kind: 'select'; memcgPrefix: boolean; pid: number; name: string; score: number | null }
  /** `Killed process 2074 (anqicms) total-vm:…` in every era; `memcgPrefix` when it said `Memory cgroup out of memory`. */
  | { kind: 'killed'; memcgPrefix: boolean; prefix: string | null; pid: number; name: string; figures: KilledFigures }
  | { kind: 'reaped'; pid: number; name: string }
  | { kind: 'unable-to-reap'; pid: number; name: string }
  /** `panic`: printed by the kernel's panic (`Kernel panic - not syncing: Out of memory and no killable processes...`). */
  | { kind: 'no-killable'; memcgPrefix: boolean; panic: boolean }
  | { kind: 'panic-on-oom'; mode: string }
  /** `sysrq: Manual OOM execution`: someone started the OOM killer by hand (SysRq-f). */
  | { kind: 'sysrq-oom' }
  | { kind: 'oom-group'; memcg: string }
  | { kind: 'already-exiting'; pid: number; name: string }
  | { kind: 'deadlocked-panic' };

const num = (text: string | undefined): number | null => (text === undefined ? null : Number(text));

const HEADER = /^(?:(.*?) invoked )?oom-killer: (.*)$/;
const GFP = /gfp_mask=(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?/;
const ORDER = /(?:^|[ ,])order=(-?\d+)/;
const SCORE_ADJ = /(?:oom_score_adj|oomkilladj|oom_adj)=(-?\d+)/;
const CPUSET = /^(.*) cpuset=(\S*) mems_allowed=\S*$/;
const CPU_LINE = /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (.*?) (?:Kdump: \S+ )?(?:Not tainted|Tainted: [A-Z ]*?) +(\S+) #/;
const CPU_LINE_LOOSE = /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (.*?)(?: (?:Kdump|Not tainted|Tainted)|$)/;
const PID_LINE_OLD = /^Pid: (\d+), comm: (.*?) (?:Not tainted|Tainted: [A-Z ]*?) +(\S+) #/;
const LINUX_VERSION = /^Linux version (\S+)/;
const TASK_IN = /^Task in (\S+) killed as a result of limit of (\S+)/;
const MEMCG_USAGE = /^memory: usage (\d+)kB, limit (\d+)kB/;
const MEMCG_STATS = /^Memory cgroup stats for (.*?):/;
const BUDDY = /^Node \d+ [A-Za-z0-9]+: \d+\*(\d+)kB/;
const SWAP_FREE = /^Free swap {1,2}= ?(\d+)kB/;
const SWAP_TOTAL = /^Total swap = ?(\d+)kB/;
const PAGES_RAM = /^(\d+) pages RAM$/;
const PAGECACHE = /^(\d+) total pagecache pages$/;
const ZONE = /^Node (\d+) (\w+) free:(\d+)kB(?: boost:\d+kB)? min:(\d+)kB low:(\d+)kB high:(\d+)kB/;
const ZONE_MANAGED = / managed:(\d+)kB/;
/** A whole Mem-Info summary line: nothing but `key:pages` pairs (the record may hold its continuation lines too). */
const MEM_STATS = /^\s*[a-z_]+:\d+(?:\s+[a-z_]+:\d+)*\s*$/;
const MEM_STATS_PAIR = /([a-z_]+):(\d+)/g;
const LOWMEM_RESERVE = /^lowmem_reserve\[\]:((?: \d+)+)\s*$/;
const TASK_HEADER = /^\[\s*pid\s*\]\s+uid\s+tgid\s+(.*)\bname\s*$/;
const TASK_ROW = /^\[\s*(\d+)\]\s+(-?\d+)\s+(\d+)((?:\s+-?\d+)+)\s(.*)$/;
const SUMMARY = /^oom-kill:(.*)$/;
const SUMMARY_TAIL = /,task=(.*),pid=(\d+),uid=(\d+)\s*$/;
const KILL_PREFIX = '(Out of memory|Out of Memory|Memory cgroup out of memory|Out of memory \\(oom_kill_allocating_task\\)|No available memory \\(MPOL_BIND\\))';
const SELECT = new RegExp(`^${KILL_PREFIX}: [Kk]ill process (\\d+) \\((.*)\\) score (\\d+)(?: (?:or sacrifice(?: child)?|and children\\.?|or a child|or))?\\s*$`);
const KILLED = new RegExp(`^(?:${KILL_PREFIX}: )?Killed process (\\d+)(?:, UID (\\d+),)? \\((.*)\\)(.*)$`);
const KILLED_FIGURES = /(?:total-vm|vsz):(\d+)kB, ?anon-rss:(\d+)kB, ?file-rss:(\d+)kB(?:, ?shmem-rss:(\d+)kB)?(?:,? UID:(\d+))?(?: pgtables:(\d+)kB)?(?: oom_score_adj:(-?\d+))?/;
const REAPED = /^oom_reaper: reaped process (\d+) \((.*)\), now anon-rss/;
const UNABLE_TO_REAP = /^oom_reaper: unable to reap pid:(\d+) \((.*)\)/;
const NO_KILLABLE = /^(Out of memory|Memory cgroup out of memory) and no killable processes/;
const PANIC_ON_OOM = /^Out of memory: (compulsory|system-wide) panic_on_oom is enabled/;
const OOM_GROUP = /^Tasks in (\S+) are going to be killed due to memory\.oom\.group set/;
const ALREADY_EXITING = /: OOM victim (\d+) \((.*)\) is already exiting\. Skip killing the task/;
const DEADLOCK = /^Kernel panic - not syncing: System is deadlocked on memory/;
const KERNEL_PANIC = 'Kernel panic - not syncing: ';
const SYSRQ_OOM = /^(?:sysrq|SysRq) ?: ?Manual OOM execution/;
/**
 * Where an OOM line's text may begin when something stands in front of it that no envelope explains (a quote,
 * markdown, a console's label): looked for only in lines nothing else recognised.
 */
const MARKER_RE = /Out of [Mm]emory|Memory cgroup out of memory|Killed process|oom-kill:|oom_reaper:|Kernel panic - not syncing: |Task in \/|Tasks state|Mem-Info:/;
/** The kernel's `comm` is at most 15 bytes (TASK_COMM_LEN 16 with its NUL). */
const COMM_BYTES = 15;
/** A stamp or priority inside what was taken for a name: the prefix was not the process's. */
const STAMP_IN_NAME = /<\d{1,3}>\[|\[ {0,12}\d{1,12}\.\d{1,9}\]/;

const CONSTRAINTS: Record<string, string> = {
  CONSTRAINT_NONE: 'global',
  CONSTRAINT_CPUSET: 'cpuset',
  CONSTRAINT_MEMORY_POLICY: 'mempolicy',
  CONSTRAINT_MEMCG: 'memcg',
};

/** Maps the kernel's `CONSTRAINT_*` name to the contract's constraint word. */
export function constraintName(kernelName: string | null): string | null {
  return kernelName === null ? null : (CONSTRAINTS[kernelName] ?? null);
}

/**
 * The OOM line a message is, or null. Cheap for lines that are none: every pattern is anchored and
 * dispatched on the message's first character.
 */
export function recogniseOomLine(message: string): OomLine | null {
  // A header's comm can begin with any character (`C2 CompilerThre`, `Plex Media Serv`): what the first
  // character does not explain is looked for anywhere in the line.
  return byFirstCharacter(message) ?? anywhere(message);
}

function byFirstCharacter(message: string): OomLine | null {
  const first = message.charCodeAt(0);
  switch (first) {
    case 91: // '['
      return taskTableLine(message);
    case 67: // 'C'
      return cpuLine(message);
    case 80: // 'P'
      return pidLineOld(message);
    case 76: // 'L'
      return match(LINUX_VERSION, message, (m) => ({ kind: 'linux-version', kernelVersion: m[1]! }));
    case 84: // 'T'
      return (
        match(TASK_IN, message, (m) => ({ kind: 'task-in', taskMemcg: m[1]!, memcg: m[2]! })) ??
        match(SWAP_TOTAL, message, (m) => ({ kind: 'swap-total', kb: Number(m[1]) })) ??
        match(OOM_GROUP, message, (m) => ({ kind: 'oom-group', memcg: m[1]! }))
      );
    case 109: // 'm'
      if (message.startsWith('memory: usage')) return match(MEMCG_USAGE, message, (m) => ({ kind: 'memcg-usage', usageKb: Number(m[1]), limitKb: Number(m[2]) }));
      break;
    case 77: // 'M'
      if (message.startsWith('Mem-Info')) return { kind: 'mem-info' };
      if (message.startsWith('Memory cgroup stats')) return match(MEMCG_STATS, message, (m) => ({ kind: 'memcg-stats', memcg: m[1]! }));
      if (message.startsWith('Memory cgroup out of memory')) return outOfMemoryLine(message);
      break;
    case 78: // 'N'
      if (message.startsWith('Node ')) return match(BUDDY, message, (m) => ({ kind: 'buddy', pageSizeKb: Number(m[1]) })) ?? zoneLine(message);
      if (message.startsWith('No available memory')) return killLine(message);
      break;
    case 70: // 'F'
      return match(SWAP_FREE, message, (m) => ({ kind: 'swap-free', kb: Number(m[1]) }));
    case 75: // 'K'
      if (message.startsWith('Killed process')) return killLine(message);
      if (message.startsWith(KERNEL_PANIC)) return kernelPanicLine(message);
      break;
    case 115: // 's'
    case 83: // 'S'
      if (message.startsWith('sysrq') || message.startsWith('SysRq')) return SYSRQ_OOM.test(message) ? { kind: 'sysrq-oom' } : null;
      break;
    case 111: // 'o'
      if (message.startsWith('oom-kill:')) return summaryLine(message);
      if (message.startsWith('oom_reaper:')) {
        return (
          match(REAPED, message, (m) => ({ kind: 'reaped', pid: Number(m[1]), name: m[2]! })) ??
          match(UNABLE_TO_REAP, message, (m) => ({ kind: 'unable-to-reap', pid: Number(m[1]), name: m[2]! }))
        );
      }
      if (message.startsWith('oom-killer:')) return headerLine(message);
      break;
    case 79: // 'O'
      if (message.startsWith('Out of ')) return outOfMemoryLine(message);
      break;
    case 97: // 'a'
      if (message.startsWith('active_anon:')) return memStatsLine(message);
      break;
    case 108: // 'l'
      if (message.startsWith('lowmem_reserve[]:')) return match(LOWMEM_RESERVE, message, (m) => ({ kind: 'lowmem-reserve', pages: m[1]!.trim().split(' ').map(Number) }));
      break;
    case 32: // ' ': Mem-Info's continuation lines
      return memStatsLine(message);
  }
  if (first >= 48 && first <= 57) {
    return (
      match(PAGES_RAM, message, (m) => ({ kind: 'pages-ram', pages: Number(m[1]) })) ??
      match(PAGECACHE, message, (m) => ({ kind: 'pagecache', pages: Number(m[1]) }))
    );
  }
  return null;
}

function anywhere(message: string): OomLine | null {
  if (message.includes(' invoked oom-killer: ')) return headerLine(message);
  const marker = firstMarker(message);
  if (marker > 0 && isJunkPrefix(message.slice(0, marker))) return byFirstCharacter(message.slice(marker));
  if (message.includes(' mems_allowed=')) return match(CPUSET, message, (m) => ({ kind: 'cpuset', comm: m[1]!, cpuset: m[2]! }));
  if (message.includes('is already exiting. Skip killing')) {
    return match(ALREADY_EXITING, message, (m) => ({ kind: 'already-exiting', pid: Number(m[1]), name: m[2]! }));
  }
  return null;
}

/**
 * Text that may stand in front of a kernel line without being part of it: quote marks, markdown, punctuation, or a
 * short label or prompt (`Guest: `, `root@web:~# `). Prose that mentions a marker (a comment, a sentence) is not.
 */
function isJunkPrefix(prefix: string): boolean {
  if (!/[\p{L}\p{N}]/u.test(prefix)) return true;
  return prefix.length <= 40 && /[:#$>] $/.test(prefix);
}

/** The earliest place a marker of an OOM line begins, or -1 (one search for all of them). */
function firstMarker(message: string): number {
  return MARKER_RE.exec(message)?.index ?? -1;
}

/**
 * `Kernel panic - not syncing: …` lines of the OOM killer: panic_on_oom, nothing killable (older kernels panic
 * with that text), or deadlocked on memory (4.19+, after its `no killable processes` line). Other panics are not OOM's.
 */
function kernelPanicLine(message: string): OomLine | null {
  const reason = message.slice(KERNEL_PANIC.length);
  if (DEADLOCK.test(message)) return { kind: 'deadlocked-panic' };
  if (reason.includes('panic_on_oom')) return match(PANIC_ON_OOM, reason, (m) => ({ kind: 'panic-on-oom', mode: m[1]! }));
  if (reason.includes(' and no killable processes')) {
    return match(NO_KILLABLE, reason, (m) => ({ kind: 'no-killable', memcgPrefix: m[1] === 'Memory cgroup out of memory', panic: true }));
  }
  return null;
}

/**
 * A process name as the kernel prints it: at most 15 bytes. Longer text took in a prefix (a console label, a
 * stamp): the name is the longest tail after a space that fits, and none when a stamp is in it.
 */
export function kernelComm(text: string): string | null {
  if (Buffer.byteLength(text) <= COMM_BYTES && !STAMP_IN_NAME.test(text)) return text;
  const stamp = /[\]>] ?(?=[^\]>]*$)/.exec(text);
  let tail = stamp ? text.slice(stamp.index + stamp[0].length) : text;
  while (Buffer.byteLength(tail) > COMM_BYTES) {
    const space = tail.indexOf(' ');
    if (space === -1) return null;
    tail = tail.slice(space + 1);
  }
  return tail === '' || STAMP_IN_NAME.test(tail) ? null : tail;
}

function match<T>(pattern: RegExp, text: string, build: (m: RegExpExecArray) => T): T | null {
  const m = pattern.exec(text);
  return m ? build(m) : null;
}

function headerLine(message: string): OomLine | null {
  const m = HEADER.exec(message);
  if (!m) return null;
  const rest = m[2]!;
  const gfp = GFP.exec(rest);
  return {
    kind: 'header',
    comm: m[1] === undefined ? null : kernelComm(m[1]),
    gfpMask: gfp ? gfp[1]! : null,
    gfpFlags: gfp && gfp[2] ? gfp[2].split('|').filter((flag) => flag.length > 0) : null,
    order: num(ORDER.exec(rest)?.[1]),
    oomScoreAdj: num(SCORE_ADJ.exec(rest)?.[1]),
  };
}

function memStatsLine(message: string): OomLine | null {
  if (!MEM_STATS.test(message)) return null;
  const values: Record<string, number> = {};
  for (const m of message.matchAll(MEM_STATS_PAIR)) values[m[1]!] = Number(m[2]);
  return { kind: 'mem-stats', values };
}

function zoneLine(message: string): OomLine | null {
  const m = ZONE.exec(message);
  if (!m) return null;
  const managed = ZONE_MANAGED.exec(message);
  return {
    kind: 'zone',
    node: Number(m[1]),
    zone: m[2]!,
    freeKb: Number(m[3]),
    minKb: Number(m[4]),
    lowKb: Number(m[5]),
    highKb: Number(m[6]),
    managedKb: managed ? Number(managed[1]) : null,
  };
}

function cpuLine(message: string): OomLine | null {
  if (!message.startsWith('CPU: ')) return null;
  const m = CPU_LINE.exec(message);
  if (m) return { kind: 'cpu', pid: Number(m[1]), comm: m[2]!, kernelVersion: m[3]! };
  const loose = CPU_LINE_LOOSE.exec(message);
  return loose ? { kind: 'cpu', pid: Number(loose[1]), comm: loose[2]!, kernelVersion: null } : null;
}

function pidLineOld(message: string): OomLine | null {
  if (!message.startsWith('Pid: ')) return null;
  return match(PID_LINE_OLD, message, (m) => ({ kind: 'cpu', pid: Number(m[1]), comm: m[2]!, kernelVersion: m[3]! }));
}

function taskTableLine(message: string): OomLine | null {
  const row = TASK_ROW.exec(message);
  if (row) {
    const values = row[4]!.trim().split(/\s+/).map(Number);
    return { kind: 'task-row', pid: Number(row[1]), uid: Number(row[2]), tgid: Number(row[3]), values, name: row[5]! };
  }
  const header = TASK_HEADER.exec(message);
  if (header) return { kind: 'task-header', columns: header[1]!.trim().split(/\s+/) };
  return null;
}

function summaryLine(message: string): OomLine | null {
  const m = SUMMARY.exec(message);
  if (!m) return null;
  const body = m[1]!;
  const tail = SUMMARY_TAIL.exec(body);
  const head = tail ? body.slice(0, tail.index) : body;
  const fields = new Map<string, string>();
  let globalOom = false;
  for (const part of head.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (part === 'global_oom') globalOom = true;
      continue;
    }
    fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return {
    kind: 'summary',
    constraint: constraintName(fields.get('constraint') ?? null),
    memcg: fields.get('oom_memcg') ?? null,
    taskMemcg: fields.get('task_memcg') ?? null,
    pid: tail ? Number(tail[2]) : null,
    name: tail ? tail[1]! : null,
    uid: tail ? Number(tail[3]) : null,
    globalOom,
  };
}

function outOfMemoryLine(message: string): OomLine | null {
  if (message.includes(' and no killable processes')) {
    return match(NO_KILLABLE, message, (m) => ({ kind: 'no-killable', memcgPrefix: m[1] === 'Memory cgroup out of memory', panic: false }));
  }
  if (message.includes('panic_on_oom')) return match(PANIC_ON_OOM, message, (m) => ({ kind: 'panic-on-oom', mode: m[1]! }));
  if (message.includes('is already exiting')) {
    return match(ALREADY_EXITING, message, (m) => ({ kind: 'already-exiting', pid: Number(m[1]), name: m[2]! }));
  }
  const select = SELECT.exec(message);
  if (select) {
    return { kind: 'select', memcgPrefix: select[1] === 'Memory cgroup out of memory', pid: Number(select[2]), name: select[3]!, score: num(select[4]) };
  }
  return killLine(message);
}

function killLine(message: string): OomLine | null {
  const m = KILLED.exec(message);
  if (!m) return null;
  // The name is greedy up to the last ')' so names with parentheses stay whole; the figures follow it.
  const rest = m[5]!;
  // 2.6.35 printed `vsz:` where later kernels print `total-vm:`.
  const figuresAt = rest.includes('total-vm:') ? rest.indexOf('total-vm:') : rest.indexOf('vsz:');
  const figures = figuresAt === -1 ? null : KILLED_FIGURES.exec(rest.slice(figuresAt));
  const lateUid = /^, UID (\d+),/.exec(rest);
  const uid = figures?.[5] !== undefined ? Number(figures[5]) : lateUid ? Number(lateUid[1]) : num(m[3]);
  return {
    kind: 'killed',
    memcgPrefix: m[1] === 'Memory cgroup out of memory',
    prefix: m[1] ?? null,
    pid: Number(m[2]),
    name: m[4]!,
    figures: {
      totalVmKb: num(figures?.[1]),
      anonRssKb: num(figures?.[2]),
      fileRssKb: num(figures?.[3]),
      shmemRssKb: num(figures?.[4]),
      uid,
      pgtablesKb: num(figures?.[6]),
      oomScoreAdj: num(figures?.[7]),
    },
  };
}
