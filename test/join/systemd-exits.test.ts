// Deaths systemd saw: its `Main process exited` line gives the exit status or the signal (contract: exited, signaled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';

function logs(systemdLine: string) {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-unit-'));
  // running.log: a life from 10:00:00, silent after 10:03:30, the next start at 10:03:45 (systemd's restart).
  const running = ['2024/07/23 10:00:00 /opt/anqicms/', 'Iris Version: 12.2.11', '2024/07/23 10:03:30 生成sitemap完成', '2024/07/23 10:03:45 /opt/anqicms/', 'Iris Version: 12.2.11'];
  // syslog: kernel lines before and after (so the kernel log covers the death), and systemd's word at 10:03:40.
  const syslog = [
    'Jul 23 10:00:00 web01 kernel: [ 3600.000000] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9',
    `Jul 23 10:03:40 web01 systemd[1]: ${systemdLine}`,
    'Jul 23 10:03:40 web01 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.',
    'Jul 23 10:05:00 web01 kernel: [ 3900.000000] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.9',
  ];
  writeFileSync(join(dir, 'running.log'), running.join('\n') + '\n');
  writeFileSync(join(dir, 'syslog'), syslog.join('\n') + '\n');
  return { app: [join(dir, 'running.log')], kernel: [join(dir, 'syslog')] };
}

test('systemd saw an exit status other than 0: exited, confirmed, at the time of its line', async () => {
  const report = await diagnose({ ...logs('anqicms.service: Main process exited, code=exited, status=1/FAILURE'), tz: 'UTC', year: 2024 });
  assert.equal(report.incidents.length, 1);
  const incident = report.incidents[0]!;
  assert.equal(incident.verdict, 'exited');
  assert.equal(incident.confidence, 'confirmed');
  // After the last line (stamped 10:03:30, so from 10:03:30.000) and by the end of the second systemd's line names
  // (10:03:40 → before 10:03:41.000; issue 20: a whole-second stamp is [s, s+1)): 10:03:35.5 ± 5.5 s.
  assert.equal(incident.diedAt, '2024-07-23T10:03:35.500+00:00');
  assert.equal(incident.diedAtUncertaintySeconds, 5.5);
  assert.equal(incident.restartedAt, '2024-07-23T10:03:45.000+00:00');
  assert.ok(incident.evidence.some((e) => e.text.includes('code=exited, status=1/FAILURE')));
  assert.deepEqual(incident.advice.map((a) => a.code), ['exited']);
  // It is not an OOM event.
  assert.deepEqual(report.oomEvents, []);
});

test('systemd saw a signal other than SIGKILL: signaled; SIGTERM: stopped; SIGKILL with no OOM record: killed', async () => {
  const signaled = await diagnose({ ...logs('anqicms.service: Main process exited, code=dumped, status=11/SEGV'), tz: 'UTC', year: 2024 });
  assert.equal(signaled.incidents[0]!.verdict, 'signaled');
  assert.equal(signaled.incidents[0]!.confidence, 'confirmed');
  const stopped = await diagnose({ ...logs('anqicms.service: Main process exited, code=killed, status=15/TERM'), tz: 'UTC', year: 2024 });
  assert.equal(stopped.incidents[0]!.verdict, 'stopped');
  const killed = await diagnose({ ...logs('anqicms.service: Main process exited, code=killed, status=9/KILL'), tz: 'UTC', year: 2024 });
  assert.equal(killed.incidents[0]!.verdict, 'killed');
});

test("another unit's exit is not the watched process's death", async () => {
  const report = await diagnose({ ...logs('mysql.service: Main process exited, code=exited, status=1/FAILURE'), tz: 'UTC', year: 2024 });
  // The silent end of the life is still there, decided by elimination (the kernel log covers it).
  assert.equal(report.incidents.length, 1);
  assert.equal(report.incidents[0]!.verdict, 'killed');
});
