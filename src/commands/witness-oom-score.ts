// `watch` and `supervise` are witnesses: when the machine runs out of memory the kernel should kill the app, not the
// one that tells why. As root they lower their own oom_score_adj; without the right (CAP_SYS_RESOURCE) they stay as
// they were. A value already lower is kept (never raised). supervise's app gets the inherited value back (oom-score.ts).
import { writeFileSync } from 'node:fs';
import { readOomScoreAdj } from '../supervise/oom-score.js';

export const WITNESS_OOM_SCORE_ADJ = -900;

/** Sets this process's oom_score_adj; false when not allowed (not root), not Linux, or it is lower already. */
export function shieldWitness(path = '/proc/self/oom_score_adj'): boolean {
  const inherited = readOomScoreAdj(path);
  if (inherited !== null && inherited <= WITNESS_OOM_SCORE_ADJ) return false;
  try {
    writeFileSync(path, String(WITNESS_OOM_SCORE_ADJ));
    return true;
  } catch {
    return false;
  }
}

/** Shields the supervisor; answers the value it had (what its app should start with), or null when nothing changed. */
export function shieldSupervisor(path = '/proc/self/oom_score_adj'): number | null {
  const inherited = readOomScoreAdj(path);
  return inherited !== null && shieldWitness(path) ? inherited : null;
}
