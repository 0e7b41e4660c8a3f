// Decides why a drafted death happened, and how sure that is, by the contract's table of verdicts.
import { looseWindow, type DeathDraft } from '../join/death-drafts.js';
import type { Confidence, Verdict } from '../model/report.js';

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
  /** A message code and its parameters; the text is written by the teller in the chosen language. */
  reasonCode: string;
  /** For unknown: the input that would decide it. */
  missingInput: 'kernel' | 'app' | 'kernel-span' | null;
}

/** The first rule that applies wins: records that name the cause, then the app's own last words, then elimination. */
export function judge(draft: DeathDraft, context: JudgeContext): Judgement {
  const ending = draft.app?.ending;
  if (draft.userspace) {
    return { verdict: 'userspace-oom', confidence: 'confirmed', reasonCode: 'userspace-kill', missingInput: null };
  }
  if (draft.kill) {
    const memcg = draft.kill.kill.constraint === 'memcg';
    const confidence: Confidence = draft.killInsideWindow ? 'confirmed' : 'likely';
    return { verdict: memcg ? 'cgroup-oom' : 'kernel-oom', confidence, reasonCode: memcg ? 'cgroup-kill' : 'kernel-kill', missingInput: null };
  }
  // A crash report cut above its header (a paste from `[signal …]` or the goroutine on) is one step less sure.
  const cut = ending && 'trace' in ending && ending.trace.headerless;
  const sure: Confidence = cut ? 'likely' : 'confirmed';
  switch (ending?.kind) {
    case 'go-runtime-oom':
      return { verdict: 'go-runtime-oom', confidence: sure, reasonCode: 'go-runtime-oom', missingInput: null };
    case 'go-panic':
      return { verdict: 'go-panic', confidence: sure, reasonCode: cut ? 'go-panic-headerless' : 'go-panic', missingInput: null };
    case 'go-fatal':
      return { verdict: 'go-fatal', confidence: sure, reasonCode: cut ? 'go-fault-headerless' : 'go-fatal', missingInput: null };
    case 'go-signal':
      return { verdict: 'signaled', confidence: 'confirmed', reasonCode: 'go-signal', missingInput: null };
    case 'startup-failure':
      return { verdict: 'startup-failure', confidence: 'confirmed', reasonCode: 'startup-failure', missingInput: null };
  }
  if (draft.boot) {
    return { verdict: 'host-reboot', confidence: 'confirmed', reasonCode: draft.oomPanic ? 'host-reboot-oom-panic' : 'host-reboot', missingInput: null };
  }
  if (ending?.kind === 'goodbye') {
    return { verdict: 'stopped', confidence: 'confirmed', reasonCode: 'goodbye', missingInput: null };
  }
  if (draft.guardianDown?.stop) {
    return { verdict: 'stopped', confidence: 'confirmed', reasonCode: 'stop-script', missingInput: null };
  }
  const unitExit = draft.unitExit?.event.detail ?? null;
  if (unitExit !== null) {
    // systemd saw how it ended: an exit status, or a signal (SIGKILL says only that it was killed: decided below).
    const status = /^exit status (\d+)$/.exec(unitExit);
    if (status) {
      return status[1] === '0'
        ? { verdict: 'exited', confidence: 'likely', reasonCode: 'unit-exit-clean', missingInput: null }
        : { verdict: 'exited', confidence: 'confirmed', reasonCode: 'unit-exit', missingInput: null };
    }
    if (/SIGTERM$|SIGINT$|SIGHUP$/.test(unitExit)) return { verdict: 'stopped', confidence: 'confirmed', reasonCode: 'unit-stopped', missingInput: null };
    if (!/SIGKILL$/.test(unitExit)) return { verdict: 'signaled', confidence: 'confirmed', reasonCode: 'unit-signal', missingInput: null };
  }
  if (draft.unfinishedOom && (ending === undefined || ending.kind === 'silent')) {
    // The OOM killer was running in its window and the log shows no victim: likely it, but no line says so.
    const memcg = draft.unfinishedOom.event.figures?.constraint === 'memcg';
    return { verdict: memcg ? 'cgroup-oom' : 'kernel-oom', confidence: 'possible', reasonCode: 'oom-unfinished', missingInput: null };
  }
  if (draft.guardianSilence && !draft.guardianDown && !draft.app) {
    return { verdict: 'unknown', confidence: 'possible', reasonCode: 'guardian-silent', missingInput: context.hasKernel ? 'kernel-span' : 'kernel' };
  }
  if (!draft.app) {
    // Only the guardian saw it go down: a panic, a goodbye or a failed start would be in running.log.
    return { verdict: 'unknown', confidence: 'possible', reasonCode: context.hasApp ? 'app-log-does-not-cover' : 'no-app-log', missingInput: 'app' };
  }
  // A silent end: SIGKILL or the kernel, and the kernel log would have said if it was the OOM killer.
  if (!context.hasKernel) return { verdict: 'unknown', confidence: 'possible', reasonCode: 'no-kernel-log', missingInput: 'kernel' };
  if (covered(draft, context)) return { verdict: 'killed', confidence: 'likely', reasonCode: 'silent-kill', missingInput: null };
  return { verdict: 'unknown', confidence: 'possible', reasonCode: 'kernel-log-does-not-cover', missingInput: 'kernel-span' };
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
