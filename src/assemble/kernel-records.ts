// What the kernel log's lines assemble into, before they are placed on the wall clock.
import type { LocalStamp } from '../recognise/kernel/envelope-types.js';
import type { Constraint, Consumer, MemInfo, OomEventKind, Selected, Trigger } from '../report.js';

/** Where a line sits in time, as far as the line itself says. */
export interface LineStamp {
  uptime: number | null;
  local: LocalStamp | null;
  /** How many times the year rolled over (Dec → Jan) before this line in its source. */
  yearIndex: number;
  /** The wall clock was set back (DST's repeated hour): this stamp is the second occurrence of its local time. */
  fold: boolean;
  epochMs: number | null;
  /** 0-based boot within the source. */
  boot: number;
}

export interface EvidenceLine {
  lineNo: number;
  text: string;
  stamp: LineStamp;
}

/** One kill as read from its block; the fields match OomKill's, without id and time. */
export interface KillRecord {
  kind: 'kill';
  at: LineStamp;
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
  evidence: EvidenceLine[];
  memInfo?: MemInfo | null;
  victimTask?: Consumer | null;
  topByBadness?: Consumer[] | null;
}

export interface EventRecord {
  kind: 'event';
  eventKind: OomEventKind;
  at: LineStamp;
  killer: string | null;
  pid: number | null;
  name: string | null;
  rssKb: number | null;
  cgroup: string | null;
  unit: string | null;
  detail: string | null;
  evidence: EvidenceLine[];
}

export type KernelRecord = KillRecord | EventRecord;
