// Shared by the reporter tests: sample notices and a real HTTP receiver on 127.0.0.1 that records what it gets.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Incident, OomKill } from '../../../src/model/report.js';
import type { IncidentNotice } from '../../../src/tell/reporters/reporter.js';

export function sampleIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'i-7c01d9e4',
    process: 'anqicms',
    verdict: 'kernel-oom',
    confidence: 'confirmed',
    reason: 'The kernel OOM killer killed anqicms (pid 21877): the whole machine ran out of memory.',
    diedAt: '2024-07-23T10:03:37.123+08:00',
    diedAtUncertaintySeconds: 0.1,
    restartedAt: null,
    downtimeSeconds: null,
    pid: 21877,
    oomKill: 'k-3f9a2c71',
    count: 1,
    missingInput: null,
    crashSite: null,
    evidence: [{ path: '/var/log/kern.log', line: 20311, time: '2024-07-23T10:03:37.123+08:00', role: 'kernel', text: 'Out of memory: Killed process 21877 (anqicms)' }],
    advice: [{ code: 'set-gomemlimit', text: 'Set GOMEMLIMIT=6GiB (about 80% of that).', params: { GOMEMLIMIT: '6GiB' } }],
    ...overrides,
  };
}

export function notice(kind: IncidentNotice['kind'] = 'incident', overrides: Partial<Incident> = {}, host = 'web01'): IncidentNotice {
  return { kind, host, incident: sampleIncident(overrides) };
}

export function sampleKill(overrides: Partial<OomKill> = {}): OomKill {
  return {
    id: 'k-3f9a2c71', time: '2024-07-23T10:03:37.123+08:00', uptimeSeconds: 273053.0014, pid: 21877, name: 'anqicms', uid: 0,
    totalVmKb: 8123456, anonRssKb: 7301240, fileRssKb: 1204, shmemRssKb: 0, pgtablesKb: 14602, oomScoreAdj: 0,
    constraint: 'global', memcg: null, taskMemcg: null, limitKb: null, usageKb: null, ramKb: 8388072, swapTotalKb: 0, swapFreeKb: 0,
    pageSizeKb: 4, trigger: null, selected: null, topConsumers: null, reaped: true, kernelVersion: '5.15.0', incomplete: false, evidence: [],
    ...overrides,
  };
}

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers to the n-th request (0-based): a status and body, or 'hang' (never answers). */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived (rejects after `ms`). */
  waitFor(count: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(answer: (n: number, request: Received) => Answer = () => ({ status: 200, body: '{"errcode":0,"code":0}' })): Promise<Receiver> {
  const received: Received[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      const n = received.length;
      received.push(r);
      waiters = waiters.filter((w) => (received.length >= w.count ? (w.resolve(), false) : true));
      const a = answer(n, r);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor(count, ms = 3000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver: ${received.length} of ${count} requests after ${ms} ms`)), ms);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export function collectLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
