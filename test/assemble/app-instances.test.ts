import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AppInstances } from '../../src/assemble/app-instances.js';
import type { AppRecord, InstanceEndRecord, StampSeen } from '../../src/assemble/app-records.js';
import { decodeLine } from '../../src/read/decode-line.js';
import { fixture } from '../support/paths.js';

/** Feeds a fixture the way the lead's reader will: bytes split on `\n`, decoded, numbered from 1. */
function run(name: string): { records: AppRecord[]; ends: InstanceEndRecord[]; app: AppInstances; encodings: string[] } {
  const bytes = readFileSync(fixture('test', 'assemble', 'fixtures', name));
  return runBytes(bytes);
}

function runBytes(bytes: Uint8Array) {
  const app = new AppInstances();
  const records: AppRecord[] = [];
  const encodings: string[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const decoded = decodeLine(bytes.subarray(start, end));
    encodings.push(decoded.encoding);
    records.push(...app.push(decoded.text, ++lineNo));
    start = end + 1;
  }
  records.push(...app.finish());
  const ends = records.filter((r): r is InstanceEndRecord => r.kind === 'instance-end');
  return { records, ends, app, encodings };
}

function runLines(lines: string[]) {
  return runBytes(new TextEncoder().encode(lines.join('\n') + '\n'));
}

const clock = (s: StampSeen | null) =>
  s ? `${String(s.stamp.local.hour).padStart(2, '0')}:${String(s.stamp.local.minute).padStart(2, '0')}:${String(s.stamp.local.second).padStart(2, '0')}` : null;

test('two silent deaths: each life ends at the next start line, with its last words and last stamp', () => {
  const { records, ends } = run('running-silent-deaths.log');
  // a start line closes the previous life before opening the next
  assert.deepEqual(records.map((r) => `${r.kind}#${r.index}`), [
    'instance-start#0', 'instance-end#0', 'instance-start#1', 'instance-end#1', 'instance-start#2', 'instance-end#2',
  ]);
  const [first, second, third] = ends;
  assert.ok(first && second && third);
  // life 0: lines 1–11; the banner (2–8) belongs to it; line 11 `isLimiting 1 429` is its last line
  assert.equal(first.start.line, 1);
  assert.equal(first.start.execPath, '/www/wwwroot/anqicms.com/');
  assert.equal(first.start.irisVersion, '12.2.11');
  assert.equal(first.start.listen, 'http://10.0.0.5:8001'); // line 5, the first address printed
  assert.equal(first.start.implicit, false);
  assert.equal(first.firstLine, 1);
  assert.equal(first.lastLine, 11);
  assert.equal(first.isLimitingLines, 2); // lines 9, 11
  assert.equal(clock(first.firstStamp), '10:00:02');
  assert.equal(clock(first.lastStamp), '10:03:30'); // line 10
  assert.deepEqual(first.ending, {
    kind: 'silent', until: 'next-start',
    lastWords: { line: 11, text: 'isLimiting 1 429', lastStamp: first.lastStamp },
  });
  // life 1: lines 12–21; last words line 21 (the blank line 22 does not count); [mysql] stamp on 20 seen
  assert.equal(second.start.line, 12);
  assert.equal(clock(second.start.stamp), '10:04:02');
  assert.equal(second.ending.kind, 'silent');
  assert.equal(second.ending.kind === 'silent' && second.ending.lastWords?.line, 21);
  assert.equal(second.ending.kind === 'silent' && second.ending.lastWords?.text, '2024/07/23 11:15:43 载入sego词典');
  assert.equal(clock(second.lastStamp), '11:15:43');
  // life 2: lines 23–24, then the file ends: maybe still running
  assert.equal(third.start.line, 23);
  assert.deepEqual(third.ending.kind === 'silent' && [third.ending.until, third.ending.lastWords?.line], ['end-of-input', 24]);
  assert.equal(clock(third.lastStamp), '11:16:03');
});

test('a panic with colour codes and \\r: message, signal, crash site past the panic({…}) frame', () => {
  const { ends } = run('running-panic-ansi.log');
  assert.equal(ends.length, 2);
  const [life] = ends;
  assert.ok(life?.ending.kind === 'go-panic');
  const trace = life.ending.trace;
  assert.equal(trace.message, 'runtime error: invalid memory address or nil pointer dereference'); // line 5
  assert.equal(trace.header.line, 5);
  assert.equal(trace.signal, '[signal SIGSEGV: segmentation violation code=0x1 addr=0x180 pc=0x1092728]'); // line 6
  assert.equal(trace.signalName, 'SIGSEGV');
  assert.deepEqual(trace.crashSite, {
    function: 'kandaoni.com/anqicms/provider.(*TitleImage).drawTitle', // line 11; line 9 is panic({…})
    file: '/www/anqicms/provider/titleImage.go', sourceLine: 118, line: 11, crashing: true,
  });
  assert.equal(trace.goroutines, 1);
  assert.equal(trace.frameCount, 2);
  assert.equal(trace.firstLine, 5);
  assert.equal(trace.lastLine, 14);
  assert.equal(life.lastLine, 14);
  assert.equal(clock(life.lastStamp), '10:05:10'); // the GORM line 3, coloured
  assert.equal(ends[1]?.start.line, 15);
});

test('a panic after a log prefix, with the frames\' indentation stripped', () => {
  const { ends } = run('running-panic-prefixed.log');
  assert.equal(ends.length, 1);
  const ending = ends[0]!.ending;
  assert.ok(ending.kind === 'go-panic');
  assert.equal(ending.trace.message, "Error 1045 (28000): Access denied for user 'root'@'localhost'"); // line 2
  assert.equal(ending.trace.signal, null);
  assert.deepEqual(ending.trace.crashSite, { function: 'kandaoni.com/anqicms/dao.InitDB', file: '/www/anqicms/dao/db.go', sourceLine: 45, line: 5, crashing: true });
  assert.deepEqual(ending.trace.frames.map((f) => `${f.function} ${f.file}:${f.sourceLine}`), [
    'kandaoni.com/anqicms/dao.InitDB /www/anqicms/dao/db.go:45',
    'main.main /www/anqicms/main.go:30',
  ]);
  assert.equal(ending.trace.lastLine, 9); // `exit status 2` is part of the report
});

test('the Go runtime\'s own out of memory, both shapes, with N and M kept', () => {
  const { ends } = run('running-go-oom.log');
  assert.equal(ends.length, 2);
  const [a, b] = ends;
  assert.ok(a?.ending.kind === 'go-runtime-oom');
  assert.equal(a.ending.cannotAllocateBytes, 4194304); // line 3
  assert.equal(a.ending.inUseBytes, 1234567);
  assert.equal(a.ending.trace.message, 'out of memory'); // line 4
  assert.equal(a.ending.trace.firstLine, 3);
  assert.deepEqual(a.ending.trace.runtimeSays, ['out of memory: cannot allocate 4194304-byte block (1234567 in use)']);
  // runtime stack (7–10) and goroutine 88's runtime frames (13–18) are skipped; line 19 is the app's
  assert.deepEqual(a.ending.trace.crashSite, {
    function: 'kandaoni.com/anqicms/provider.(*Website).ResizeImage', file: '/www/anqicms/provider/image.go', sourceLine: 210, line: 19, crashing: true,
  });
  assert.equal(a.ending.trace.goroutines, 2);
  assert.equal(a.lastLine, 24);
  assert.ok(b?.ending.kind === 'go-runtime-oom');
  assert.equal(b.start.line, 25);
  assert.equal(b.ending.trace.message, 'runtime: out of memory'); // line 26
  assert.equal(b.ending.cannotAllocateBytes, null);
  assert.equal(b.ending.inUseBytes, null);
  // line 37 has no file line under it; line 38 is the first frame outside the runtime
  assert.deepEqual(b.ending.trace.crashSite, { function: 'main.loadDictionary', file: '/www/anqicms/library/dict.go', sourceLine: 33, line: 38, crashing: true });
  assert.equal(b.ending.trace.frames.find((f) => f.line === 37)?.file, null);
});

test('concurrent map writes is go-fatal with the crashing function in the running goroutine', () => {
  const { ends } = run('running-map-writes.log');
  assert.equal(ends.length, 1);
  const ending = ends[0]!.ending;
  assert.ok(ending.kind === 'go-fatal');
  assert.equal(ending.cause, 'concurrent map writes'); // line 3
  assert.equal(ending.trace.crashSite?.function, 'kandaoni.com/anqicms/provider.(*Website).AddCache'); // line 8, after internal/runtime/maps.fatal
  assert.equal(ending.trace.crashSite?.sourceLine, 52);
  assert.equal(ending.trace.goroutines, 2); // lines 5, 13
  assert.equal(clock(ends[0]!.lastStamp), '10:10:00');
});

test('thread exhaustion is go-fatal with its cause; all-runtime frames give no crash site (the next goroutine is not searched)', () => {
  const { ends } = run('running-threads.log');
  const ending = ends[0]!.ending;
  assert.ok(ending.kind === 'go-fatal');
  assert.equal(ending.cause, 'thread exhaustion'); // line 3
  assert.deepEqual(ending.trace.runtimeSays, ['program exceeds 10000-thread limit']); // line 2
  assert.equal(ending.trace.firstLine, 2);
  assert.equal(ending.trace.goroutines, 2); // the Go 1.21+ headers on lines 5 and 11
  assert.equal(ending.trace.crashSite, null);
  assert.equal(ending.trace.frames.length, 3);
});

test('an admin restart stays in the same life; a goodbye ends it; nohup opens the next', () => {
  const { ends } = run('running-admin-restart-goodbye.log');
  assert.equal(ends.length, 2);
  const [life, next] = ends;
  assert.ok(life && next);
  assert.equal(life.firstLine, 1);
  assert.equal(life.lastLine, 21);
  assert.equal(life.adminRestartCount, 1); // lines 10–11 are one restart
  assert.equal(life.adminRestarts.length, 1);
  assert.equal(life.adminRestarts[0]?.line, 11);
  assert.equal(clock(life.adminRestarts[0]!.stamp), '09:30:00');
  assert.deepEqual(life.ending, { kind: 'goodbye', signal: 'terminated', at: { line: 20, text: '退出 terminated', stamp: null } });
  assert.equal(clock(life.lastStamp), '09:30:01');
  assert.equal(next.start.line, 22);
  assert.equal(next.start.nohup, true);
  assert.equal(next.start.execPath, '/www/wwwroot/anqicms.com/'); // line 23 joins the nohup start
  assert.equal(next.start.listen, 'http://localhost:8001'); // old Iris banner, line 24
  assert.equal(clock(next.start.stamp), '09:45:00');
  assert.equal(next.ending.kind, 'silent');
});

test('a start-up failure repeated every minute: one life per start, each counting the streak', () => {
  const { ends } = run('running-startup-failure.log');
  const summary = ends.map((e) => {
    assert.ok(e.ending.kind === 'startup-failure');
    return [e.start.line, e.start.implicit, e.ending.cause, e.ending.repeat, e.ending.at.line];
  });
  assert.deepEqual(summary, [
    [1, false, 'port-in-use', 1, 2],
    [3, false, 'port-in-use', 2, 4],
    [5, false, 'port-in-use', 3, 6],
    [7, true, 'invalid-config', 1, 7],        // a second failure with no start line between: a new process
    [8, true, 'database-unreachable', 1, 8],
    [9, false, 'port-in-use', 1, 10],
  ]);
  const last = ends[5]!;
  // line 10's golog stamp (10:04, minute precision) is not later than line 9's 10:04:01
  assert.equal(last.lastStamp?.line, 9);
  assert.equal(last.ending.kind === 'startup-failure' && last.ending.at.stamp?.precision, 'minute');
});

test('a GBK-encoded running.log is decoded and read like a UTF-8 one', () => {
  const { ends, encodings } = run('running-gbk.log');
  assert.deepEqual(encodings, ['utf-8', 'gb18030', 'utf-8', 'gb18030', 'gb18030', 'gb18030']);
  assert.equal(ends.length, 2);
  assert.ok(ends[0]?.ending.kind === 'startup-failure' && ends[0].ending.cause === 'port-in-use');
  assert.ok(ends[1]?.ending.kind === 'goodbye' && ends[1].ending.signal === 'terminated');
  assert.equal(ends[1].ending.at.line, 5);
});

test('a report followed by the app logging on is not its death: the life goes on and ends silently', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:00 /www/wwwroot/anqicms.com/', // 1
    'panic: handled by a recover that printed it',    // 2
    '',                                               // 3
    'goroutine 7 [running]:',                         // 4
    'main.handler()',                                 // 5
    '\t/www/anqicms/main.go:10 +0x1',                 // 6
    '2024/07/23 10:00:05 still serving',              // 7
    '2024/07/23 10:00:06 still serving',              // 8
    '2024/07/23 10:00:07 still serving',              // 9
  ]);
  assert.equal(ends.length, 1);
  assert.equal(ends[0]!.survivedTraces, 1);
  assert.deepEqual(ends[0]!.ending.kind === 'silent' && ends[0]!.ending.lastWords?.line, 9);
});

test('a line or two interleaved into a trace does not stop it, and frames after it are still read', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:00 /www/wwwroot/anqicms.com/',              // 1
    'panic: boom',                                               // 2
    '',                                                          // 3
    'goroutine 9 [running]:',                                    // 4
    '[mysql] 2024/07/23 10:00:01 packets.go:37: unexpected EOF', // 5 (another goroutine)
    'main.work()',                                               // 6
    '\t/www/anqicms/work.go:7 +0x1',                             // 7
  ]);
  const ending = ends[0]!.ending;
  assert.ok(ending.kind === 'go-panic');
  assert.equal(ending.trace.crashSite?.function, 'main.work');
  assert.equal(ending.trace.crashSite?.file, '/www/anqicms/work.go');
});

test('the log starting mid-life makes an implicit first instance', () => {
  const { records } = runLines([
    '2024/07/23 10:00:05 some work', // 1
    'isLimiting 1 429',               // 2
  ]);
  assert.equal(records[0]?.kind, 'instance-start');
  assert.ok(records[0]?.kind === 'instance-start' && records[0].start.implicit && records[0].start.line === 1);
  const end = records[1];
  assert.ok(end?.kind === 'instance-end' && end.isLimitingLines === 1);
});

test('hostile input: huge traces stay bounded, NUL padding is counted, not taken for last words', () => {
  const lines = ['2024/07/23 10:00:00 /www/wwwroot/anqicms.com/', 'panic: ' + 'x'.repeat(100_000), '', 'goroutine 1 [running]:'];
  for (let i = 0; i < 5000; i++) lines.push(`main.f${i}()`, `\t/www/anqicms/f.go:${i} +0x1`);
  lines.push('2024/07/23 10:01:00 /www/wwwroot/anqicms.com/', '2024/07/23 10:01:01 working', '\0\0\0\0\0\0');
  const { ends } = runLines(lines);
  const ending = ends[0]!.ending;
  assert.ok(ending.kind === 'go-panic');
  assert.equal(ending.trace.frames.length, 50);
  assert.equal(ending.trace.frameCount, 5000);
  assert.ok(ending.trace.message.length <= 2000);
  assert.equal(ending.trace.crashSite?.function, 'main.f0');
  const second = ends[1]!;
  assert.equal(second.nulPaddingLines, 1);
  assert.ok(second.ending.kind === 'silent' && second.ending.lastWords?.text === '2024/07/23 10:01:01 working');
});

test('a minute-precision stamp does not move the last stamp back within its minute', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:45 /www/wwwroot/anqicms.com/',
    '[ERRO] 2024/07/23 10:00 template error',
    '[WARN] 2024/07/23 10:01 later warning',
  ]);
  assert.equal(ends[0]!.lastStamp?.line, 3);
  const { ends: ends2 } = runLines([
    '2024/07/23 10:00:45 /www/wwwroot/anqicms.com/',
    '[ERRO] 2024/07/23 10:00 template error',
  ]);
  assert.equal(ends2[0]!.lastStamp?.line, 1);
});

test('a fatal signal dump (SIGABRT) is go-signal; a goodbye with only 监听到退出信号 names no signal; a panic after a goodbye is a later trace', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:00 /www/wwwroot/anqicms.com/', // 1
    'SIGABRT: abort',                                 // 2
    'PC=0x46f2a1 m=0 sigcode=18446744073709551610',   // 3
    '',                                               // 4
    'goroutine 0 gp=0xc000002380 m=0 mp=0x5e9a40 [idle]:', // 5
    'runtime.futex(0x5e9b80, 0x80, 0x0, 0x0, 0x0, 0x0)',   // 6
    '2024/07/23 10:01:00 /www/wwwroot/anqicms.com/', // 7
    '监听到退出信号',                                   // 8
    'panic: close of closed channel',                 // 9
  ]);
  assert.ok(ends[0]?.ending.kind === 'go-signal' && ends[0].ending.signal === 'SIGABRT');
  assert.equal(ends[0].ending.trace.message, 'SIGABRT: abort');
  assert.deepEqual(ends[1]?.ending, { kind: 'goodbye', signal: null, at: { line: 8, text: '监听到退出信号', stamp: null } });
  assert.equal(ends[1]?.laterTraces, 1);
});

test('runtime: lines not followed by a fatal error are ordinary lines, not a report', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:00 /www/wwwroot/anqicms.com/',             // 1
    'runtime: note: your Linux kernel may be buggy',             // 2
    '2024/07/23 10:00:01 working',                               // 3
    'fatal error: concurrent map read and map write',            // 4
  ]);
  const ending = ends[0]!.ending;
  assert.ok(ending.kind === 'go-fatal');
  assert.equal(ending.cause, 'concurrent map read and map write');
  assert.deepEqual(ending.trace.runtimeSays, []); // line 2 was not its prelude
  assert.equal(ending.trace.firstLine, 4);
});

test('a failed start is read from the last words only when the life was short: a day-old life ending on an error is silent', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:00 /www/wwwroot/app/', // 1
    '2024/07/23 10:00:01 dial tcp 127.0.0.1:3306: connect: connection refused', // 2: 1 s after the start
    '2024/07/23 10:01:00 /www/wwwroot/app/', // 3
    '2024/07/24 11:00:00 upstream error: timeout', // 4: a day after line 3
    '2024/07/24 11:05:00 /www/wwwroot/app/', // 5
  ]);
  const [short, long] = ends;
  assert.ok(short?.ending.kind === 'startup-failure');
  assert.deepEqual([short.ending.cause, short.ending.rule, short.ending.at.line, short.ending.detail?.database], ['database-unreachable', 'last-words', 2, 'MySQL']);
  assert.deepEqual(long?.ending.kind === 'silent' && long.ending.lastWords?.line, 4);
});

test('a running goroutine after debug.PrintStack or net/http\'s recovery is no crash; after a cut paste it is', () => {
  const { ends } = runLines([
    '2024/07/23 10:00:00 /www/wwwroot/app/', // 1
    'goroutine 8 [running]:', // 2: debug.PrintStack's dump, the program goes on
    'runtime/debug.Stack(0xc4201e0690, 0x0, 0x0)', // 3
    '\t/usr/local/go/src/runtime/debug/stack.go:24 +0xa7', // 4
    'main.handler()', // 5
    '\t/srv/app/main.go:48 +0x5a', // 6
    '2024/07/23 10:01:00 /www/wwwroot/app/', // 7
    '2024/07/23 10:01:01 http: panic serving 1.2.3.4:5: boom', // 8
    'goroutine 9 [running]:', // 9
    'main.handler()', // 10
    '\t/srv/app/main.go:48 +0x5a', // 11
    '2024/07/23 10:02:00 /www/wwwroot/app/', // 12
    'goroutine 1 [running]:', // 13: a cut paste: no header, the program's frame below
    'main.main()', // 14
    '\t/srv/app/main.go:12 +0x1d', // 15
    '2024/07/23 10:03:00 /www/wwwroot/app/', // 16
  ]);
  assert.deepEqual(ends.map((e) => e.ending.kind), ['silent', 'silent', 'go-panic', 'silent']);
  const cut = ends[2]!.ending;
  assert.ok(cut.kind === 'go-panic' && cut.trace.headerless && cut.trace.opener === 'crash');
  assert.equal(cut.trace.crashSite?.function, 'main.main'); // line 14
});
