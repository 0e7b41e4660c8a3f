// The supervisor lowers its own oom_score_adj (src/commands/witness-oom-score.ts) so that the kernel kills the app, not
// the one that writes its death certificate. A child gets its parent's value at fork, so the app would start shielded
// too: around each start the supervisor goes back to the value the app should have, forks (spawn returns after the
// fork), and lowers itself again. The app has its value from its first instruction, with no wrapper process between.
import { readFileSync, writeFileSync } from 'node:fs';

const OWN = '/proc/self/oom_score_adj';

/** This process's oom_score_adj, or null where there is none to read (not Linux). */
export function readOomScoreAdj(path = OWN): number | null {
  try {
    const value = Number(readFileSync(path, 'latin1').trim());
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

function writeOomScoreAdj(value: number, path: string): boolean {
  try {
    writeFileSync(path, String(value));
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fork` (which starts a child synchronously) with this process's oom_score_adj at `childValue`, then puts back the
 * value it had. Raising needs no privilege; lowering back needs what lowered it in the first place. null: as it is.
 */
export function forkWithOomScoreAdj<T>(childValue: number | null, fork: () => T, path = OWN): T {
  const own = childValue === null ? null : readOomScoreAdj(path);
  if (childValue === null || own === null || own === childValue || !writeOomScoreAdj(childValue, path)) return fork();
  try {
    return fork();
  } finally {
    writeOomScoreAdj(own, path);
  }
}
