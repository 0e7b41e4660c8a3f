import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GuardianTimeline, type GuardianRecord, type GuardianRef } from '../../src/assemble/guardian-timeline.js';
import { decodeLine } from '../../src/read/decode-line.js';
import { fixture } from '../support/paths.js';

/** Feeds a fixture through the timeline the way the lead's reader will: bytes split on `\n`, decoded, numbered from 1. */
function run(name: string, timeline = new GuardianTimeline()): { records: GuardianRecord[]; timeline: GuardianTimeline } {
  const bytes = readFileSync(fixture('test', 'assemble', 'fixtures', name));
  const records: GuardianRecord[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    records.push(...timeline.pushText(decodeLine(bytes.subarray(start, end)).text, ++lineNo));
    start = end + 1;
  }
  records.push(...timeline.finish());
  return { records, timeline };
}

const lineOf = (ref: GuardianRef | null) => ref?.line ?? null;
const hm = (ref: GuardianRef | null) =>
  ref ? `${ref.stamp.year}-${ref.stamp.month}-${ref.stamp.day} ${ref.stamp.hour}:${ref.stamp.minute}:${ref.stamp.second}` : null;

test('a death at 23:59 and restart at 00:01 across midnight gives went-down then came-back', () => {
  const { records, timeline } = run('check-midnight.log');
  assert.deepEqual(records.map((r) => r.kind), ['went-down', 'came-back']);
  const [down, back] = records;
  assert.ok(down?.kind === 'went-down' && back?.kind === 'came-back');
  // line 4 (23:58:01) is the last N=1, line 5 (23:59:01) the first N=0
  assert.equal(lineOf(down.lastUp), 4);
  assert.equal(hm(down.lastUp), '2024-7-23 23:58:1');
  assert.equal(lineOf(down.firstDown), 5);
  assert.equal(hm(down.firstDown), '2024-7-23 23:59:1');
  assert.equal(down.stop, null);
  // lines 5–6 down, line 7 (00:01:01 the next day) up again
  assert.equal(lineOf(back.firstDown), 5);
  assert.equal(lineOf(back.lastDown), 6);
  assert.equal(lineOf(back.firstUp), 7);
  assert.equal(hm(back.firstUp), '2024-7-24 0:1:1');
  assert.equal(back.downChecks, 2);
  assert.equal(back.startCommand, null);
  // midnight is not a gap: every step is 60 s
  const stats = timeline.stats;
  assert.equal(stats.usualIntervalSeconds, 60);
  assert.equal(stats.checks, 8);
  assert.equal(stats.lines, 8);
  assert.equal(stats.unrecognisedLines, 0);
  assert.equal(stats.state, 'up');
  assert.equal(lineOf(stats.first), 1);
  assert.equal(lineOf(stats.last), 8);
});

test('stop.sh lines are stops; a stop then a 0 is a deliberate went-down; a stop then N≥1 is a stop and restart between checks', () => {
  const { records, timeline } = run('check-stop.log');
  assert.deepEqual(records.map((r) => r.kind), [
    'stop',       // line 3: glued PIDs 100101200201
    'went-down',  // line 4: first 0 after the stop
    'came-back',  // line 5
    'stop',       // line 6: single PID 24680
    'went-down',  // line 7: N=1 right after the stop, no 0 seen
    'came-back',  // line 7
    'went-down',  // line 9: a 0 with no stop before it: not deliberate
    'stop',       // line 10: empty, stop.sh found nothing
    'came-back',  // line 11
  ]);
  const [stop1, down1, back1, stop2, down2, back2, down3, stop3, back3] = records;
  assert.ok(stop1?.kind === 'stop' && stop1.at.line === 3 && stop1.pidDigits === '100101200201');
  assert.ok(down1?.kind === 'went-down');
  assert.equal(lineOf(down1.lastUp), 2);
  assert.equal(lineOf(down1.stop), 3);
  assert.equal(lineOf(down1.firstDown), 4);
  assert.ok(back1?.kind === 'came-back' && back1.firstUp.line === 5 && back1.downChecks === 1);
  assert.ok(stop2?.kind === 'stop' && stop2.pidDigits === '24680');
  assert.ok(down2?.kind === 'went-down');
  assert.equal(lineOf(down2.lastUp), 5);
  assert.equal(lineOf(down2.stop), 6);
  assert.equal(down2.firstDown, null);
  assert.ok(back2?.kind === 'came-back');
  assert.equal(back2.firstUp.line, 7);
  assert.equal(back2.lastDown, null);
  assert.equal(back2.downChecks, 0);
  assert.ok(down3?.kind === 'went-down');
  assert.equal(lineOf(down3.lastUp), 8);
  assert.equal(lineOf(down3.firstDown), 9);
  assert.equal(down3.stop, null);
  assert.ok(stop3?.kind === 'stop' && stop3.at.line === 10 && stop3.pidDigits === '');
  assert.ok(back3?.kind === 'came-back' && back3.firstUp.line === 11 && lineOf(back3.firstDown) === 9);
  assert.equal(timeline.stats.stops, 3);
  assert.equal(timeline.stats.checks, 8);
});

test('cron output redirected into check.log: echoes are not double-counted, NOT running and the start command are noted', () => {
  const { records, timeline } = run('check-cron-redirected.log');
  assert.deepEqual(records.map((r) => r.kind), ['went-down', 'several-matches', 'came-back']);
  const [down, several, back] = records;
  assert.ok(down?.kind === 'went-down' && lineOf(down.lastUp) === 1 && lineOf(down.firstDown) === 3);
  // line 11: N=2 — two instances or the install dir matching the grep; said once although line 13 says it again
  assert.ok(several?.kind === 'several-matches' && several.at.line === 11 && several.count === 2);
  assert.ok(back?.kind === 'came-back');
  assert.equal(lineOf(back.firstDown), 3);
  assert.equal(lineOf(back.lastDown), 7);
  assert.equal(back.firstUp.line, 11);
  assert.equal(back.downChecks, 2);
  assert.equal(back.notRunningLines, 2); // lines 5 and 9
  assert.equal(back.startCommand?.line, 10);
  assert.equal(hm(back.startCommand), '2024-7-23 10:3:1'); // the check it followed (line 7)
  const stats = timeline.stats;
  assert.equal(stats.checks, 5); // lines 1, 3, 7, 11, 13 — the echoes on 2, 4, 8, 12, 14 repeat them
  assert.equal(stats.severalMatchChecks, 2);
  assert.equal(stats.maxCount, 2);
  assert.equal(stats.unrecognisedLines, 1); // line 15, the shell's complaint
  assert.equal(stats.lines, 15);
});

test('a goblog-era log with 26 silent minutes reports a silence, then the death it hid', () => {
  const { records } = run('check-goblog-gap.log');
  assert.deepEqual(records.map((r) => r.kind), ['silence', 'went-down', 'came-back']);
  const [silence, down, back] = records;
  assert.ok(silence?.kind === 'silence');
  assert.equal(silence.from.line, 5); // 08:04:01
  assert.equal(silence.to.line, 6);   // 08:30:01
  assert.equal(silence.seconds, 26 * 60);
  assert.equal(silence.usualIntervalSeconds, 60); // four 60 s gaps on lines 1–5
  assert.equal(silence.stateBefore, 'up');
  assert.ok(down?.kind === 'went-down' && lineOf(down.lastUp) === 5 && lineOf(down.firstDown) === 6);
  // line 8 comes 120 s after line 7: under 3 minutes, so not a silence
  assert.ok(back?.kind === 'came-back' && back.firstUp.line === 7);
});

test('a Baota cron log: echoes take the time of the separator that closes their run', () => {
  const { records, timeline } = run('baota-cron.log');
  assert.deepEqual(records.map((r) => r.kind), ['went-down', 'came-back']);
  const [down, back] = records;
  assert.ok(down?.kind === 'went-down');
  assert.equal(lineOf(down.lastUp), 1);
  assert.equal(hm(down.lastUp), '2024-7-23 10:0:1'); // separator on line 3
  assert.equal(lineOf(down.firstDown), 5);
  assert.equal(hm(down.firstDown), '2024-7-23 10:1:1'); // separator on line 8
  assert.ok(back?.kind === 'came-back');
  assert.equal(back.firstUp.line, 10);
  assert.equal(hm(back.firstUp), '2024-7-23 10:2:1'); // separator on line 12
  assert.equal(back.notRunningLines, 1); // line 6
  const stats = timeline.stats;
  assert.equal(stats.checks, 3);
  assert.equal(stats.unplacedEchoes, 1); // line 14: its run never got a separator
  assert.equal(stats.unrecognisedLines, 0); // the dashed rules are known
});

test('the usual interval is learnt from the data: a 5-minute cron makes a 12-minute pause ordinary', () => {
  const timeline = new GuardianTimeline();
  const records: GuardianRecord[] = [];
  const minutes = [0, 5, 10, 15, 20, 32, 37, 70];
  minutes.forEach((m, i) => {
    const hh = String(10 + Math.floor(m / 60)).padStart(2, '0');
    const mm = String(m % 60).padStart(2, '0');
    records.push(...timeline.pushText(`20240723 ${hh}:${mm}:01 anqicms PID check: 1`, i + 1));
  });
  // gaps 300, 300, 300, 300, 720 (< 3 × 300), 300, 1980 (≥ 900 and ≥ 180)
  assert.deepEqual(records.map((r) => r.kind), ['silence']);
  const [silence] = records;
  assert.ok(silence?.kind === 'silence' && silence.from.line === 7 && silence.to.line === 8);
  assert.equal(silence.usualIntervalSeconds, 300);
  assert.equal(timeline.stats.usualIntervalSeconds, 300);
});

test('a log that starts while the app is down reports only the came-back', () => {
  const timeline = new GuardianTimeline();
  const records = [
    ...timeline.pushText('20240723 10:00:01 anqicms PID check: 0', 1),
    ...timeline.pushText('20240723 10:01:01 anqicms PID check: 1', 2),
    ...timeline.finish(),
  ];
  assert.deepEqual(records.map((r) => r.kind), ['came-back']);
});

test('a stop.sh line at the very end still counts as going down', () => {
  const timeline = new GuardianTimeline();
  const records = [
    ...timeline.pushText('20240723 10:00:01 anqicms PID check: 1', 1),
    ...timeline.pushText('20240723 10:00:30 anqicms PID check: 4321', 2),
    ...timeline.finish(),
  ];
  assert.deepEqual(records.map((r) => r.kind), ['stop', 'went-down']);
  const down = records[1];
  assert.ok(down?.kind === 'went-down' && down.stop?.line === 2 && down.firstDown === null);
  assert.equal(timeline.stats.state, 'down');
});

test('a clock stepping back is counted, not reported as a silence', () => {
  const timeline = new GuardianTimeline();
  const records = [
    ...timeline.pushText('20240723 10:00:01 anqicms PID check: 1', 1),
    ...timeline.pushText('20240723 09:00:01 anqicms PID check: 1', 2),
    ...timeline.pushText('20240723 09:01:01 anqicms PID check: 1', 3),
  ];
  assert.deepEqual(records, []);
  assert.equal(timeline.stats.backwardSteps, 1);
});

test('a month of minute checks streams through with only its records produced', () => {
  const timeline = new GuardianTimeline();
  let produced = 0;
  for (let i = 0; i < 24 * 60 * 30; i++) {
    const t = new Date(Date.UTC(2024, 0, 1) + i * 60_000);
    const s = `${t.getUTCFullYear()}${String(t.getUTCMonth() + 1).padStart(2, '0')}${String(t.getUTCDate()).padStart(2, '0')} ` +
      `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}:01 anqicms PID check: ${i % 1000 === 999 ? 0 : 1}`;
    produced += timeline.pushText(s, i + 1).length;
  }
  assert.equal(timeline.stats.checks, 43_200);
  // 43 deaths (i = 999, 1999, … 42999), each a went-down and, a minute later, a came-back
  assert.equal(produced, 43 * 2);
  assert.equal(timeline.stats.state, 'up');
});
