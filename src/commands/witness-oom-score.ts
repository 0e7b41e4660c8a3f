// `watch` is the witness: when the machine runs out of memory the kernel should kill the app, not the one that tells
// why. As root it lowers its own oom_score_adj; without the right (CAP_SYS_RESOURCE) it stays as it was.
import { writeFileSync } from 'node:fs';

export const WITNESS_OOM_SCORE_ADJ = -900;

/** Sets this process's oom_score_adj; false when not allowed (not root) or not Linux. */
export function shieldWitness(path = '/proc/self/oom_score_adj'): boolean {
  try {
    writeFileSync(path, String(WITNESS_OOM_SCORE_ADJ));
    return true;
  } catch {
    return false;
  }
}
