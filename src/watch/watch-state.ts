// What `watch` remembers across its own restarts: where each input stood, what it already told, its counters.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { WatchText } from './follow-file.js';

export interface WatchState {
  version: 1;
  /** When watching began the first time: deaths before it are history, not news. */
  since: number;
  /** When this state was last written: on restart, deaths since then (less a margin) are caught up. */
  savedAt: number | null;
  /** Per input: inode and offset, kmsg boot id and sequence, journal cursor. */
  cursors: Record<string, unknown>;
  /** Incidents already told, with whether their restart was told too (bounded, newest kept). */
  told: Record<string, { restarted: boolean; at: number }>;
  /** The metrics reporter's counters, so they survive restarts. */
  counters: unknown;
}

const MAX_TOLD = 2000;

/** The default place: systemd's StateDirectory, else root's /var/lib, else the user's state dir. */
export function defaultStatePath(): string {
  if (process.env.STATE_DIRECTORY) return `${process.env.STATE_DIRECTORY.split(':')[0]}/watch-state.json`;
  if (process.getuid?.() === 0) return '/var/lib/oomscope/watch-state.json';
  const base = process.env.XDG_STATE_HOME ?? `${process.env.HOME ?? '/tmp'}/.local/state`;
  return `${base}/oomscope/watch-state.json`;
}

export function loadState(path: string, now: number): { state: WatchState; problem: WatchText | null } {
  const fresh: WatchState = { version: 1, since: now, savedAt: null, cursors: {}, told: {}, counters: null };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { state: fresh, problem: code === 'ENOENT' ? null : { code: 'watch.state-unreadable', params: { path, error: (error as Error).message } } };
  }
  try {
    const parsed = JSON.parse(text) as Partial<WatchState>;
    if (parsed.version !== 1 || typeof parsed.since !== 'number') throw new Error('not a state file of this version');
    return {
      state: {
        version: 1,
        since: parsed.since,
        savedAt: typeof parsed.savedAt === 'number' ? parsed.savedAt : null,
        cursors: typeof parsed.cursors === 'object' && parsed.cursors !== null ? parsed.cursors : {},
        told: typeof parsed.told === 'object' && parsed.told !== null ? parsed.told : {},
        counters: parsed.counters ?? null,
      },
      problem: null,
    };
  } catch (error) {
    return { state: fresh, problem: { code: 'watch.state-damaged', params: { path, error: (error as Error).message } } };
  }
}

/** Writes the state atomically: a half-written file must never replace a good one. */
export function saveState(path: string, state: WatchState): void {
  const told = Object.entries(state.told);
  if (told.length > MAX_TOLD) {
    told.sort((a, b) => b[1].at - a[1].at);
    state.told = Object.fromEntries(told.slice(0, MAX_TOLD));
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, path);
}
