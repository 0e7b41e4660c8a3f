// The plain data `diagnose` returns and `--format json` prints (contract.md §JSON, schemaVersion 1).
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
}

export type OomEventKind = 'no-killable' | 'panic-on-oom' | 'oom-group' | 'userspace-kill' | 'unit-notice';

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
  evidence: Evidence[];
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
  warnings: Warning[];
}
