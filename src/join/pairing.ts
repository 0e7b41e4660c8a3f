// Pairs what one log saw with the deaths the others drafted, nearest first, comparing windows as intervals.
import type { DeathDraft } from './death-drafts.js';

/** Cron looks once a minute and two logs' clocks may differ by about a minute: windows are widened by this much. */
export const JOIN_TOLERANCE_MS = 120_000;

/** Distance between the draft's window and [from, to], 0 when they overlap; null when either side is unknown. */
export function distanceToDraft(draft: DeathDraft, from: number | null, to: number | null): number | null {
  const a0 = draft.earliest ?? draft.latest;
  const a1 = draft.latest ?? draft.earliest;
  const b0 = from ?? to;
  const b1 = to ?? from;
  if (a0 === null || a1 === null || b0 === null || b1 === null) return null;
  if (b1 < a0) return a0 - b1;
  if (b0 > a1) return b0 - a1;
  return 0;
}

/**
 * Pairs each sighting with at most one draft and each draft with at most one sighting, nearest pairs first,
 * so an old kill of another process of the same name cannot take the death a later kill explains.
 */
export function pairByDistance<T>(
  sightings: T[],
  drafts: DeathDraft[],
  windowOf: (sighting: T) => [number | null, number | null],
  usable: (draft: DeathDraft, sighting: T) => boolean,
): Map<T, DeathDraft> {
  // A life that merely reached the end of running.log may still be running: any draft that really ended comes first.
  const tentative = (d: DeathDraft): number => (d.app?.ending.kind === 'silent' && d.app.ending.until === 'end-of-input' ? 1 : 0);
  const candidates: { sighting: T; draft: DeathDraft; distance: number; offCentre: number; rank: number }[] = [];
  // Drafts sorted by where their window starts: a sighting only looks at those that can be near it.
  const placed = drafts
    .map((draft) => ({ draft, lo: draft.earliest ?? draft.latest, hi: draft.latest ?? draft.earliest }))
    .filter((d): d is { draft: DeathDraft; lo: number; hi: number } => d.lo !== null && d.hi !== null)
    .sort((a, b) => a.lo - b.lo);
  const longest = placed.reduce((max, d) => Math.max(max, d.hi - d.lo), 0);
  for (const sighting of sightings) {
    const [from, to] = windowOf(sighting);
    const start = from ?? to;
    const end = to ?? from;
    if (start === null || end === null) continue;
    // The first draft whose window could start late enough to reach the sighting, then on until past it.
    let i = lowerBound(placed, start - JOIN_TOLERANCE_MS - longest);
    for (; i < placed.length && placed[i]!.lo <= end + JOIN_TOLERANCE_MS; i++) {
      const draft = placed[i]!.draft;
      if (!usable(draft, sighting)) continue;
      const distance = distanceToDraft(draft, from, to);
      if (distance === null || distance > JOIN_TOLERANCE_MS) continue;
      const centre = ((draft.earliest ?? draft.latest ?? 0) + (draft.latest ?? draft.earliest ?? 0)) / 2;
      candidates.push({ sighting, draft, distance, offCentre: Math.abs(start - centre), rank: tentative(draft) });
    }
  }
  candidates.sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.offCentre - b.offCentre);
  const pairs = new Map<T, DeathDraft>();
  const taken = new Set<DeathDraft>();
  for (const { sighting, draft } of candidates) {
    if (pairs.has(sighting) || taken.has(draft)) continue;
    pairs.set(sighting, draft);
    taken.add(draft);
  }
  return pairs;
}

/** The index of the first placed draft whose window starts at or after `at`. */
function lowerBound(placed: { lo: number }[], at: number): number {
  let lo = 0;
  let hi = placed.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (placed[mid]!.lo < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
