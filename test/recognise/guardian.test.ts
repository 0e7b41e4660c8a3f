import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recogniseGuardianLine } from '../../src/recognise/guardian.js';

const stamp = (year: number, month: number, day: number, hour: number, minute: number, second: number) =>
  ({ year, month, day, hour, minute, second, micros: 0 });

test('a start.sh check line gives its zone-less stamp, name and count', () => {
  assert.deepEqual(recogniseGuardianLine('20240723 10:04:01 anqicms PID check: 0'), {
    kind: 'check', stamp: stamp(2024, 7, 23, 10, 4, 1), name: 'anqicms', count: 0,
    text: '20240723 10:04:01 anqicms PID check: 0',
  });
});

test('any program name is accepted (goblog-era lines)', () => {
  const line = recogniseGuardianLine('20210315 08:00:01 goblog PID check: 1');
  assert.equal(line?.kind, 'check');
  assert.equal(line?.kind === 'check' && line.name, 'goblog');
});

test('a count of 2 or more is still a count', () => {
  const line = recogniseGuardianLine('20240723 10:04:01 anqicms PID check: 2');
  assert.equal(line?.kind === 'check' && line.count, 2);
});

test('stop.sh glued PIDs are a stop line, not a count', () => {
  assert.deepEqual(recogniseGuardianLine('20240801 09:01:30 anqicms PID check: 100101200201'), {
    kind: 'stop', stamp: stamp(2024, 8, 1, 9, 1, 30), name: 'anqicms', pidDigits: '100101200201',
    text: '20240801 09:01:30 anqicms PID check: 100101200201',
  });
});

test('an empty value is a stop line that found nothing', () => {
  const line = recogniseGuardianLine('20240801 09:05:20 anqicms PID check: ');
  assert.equal(line?.kind, 'stop');
  assert.equal(line?.kind === 'stop' && line.pidDigits, '');
});

test('a two-digit value is read as a PID, per the one-digit count rule', () => {
  assert.equal(recogniseGuardianLine('20240801 09:05:20 anqicms PID check: 42')?.kind, 'stop');
});

test('BSD-style padding around the count and a CRLF ending are tolerated', () => {
  const line = recogniseGuardianLine('20240723 10:04:01 anqicms PID check:        1\r');
  assert.equal(line?.kind === 'check' && line.count, 1);
  assert.equal(line?.text, '20240723 10:04:01 anqicms PID check:        1');
});

test('stdout echoes are recognised: the check echo, NOT running, is running, is stop', () => {
  assert.deepEqual(recogniseGuardianLine('PID anqicms check: 0'), {
    kind: 'check-echo', name: 'anqicms', count: 0, pidDigits: null, text: 'PID anqicms check: 0',
  });
  assert.deepEqual(recogniseGuardianLine('PID anqicms check: 24680'), {
    kind: 'check-echo', name: 'anqicms', count: null, pidDigits: '24680', text: 'PID anqicms check: 24680',
  });
  assert.deepEqual(recogniseGuardianLine('anqicms NOT running'), {
    kind: 'status', name: 'anqicms', status: 'not-running', text: 'anqicms NOT running',
  });
  assert.equal(recogniseGuardianLine('anqicms is running')?.kind, 'status');
  const stopped = recogniseGuardianLine('goblog is stop');
  assert.equal(stopped?.kind === 'status' && stopped.status, 'stopped');
});

test('the echoed start command is recognised in its usual shapes', () => {
  assert.deepEqual(recogniseGuardianLine('nohup ./anqicms >> running.log 2>&1 &'), {
    kind: 'start-command', command: 'nohup ./anqicms >> running.log 2>&1 &', text: 'nohup ./anqicms >> running.log 2>&1 &',
  });
  const traced = recogniseGuardianLine('+ cd /www/wwwroot/anqicms.com && nohup /www/wwwroot/anqicms.com/anqicms >> /www/wwwroot/anqicms.com/running.log 2>&1 &');
  assert.equal(traced?.kind, 'start-command');
  assert.equal(traced?.kind === 'start-command' && traced.command.startsWith('cd /www'), true);
});

test('a Baota cron separator gives its stamp and status; its dashed rule is known too', () => {
  assert.deepEqual(recogniseGuardianLine('★[2024-07-23 10:00:01] Successful'), {
    kind: 'cron-separator', stamp: stamp(2024, 7, 23, 10, 0, 1), status: 'Successful',
    text: '★[2024-07-23 10:00:01] Successful',
  });
  assert.equal(recogniseGuardianLine('-'.repeat(76))?.kind, 'cron-rule');
});

test('anything else is null: blank lines, shell errors, impossible dates, words after the count', () => {
  assert.equal(recogniseGuardianLine(''), null);
  assert.equal(recogniseGuardianLine('   '), null);
  assert.equal(recogniseGuardianLine('/www/wwwroot/anqicms.com/start.sh: line 9: [: too many arguments'), null);
  assert.equal(recogniseGuardianLine('20241323 10:04:01 anqicms PID check: 0'), null);
  assert.equal(recogniseGuardianLine('20240723 25:04:01 anqicms PID check: 0'), null);
  assert.equal(recogniseGuardianLine('20240723 10:04:01 anqicms PID check: 0 extra'), null);
  assert.equal(recogniseGuardianLine('nohup: ignoring input'), null);
});

test('a hostile very long line is rejected quickly and its text is clipped when recognised', () => {
  const long = 'x'.repeat(1_000_000);
  const started = Date.now();
  assert.equal(recogniseGuardianLine(long), null);
  const echoed = recogniseGuardianLine(`nohup ./anqicms >> running.log 2>&1 & # ${long}`);
  assert.ok(Date.now() - started < 1000);
  assert.equal(echoed?.kind, 'start-command');
  assert.equal(echoed!.text.length, 500);
});
