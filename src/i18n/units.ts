// Memory sizes for people: KiB in the data, the unit a person reads (advice and reports alike).

/** `7.0 GiB`, `390.6 MiB`, `920 KiB`; `—` when unknown. */
export function formatKb(kb: number | null | undefined): string {
  if (kb === null || kb === undefined) return '—';
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)} MiB`;
  return `${kb} KiB`;
}
