// A paste from a log viewer that shows the newest line first (GNOME Logs, some web consoles) is read oldest first:
// told by the stamps falling from line to line, or, without stamps, by the order of a block's own lines.
import { findKernelText } from '../recognise/kernel/kernel-text.js';
import { recogniseOomLine } from '../recognise/kernel/oom-lines.js';
import type { LocalStamp } from '../model/stamps.js';

/** A zone-less stamp as a number that orders stamps of one year (the zone does not change their order). */
function localOrder(local: LocalStamp): number {
  return Date.UTC(local.year ?? 2000, local.month - 1, local.day, local.hour, local.minute, local.second, local.micros / 1000);
}

/** Stamps that mostly fall from line to line: the paste is newest first. */
export function isNewestFirst(lines: Buffer[]): boolean {
  let falling = 0;
  let rising = 0;
  let previous: number | null = null;
  for (const line of lines.slice(0, 2000)) {
    const env = findKernelText(line.toString('utf8')).env;
    const at = env.uptime !== null ? env.uptime * 1000 : env.epochMs ?? (env.local ? localOrder(env.local) : null);
    if (at === null) continue;
    if (previous !== null && at !== previous) {
      if (at < previous) falling++;
      else rising++;
    }
    previous = at;
  }
  if (falling >= 5 && falling > 4 * rising) return true;
  // Few stamps to go by (`-o cat`, a viewer's paste without dates): the blocks' own order decides.
  return falling + rising < 5 && blocksRunBackwards(lines);
}

/**
 * The kernel prints a block's header first, its summary (or selection) before its kill line, and the reaper after it:
 * a paste in which those come the other way round, for the same pid, runs newest first.
 */
function blocksRunBackwards(lines: Buffer[]): boolean {
  const seen = new Map<string, number>(); // `kind:pid` → first line index
  const order: ('header' | 'killed')[] = [];
  let backwards = 0;
  let forwards = 0;
  // A line's partner that the kernel prints after it, seen above it: backwards; one printed before it: forwards. A
  // second line of the same kind and pid (a paste's duplicate) says nothing of the order.
  const laterSeen = (later: string): void => {
    if (seen.has(later)) backwards++;
  };
  const earlierSeen = (earlier: string): void => {
    if (seen.has(earlier)) forwards++;
  };
  lines.slice(0, 2000).forEach((line, index) => {
    const oom = recogniseOomLine(findKernelText(line.toString('utf8')).env.message);
    if (oom === null) return;
    if (oom.kind === 'header' || oom.kind === 'killed') order.push(oom.kind);
    if (oom.kind === 'summary' && oom.pid !== null) laterSeen(`killed:${oom.pid}`);
    if (oom.kind === 'killed') {
      earlierSeen(`summary:${oom.pid}`);
      laterSeen(`reaped:${oom.pid}`);
    }
    if (oom.kind === 'reaped') earlierSeen(`killed:${oom.pid}`);
    const key = 'pid' in oom && oom.pid !== null ? `${oom.kind}:${oom.pid}` : null;
    if (key !== null && !seen.has(key)) seen.set(key, index);
  });
  if (order[0] === 'killed' && order.at(-1) === 'header') backwards++;
  if (order[0] === 'header' && order.at(-1) === 'killed') forwards++;
  return backwards > forwards;
}

