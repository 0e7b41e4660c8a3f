// Advice that follows from the figures of one death, not boilerplate: what to change, with the numbers. It is given
// as codes and values; the tellers say it in --lang.
import type { DeathDraft } from '../join/death-drafts.js';
import { formatKb } from '../i18n/units.js';
import type { CodesUnder, Phrase, PhraseParams } from '../i18n/catalog.js';
import type { SayCode } from '../i18n/supervise-messages.js';
import type { Judgement } from './verdict.js';

/** An `advice.*` code of the report's or the supervisor's catalogue. */
export type AdviceCode = CodesUnder<SayCode, 'advice'>;
/** One piece of advice, not said yet. */
export type AdvicePhrase = Phrase<AdviceCode>;

/** A phrase used as a value inside another (where GOMEMLIMIT goes, the input that would decide). */
export function inner(code: SayCode, params: PhraseParams = {}): Phrase {
  return { code, params };
}

export interface AdviceContext {
  process: string;
  /** How the process is kept running, to say where GOMEMLIMIT goes. */
  runsUnder: 'start-sh' | 'systemd' | null;
  unit: string | null;
  /** The death's time, for "look around …". */
  diedAt: string | null;
}

/** GOMEMLIMIT is a soft limit: 80% leaves the runtime room to collect before the hard limit. */
const GOMEMLIMIT_SHARE = 0.8;

function gomemlimit(kb: number): string {
  return `${Math.max(1, Math.floor((kb * GOMEMLIMIT_SHARE) / 1024))}MiB`;
}

function where(context: AdviceContext): Phrase {
  if (context.runsUnder === 'start-sh') return inner('where.start-sh', { process: context.process });
  if (context.runsUnder === 'systemd') return inner('where.systemd', { unit: context.unit ?? `${context.process}.service` });
  return inner('where.generic');
}

type AddAdvice = (code: AdviceCode, params?: PhraseParams) => void;

export function adviseOn(draft: DeathDraft, judgement: Judgement, context: AdviceContext): AdvicePhrase[] {
  const out: AdvicePhrase[] = [];
  const add: AddAdvice = (code, params = {}) => {
    out.push({ code, params });
  };
  const kill = draft.kill?.kill;
  const ending = draft.app?.ending;
  switch (judgement.verdict) {
    case 'kernel-oom': {
      if (draft.unfinishedOom && !kill) add('oom-unfinished');
      if (!kill) break;
      const held = (kill.anonRssKb ?? 0) + (kill.fileRssKb ?? 0) + (kill.shmemRssKb ?? 0);
      const biggest = kill.topConsumers?.[0];
      if (biggest && biggest.pid !== kill.pid && biggest.rssKb > held) {
        add('other-process-biggest', { victim: kill.name ?? context.process, name: biggest.name, pid: biggest.pid, size: formatKb(biggest.rssKb) });
      } else if (held > 0) {
        add('set-gomemlimit', { name: kill.name ?? context.process, held: formatKb(held), GOMEMLIMIT: gomemlimit(held), where: where(context) });
      }
      if (kill.ramKb !== null && kill.swapTotalKb !== null) add('add-swap-or-memory', { ram: formatKb(kill.ramKb), swap: formatKb(kill.swapTotalKb) });
      break;
    }
    case 'cgroup-oom':
      if (draft.unfinishedOom && !kill) add('oom-unfinished');
      if (kill?.limitKb) add('cgroup-limit', { memcg: kill.memcg ?? '?', limit: formatKb(kill.limitKb), GOMEMLIMIT: gomemlimit(kill.limitKb) });
      break;
    case 'userspace-oom': {
      const event = draft.userspace!.event;
      add('userspace-killer', { killer: event.killer ?? 'the killer', name: event.name ?? context.process });
      break;
    }
    case 'go-panic': {
      const site = crashSite(draft);
      const fault = faultSite(draft);
      if (site) add('fix-panic', { site });
      else if (fault) add('fix-fault-site', { site: fault });
      else add('fix-panic-unknown-site');
      break;
    }
    case 'go-fatal':
    case 'signaled':
      if (ending && 'trace' in ending) add('fix-fatal', { message: ending.trace.message.split('\n')[0] ?? '', site: crashSite(draft) ?? faultSite(draft) ?? '' });
      else if (draft.unitExit) add('signaled', { detail: draft.unitExit.event.detail ?? '' });
      break;
    case 'go-runtime-oom':
      if (ending?.kind === 'go-runtime-oom') {
        add('go-runtime-oom', {
          size: ending.cannotAllocateBytes !== null ? formatKb(Math.round(ending.cannotAllocateBytes / 1024)) : '?',
          inUse: ending.inUseBytes !== null ? formatKb(Math.round(ending.inUseBytes / 1024)) : '',
        });
      }
      break;
    case 'startup-failure':
      if (ending?.kind === 'startup-failure') {
        if (ending.rule === 'last-words') adviseFailedStart(ending, draft.count, add);
        else if (ending.cause === 'port-in-use') add('port-in-use', { count: draft.count });
        else if (ending.cause === 'database-unreachable') add('database-unreachable');
        else add('invalid-config');
      }
      break;
    case 'killed':
      add('who-killed', { time: context.diedAt ?? '?' });
      break;
    case 'exited':
      add('exited');
      break;
    case 'host-reboot': {
      const panic = draft.oomPanic?.event;
      if (panic?.kind === 'panic-on-oom') add('panic-on-oom', { mode: panic.detail ?? '' });
      else if (panic) add('no-killable-panic');
      else add('host-reboot');
      break;
    }
    case 'unknown':
      if (judgement.missingInput) add('unknown-add-input', { input: inner(`missing.${judgement.missingInput}`) });
      break;
  }
  return out;
}

type StartupEnding = Extract<NonNullable<DeathDraft['app']>['ending'], { kind: 'startup-failure' }>;

/** A failed start read from its last words: advice by what the line names (a database, a port, a file, the config). */
function adviseFailedStart(ending: StartupEnding, count: number, add: AddAdvice): void {
  const d = ending.detail;
  switch (ending.cause) {
    case 'database-unreachable':
      add('database-down', { db: d?.database ?? 'database', address: d?.address ?? '' });
      break;
    case 'port-in-use':
      add('port-taken', { address: d?.address ?? '', count });
      break;
    case 'permission-denied':
      if (d?.port !== null && d?.port !== undefined && d.port < 1024 && /\b(?:listen|bind)\b/i.test(ending.message)) add('privileged-port', { port: d.port });
      else if (d?.path) add('permission-file', { path: d.path });
      else add('permission-denied');
      break;
    case 'invalid-config':
      add('config-error');
      break;
    default:
      add('startup-error');
  }
}

function frameText(site: { function: string; file: string | null; sourceLine: number | null } | null): string | null {
  if (!site) return null;
  return `${site.function}${site.file ? ` at ${site.file}:${site.sourceLine ?? '?'}` : ''}`;
}

/** `pkg.func at file.go:274` for the first frame of the program's own code (the main module). */
export function crashSite(draft: DeathDraft): string | null {
  const ending = draft.app?.ending;
  return ending && 'trace' in ending ? frameText(ending.trace.crashSite) : null;
}

/** The frame that faulted when it is not the crash site (a library's, or the runtime's): `net/textproto.MIMEHeader.Get at …`. */
export function faultSite(draft: DeathDraft): string | null {
  const ending = draft.app?.ending;
  return ending && 'trace' in ending ? frameText(ending.trace.faultSite) : null;
}
