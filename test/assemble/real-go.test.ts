// The Go runtime's own crash output, captured from the Go stand-in (test/real-kernel/standin-go) by
// test/support/capture-go-fixtures.ts into test/fixtures/go/<go version>-<build mode>-<death>.log, read as the
// running.log of one life that the guardian then restarts. No Go toolchain is needed here; the real-kernel tests
// regenerate the traces and check they did not drift. The expected verdicts and crash sites were worked out by hand
// from the stand-in's source (standin-go/provider/*.go: which function faults, panics or allocates, at which line) and
// the runtime's documented output, then checked against the files: the crash site is the first frame of
// kandaoni.com/anqicms in the crashing goroutine, never the runtime's, cron's or net/http's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import type { Incident } from '../../src/index.js';
import { fixture } from '../support/paths.js';

const DIR = fixture('test', 'fixtures', 'go');
const GO_LOG = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/gm;

interface Expected {
  verdict: string;
  /** `pkg.func` and `file:line` with `<src>` for the app's source root, or null for no crash site. */
  site: [string, string] | null;
  reason: RegExp;
}

const P = 'kandaoni.com/anqicms/provider.';
const EXPECTED: Record<string, Expected> = {
  // website.go:36 `return w.Font.Size * …` with a nil Font: the fault is in GenerateTitleImage itself
  panic: { verdict: 'go-panic', site: [`${P}(*Website).GenerateTitleImage`, '<src>/provider/website.go:36'], reason: /nil pointer dereference/ },
  'panic-system': { verdict: 'go-panic', site: [`${P}(*Website).GenerateTitleImage`, '<src>/provider/website.go:36'], reason: /nil pointer dereference/ },
  // sitemap.go:25 `panic(&SitemapError{…})`: Go prints the value's Error()
  'panic-value': { verdict: 'go-panic', site: [`${P}(*Website).BuildSitemap`, '<src>/provider/sitemap.go:25'], reason: /61234 urls exceed the 50000 limit/ },
  // the deferred func at sitemap.go:34 panics again: it is the crashing goroutine's first frame (above `panic(…)`)
  repanic: { verdict: 'go-panic', site: [`${P}(*Website).RebuildSitemap.func1`, '<src>/provider/sitemap.go:34'], reason: /61234 urls exceed the 50000 limit/ },
  // stats.go:9 `w.views[page]++` from four goroutines: the runtime's map check throws there
  'map-writes': { verdict: 'go-fatal', site: [`${P}(*Website).countView`, '<src>/provider/stats.go:9'], reason: /concurrent map writes/ },
  // stats.go:32 is Path's first line (its stack check); every frame below it is Path again (stats.go:36)
  stack: { verdict: 'go-fatal', site: [`${P}(*Category).Path`, '<src>/provider/stats.go:32'], reason: /stack overflow/ },
  // cache.go:13 `make([]byte, n)` in block (inlined into GenerateTitleImageCache), refused by RLIMIT_AS / RLIMIT_DATA
  'oom-as': { verdict: 'go-runtime-oom', site: [`${P}block`, '<src>/provider/cache.go:13'], reason: /could not get more memory/ },
  'oom-as-busy': { verdict: 'go-runtime-oom', site: [`${P}block`, '<src>/provider/cache.go:13'], reason: /could not get more memory/ },
  'oom-data': { verdict: 'go-runtime-oom', site: [`${P}block`, '<src>/provider/cache.go:13'], reason: /could not get more memory/ },
  // main.go's log.Fatal("Failed To Connect Database: ", err) before it listens: exit 1, no trace
  'db-down': { verdict: 'startup-failure', site: null, reason: /Failed To Connect Database: dial tcp 127\.0\.0\.1:\d+: connect: connection refused/ },
};
const SOURCE_ROOT: Record<string, string> = { trimpath: 'kandaoni.com/anqicms', paths: '/www/go/anqicms' };

const stampMs = (m: RegExpMatchArray): number => Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
function goStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/-/g, '/').replace('T', ' ').slice(0, 19);
}
const checkStamp = (ms: number): string => goStamp(ms).replace(/\//g, '');

/** running.log: the captured life, then the next start 5 s after its last stamp; check.log: 0, 1, 0 after the death, 1. */
async function diagnoseCaptured(text: string, stampsOf: string = text): Promise<Incident[]> {
  const stamps = [...stampsOf.matchAll(GO_LOG)].map(stampMs);
  const start = stamps[0]!;
  const next = stamps.at(-1)! + 5000;
  const dir = mkdtempSync(join(tmpdir(), 'real-go-'));
  try {
    writeFileSync(join(dir, 'running.log'), `${text}${goStamp(next)} /www/wwwroot/anqicms.com/\n`);
    const checks = [[start - 1000, 0], [start + 1000, 1], [next - 1000, 0], [next + 2000, 1]] as const;
    writeFileSync(join(dir, 'check.log'), checks.map(([ms, n]) => `${checkStamp(ms)} anqicms PID check: ${n}\n`).join(''));
    const report = await diagnose({ app: [join(dir, 'running.log')], check: [join(dir, 'check.log')], tz: 'UTC', lang: 'en' });
    return report.incidents;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.log')).sort() : [];

test('test/fixtures/go holds both build modes of every death', () => {
  for (const mode of ['trimpath', 'paths']) {
    for (const death of Object.keys(EXPECTED).filter((d) => d !== 'panic-system' && d !== 'oom-as-busy')) {
      assert.ok(files.some((f) => f.endsWith(`-${mode}-${death}.log`)), `${mode} ${death}`);
    }
  }
});

for (const file of files) {
  const m = /^(go[\d.]+)-(trimpath|paths)-(.+)\.log$/.exec(file);
  const expected = m ? EXPECTED[m[3]!] : undefined;
  test(`real Go trace ${file}: ${expected?.verdict ?? '?'}${expected?.site ? ` at ${expected.site[0].slice(P.length)}` : ''}`, async () => {
    assert.ok(m && expected, `a fixture named <go>-<mode>-<death>.log with a known death: ${file}`);
    const incidents = await diagnoseCaptured(readFileSync(join(DIR, file), 'utf8'));
    assert.equal(incidents.length, 1, JSON.stringify(incidents.map((i) => [i.verdict, i.reason])));
    const incident = incidents[0]!;
    assert.equal(incident.verdict, expected.verdict, incident.reason);
    assert.equal(incident.confidence, 'confirmed');
    assert.match(incident.reason, expected.reason);
    const site = expected.site ? `${expected.site[0]} at ${expected.site[1].replace('<src>', SOURCE_ROOT[m[2]!]!)}` : null;
    assert.equal(incident.crashSite, site);
  });
}

// The same real traces behind a prefix, as they reach running.log in the wild (issue 19): a progress line that never
// printed its newline glued before `panic:`, and docker compose's `anqicms-1  | ` in front of every line. The verdict
// and the crash site stay those of the table above; the header's evidence line keeps the prefix.
const GLUED = 'Generating title images 37%';
const COMPOSE = 'anqicms-1  | ';
for (const death of ['panic', 'map-writes']) {
  const file = files.find((f) => f.endsWith(`-trimpath-${death}.log`));
  const expected = EXPECTED[death]!;
  const site = `${expected.site![0]} at ${expected.site![1].replace('<src>', SOURCE_ROOT.trimpath!)}`;
  test(`real Go trace behind a prefix (${death}): glued to a progress line, and behind docker compose's column`, async () => {
    assert.ok(file, `the captured ${death} trace`);
    const text = readFileSync(join(DIR, file), 'utf8');
    const header = death === 'panic' ? /^panic: /m : /^fatal error: /m;
    const glued = text.replace(header, (h) => GLUED + h);
    const composed = text.split('\n').map((line) => (line === '' ? line : COMPOSE + line)).join('\n');
    for (const [how, variant] of [['glued', glued], ['compose', composed]] as const) {
      const incidents = await diagnoseCaptured(variant, text);
      assert.equal(incidents.length, 1, `${how}: ${JSON.stringify(incidents.map((i) => [i.verdict, i.reason]))}`);
      assert.equal(incidents[0]!.verdict, expected.verdict, `${how}: ${incidents[0]!.reason}`);
      assert.equal(incidents[0]!.crashSite, site, how);
      const prefix = how === 'glued' ? GLUED : COMPOSE;
      assert.ok(incidents[0]!.evidence.some((e) => e.role === 'app' && e.text.startsWith(prefix)), `${how}: the header's line with its prefix is evidence`);
    }
  });
}
