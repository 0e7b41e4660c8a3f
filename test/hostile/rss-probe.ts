// Preloaded (`node --import`) into the CLI by the resource tests: writes the peak resident set size in KiB to the
// file named by OOMSCOPE_RSS_FILE when the process exits. Does nothing without it (the test runner loads it too).
import { writeFileSync } from 'node:fs';

const out = process.env.OOMSCOPE_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
