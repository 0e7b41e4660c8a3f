// The death certificate: one incident per exit of the supervised app, written at the moment of death, with the same
// keys, verdict names and advice as diagnose's `incidents[]`, plus what only a supervisor knows (`supervisor`: exit
// code or signal, run time, whether it asked for the stop), the output's last lines and the kernel's kill record.
//
// Rules, the first that applies wins (README §supervise):
//  1. a kernel OOM kill record naming the pid, logged after it started, and it died of SIGKILL (or its status is
//     unknown) → cgroup-oom (constraint memcg) or kernel-oom, confirmed, with the record's figures;
//  2. a user-space OOM killer's line naming the pid → userspace-oom, confirmed;
//  3. it died of SIGKILL and its memory cgroup's own oom_kill counter went up → cgroup-oom, confirmed (no figures);
//  4. the supervisor asked it to stop (SIGTERM/SIGINT passed on, SIGKILL after the grace period) or to restart
//     (SIGHUP passed on, and it ended within the grace period) → stopped, confirmed;
//  5. its output ends with a Go crash → go-runtime-oom, go-panic, go-fatal (confirmed), a runtime signal dump →
//     signaled; a start-up failure message → startup-failure — unless it died of SIGKILL (a trace it survived);
//  6. it printed its goodbye after a signal that did not come through the supervisor → stopped, confirmed;
//  7. SIGKILL → killed, likely (the kernel log read at that moment has no OOM kill), or unknown/possible when no kernel
//     log can be read here;
//  8. another signal → signaled, confirmed;
//  9. exit code ≠ 0 → exited, confirmed (125 from the cgroup wrapper: startup-failure);
// 10. exit code 0 → exited, likely: it ended by itself although nobody asked (`exited` says it ended on its own; that
//     it was an error is the likely reading for a server);
// 11. status unknown (adopted, reaped by someone else) → unknown, possible.
import { createHash } from 'node:crypto';
import { AppInstances, type AppEnding, type InstanceEndRecord } from '../assemble/app-instances.js';
import type { Lang } from '../i18n/messages.js';
import type { DeathDraft, KillSighting, UserspaceSighting } from '../join/death-drafts.js';
import { adviseOn, crashSite } from '../judge/advice.js';
import type { Judgement } from '../judge/verdict.js';
import type { Advice, Confidence, Evidence, Incident, OomKill, Verdict } from '../model/report.js';
import { formatDuration, formatKb } from '../tell/sizes.js';
import { formatInstant } from '../time/zone.js';
import type { KernelFinding } from './kernel-watch.js';
import { CRASH_SIGNALS, say, signalWords } from './messages.js';
import type { OutputLine } from './output-log.js';
import { CGROUP_JOIN_FAILED } from './memory-cgroup.js';

/** Everything known about one life when it ended. */
export interface LifeEnd {
  name: string;
  pid: number;
  /** /proc/PID/stat start time (clock ticks since boot), with the boot id: names the life for good. */
  startTicks: number | null;
  boot: string | null;
  startedAtMs: number;
  diedAtMs: number;
  /** Half-width of the window the death lies in (how late the supervisor may have noticed it). */
  diedAtUncertaintySeconds: number;
  /** Exit code, or null when a signal ended it or the status is unknown. */
  code: number | null;
  /** Signal name (`SIGKILL`), or null. */
  signal: string | null;
  /** False when the supervisor was not its parent and could not read its status. */
  statusKnown: boolean;
  /** The supervisor asked it to stop (or to restart): the signal passed on, and whether SIGKILL followed. */
  request: { kind: 'stop' | 'restart'; signal: string; killed: boolean; graceSeconds: number } | null;
  adopted: boolean;
  /** It could not be started at all (spawn failed). */
  spawnError: string | null;
  tail: OutputLine[];
  /** Where the tail's line numbers point (running.log, or `(output)`). */
  outputPath: string;
  kernel: KernelFinding;
  kernelSource: string | null;
  cgroup: {
    kernelPath: string;
    limitBytes: number | null;
    oomKillsBefore: number | null;
    oomKillsAfter: number | null;
    limitHitsBefore: number | null;
    limitHitsAfter: number | null;
  } | null;
  /** The guardian line written at the death (`… PID check: 0`), for evidence. */
  checkLine: { path: string; line: number; text: string; timeMs: number } | null;
  /** Set when this death makes (or keeps) it a crash loop. */
  crashLoop: { deaths: number; windowSeconds: number } | null;
  /** --memory-max was given (then the containment advice is not repeated). */
  contained: boolean;
  /** Which life this was (0 = the first start). */
  life: number;
}

/** What only a supervisor knows, added to the incident as `supervisor`. */
export interface SupervisorFacts {
  startedAt: string;
  runSeconds: number;
  exitCode: number | null;
  signal: string | null;
  statusKnown: boolean;
  /** `stop` or `restart` when the supervisor asked for it, else null. */
  requested: 'stop' | 'restart' | null;
  adopted: boolean;
  life: number;
  memoryCgroup: string | null;
  memoryLimitBytes: number | null;
  /** How much the cgroup's oom_kill counter rose during this life (null without a cgroup). */
  cgroupOomKills: number | null;
  kernelLog: string | null;
}

/** A death certificate: an Incident (diagnose's keys) plus the supervisor's facts, the output's tail and the kill record. */
export interface DeathCertificate extends Incident {
  supervisor: SupervisorFacts;
  /** The last lines of output of this life (at most OUTPUT_TAIL_IN_CERTIFICATE). */
  outputTail: string[];
  /** The kernel's kill record (the figures diagnose lists in `oomKills[]`), or null. */
  kill: OomKill | null;
}

export const OUTPUT_TAIL_IN_CERTIFICATE = 20;

interface Decision extends Omit<Judgement, 'missingInput'> {
  /** A `missing.*` message code (the main ones, or `exit-status`). */
  missingInput: Judgement['missingInput'] | 'exit-status';
  reason: string;
  extraAdvice: Advice[];
  /** Use adviseOn (the main advice for the verdict) too. */
  mainAdvice: boolean;
}

/** The app's ending as its output's tail tells it (fed through the same reader as running.log in diagnose). */
export function endingOfTail(tail: readonly OutputLine[]): InstanceEndRecord | null {
  const reader = new AppInstances();
  const ends: InstanceEndRecord[] = [];
  const collect = (records: readonly unknown[]): void => {
    for (const r of records as { kind: string }[]) if (r.kind === 'instance-end') ends.push(r as InstanceEndRecord);
  };
  for (const line of tail) collect(reader.push(line.text, line.line));
  collect(reader.finish());
  return ends.at(-1) ?? null;
}

export function deathCertificate(end: LifeEnd, options: { lang: Lang; tz: string }): DeathCertificate {
  const { lang, tz } = options;
  const format = (ms: number): string => formatInstant(ms, tz);
  const app = endingOfTail(end.tail);
  const ending = app?.ending ?? null;
  const kill: KillSighting | null = end.kernel.kill ? { kill: end.kernel.kill.item, timeMs: end.kernel.kill.timeMs ?? end.diedAtMs } : null;
  const userspace: UserspaceSighting | null = end.kernel.userspace ? { event: end.kernel.userspace.item, timeMs: end.kernel.userspace.timeMs ?? end.diedAtMs } : null;
  const sigkill = end.signal === 'SIGKILL';
  const killedOrUnknown = sigkill || !end.statusKnown;
  const useKill = kill !== null && killedOrUnknown;
  const useUserspace = !useKill && userspace !== null && (killedOrUnknown || end.signal === 'SIGTERM');
  const draft: DeathDraft = {
    earliest: end.diedAtMs, latest: end.diedAtMs, app, appStartMs: null, count: 1, foldedTimes: [], appRestartMs: null, appRestartEvidence: null,
    guardianDown: null, guardianBack: null, guardianBackMs: null, guardianSilence: null,
    kill: useKill ? kill : null, killInsideWindow: useKill, userspace: useUserspace ? userspace : null, unitExit: null, boot: null, evidence: [],
  };
  const decision = decide(end, draft, ending, lang);
  const diedAt = format(end.diedAtMs);
  const advice: Advice[] = [];
  if (decision.mainAdvice) {
    // Only verdicts whose missingInput is one of diagnose's reach here (mainAdvice is off for the others).
    advice.push(...adviseOn(draft, decision as Judgement, { lang, process: end.name, runsUnder: null, unit: null, diedAt }));
  }
  advice.push(...decision.extraAdvice);
  if (end.crashLoop) {
    const params = { deaths: end.crashLoop.deaths, minutes: Math.max(1, Math.round(end.crashLoop.windowSeconds / 60)) };
    advice.push({ code: 'crash-loop', text: say(lang, 'advice.crash-loop', params), params });
  }
  const id = 'i-' + createHash('sha1').update(`${end.name}|supervise|${end.boot ?? ''}|${end.pid}|${end.startTicks ?? end.startedAtMs}`).digest('hex').slice(0, 8);
  const killRecord = draft.kill?.kill ?? null;
  return {
    id,
    process: end.name,
    verdict: decision.verdict,
    confidence: decision.confidence,
    reason: decision.reason,
    diedAt,
    diedAtUncertaintySeconds: end.diedAtUncertaintySeconds,
    restartedAt: null,
    downtimeSeconds: null,
    pid: end.pid > 0 ? end.pid : null,
    oomKill: killRecord?.id ?? null,
    count: 1,
    missingInput: decision.missingInput === null ? null : say(lang, `missing.${decision.missingInput}`),
    crashSite: crashSite(draft),
    evidence: evidenceOf(end, draft, ending, format),
    advice,
    supervisor: {
      startedAt: format(end.startedAtMs),
      runSeconds: Math.round((end.diedAtMs - end.startedAtMs) / 100) / 10,
      exitCode: end.code,
      signal: end.signal,
      statusKnown: end.statusKnown,
      requested: end.request?.kind ?? null,
      adopted: end.adopted,
      life: end.life,
      memoryCgroup: end.cgroup?.kernelPath ?? null,
      memoryLimitBytes: end.cgroup?.limitBytes ?? null,
      cgroupOomKills: end.cgroup && end.cgroup.oomKillsAfter !== null && end.cgroup.oomKillsBefore !== null ? end.cgroup.oomKillsAfter - end.cgroup.oomKillsBefore : null,
      kernelLog: end.kernelSource,
    },
    outputTail: end.tail.slice(-OUTPUT_TAIL_IN_CERTIFICATE).map((l) => l.text),
    kill: killRecord,
  };
}

function decide(end: LifeEnd, draft: DeathDraft, ending: AppEnding | null, lang: Lang): Decision {
  const ran = formatDuration(Math.max(0, (end.diedAtMs - end.startedAtMs) / 1000));
  const lastLine = lastWords(end.tail);
  const result = (verdict: Verdict, confidence: Confidence, reasonCode: string, params: Record<string, string | number>, more: Partial<Decision> = {}): Decision => ({
    verdict, confidence, reasonCode, missingInput: null, reason: say(lang, `reason.${reasonCode}`, params), extraAdvice: [], mainAdvice: true, ...more,
  });
  const advice = (code: string, params: Record<string, string | number>): Advice => ({ code, text: say(lang, `advice.${code}`, params), params });
  const containAdvice = (): Advice[] => (end.contained ? [] : [advice('supervise-memory-max', { name: end.name })]);

  // 1. The kernel's own kill record.
  if (draft.kill) {
    const k = draft.kill.kill;
    const memcg = k.constraint === 'memcg';
    return result(memcg ? 'cgroup-oom' : 'kernel-oom', 'confirmed', memcg ? 'cgroup-kill' : 'kernel-kill', { name: k.name ?? end.name, pid: k.pid ?? end.pid, memcg: k.memcg ?? '?' }, {
      extraAdvice: memcg ? [] : containAdvice(),
    });
  }
  // 2. A user-space killer's line.
  if (draft.userspace) {
    const e = draft.userspace.event;
    return result('userspace-oom', 'confirmed', 'userspace-kill', { killer: e.killer ?? '?', name: e.name ?? end.name, pid: e.pid ?? end.pid });
  }
  // 3. The cgroup counted an OOM kill during this life (its own limit hit: cgroup-oom; else the machine's OOM).
  const cg = end.cgroup;
  const rose = (before: number | null | undefined, after: number | null | undefined): boolean => before != null && after != null && after > before;
  if (cg && rose(cg.oomKillsBefore, cg.oomKillsAfter) && (end.signal === 'SIGKILL' || !end.statusKnown)) {
    const limit = cg.limitBytes !== null ? formatKb(Math.round(cg.limitBytes / 1024)) : '';
    if (rose(cg.limitHitsBefore, cg.limitHitsAfter)) {
      return result('cgroup-oom', 'confirmed', 'cgroup-counter', { name: end.name, pid: end.pid, memcg: cg.kernelPath, limit }, {
        mainAdvice: false,
        extraAdvice: limit ? [advice('cgroup-limit-counter', { limit })] : [],
      });
    }
    return result('kernel-oom', 'likely', 'machine-counter', { name: end.name, pid: end.pid, memcg: cg.kernelPath }, { mainAdvice: false });
  }
  // 4. The supervisor asked for it.
  if (end.request) {
    const r = end.request;
    return r.kind === 'restart'
      ? result('stopped', 'confirmed', 'supervisor-restart', { signal: r.signal })
      : result('stopped', 'confirmed', 'supervisor-stop', { signal: r.signal, killed: r.killed ? 1 : 0, grace: formatDuration(r.graceSeconds) });
  }
  if (end.spawnError !== null) return result('startup-failure', 'confirmed', 'spawn-failed', { message: end.spawnError }, { mainAdvice: false });
  if (end.code === CGROUP_JOIN_FAILED && end.cgroup) {
    return result('startup-failure', 'confirmed', 'cgroup-join-failed', { memcg: end.cgroup.kernelPath, code: end.code }, { mainAdvice: false });
  }
  // 5. The app's own last words: a Go crash or a start-up failure (a trace followed by SIGKILL was not its death).
  if (ending && end.signal !== 'SIGKILL') {
    const message = 'trace' in ending ? (ending.trace.message.split('\n')[0] ?? '') : ending.kind === 'startup-failure' ? ending.message : '';
    switch (ending.kind) {
      case 'go-runtime-oom':
        return result('go-runtime-oom', 'confirmed', 'go-runtime-oom', {});
      case 'go-panic':
        return result('go-panic', 'confirmed', 'go-panic', { message });
      case 'go-fatal':
        return result('go-fatal', 'confirmed', 'go-fatal', { message });
      case 'go-signal':
        return result('signaled', 'confirmed', 'go-signal', { message });
      case 'startup-failure':
        return result('startup-failure', 'confirmed', 'startup-failure', { message, count: 1 });
      case 'goodbye':
        // 6. It said goodbye after a signal someone sent it directly.
        if (end.statusKnown ? end.code !== null : true) return result('stopped', 'confirmed', 'goodbye-direct', { code: end.code ?? '?' });
        break;
      default:
        break;
    }
  }
  // 7. SIGKILL with no OOM record: someone's kill -9.
  if (end.signal === 'SIGKILL') {
    if (end.kernelSource === null) {
      return result('unknown', 'possible', 'sigkill-no-kernel-log', { ran }, { missingInput: 'kernel', mainAdvice: false, extraAdvice: [advice('unknown-add-input', { input: say(lang, 'missing.kernel') })] });
    }
    return result('killed', 'likely', 'sigkill', { ran, source: end.kernelSource, pid: end.pid, cgroup: cg ? 1 : 0 });
  }
  // 8. Another signal.
  if (end.signal !== null) {
    const extra = CRASH_SIGNALS.has(end.signal) ? [advice('core-dump', { signal: end.signal })] : [];
    return result('signaled', 'confirmed', 'signal', { signal: end.signal, what: signalWords(end.signal), ran }, { extraAdvice: extra });
  }
  const readAdvice = (code: number): Advice[] => {
    const first = end.tail.at(-1);
    return [advice('read-last-lines', { path: end.outputPath, line: first ? Math.max(1, first.line - 20) : 1, code })];
  };
  // 9–10. An exit code.
  if (end.code !== null && end.code !== 0) {
    return result('exited', 'confirmed', 'exit-code', { code: end.code, ran, last: lastLine }, { extraAdvice: readAdvice(end.code) });
  }
  if (end.code === 0) return result('exited', 'likely', 'exit-zero', { ran, last: lastLine }, { extraAdvice: readAdvice(0) });
  // 11. Nobody knows.
  return result('unknown', 'possible', 'adopted-unknown', {}, { missingInput: 'exit-status', mainAdvice: false });
}

/** The last non-blank line of output, clipped for a sentence. */
function lastWords(tail: readonly OutputLine[]): string {
  for (let i = tail.length - 1; i >= 0; i--) {
    const text = tail[i]!.text.trim();
    if (text !== '') return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  }
  return '';
}

function evidenceOf(end: LifeEnd, draft: DeathDraft, ending: AppEnding | null, format: (ms: number) => string): Evidence[] {
  const out: Evidence[] = [];
  const app = (line: number, text: string): void => {
    if (!out.some((e) => e.role === 'app' && e.line === line)) out.push({ path: end.outputPath, line, role: 'app', text });
  };
  if (ending) {
    if ('trace' in ending) app(ending.trace.header.line, ending.trace.header.text);
    else if (ending.kind === 'goodbye' || ending.kind === 'startup-failure') app(ending.at.line, ending.at.text);
    else if (ending.lastWords) app(ending.lastWords.line, ending.lastWords.text);
  } else {
    const last = end.tail.at(-1);
    if (last) app(last.line, last.text);
  }
  if (draft.kill) {
    const k = draft.kill.kill;
    const strong = k.evidence.filter((e) => /Killed process|oom-kill:|invoked oom-killer/.test(e.text));
    out.push(...(strong.length > 0 ? strong : k.evidence));
  }
  if (draft.userspace) out.push(...draft.userspace.event.evidence);
  if (end.checkLine) out.push({ path: end.checkLine.path, line: end.checkLine.line, time: format(end.checkLine.timeMs), role: 'guardian', text: end.checkLine.text });
  return out;
}
