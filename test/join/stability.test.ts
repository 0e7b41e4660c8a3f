// Issue 20: a verdict, confidence or pairing that changes when one input's times move within their own precision is
// noise. For every scenario fixture (and a captured real-kernel run, real-leak-dmesg), each source's stamps are
// jittered within what that source can know, and every incident must keep its verdict, confidence and the lines it
// joined:
// - check.log: the guardian's clock, off by up to a minute (whole seconds, −60 … +60 s);
// - the machine's clock, which running.log and the kernel log share: the whole staging δ earlier or later, under a
//   second (δ in (−1 s, 1 s)); a whole-second stamp s becomes the second that s + δ falls in (each moment taken at
//   the start of its second, the one reading that keeps every line's order with the kernel's records: a fraction
//   drawn at random would put the app's last words after the kill that ended it); uptimes move with the boot time;
// - on top, the kernel log's own precision: a logger's receipt lag under a second (δ' in [0, 1 s), the same rule),
//   or, for uptimes placed by a whole-second boot time (`dmesg` + `--boot-time`), that boot time ± 1 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { diagnose } from '../../src/index.js';
import type { DiagnoseOptions, Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

const RUNS = 200;
const SCENARIOS = fixture('test', 'join', 'fixtures');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** One stamp shape: where it sits in a line, how to read it (naive UTC ms) and write it back. */
interface Shape {
  re: RegExp;
  read: (m: RegExpExecArray) => number;
  write: (ms: number) => string;
}
const CHECK: Shape = {
  re: /^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})/,
  read: (m) => Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!),
  write: (ms) => { const d = new Date(ms); return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`; },
};
const GO: Shape = {
  re: /^((?:\[mysql\] )?)(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/,
  read: (m) => Date.UTC(+m[2]!, +m[3]! - 1, +m[4]!, +m[5]!, +m[6]!, +m[7]!),
  write: (ms) => { const d = new Date(ms); return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`; },
};
// Year-less: a dummy year; only month, day and time are written back.
const SYSLOG: Shape = {
  re: /^([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})/,
  read: (m) => Date.UTC(2024, MONTHS.indexOf(m[1]!), +m[2]!, +m[3]!, +m[4]!, +m[5]!),
  write: (ms) => { const d = new Date(ms); return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`; },
};

/** Every stamp of one shape moved to the second that s + δ falls in (δ in ms). */
function jitter(text: string, shape: Shape, deltaMs: number): string {
  return text.split('\n').map((line) => {
    const m = shape.re.exec(line);
    if (!m) return line;
    const s = shape.read(m);
    const moved = Math.floor((s + deltaMs) / 1000) * 1000;
    const prefix = shape === GO ? m[1]! : '';
    return prefix + shape.write(moved) + line.slice(m[0].length);
  }).join('\n');
}

interface Scenario {
  name: string;
  dir: string;
  /** `dmesg.txt` + `boot-time` (a captured real-kernel run), else `kern.log` (logger-stamped). */
  bootTimeMs: number | null;
}

function scenarios(): Scenario[] {
  return readdirSync(SCENARIOS).sort().map((name) => {
    const dir = join(SCENARIOS, name);
    const boot = join(dir, 'boot-time');
    return { name, dir, bootTimeMs: existsSync(boot) ? Date.parse(readFileSync(boot, 'utf8').trim()) : null };
  });
}

interface Jitter { guardianS: number; appMs: number; lagMs: number; bootMs: number }

async function run(s: Scenario, j: Jitter | null, out: string): Promise<Report> {
  const options: DiagnoseOptions = { tz: 'Asia/Shanghai', lang: 'en' };
  const write = (file: string, shape: Shape, deltaMs: number): string => {
    const text = readFileSync(join(s.dir, file), 'utf8');
    const path = join(out, file);
    writeFileSync(path, j ? jitter(text, shape, deltaMs) : text);
    return path;
  };
  if (existsSync(join(s.dir, 'check.log'))) options.check = [write('check.log', CHECK, (j?.guardianS ?? 0) * 1000)];
  if (existsSync(join(s.dir, 'running.log'))) options.app = [write('running.log', GO, j?.appMs ?? 0)];
  if (s.bootTimeMs !== null) {
    options.kernel = [join(s.dir, 'dmesg.txt')];
    options.bootTime = new Date(s.bootTimeMs + (j?.appMs ?? 0) + (j?.bootMs ?? 0)).toISOString();
  } else if (existsSync(join(s.dir, 'kern.log'))) {
    options.kernel = [write('kern.log', SYSLOG, (j?.appMs ?? 0) + (j?.lagMs ?? 0))];
  }
  return diagnose(options);
}

/** What must not change: each incident's verdict, confidence, kill, and the lines it joined (file and line). */
function outcome(report: Report): string[] {
  return report.incidents
    .map((i) => {
      const lines = i.evidence.map((e) => `${e.role}:${e.path.split('/').pop()}:${e.line}`).sort().join(' ');
      return `${i.verdict}/${i.confidence}/${i.oomKill ?? '-'}/${i.count} ← ${lines}`;
    })
    .sort();
}

const jitters = fc.record({
  guardianS: fc.integer({ min: -60, max: 60 }),
  appMs: fc.integer({ min: -999, max: 999 }),
  lagMs: fc.integer({ min: 0, max: 999 }),
  bootMs: fc.integer({ min: -1000, max: 1000 }),
});

for (const scenario of scenarios()) {
  test(`${scenario.name}: verdicts, confidence and pairing hold when each source's times move within its precision`, async () => {
    const out = mkdtempSync(join(tmpdir(), `oomscope-jitter-${scenario.name}-`));
    const expected = outcome(await run(scenario, null, out));
    // The traps (an admin restart, a MySQL kill the app survived, …) have none: no jitter may make one.
    await fc.assert(
      fc.asyncProperty(jitters, async (j) => {
        assert.deepEqual(outcome(await run(scenario, j, out)), expected);
      }),
      { seed: 20, numRuns: RUNS },
    );
  });
}
