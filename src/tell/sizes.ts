// Memory figures for people: KiB in the data, the unit a person reads in the report.

/** `7.0 GiB`, `390.6 MiB`, `920 KiB`; `—` when unknown. */
export function formatKb(kb: number | null | undefined): string {
  if (kb === null || kb === undefined) return '—';
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)} MiB`;
  return `${kb} KiB`;
}

/** `2m 30s`, `1h 5m`, `27 s`: a duration for a person. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} s`;
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  return s > 0 ? `${m}m ${s}s` : `${m}m`;
}

/** `2024-07-23 10:03:37 +08:00` from the report's ISO time: seconds are enough for a person. */
export function shortTime(iso: string | null): string {
  if (!iso) return '?';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})\.\d{3}(.*)$/.exec(iso);
  return m ? `${m[1]} ${m[2]} ${m[3] === 'Z' ? '+00:00' : m[3]}` : iso;
}
