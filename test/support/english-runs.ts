// Finds English left in Chinese output: runs of two or more plain English words, and punctuation slips (issue 14 item 1).

/** Words a Chinese operator reads as names or terms of the trade, not as untranslated text. */
const ALLOWED = new Set([
  'oom', 'killer', 'cgroup', 'memcg', 'gomemlimit', 'pid', 'uid', 'sigkill', 'go', 'panic', 'swap', 'goroutine', 'systemd', 'journal',
  'journald', 'mysql', 'kill', 'fatal', 'error', 'runtime', 'sysrq', 'numa', 'cpuset', 'oomscope', 'anqicms', 'mib', 'gib', 'kib',
  'rss', 'anon', 'file', 'shmem', 'dmesg', 'kmsg', 'syslog', 'guardian', 'json', 'grep', 'nohup', 'core', 'dump', 'oom_reaper',
]);

/** What the kernel prints, named as it prints it (explain's field names), and a shell command quoted in a sentence. */
const KERNEL_TEXT = ['total pagecache pages', 'Killed process', 'Free swap', 'Total swap', 'invoked oom', 'echo f'];

/** Runs of 2+ plain English words (not allowed, not log text) in `text`. */
export function englishRuns(text: string, quoted: string[]): string[] {
  const found: string[] = [];
  for (const rawLine of text.split('\n')) {
    // Commands in backticks and quoted log messages are code or log text.
    // Flags are names too: blanked first, so that English words after one (`--backoff-max is smaller`) still count.
    const line = rawLine.replace(/`[^`]*`/g, ' ').replace(/“[^”]*”|"[^"]*"/g, ' ').replace(/\\(.)/g, '$1').replace(/(?<![\w-])--?[A-Za-z][\w-]*/g, ' ');
    for (const m of line.matchAll(/[A-Za-z][A-Za-z'’]*(?: [A-Za-z][A-Za-z'’]*)+/g)) {
      const words = m[0].split(' ');
      const plain = words.filter((w) => !ALLOWED.has(w.toLowerCase()) && !/^[A-Z0-9_]{2,}$/.test(w));
      if (plain.length < 2) continue;
      if (quoted.some((q) => q.includes(m[0])) || KERNEL_TEXT.includes(m[0])) continue;
      // Part of a path, a flag or a code (`anqicms.service`, `--boot-time`, `kernel-oom`): not a sentence.
      const before = line[m.index - 1] ?? ' ';
      const after = line[m.index + m[0].length] ?? ' ';
      if (/[-_./=]/.test(before) || /[-_./=]/.test(after)) continue;
      found.push(m[0]);
    }
  }
  return found;
}

/** Chinese punctuation slips in our own lines: a space after 。, or a half-width colon or comma after a Chinese character. */
export function punctuationSlips(text: string, quoted: string[]): string[] {
  const heads = quoted.filter((q) => q.length >= 8).map((q) => q.slice(0, 20));
  return text.split('\n')
    .filter((line) => !heads.some((h) => line.includes(h)))
    .filter((line) => /。 \S|[\u4e00-\u9fff][:,] /.test(line));
}
