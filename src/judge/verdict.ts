// The one judge of every death — diagnose's, watch's and supervise's: an ordered table of rules over the facts of
// a death (kill record, killer's line, cgroup counter, the supervisor's request and exit status, the app's last
// words, a reboot, the guardian's and systemd's word), each naming its verdict and how sure it is.
import { looseWindow, type DeathDraft } from '../join/death-drafts.js';
export type { ExitFacts } from '../join/death-drafts.js';
import type { Confidence, Verdict } from '../model/report.js';
import type { CodesUnder } from '../i18n/catalog.js';
import type { SayCode } from '../i18n/supervise-messages.js';

/** Why a verdict was given: a `reason.*` code of the report's or the supervisor's catalogue. */
export type ReasonCode = CodesUnder<SayCode, 'reason'>;
/** The input that would decide an unknown: a `missing.*` code. */
export type MissingInput = CodesUnder<SayCode, 'missing'>;

export interface JudgeContext {
  hasApp: boolean;
  hasGuardian: boolean;
  hasKernel: boolean;
  /** Spans of the kernel inputs on the wall clock, one per boot: a death inside one was seen by the kernel log. */
  kernelSpans: { from: number; to: number }[];
}


export interface Judgement {
  verdict: Verdict;
  confidence: Confidence;
  /** A message code; the text is written by the teller in the chosen language. */
  reasonCode: ReasonCode;
  /** For unknown: the input that would decide it. */
  missingInput: MissingInput | null;
  /** The rule of the table that decided. */
  rule: string;
}

type Finding = Omit<Judgement, 'rule' | 'missingInput'> & { missingInput?: Judgement['missingInput'] };
type Rule = (draft: DeathDraft, context: JudgeContext) => Finding | null;

const said = (verdict: Verdict, confidence: Confidence, reasonCode: ReasonCode): Finding => ({ verdict, confidence, reasonCode });
/** `unknown`, naming the input that would decide it. */
const undecided = (reasonCode: ReasonCode, missingInput: Judgement['missingInput']): Finding => ({ verdict: 'unknown', confidence: 'possible', reasonCode, missingInput });

/** The rules, in order: records that name the cause, then what was asked, the app's own last words, then elimination. */
const RULES: [string, Rule][] = [
  ['userspace-killer', (d) => (d.userspace ? said('userspace-oom', 'confirmed', 'userspace-kill') : null)],
  ['kernel-record', (d) => {
    if (!d.kill) return null;
    const memcg = d.kill.kill.constraint === 'memcg';
    // A supervisor's record is read at the death itself; the logs' windows decide it for diagnose.
    return said(memcg ? 'cgroup-oom' : 'kernel-oom', d.exit || d.killInsideWindow ? 'confirmed' : 'likely', memcg ? 'cgroup-kill' : 'kernel-kill');
  }],
  ['cgroup-counter', (d) => {
    const e = d.exit;
    if (!e?.cgroupOomKill || !(e.signal === 'SIGKILL' || !e.statusKnown)) return null;
    return e.cgroupLimitHit ? said('cgroup-oom', 'confirmed', 'cgroup-counter') : said('kernel-oom', 'likely', 'machine-counter');
  }],
  ['supervisor-request', (d) => (d.exit?.request ? said('stopped', 'confirmed', d.exit.request === 'restart' ? 'supervisor-restart' : 'supervisor-stop') : null)],
  ['failed-to-start', (d) => (d.exit?.spawnFailed ? said('startup-failure', 'confirmed', 'spawn-failed') : d.exit?.cgroupJoinFailed ? said('startup-failure', 'confirmed', 'cgroup-join-failed') : null)],
  ['last-words', lastWords],
  ['reboot', (d) => (d.boot ? said('host-reboot', 'confirmed', d.oomPanic ? 'host-reboot-oom-panic' : 'host-reboot') : null)],
  ['goodbye', (d) => {
    if (d.app?.ending.kind !== 'goodbye') return null;
    if (!d.exit) return said('stopped', 'confirmed', 'goodbye');
    // A goodbye after a signal that did not come through the supervisor; SIGKILL ended it before it could say one.
    return d.exit.signal !== 'SIGKILL' && (!d.exit.statusKnown || d.exit.code !== null) ? said('stopped', 'confirmed', 'goodbye-direct') : null;
  }],
  ['stop-script', (d) => (d.guardianDown?.stop ? said('stopped', 'confirmed', 'stop-script') : null)],
  ['systemd-exit', unitExit],
  ['oom-unfinished', (d) => {
    const ending = d.app?.ending;
    if (!d.unfinishedOom || (ending !== undefined && ending.kind !== 'silent')) return null;
    // The OOM killer was running in its window and the log shows no victim: likely it, but no line says so.
    const memcg = d.unfinishedOom.event.figures?.constraint === 'memcg';
    return said(memcg ? 'cgroup-oom' : 'kernel-oom', 'possible', 'oom-unfinished');
  }],
  ['exit-status', exitStatus],
  ['guardian-silent', (d, c) =>
    d.guardianSilence && !d.guardianDown && !d.app
      ? undecided('guardian-silent', c.hasKernel ? 'kernel-span' : 'kernel')
      : null],
  // Only the guardian saw it go down: a panic, a goodbye or a failed start would be in running.log.
  ['no-app-log', (d, c) => (!d.app ? undecided(c.hasApp ? 'app-log-does-not-cover' : 'no-app-log', 'app') : null)],
  // A silent end: SIGKILL or the kernel, and the kernel log would have said if it was the OOM killer.
  ['no-kernel-log', (_d, c) => (!c.hasKernel ? undecided('no-kernel-log', 'kernel') : null)],
  ['silent-kill', (d, c) => (covered(d, c) ? said('killed', 'likely', 'silent-kill') : null)],
  ['kernel-log-does-not-cover', () => undecided('kernel-log-does-not-cover', 'kernel-span')],
];

/** The first rule that applies decides. */
export function judge(draft: DeathDraft, context: JudgeContext): Judgement {
  for (const [rule, apply] of RULES) {
    const found = apply(draft, context);
    if (found) return { missingInput: null, ...found, rule };
  }
  throw new Error('judge: the last rule always applies');
}

/** The app's own last words: a Go crash or a failed start (a trace followed by SIGKILL was not its death). */
function lastWords(draft: DeathDraft): Finding | null {
  const ending = draft.app?.ending;
  if (!ending || draft.exit?.signal === 'SIGKILL') return null;
  // A crash report cut above its header (a paste from `[signal …]` or the goroutine on) is one step less sure.
  const cut = 'trace' in ending && ending.trace.headerless;
  const sure: Confidence = cut ? 'likely' : 'confirmed';
  switch (ending.kind) {
    case 'go-runtime-oom':
      return said('go-runtime-oom', sure, 'go-runtime-oom');
    case 'go-panic':
      return said('go-panic', sure, cut ? 'go-panic-headerless' : 'go-panic');
    case 'go-fatal':
      return said('go-fatal', sure, cut ? 'go-fault-headerless' : 'go-fatal');
    case 'go-signal':
      return said('signaled', 'confirmed', 'go-signal');
    case 'startup-failure':
      return said('startup-failure', 'confirmed', 'startup-failure');
    default:
      return null;
  }
}

/** systemd saw how it ended: an exit status, or a signal (SIGKILL says only that it was killed: decided later). */
function unitExit(draft: DeathDraft): Finding | null {
  const detail = draft.unitExit?.event.detail ?? null;
  if (detail === null) return null;
  const status = /^exit status (\d+)$/.exec(detail);
  if (status) return status[1] === '0' ? said('exited', 'likely', 'unit-exit-clean') : said('exited', 'confirmed', 'unit-exit');
  if (/SIGTERM$|SIGINT$|SIGHUP$/.test(detail)) return said('stopped', 'confirmed', 'unit-stopped');
  if (!/SIGKILL$/.test(detail)) return said('signaled', 'confirmed', 'unit-signal');
  return null;
}

/** The exit status a supervisor saw, when nothing above explained the death. */
function exitStatus(draft: DeathDraft): Finding | null {
  const e = draft.exit;
  if (!e) return null;
  if (e.signal === 'SIGKILL') {
    return e.kernelReadable ? said('killed', 'likely', 'sigkill') : undecided('sigkill-no-kernel-log', 'kernel');
  }
  if (e.signal !== null) return said('signaled', 'confirmed', 'signal');
  if (e.code !== null && e.code !== 0) return said('exited', 'confirmed', 'exit-code');
  // Code 0: it ended on its own although nobody asked; that it was an error is the likely reading for a server.
  if (e.code === 0) return said('exited', 'likely', 'exit-zero');
  return undecided('adopted-unknown', 'exit-status');
}

const COVER_SLACK_MS = 2000;

/** The death's whole window (as each log's precision allows) lies inside one boot's span of a kernel input. */
function covered(draft: DeathDraft, context: JudgeContext): boolean {
  const loose = looseWindow(draft);
  const from = loose.from ?? loose.to;
  const to = loose.to ?? loose.from;
  if (from === null || to === null) return false;
  // Whole-second stamps blur a window's edges by up to a second either side.
  return context.kernelSpans.some((span) => span.from - COVER_SLACK_MS <= from && to <= span.to + COVER_SLACK_MS);
}
