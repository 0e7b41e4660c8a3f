// The plain data `diagnose` returns and `--format json` prints (the JSON contract, schemaVersion 1: docs/json.md).
// Every field that the logs did not state is `null`, never a guess.

export type Role = 'kernel' | 'guardian' | 'app';

/** One line that proves something: where it is and what it said (already made valid UTF-8). */
export interface Evidence {
  path: string;
  line: number;
  time?: string | null;
  role?: Role;
  text: string;
}

export interface SourceReport {
  path: string;
  role: Role;
  /** The shape most lines of the source have (`syslog-rfc3164`, `dmesg`, `journal-json`, …). */
  format: string;
  lines: number;
  from: string | null;
  to: string | null;
  /** Lines that carried an OOM or death marker but could not be read. */
  unparsedLines: number;
  /** False when the source was cut short (truncated gzip, read error). */
  complete: boolean;
}

export interface Consumer {
  pid: number;
  name: string;
  rssKb: number;
  /** From the task table's `swapents`, `pgtables_bytes` and `oom_score_adj` columns; null or absent when that table lacks them. */
  swapKb?: number | null;
  pgtablesKb?: number | null;
  oomScoreAdj?: number | null;
}

/** One zone line of Mem-Info: `Node 0 Normal free:61900kB boost:8192kB min:61948kB low:75384kB high:88820kB … managed:12774792kB …`. */
export interface MemInfoZone {
  node: number;
  zone: string;
  freeKb: number;
  minKb: number;
  lowKb: number;
  highKb: number;
  managedKb: number | null;
  /** The `lowmem_reserve[]` line after it: memory this zone keeps back from allocations that could use each higher zone. */
  lowmemReserveKb: number[] | null;
}

/**
 * The machine's memory as the global OOM report's Mem-Info printed it (memcg kills print none). Page counts are
 * converted with the kill's page size; a figure that kernel did not print is null.
 */
export interface MemInfo {
  freeKb: number | null;
  activeAnonKb: number | null;
  inactiveAnonKb: number | null;
  activeFileKb: number | null;
  inactiveFileKb: number | null;
  unevictableKb: number | null;
  shmemKb: number | null;
  slabReclaimableKb: number | null;
  slabUnreclaimableKb: number | null;
  /** `N total pagecache pages`. */
  pagecacheKb: number | null;
  zones: MemInfoZone[];
}

export interface Trigger {
  pid: number | null;
  name: string | null;
  gfpMask: string | null;
  gfpFlags: string[] | null;
  order: number | null;
}

export interface Selected {
  pid: number;
  name: string;
  score: number | null;
}

export type Constraint = 'global' | 'memcg' | 'cpuset' | 'mempolicy';

export interface OomKill {
  id: string;
  time: string | null;
  /** Half-width (s) of the interval `time` is known to: a whole-second boot time or receipt stamp gives 1. Absent when exact. Added after schemaVersion 1. */
  timeUncertaintySeconds?: number;
  uptimeSeconds: number | null;
  pid: number | null;
  name: string | null;
  uid: number | null;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  pgtablesKb: number | null;
  oomScoreAdj: number | null;
  constraint: Constraint | null;
  memcg: string | null;
  taskMemcg: string | null;
  limitKb: number | null;
  usageKb: number | null;
  ramKb: number | null;
  swapTotalKb: number | null;
  swapFreeKb: number | null;
  pageSizeKb: number | null;
  trigger: Trigger | null;
  selected: Selected | null;
  topConsumers: Consumer[] | null;
  reaped: boolean | null;
  kernelVersion: string | null;
  incomplete: boolean;
  evidence: Evidence[];
  /** Mem-Info's figures (zones, page cache, slab); null when the block printed none. Optional: added after schemaVersion 1. */
  memInfo?: MemInfo | null;
  /** The victim's own row of the task table (rss, swap, page tables, oom_score_adj); null when the table had no row for it. */
  victimTask?: Consumer | null;
  /** The task-table rows the kernel would score highest (rss + swap + page tables, plus oom_score_adj), with those figures. */
  topByBadness?: Consumer[] | null;
}

/**
 * `unit-exit` (an extension): systemd saw the unit's main process end, with its exit code or signal.
 * `oom-unfinished`: the OOM killer was invoked and the log shows no victim (input ended, paste cut, nothing to kill).
 * `sysrq-oom`: the OOM killer was started by hand (SysRq-f, `order=-1`).
 */
export type OomEventKind =
  | 'no-killable'
  | 'panic-on-oom'
  | 'oom-group'
  | 'userspace-kill'
  | 'unit-notice'
  | 'unit-exit'
  | 'oom-unfinished'
  | 'sysrq-oom';

/** What an OOM block that named no victim still showed: the limits and totals it printed (null where it did not). */
export type UnfinishedFigures = Pick<
  OomKill,
  'constraint' | 'memcg' | 'limitKb' | 'usageKb' | 'ramKb' | 'swapTotalKb' | 'swapFreeKb' | 'pageSizeKb' | 'kernelVersion'
>;

export interface OomEvent {
  kind: OomEventKind;
  time: string | null;
  uptimeSeconds: number | null;
  /** userspace-kill: `earlyoom`, `systemd-oomd`, `nohang`. */
  killer?: string | null;
  pid: number | null;
  name: string | null;
  rssKb?: number | null;
  /** oom-group / systemd-oomd: the cgroup; unit-notice: the unit. */
  cgroup?: string | null;
  unit?: string | null;
  /** unit-notice: `oom-kill` result, `killed-by-oom-killer`, … */
  detail?: string | null;
  /** oom-unfinished, sysrq-oom: who asked for memory. */
  trigger?: Trigger | null;
  /** oom-unfinished: the figures the block printed before it ended. */
  figures?: UnfinishedFigures | null;
  /** unit-notice by the kernel: whether a kill record of the kernel lies near it (false: systemd's word is all there is). */
  kernelRecord?: boolean;
  evidence: Evidence[];
}

/** Every verdict, in the contract's order; the type is derived from it, so the two cannot disagree. */
export const VERDICTS = [
  'kernel-oom', 'cgroup-oom', 'userspace-oom', 'go-runtime-oom', 'go-panic', 'go-fatal', 'startup-failure',
  'stopped', 'exited', 'signaled', 'killed', 'host-reboot', 'unknown',
] as const;

export type Verdict = (typeof VERDICTS)[number];

export type Confidence = 'confirmed' | 'likely' | 'possible';

export interface Advice {
  code: string;
  text: string;
  params: Record<string, string | number>;
}

/** One death of the watched process, seen by any subset of the three logs. */
export interface Incident {
  id: string;
  process: string;
  verdict: Verdict;
  confidence: Confidence;
  /** One sentence: why this verdict, in --lang. */
  reason: string;
  diedAt: string | null;
  diedAtUncertaintySeconds: number | null;
  restartedAt: string | null;
  downtimeSeconds: number | null;
  pid: number | null;
  oomKill: string | null;
  /** Consecutive start-up failures with the same cause folded into this incident. */
  count: number;
  /** For `unknown`: the input that would decide it. */
  missingInput: string | null;
  /** The crashing function for Go crashes, `pkg.func at file.go:274`: the first frame of the program's own code. */
  crashSite: string | null;
  /** The frame that actually faulted, when it is not the crash site (a library's or the runtime's); absent when the same. */
  faultSite?: string | null;
  evidence: Evidence[];
  advice: Advice[];
}

export interface CrashLoop {
  from: string;
  to: string;
  deaths: number;
  incidents: string[];
}

export interface Summary {
  window: { from: string | null; to: string | null };
  deaths: number;
  byVerdict: Partial<Record<Verdict, number>>;
  /** The downtime of the deaths whose restart was seen; see `downtimeUnknown`. */
  downtimeSeconds: number;
  /** Deaths not seen coming back in the logs read: their downtime is not in `downtimeSeconds`. */
  downtimeUnknown: number;
  /** null when the window is unknown or some downtime is (then any figure would flatter). */
  availability: number | null;
  crashLoops: CrashLoop[];
  /** OOM kills of other processes in the window (MySQL killed instead of the app is news too). */
  otherKills: { id: string; pid: number | null; name: string | null; time: string | null }[];
}

export interface Warning {
  code: string;
  path?: string;
  message: string;
}

export interface Report {
  schemaVersion: 1;
  generator: string;
  sources: SourceReport[];
  oomKills: OomKill[];
  oomEvents: OomEvent[];
  incidents: Incident[];
  summary: Summary;
  warnings: Warning[];
}
