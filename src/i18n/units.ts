// Sizes and durations for people: KiB and seconds in the data, the units a person reads, in --lang.
import type { Lang } from './messages.js';

/** `7.0 GiB`, `390.6 MiB`, `920 KiB`; `—` when unknown. */
export function formatKb(kb: number | null | undefined): string {
  if (kb === null || kb === undefined) return '—';
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  if (kb >= 1024) return `${(kb / 1024).toFixed(1)} MiB`;
  return `${kb} KiB`;
}

// Node 20 has no Intl.DurationFormat: a lone unit comes from Intl.NumberFormat (`45秒`, `7分钟`, `2小时`); a pair is
// written the way Chinese writes it, the unit after each number with no space (`7分45秒`, `1小时5分`).
// Made on first use: a NumberFormat costs milliseconds of ICU data that an English run never needs.
const zhUnits = new Map<'second' | 'minute', Intl.NumberFormat>();
function zhUnit(unit: 'second' | 'minute'): Intl.NumberFormat {
  let format = zhUnits.get(unit);
  if (format === undefined) {
    format = new Intl.NumberFormat('zh-CN', { style: 'unit', unit, unitDisplay: 'narrow', maximumFractionDigits: 1 });
    zhUnits.set(unit, format);
  }
  return format;
}

/** `2m 30s`, `1h 5m`, `27 s` in English; `2分30秒`, `1小时5分`, `27秒` in Chinese: a duration for a person. */
export function formatDuration(seconds: number, lang: Lang = 'en'): string {
  if (seconds < 60) return lang === 'en' ? `${Math.round(seconds * 10) / 10} s` : zhUnit('second').format(Math.round(seconds * 10) / 10);
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (lang === 'zh-CN') {
    if (h > 0) return `${h}小时${m > 0 ? `${m}分` : ''}`;
    return s > 0 ? `${m}分${s}秒` : zhUnit('minute').format(m);
  }
  if (h > 0) return `${h}h ${m}m`;
  return s > 0 ? `${m}m ${s}s` : `${m}m`;
}
