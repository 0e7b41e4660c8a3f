// The machine's OOM state around a death that no kill record names: the OOM killer still running when the kernel log
// ends (an oom-unfinished invocation), or the kernel panicking on OOM just before the machine came up again.
import type { DeathDraft, UserspaceSighting } from './death-drafts.js';
import { JOIN_TOLERANCE_MS } from './pairing.js';

/** A kernel OOM event placed on the wall clock (oom-unfinished, panic-on-oom, a no-killable panic). */
export type MachineOomSighting = UserspaceSighting;

/** Gives each silent death the OOM invocation with no victim that falls in its window (nearest to its end). */
export function attachUnfinishedOoms(drafts: DeathDraft[], unfinished: MachineOomSighting[]): void {
  if (unfinished.length === 0) return;
  for (const draft of drafts) {
    if (draft.kill || draft.userspace || draft.boot || !silentEnd(draft)) continue;
    const window = windowOf(draft);
    if (window === null) continue;
    const inside = unfinished.filter((u) => u.timeMs > window.from - JOIN_TOLERANCE_MS && u.timeMs <= window.to + JOIN_TOLERANCE_MS);
    const nearest = inside.sort((a, b) => Math.abs(a.timeMs - window.to) - Math.abs(b.timeMs - window.to))[0];
    if (!nearest) continue;
    draft.unfinishedOom = nearest;
    draft.evidence.push(...nearest.event.evidence.slice(0, 3).map((e) => ({ ...e, timeMs: nearest.timeMs })));
  }
}

/** Gives each death that a reboot ended the kernel's OOM panic between its last sign of life and the boot. */
export function attachOomPanics(drafts: DeathDraft[], panics: MachineOomSighting[]): void {
  if (panics.length === 0) return;
  for (const draft of drafts) {
    if (!draft.boot) continue;
    const from = (draft.loose?.from ?? draft.earliest) ?? Number.NEGATIVE_INFINITY;
    const bootMs = draft.boot.timeMs;
    const panic = panics.filter((p) => p.timeMs >= from - JOIN_TOLERANCE_MS && p.timeMs <= bootMs).at(-1);
    if (!panic) continue;
    draft.oomPanic = panic;
    // The machine stopped at the panic: the death lies before it, not as late as the boot.
    draft.latest = draft.latest === null ? panic.timeMs : Math.min(draft.latest, panic.timeMs);
    if (draft.loose) draft.loose = { from: draft.loose.from, to: draft.loose.to === null ? panic.timeMs : Math.min(draft.loose.to, panic.timeMs) };
    draft.evidence.push(...panic.event.evidence.map((e) => ({ ...e, timeMs: panic.timeMs })));
  }
}

/** No last words: the app's output just stopped (or only the guardian saw it go). */
function silentEnd(draft: DeathDraft): boolean {
  return draft.app === null ? draft.guardianDown !== null : draft.app.ending.kind === 'silent';
}

function windowOf(draft: DeathDraft): { from: number; to: number } | null {
  const from = draft.loose?.from ?? draft.earliest;
  const to = draft.loose?.to ?? draft.latest ?? draft.appRestartMs;
  if (from === null || to === null) return null;
  return { from, to };
}
