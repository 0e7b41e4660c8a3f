// What the kernel log's lines assemble into, before they are placed on the wall clock.
import type { LocalStamp } from './stamps.js';
import type { OomEventKind, OomKill, Trigger, UnfinishedFigures } from './report.js';

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

/** One kill as read from its block: OomKill's fields, with the line's own stamp in place of id and time. */
export type KillRecord = Omit<OomKill, 'id' | 'time' | 'uptimeSeconds' | 'evidence'> & {
  kind: 'kill';
  at: LineStamp;
  evidence: EvidenceLine[];
};

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
  trigger?: Trigger | null;
  figures?: UnfinishedFigures | null;
  evidence: EvidenceLine[];
}

export type KernelRecord = KillRecord | EventRecord;
