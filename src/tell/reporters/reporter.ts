// What `oomscope watch` and `oomscope supervise` tell, and to whom: one notice per new death or update of one.
import type { Incident, OomKill } from '../../model/report.js';
import { escapeForTerminal } from '../escape.js';

/** One thing to tell: a new death, or an update of one already told (same incident id; e.g. restartedAt filled in). */
export interface IncidentNotice {
  kind: 'incident' | 'update';
  incident: Incident;
  host: string;
}

/**
 * An OOM kill of another process than the watched one (`watch`, unless --only-process): news without a verdict,
 * "mysqld (pid 812) was OOM-killed; anqicms survived". `survived` is false when the watched process died near it.
 */
export interface KillNotice {
  kind: 'oom-kill';
  kill: OomKill;
  /** The watched process. */
  process: string;
  survived: boolean;
  host: string;
}

export interface Reporter {
  name: string;
  /** Hands the notice over; never waits for slow receivers (deliveries run in the background). */
  report(notice: IncidentNotice): Promise<void>;
  /** Tells an OOM kill of another process; reporters without it (--exec, metrics) tell deaths only. */
  reportKill?(notice: KillNotice): Promise<void>;
  /** Finishes what was handed over (within the reporter's own deadline) and frees sockets, servers and children. */
  close(): Promise<void>;
}

/** Where a reporter writes its one-line warnings and failures; the default is stderr. */
export type Log = (line: string) => void;

export const stderrLog: Log = (line) => {
  process.stderr.write(`oomscope: ${line}\n`);
};

/**
 * The notice as JSON (ndjson lines, the generic webhook's body, --exec's stdin): the incident with the same keys as
 * diagnose's `incidents[]`, plus `notice` (`incident` | `update`) and `host`.
 */
export interface NoticeJson extends Incident {
  schemaVersion: 1;
  notice: IncidentNotice['kind'];
  host: string;
}

export function noticeJson(notice: IncidentNotice): NoticeJson {
  return { schemaVersion: 1, notice: notice.kind, host: notice.host, ...notice.incident };
}

/** A kill notice as JSON: `notice: "oom-kill"`, the host, the watched process and whether it survived, and the kill as in diagnose's `oomKills[]`. */
export interface KillNoticeJson {
  schemaVersion: 1;
  notice: 'oom-kill';
  host: string;
  process: string;
  processSurvived: boolean;
  kill: OomKill;
}

/** Whatever a reporter can be handed: a death (or its update), or another process's kill. */
export type AnyNotice = IncidentNotice | KillNotice;

/** The incident's or the kill's id, for logs about deliveries. */
export function noticeId(notice: AnyNotice): string {
  return notice.kind === 'oom-kill' ? notice.kill.id : notice.incident.id;
}

export function killNoticeJson(notice: KillNotice): KillNoticeJson {
  return { schemaVersion: 1, notice: 'oom-kill', host: notice.host, process: notice.process, processSurvived: notice.survived, kill: notice.kill };
}

// Characters JSON.stringify leaves as themselves that a terminal or an editor would act on (C1 controls, the line
// separators, bidi overrides): written as \u escapes, the JSON means the same and shows safely.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One line of JSON, no raw control or bidi character in it. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Calls every reporter; one that throws is logged and does not stop the others. */
export function fanOut(reporters: readonly Reporter[], log: Log = stderrLog): Reporter {
  return {
    name: 'all',
    async report(notice) {
      await Promise.all(
        reporters.map(async (r) => {
          try {
            await r.report(notice);
          } catch (error) {
            log(`${r.name}: ${oneLine((error as Error).message)}`);
          }
        }),
      );
    },
    async close() {
      await Promise.all(
        reporters.map(async (r) => {
          try {
            await r.close();
          } catch (error) {
            log(`${r.name}: closing: ${oneLine((error as Error).message)}`);
          }
        }),
      );
    },
  };
}

/** At most `max` characters on one line: newlines, tabs and other controls shown as escapes. */
export function oneLine(text: string, max = 300): string {
  const flat = escapeForTerminal(text).replace(/\t/g, '\\t');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
