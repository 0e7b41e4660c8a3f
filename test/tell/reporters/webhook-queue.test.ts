import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncidentNotice } from '../../../src/tell/reporters/reporter.js';
import type { Outcome } from '../../../src/tell/reporters/webhook-post.js';
import { retryDelayMs, WebhookQueue, type WebhookQueueOptions } from '../../../src/tell/reporters/webhook-queue.js';
import { collectLog, notice } from './helpers.js';

const fail = (why: string, retryAfterMs?: number): Outcome => ({ ok: false, retry: true, why, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
const refuse = (why: string): Outcome => ({ ok: false, retry: false, why });
const OK: Outcome = { ok: true };

/** A queue whose attempts answer from `script` (per URL and incident id, in turn) and whose waits are recorded, not waited. */
function scriptedQueue(script: Record<string, Outcome[]>, options: Partial<WebhookQueueOptions> = {}) {
  const sent: string[] = [];
  const waits: number[] = [];
  const { lines, log } = collectLog();
  const queue = new WebhookQueue({
    targets: [{ url: 'a', label: 'A' }, { url: 'b', label: 'B' }],
    send: async (url: string, n: IncidentNotice) => {
      const key = `${url}:${n.incident.id}`;
      sent.push(key);
      const next = script[key]?.shift();
      assert.ok(next, `unexpected attempt ${key}`);
      return next;
    },
    maxAttempts: 5,
    baseDelayMs: 100,
    maxDelayMs: 300,
    queueSize: 10,
    closeTimeoutMs: 1000,
    log,
    random: () => 0.5,
    sleep: (ms) => {
      waits.push(Math.round(ms));
      return new Promise((resolve) => setImmediate(resolve));
    },
    ...options,
  });
  return { queue, sent, waits, lines };
}

test('retry waits: the base doubled per failure with 10% jitter at 0.5, at least Retry-After, at most the cap', () => {
  // Rounded: 1 + 0.5 × 0.2 is 1.1 only to within a float.
  const delay = (failed: number, retryAfterMs: number | undefined, random: number): number =>
    Math.round(retryDelayMs(failed, retryAfterMs, { baseDelayMs: 100, maxDelayMs: 300 }, random));
  assert.equal(delay(1, undefined, 0), 100);
  assert.equal(delay(1, undefined, 0.5), 110);
  assert.equal(delay(2, undefined, 0.5), 220);
  assert.equal(delay(2, 250, 0.5), 250, 'Retry-After is longer');
  assert.equal(delay(2, 350, 0.5), 300, 'Retry-After beyond the cap');
  assert.equal(delay(3, undefined, 0.5), 300, '400 ms capped');
  assert.equal(delay(3, undefined, 0), 300);
});

test('queue: a URL\'s notices go in order, each retried with growing waits; another URL does not wait for it', async () => {
  const { queue, sent, waits, lines } = scriptedQueue({
    'a:n1': [fail('HTTP 500'), fail('HTTP 503', 350), fail('HTTP 500'), OK],
    'a:n2': [OK],
    'b:n1': [OK],
    'b:n2': [refuse('HTTP 400')],
  });
  queue.add(notice('incident', { id: 'n1' }));
  queue.add(notice('incident', { id: 'n2' }));
  await queue.idle();
  assert.deepEqual(sent, ['a:n1', 'b:n1', 'b:n2', 'a:n1', 'a:n1', 'a:n1', 'a:n2']);
  // 100 × 1.1; 200 × 1.1 = 220 but Retry-After 350, capped to 300; 400 × 1.1 capped to 300.
  assert.deepEqual(waits, [110, 300, 300]);
  assert.deepEqual(lines, [
    'A: incident n1: HTTP 500 (attempt 1 of 5), retrying in 110 ms',
    'B: incident n2 not delivered: HTTP 400 (not retried)',
    'A: incident n1: HTTP 503 (attempt 2 of 5), retrying in 300 ms',
    'A: incident n1: HTTP 500 (attempt 3 of 5), retrying in 300 ms',
  ]);
  assert.deepEqual(queue.stats(), { delivered: 3, failed: 1, dropped: 0 });
});

test('queue: gives up after the last attempt; a full queue drops its oldest waiting notice, not the one in flight', async () => {
  const { queue, sent, waits, lines } = scriptedQueue(
    { 'a:n1': [fail('HTTP 502'), fail('HTTP 502'), fail('HTTP 502')], 'a:n3': [OK] },
    { targets: [{ url: 'a', label: 'A' }], maxAttempts: 3, queueSize: 1 },
  );
  queue.add(notice('incident', { id: 'n1' }));
  queue.add(notice('incident', { id: 'n2' }));
  queue.add(notice('update', { id: 'n3' }));
  await queue.idle();
  assert.deepEqual(sent, ['a:n1', 'a:n1', 'a:n1', 'a:n3']);
  assert.deepEqual(waits, [110, 220]);
  assert.deepEqual(lines, [
    'A: 1 notices waiting, dropped the oldest (incident n2)',
    'A: incident n1: HTTP 502 (attempt 1 of 3), retrying in 110 ms',
    'A: incident n1: HTTP 502 (attempt 2 of 3), retrying in 220 ms',
    'A: incident n1 not delivered: HTTP 502 (gave up after 3 attempts)',
  ]);
  assert.deepEqual(queue.stats(), { delivered: 1, failed: 1, dropped: 1 });
});

test('queue: close() cuts a wait short, tries once more without retrying, and takes nothing new', async () => {
  const { queue, sent, lines } = scriptedQueue(
    { 'a:n1': [fail('HTTP 500'), fail('HTTP 500')] },
    { targets: [{ url: 'a', label: 'A' }], baseDelayMs: 60_000, maxDelayMs: 60_000, sleep: undefined },
  );
  queue.add(notice('incident', { id: 'n1' }));
  await new Promise((resolve) => setImmediate(resolve));
  const started = Date.now();
  await queue.close();
  assert.ok(Date.now() - started < 1000, 'the 60 s wait was cut short');
  queue.add(notice('incident', { id: 'n2' }));
  await queue.idle();
  assert.deepEqual(sent, ['a:n1', 'a:n1']);
  assert.deepEqual(lines, [
    'A: incident n1: HTTP 500 (attempt 1 of 5), retrying in 60 s',
    'A: incident n1 not delivered: HTTP 500 (not retried while stopping)',
  ]);
  assert.deepEqual(queue.stats(), { delivered: 0, failed: 1, dropped: 0 });
});
