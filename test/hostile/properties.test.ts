// Property tests: whatever bytes come in, in whatever chunks, diagnose() answers without throwing, and
// re-arranging an input the way real logs get re-arranged changes the answer only as the rules say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { diagnose } from '../../src/diagnose.js';
import { renderText } from '../../src/tell/text.js';
import { renderMarkdown } from '../../src/tell/markdown.js';
import type { Report } from '../../src/model/report.js';
import { fixture } from '../support/paths.js';
import { VERDICTS } from '../../src/model/report.js';
import {
  appLife, BOOT_MS, comparable, cutAt, diagnoseChunks, guardianChecks, kernelLog, killKey, oomBlock, syslogPrefix, tempDir, writeTemp,
  type KillSpec, type Role,
} from './support.js';

const ROLES: Role[] = ['kernel', 'check', 'app'];

// Real lines of every kind the readers know, to be mixed with noise: fixture files of each role.
function fixtureLines(): string[] {
  const files = [
    fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log'),
    fixture('test', 'diagnose', 'fixtures', 'interleaved-memcg.log'),
    fixture('test', 'diagnose', 'fixtures', 'sacrifice-child-3.10.log'),
    ...readdirSync(fixture('test', 'assemble', 'fixtures')).map((name) => fixture('test', 'assemble', 'fixtures', name)),
    ...['kernel-oom', 'go-panic', 'startup-failure'].flatMap((dir) => ['check.log', 'running.log'].map((f) => fixture('test', 'join', 'fixtures', dir, f))),
  ];
  const lines = new Set<string>();
  for (const file of files) {
    try {
      for (const line of readFileSync(file, 'latin1').split('\n')) if (line.length < 400) lines.add(line);
    } catch {
      // a fixture renamed by a teammate: the others still give plenty
    }
  }
  return [...lines];
}

const LINES = fixtureLines().map((line) => Buffer.from(line, 'latin1'));
const NASTY = ['\x00\x00\x00', '\x1b[31m', '\x1b]0;title\x07', '\r', '\u202e', '\xff\xfe', '\xc3(', '\xe4\xb8', '\ufeff', '#012', '\t'].map((s) => Buffer.from(s, 'latin1'));

/** A line: a real one, a real one cut or spliced with nasty bytes, or noise. */
const lineArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...LINES) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constantFrom(...LINES), fc.nat(), fc.constantFrom(...NASTY)).map(([line, at, nasty]) => {
      const cut = at % (line.length + 1);
      return Buffer.concat([line.subarray(0, cut), nasty, line.subarray(cut)]);
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)) },
);

/** A log: lines joined by `\n` or `\r\n`, with or without a last newline; or plain noise. */
const logArb = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.array(lineArb, { maxLength: 80 }), fc.boolean(), fc.boolean()).map(([lines, crlf, last]) => {
    const sep = Buffer.from(crlf ? '\r\n' : '\n');
    const parts: Buffer[] = [];
    lines.forEach((line, i) => {
      parts.push(line);
      if (i < lines.length - 1 || last) parts.push(sep);
    });
    return new Uint8Array(Buffer.concat(parts));
  }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 3000 }) },
);

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function assertSafeOutputs(report: Report): void {
  const json = JSON.stringify(report);
  assert.deepEqual(JSON.parse(json), report, 'the report is plain JSON data');
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(json), 'no lone surrogate (invalid UTF-8 becomes U+FFFD)');
  const text = renderText(report, { color: false, lang: 'en', process: 'anqicms' });
  assert.ok(!RAW_CONTROL.test(text), `a control character reached the text report: ${JSON.stringify(text.match(RAW_CONTROL))}`);
  const md = renderMarkdown(report, { lang: 'en', process: 'anqicms' });
  assert.ok(!RAW_CONTROL.test(md.replace(/\t/g, '')), 'a control character reached the Markdown report');
}

function newlineCount(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 10) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 10 ? n + 1 : n;
}

test('any bytes in, for any role: a report out, no exception, safe to print, lines counted', async () => {
  await fc.assert(
    fc.asyncProperty(logArb, fc.constantFrom(...ROLES), async (bytes, role) => {
      const report = await diagnoseChunks(role, [bytes]);
      assertSafeOutputs(report);
      const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
      if (!gzip) {
        assert.equal(report.sources.length, 1);
        assert.equal(report.sources[0]!.path, '-');
        assert.equal(report.sources[0]!.lines, newlineCount(bytes));
        assert.equal(report.sources[0]!.complete, true);
      }
    }),
    { numRuns: 400 },
  );
});

test('the same bytes cut into chunks at any boundaries give the identical report', async () => {
  await fc.assert(
    fc.asyncProperty(logArb, fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(...ROLES), async (bytes, cuts, role) => {
      const whole = await diagnoseChunks(role, [bytes]);
      const chunked = await diagnoseChunks(role, cutAt(bytes, cuts.map((c) => c % (bytes.length + 1))));
      assert.equal(comparable(chunked), comparable(whole));
    }),
    { numRuns: 300 },
  );
});

test('one-byte chunks give the identical report (every line and character split)', async () => {
  const bytes = readFileSync(fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log'));
  const gbk = readFileSync(fixture('test', 'assemble', 'fixtures', 'running-gbk.log'));
  for (const [role, input] of [['kernel', bytes], ['app', gbk]] as const) {
    const whole = await diagnoseChunks(role, [input]);
    const ones = await diagnoseChunks(role, [...input].map((b) => Uint8Array.of(b)));
    assert.equal(comparable(ones), comparable(whole), role);
  }
});

test('a log of several MiB (past the part read line by line) cut into chunks anywhere gives the identical report', async () => {
  const kills = Array.from({ length: 200 }, (_, i) => ({ pid: 2000 + i, name: i % 3 ? 'mysqld' : 'anqicms', uptime: 2000.25 + i * 97, rssPages: 10_000 + i }));
  const kernel = Buffer.from(kernelLog(kills, { quietEvery: 1 }).join('\n') + '\n');
  const t0 = Date.UTC(2024, 6, 23, 8, 0, 0);
  const endings = ['panic', 'silent', 'goodbye'] as const;
  const app = Buffer.from(Array.from({ length: 1500 }, (_, i) => appLife(t0 + i * 20 * 60_000, endings[i % 3]!, 15)).flat().join('\n') + '\n');
  assert.ok(kernel.length > 2 << 20 && app.length > 1 << 20, `${kernel.length} and ${app.length} bytes`);
  const whole = { kernel: await diagnoseChunks('kernel', [kernel]), app: await diagnoseChunks('app', [app]) };
  assert.equal(whole.kernel.oomKills.length, kills.length);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat({ max: 8 << 20 }), { minLength: 1, maxLength: 40 }), fc.constantFrom('kernel', 'app') as fc.Arbitrary<'kernel' | 'app'>, async (cuts, role) => {
      const bytes = role === 'kernel' ? kernel : app;
      const chunked = await diagnoseChunks(role, cutAt(bytes, cuts.map((c) => c % bytes.length)));
      assert.equal(comparable(chunked), comparable(whole[role]));
    }),
    { numRuns: 5 },
  );
});

// Kills far enough apart (40 s, a quiet clock line between) that no block can reach into the next.
const killsArb = fc
  .uniqueArray(fc.integer({ min: 100, max: 32000 }), { minLength: 1, maxLength: 4 })
  .chain((pids) =>
    fc.tuple(...pids.map((pid, i) => fc.record({
      pid: fc.constant(pid),
      name: fc.constantFrom('anqicms', 'mysqld', 'php-fpm', 'java', 'node'),
      uptime: fc.constant(2000 + i * 60 + 0.25),
      rssPages: fc.integer({ min: 1000, max: 2_000_000 }),
    }))),
  );

test('lines shuffled within their second: the same processes killed at the same times, each once', async () => {
  await fc.assert(
    fc.asyncProperty(killsArb, fc.nat(), fc.infiniteStream(fc.nat()), async (kills: KillSpec[], which, randomness) => {
      const lines = kernelLog(kills);
      const target = kills[which % kills.length]!;
      const block = oomBlock(target);
      const at = lines.indexOf(block[0]!);
      const keys = block.map(() => randomness.next().value as number);
      const shuffled = block.map((line, i) => ({ line, key: keys[i]! })).sort((a, b) => a.key - b.key).map((x) => x.line);
      const mixed = [...lines.slice(0, at), ...shuffled, ...lines.slice(at + block.length)];
      const before = await diagnoseChunks('kernel', [Buffer.from(lines.join('\n') + '\n')]);
      const after = await diagnoseChunks('kernel', [Buffer.from(mixed.join('\n') + '\n')]);
      const named = (r: Report): string[] => r.oomKills.filter((k) => k.pid !== null).map(killKey).sort();
      assert.deepEqual(named(before), kills.map((k) => killKey({ pid: k.pid, name: k.name, time: before.oomKills.find((x) => x.pid === k.pid)!.time })).sort());
      assert.deepEqual(named(after), named(before));
      assert.equal(after.oomKills.filter((k) => k.pid === null).length, 0, 'a kill always names its victim');
    }),
    { numRuns: 60 },
  );
});

test('the same kernel log given twice, or a copy of it, gives the same kills, each once', async (t) => {
  const dir = tempDir(t);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(killsArb, fc.boolean(), async (kills: KillSpec[], cutLast) => {
      const lines = kernelLog(kills);
      // Optionally end inside the last block: no victim named yet, so no kill, but one oom-unfinished event, not two.
      const text = (cutLast ? lines.slice(0, lines.lastIndexOf(oomBlock(kills.at(-1)!)[3]!) + 1) : lines).join('\n') + '\n';
      const path = writeTemp(dir, `kern-${n}.log`, text);
      const copy = join(dir, `syslog-${n++}`);
      copyFileSync(path, copy);
      const once = await diagnose({ kernel: [path], tz: 'UTC', year: 2024, lang: 'en' });
      const twice = await diagnose({ kernel: [path, path], tz: 'UTC', year: 2024, lang: 'en' });
      assert.deepEqual(twice.oomKills, once.oomKills);
      const both = await diagnose({ kernel: [path, copy], tz: 'UTC', year: 2024, lang: 'en' });
      assert.deepEqual(both.oomKills.map(killKey), once.oomKills.map(killKey));
      assert.deepEqual(both.oomKills.map((k) => k.id), once.oomKills.map((k) => k.id));
      for (const kill of both.oomKills) {
        const files = new Set(kill.evidence.map((e) => e.path));
        assert.deepEqual([...files].sort(), [path, copy].sort(), 'the evidence lists both files');
      }
      const unfinished = (r: Report): number => r.oomEvents.filter((e) => e.kind === 'oom-unfinished').length;
      assert.equal(once.oomKills.length, cutLast ? kills.length - 1 : kills.length);
      assert.equal(unfinished(once), cutLast ? 1 : 0);
      assert.equal(unfinished(both), unfinished(once), 'the same unfinished invocation in two files is one event');
    }),
    { numRuns: 40 },
  );
});

test('two kernel logs concatenated give the kills of both, as reading them one after the other does', async (t) => {
  const dir = tempDir(t);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(killsArb, killsArb, async (first: KillSpec[], second: KillSpec[]) => {
      const later = second.map((k) => ({ ...k, pid: k.pid + 40000, uptime: k.uptime + 5000 }));
      const a = kernelLog(first, { from: 1000, to: 4000 }).join('\n') + '\n';
      const b = kernelLog(later, { from: 4100, to: 10000 }).join('\n') + '\n';
      const pa = writeTemp(dir, `a-${n}.log`, a);
      const pb = writeTemp(dir, `b-${n}.log`, b);
      const pab = writeTemp(dir, `ab-${n++}.log`, a + b);
      const apart = await diagnose({ kernel: [pa, pb], tz: 'UTC', year: 2024, lang: 'en' });
      const joined = await diagnose({ kernel: [pab], tz: 'UTC', year: 2024, lang: 'en' });
      const victims = (r: Report): string[] => r.oomKills.map((k) => `${k.pid}|${k.name}`);
      assert.deepEqual(victims(joined), [...first, ...later].map((k) => `${k.pid}|${k.name}`));
      assert.deepEqual(victims(apart), victims(joined));
      joined.oomKills.forEach((kill, i) => {
        // One file's boot estimate may differ from the other's by less than a second (stamps have whole seconds).
        assert.ok(Math.abs(Date.parse(kill.time!) - Date.parse(apart.oomKills[i]!.time!)) < 1000, `${kill.time} vs ${apart.oomKills[i]!.time}`);
      });
    }),
    { numRuns: 30 },
  );
});

test('rotated app and guardian logs read as two files or as one concatenated file give the same deaths', async (t) => {
  const dir = tempDir(t);
  let n = 0;
  const endings = fc.constantFrom('panic', 'silent', 'goodbye') as fc.Arbitrary<'panic' | 'silent' | 'goodbye'>;
  await fc.assert(
    fc.asyncProperty(fc.array(endings, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 4 }), async (lives, split) => {
      const t0 = Date.UTC(2024, 6, 23, 8, 0, 0);
      const app: string[][] = [];
      const downs: { from: number; to: number }[] = [];
      lives.forEach((ending, i) => {
        const start = t0 + i * 10 * 60_000;
        app.push(appLife(start, ending));
        downs.push({ from: start + 5 * 60_000, to: start + 10 * 60_000 });
      });
      const checks = guardianChecks(t0 - 60_000, t0 + lives.length * 10 * 60_000 + 60_000, downs.slice(0, -1));
      const cut = Math.min(split, app.length);
      const appA = app.slice(0, cut).flat().join('\n') + '\n';
      const appB = app.slice(cut).flat().join('\n') + (cut < app.length ? '\n' : '');
      const checkCut = Math.floor((checks.length * cut) / (app.length + 1));
      const checkA = checks.slice(0, checkCut).join('\n') + '\n';
      const checkB = checks.slice(checkCut).join('\n') + '\n';
      const k = n++;
      const files = {
        appA: writeTemp(dir, `running.log.1-${k}`, appA), appB: writeTemp(dir, `running.log-${k}`, appB), app: writeTemp(dir, `running-all-${k}`, appA + appB),
        checkA: writeTemp(dir, `check.log.1-${k}`, checkA), checkB: writeTemp(dir, `check.log-${k}`, checkB), check: writeTemp(dir, `check-all-${k}`, checkA + checkB),
      };
      const two = await diagnose({ app: [files.appA, files.appB], check: [files.checkA, files.checkB], tz: 'UTC', lang: 'en' });
      const one = await diagnose({ app: [files.app], check: [files.check], tz: 'UTC', lang: 'en' });
      // Evidence of the same moment may be listed in either order (it is sorted by time, then by file).
      const deaths = (r: Report) => r.incidents.map((i) => ({ verdict: i.verdict, diedAt: i.diedAt, restartedAt: i.restartedAt, evidence: i.evidence.map((e) => e.text).sort() }));
      assert.deepEqual(deaths(two), deaths(one));
      assert.ok(one.incidents.length >= lives.length - 1, `${one.incidents.length} incidents for ${lives.length} lives`);
    }),
    { numRuns: 40 },
  );
});

test('a kernel line split across two chunks inside a multi-byte character still gives the same kill', async () => {
  const kill: KillSpec = { pid: 4242, name: 'café-β', uptime: 3000.5, rssPages: 500000 };
  const bytes = Buffer.from(kernelLog([kill]).join('\n') + '\n');
  const inside = bytes.indexOf(Buffer.from('β')) + 1;
  const report = await diagnoseChunks('kernel', cutAt(bytes, [inside]));
  assert.deepEqual(report.oomKills.map((k) => k.name), ['café-β']);
  assert.ok(report.oomKills[0]!.evidence.some((e) => e.text.startsWith(syslogPrefix(3000.5).slice(0, 15))));
});

// The correlation: lives of the app with known endings, the guardian's checks around them and the kernel's kills,
// in any subset. Whatever the mix, the report holds together and the deaths that the rules decide are decided.
const lifeArb = fc.record({
  ending: fc.constantFrom('panic', 'silent', 'goodbye') as fc.Arbitrary<'panic' | 'silent' | 'goodbye'>,
  minutes: fc.integer({ min: 2, max: 15 }),
  downMinutes: fc.integer({ min: 2, max: 6 }),
  oomKilled: fc.boolean(),
});

test('app, guardian and kernel logs in any subset: a consistent report; a kernel kill at a silent death is that death', async (t) => {
  const dir = tempDir(t);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(lifeArb, { minLength: 1, maxLength: 6 }), fc.subarray(['app', 'check', 'kernel'] as const, { minLength: 1 }), fc.boolean(), async (lives, given, mysqld) => {
      const t0 = Date.UTC(2024, 6, 23, 8, 0, 30);
      const app: string[] = [];
      const downs: { from: number; to: number }[] = [];
      const kills: KillSpec[] = [];
      const expected: { verdict: string; pid?: number }[] = [];
      let at = t0;
      lives.forEach((life, i) => {
        app.push(...appLife(at, life.ending, life.minutes));
        const death = at + life.minutes * 60_000 + 20_000;
        const next = death + life.downMinutes * 60_000;
        const last = i === lives.length - 1;
        if (!last) downs.push({ from: death, to: next });
        if (life.ending === 'silent' && life.oomKilled && !last) {
          const pid = 5000 + i;
          kills.push({ pid, name: 'anqicms', uptime: (death - BOOT_MS) / 1000, rssPages: 400_000 });
          expected.push({ verdict: 'kernel-oom', pid });
        }
        if (life.ending === 'panic') expected.push({ verdict: 'go-panic' });
        at = next;
      });
      if (mysqld) kills.push({ pid: 999, name: 'mysqld', uptime: (t0 - BOOT_MS) / 1000 + 90.5, rssPages: 300_000 });
      kills.sort((a, b) => a.uptime - b.uptime);
      const k = n++;
      const options = {
        app: given.includes('app') ? [writeTemp(dir, `running-${k}.log`, app.join('\n') + '\n')] : [],
        check: given.includes('check') ? [writeTemp(dir, `check-${k}.log`, guardianChecks(t0 - 120_000, at + 120_000, downs).join('\n') + '\n')] : [],
        kernel: given.includes('kernel') ? [writeTemp(dir, `kern-${k}.log`, kernelLog(kills, { from: (t0 - BOOT_MS) / 1000 - 60, to: (at - BOOT_MS) / 1000 + 60 }).join('\n') + '\n')] : [],
      };
      const report = await diagnose({ ...options, tz: 'UTC', year: 2024, lang: 'en' });
      assertSafeOutputs(report);

      // The report holds together.
      assert.equal(report.summary.deaths, report.incidents.reduce((sum, i) => sum + i.count, 0));
      assert.equal(Object.values(report.summary.byVerdict).reduce((a, b) => a + (b ?? 0), 0), report.summary.deaths);
      const ids = report.oomKills.map((kill) => kill.id);
      const linked = report.incidents.map((i) => i.oomKill).filter((id): id is string => id !== null);
      assert.equal(new Set(linked).size, linked.length, 'a kill explains one death at most');
      for (const id of linked) {
        assert.ok(ids.includes(id), `incident names kill ${id}, which is not reported`);
        assert.equal(report.oomKills.find((kill) => kill.id === id)!.name, 'anqicms');
      }
      for (const incident of report.incidents) {
        assert.ok((VERDICTS as readonly string[]).includes(incident.verdict));
        if (incident.diedAt && incident.restartedAt) assert.ok(Date.parse(incident.diedAt) <= Date.parse(incident.restartedAt), JSON.stringify(incident));
        if (incident.downtimeSeconds !== null) assert.ok(incident.downtimeSeconds >= 0);
      }
      assert.ok(!report.summary.otherKills.some((kill) => linked.includes(kill.id)));
      if (given.includes('kernel')) assert.equal(report.oomKills.length, kills.length);

      // What the rules decide: a panic in running.log is a go-panic; a kill of the watched process at a death the
      // guardian saw is kernel-oom, confirmed by that kill.
      if (given.includes('app')) {
        assert.equal(report.incidents.filter((i) => i.verdict === 'go-panic').length, expected.filter((e) => e.verdict === 'go-panic').length);
      }
      if (given.includes('kernel') && (given.includes('check') || given.includes('app'))) {
        for (const { pid } of expected.filter((e) => e.verdict === 'kernel-oom')) {
          const incident = report.incidents.find((i) => i.pid === pid || report.oomKills.find((kill) => kill.id === i.oomKill)?.pid === pid);
          assert.ok(incident, `no incident for the kill of pid ${pid}: ${JSON.stringify(report.incidents.map((i) => [i.verdict, i.diedAt, i.oomKill]))}`);
          assert.equal(incident.verdict, 'kernel-oom');
        }
      }
    }),
    { numRuns: 150 },
  );
});
