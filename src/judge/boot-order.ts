// Failed starts right after the machine booted, because the database it needs was not up yet: the app started before
// its database, which is an order to fix, not a crash loop of the app (issue 14 item 8).
import type { BootSighting, DeathDraft } from '../join/death-drafts.js';
import { classifyStartupError } from '../recognise/startup-errors.js';
import type { Phrase } from '../i18n/catalog.js';
import { inner, type AdviceContext, type AdvicePhrase } from './advice.js';

/**
 * How long after a boot a database may still be coming up (InnoDB recovery after a hard reboot takes minutes): failed
 * starts inside it, ended by a good start inside it, are the app waiting for its database.
 */
const DATABASE_SETTLE_MS = 10 * 60_000;

/** The database's systemd unit, for `After=`; the unit may carry another name on a given distribution. */
const DATABASE_UNITS: Record<string, string> = {
  MySQL: 'mysqld.service', PostgreSQL: 'postgresql.service', Redis: 'redis-server.service', MongoDB: 'mongod.service', 'SQL Server': 'mssql-server.service',
};
const DEFAULT_PORTS: Record<string, number> = { MySQL: 3306, PostgreSQL: 5432, Redis: 6379, MongoDB: 27017, 'SQL Server': 1433 };

/** An address on this machine (or none named): only a local database comes up with this machine's boot. */
const LOCAL = /^(?:127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)?:\d+$|^\/[\w.@/-]+$/;

export interface DatabaseAfterBoot {
  boot: BootSighting;
  /** From the boot to the last failed start. */
  failingMs: number;
}

/**
 * The boot a run of failed starts followed, when they all lie in the database's settling time after it, say the local
 * database could not be reached, and a good start ended them there; null otherwise (a database down for long is a
 * crash loop as before).
 */
export function databaseAfterBoot(draft: DeathDraft, boots: readonly BootSighting[]): DatabaseAfterBoot | null {
  const ending = draft.app?.ending;
  if (ending?.kind !== 'startup-failure' || ending.cause !== 'database-unreachable') return null;
  const address = detailOf(ending).address;
  if (address !== null && !LOCAL.test(address)) return null;
  const firstStart = draft.appStartMs;
  const goodStart = draft.appRestartMs;
  if (firstStart === null || goodStart === null) return null;
  const boot = [...boots].reverse().find((b) => b.timeMs <= firstStart);
  if (!boot || goodStart - boot.timeMs > DATABASE_SETTLE_MS) return null;
  return { boot, failingMs: Math.max(firstStart, ...draft.foldedTimes) - boot.timeMs };
}

type StartupEnding = Extract<NonNullable<DeathDraft['app']>['ending'], { kind: 'startup-failure' }>;

/** What the failure line names; AnQiCMS's own `Failed To Connect Database:` line is read for it here. */
function detailOf(ending: StartupEnding): { database: string | null; address: string | null } {
  const detail = ending.detail ?? classifyStartupError(ending.message).detail;
  return { database: detail.database, address: detail.address };
}

/** The advice: the starts came before the database; order the app after it, the way it is kept running. */
export function adviseStartAfterDatabase(draft: DeathDraft, story: DatabaseAfterBoot, context: AdviceContext): AdvicePhrase {
  const ending = draft.app!.ending as StartupEnding;
  const { database, address } = detailOf(ending);
  const db = database ?? 'MySQL';
  const minutes = Math.max(1, Math.ceil(story.failingMs / 60_000));
  return { code: 'start-after-database', params: { count: draft.count, minutes, db, address: address ?? '', how: orderPhrase(db, address, context) } };
}

function orderPhrase(db: string, address: string | null, context: AdviceContext): Phrase {
  const dbUnit = DATABASE_UNITS[db] ?? 'mysqld.service';
  const wait = waitCommand(address, DEFAULT_PORTS[db] ?? 3306);
  if (context.runsUnder === 'start-sh') return inner('order.start-sh', { process: context.process, wait });
  if (context.runsUnder === 'systemd') return inner('order.systemd', { unit: context.unit ?? `${context.process}.service`, dbUnit });
  return inner('order.generic', { dbUnit, wait });
}

/** A bash loop that returns once the database takes connections (start.sh is bash: /dev/tcp needs no extra tool). */
function waitCommand(address: string | null, defaultPort: number): string {
  if (address?.startsWith('/')) return `until [ -S ${address} ]; do sleep 2; done`;
  const m = address ? /^(.*):(\d+)$/.exec(address) : null;
  const host = (m?.[1] ?? '').replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = m?.[2] ?? String(defaultPort);
  return `until (echo > /dev/tcp/${host}/${port}) 2>/dev/null; do sleep 2; done`;
}
