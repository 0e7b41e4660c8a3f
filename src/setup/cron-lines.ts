// The crontab lines that start an install folder's start.sh (the cron guardian of AnQiCMS on Baota and alike):
// users' crontabs (Debian's /var/spool/cron/crontabs/, RHEL's /var/spool/cron/), /etc/crontab and /etc/cron.d/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CronLine {
  /** The crontab file, as a path on the server. */
  file: string;
  /** 1-based. */
  line: number;
  text: string;
}

/** The folders cron reads crontabs from (besides /etc/crontab). */
export const CRONTAB_DIRS = ['/var/spool/cron/crontabs', '/var/spool/cron', '/etc/cron.d'];

function crontabFiles(root: string): string[] {
  const files = ['/etc/crontab'];
  for (const dir of CRONTAB_DIRS) {
    try {
      for (const name of readdirSync(join(root, dir)).sort()) {
        // A copy setup left (older releases kept backups beside the file) is not a crontab to act on.
        if (!name.includes('.oomscope-') && statSync(join(root, dir, name)).isFile()) files.push(`${dir}/${name}`);
      }
    } catch {
      // no such folder here
    }
  }
  return files;
}

/** Lines, not commented out, that run `start.sh` of `dir` (by its path, or after a `cd` into it). */
export function findStartCronLines(root: string, dir: string): CronLine[] {
  const found: CronLine[] = [];
  const folder = dir.replace(/\/+$/, '');
  for (const file of crontabFiles(root)) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    text.split('\n').forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed.startsWith('#') || !/\bstart\.sh\b/.test(trimmed)) return;
      if (trimmed.includes(`${folder}/start.sh`) || new RegExp(`\\bcd\\s+${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/?(\\s|;|&)`).test(trimmed)) {
        found.push({ file, line: index + 1, text: trimmed });
      }
    });
  }
  return found;
}
