// The death certificate: one incident per exit of the supervised app, written at the moment of death, with the same
// keys, verdict names and advice as diagnose's `incidents[]`, plus what only a supervisor knows (`supervisor`: exit
// code or signal, run time, whether it asked for the stop), the output's last lines and the kernel's kill record.
//
// Its verdict comes from the one judge (src/judge/verdict.ts, the same table diagnose and watch use), given what only
// a supervisor knows (exit status, its own stop or restart, the memory cgroup's counters) beside the output's last
// words and the kernel's record; this file says it in --lang and adds the advice only a supervisor can give.
import { createHash } from 'node:crypto';
import { AppInstances } from '../assemble/app-instances.js';
import type { AppEnding, InstanceEndRecord } from '../assemble/app-records.js';
import type { Lang } from '../i18n/messages.js';
import type { DeathDraft, KillSighting, UserspaceSighting } from '../join/death-drafts.js';
import { adviseOn, crashSite, inner, type AdviceCode, type AdvicePhrase } from '../judge/advice.js';
import { judge, type ExitFacts, type Judgement, type ReasonCode } from '../judge/verdict.js';
import type { PhraseParams } from '../i18n/catalog.js';
import { sayAdvice } from '../tell/say-incident.js';
import type { Evidence, Incident, OomKill } from '../model/report.js';
import { formatDuration, formatKb } from '../tell/sizes.js';
import { formatInstant } from '../time/zone.js';
import type { KernelFinding } from './kernel-watch.js';
import { say } from '../i18n/supervise-messages.js';
import { CRASH_SIGNALS, signalWords } from './signal-names.js';
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
interface SupervisorFacts {
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

const OUTPUT_TAIL_IN_CERTIFICATE = 20;

interface Decision extends Judgement {
  reason: string;
  extraAdvice: AdvicePhrase[];
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
    exit: exitFacts(end),
  };
  const decision = decide(end, draft, ending, lang);
  const diedAt = format(end.diedAtMs);
  const phrases: AdvicePhrase[] = [];
  if (decision.mainAdvice) {
    // Only verdicts whose missingInput is one of diagnose's reach here (mainAdvice is off for the others).
    phrases.push(...adviseOn(draft, decision, { process: end.name, runsUnder: null, unit: null, diedAt }));
  }
  phrases.push(...decision.extraAdvice);
  if (end.crashLoop) {
    phrases.push({ code: 'crash-loop', params: { deaths: end.crashLoop.deaths, minutes: Math.max(1, Math.round(end.crashLoop.windowSeconds / 60)) } });
  }
  const advice = phrases.map((phrase) => sayAdvice(phrase, lang));
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

/** The one judge decides (on the supervisor's facts too); this says it in `lang`, with the advice only a supervisor gives. */
function decide(end: LifeEnd, draft: DeathDraft, ending: AppEnding | null, lang: Lang): Decision {
  const judgement = judge(draft, { hasApp: true, hasGuardian: false, hasKernel: end.kernelSource !== null, kernelSpans: [] });
  const code = judgement.reasonCode;
  return {
    ...judgement,
    reason: say(lang, `reason.${code}`, reasonParams(end, draft, ending, code, lang)),
    extraAdvice: supervisorAdvice(end, code),
    mainAdvice: !WITHOUT_MAIN_ADVICE.has(code),
  };
}

/** Reasons whose verdict's usual advice does not fit: no kill record to take figures from, or nothing to act on. */
const WITHOUT_MAIN_ADVICE = new Set(['cgroup-counter', 'machine-counter', 'spawn-failed', 'cgroup-join-failed', 'sigkill-no-kernel-log', 'adopted-unknown']);

/** What a supervisor knows of a death, as the judge takes it. */
function exitFacts(end: LifeEnd): ExitFacts {
  const cg = end.cgroup;
  const rose = (before: number | null | undefined, after: number | null | undefined): boolean => before != null && after != null && after > before;
  return {
    code: end.code,
    signal: end.signal,
    statusKnown: end.statusKnown,
    request: end.request?.kind ?? null,
    spawnFailed: end.spawnError !== null,
    cgroupJoinFailed: end.code === CGROUP_JOIN_FAILED && cg !== null,
    cgroupOomKill: cg !== null && rose(cg.oomKillsBefore, cg.oomKillsAfter),
    cgroupLimitHit: cg !== null && rose(cg.limitHitsBefore, cg.limitHitsAfter),
    kernelReadable: end.kernelSource !== null,
  };
}

/** Every value a supervise reason may name (each message takes the ones it needs). */
function reasonParams(end: LifeEnd, draft: DeathDraft, ending: AppEnding | null, code: ReasonCode, lang: Lang): Record<string, string | number> {
  const k = draft.kill?.kill;
  const u = draft.userspace?.event;
  const r = end.request;
  const cg = end.cgroup;
  const signal = code.startsWith('supervisor-') && r ? r.signal : end.signal ?? '';
  const trace = ending && 'trace' in ending ? (ending.trace.message.split('\n')[0] ?? '') : ending?.kind === 'startup-failure' ? ending.message : '';
  return {
    name: k?.name ?? u?.name ?? end.name,
    pid: k?.pid ?? u?.pid ?? end.pid,
    memcg: k?.memcg ?? cg?.kernelPath ?? '?',
    killer: u?.killer ?? '?',
    message: end.spawnError ?? trace,
    count: 1,
    signal,
    what: signal ? signalWords(signal, lang) : '',
    killed: r?.killed ? 1 : 0,
    grace: r ? formatDuration(r.graceSeconds, lang) : '',
    code: end.code ?? '?',
    ran: formatDuration(Math.max(0, (end.diedAtMs - end.startedAtMs) / 1000), lang),
    last: lastWords(end.tail),
    source: end.kernelSource ?? '',
    cgroup: cg ? 1 : 0,
    limit: cg && cg.limitBytes !== null ? formatKb(Math.round(cg.limitBytes / 1024)) : '',
  };
}

/** Advice only a supervisor can give: contain the app, read its last lines, look for a core dump. */
function supervisorAdvice(end: LifeEnd, code: ReasonCode): AdvicePhrase[] {
  const advice = (adviceCode: AdviceCode, params: PhraseParams): AdvicePhrase => ({ code: adviceCode, params });
  const readLastLines = (exitCode: number): AdvicePhrase => {
    const last = end.tail.at(-1);
    return advice('read-last-lines', { path: end.outputPath, line: last ? Math.max(1, last.line - 20) : 1, code: exitCode });
  };
  const limitBytes = end.cgroup?.limitBytes ?? null;
  switch (code) {
    case 'kernel-kill':
      return end.contained ? [] : [advice('supervise-memory-max', { name: end.name })];
    case 'cgroup-counter':
      return limitBytes !== null ? [advice('cgroup-limit-counter', { limit: formatKb(Math.round(limitBytes / 1024)) })] : [];
    case 'sigkill-no-kernel-log':
      return [advice('unknown-add-input', { input: inner('missing.kernel') })];
    case 'signal':
      return end.signal !== null && CRASH_SIGNALS.has(end.signal) ? [advice('core-dump', { signal: end.signal })] : [];
    case 'exit-code':
      return [readLastLines(end.code ?? 1)];
    case 'exit-zero':
      return [readLastLines(0)];
    default:
      return [];
  }
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
