// A kernel log read in ranges (on worker threads or one after another) is the read a serial pass makes: the same
// lines, line numbers, boots, clock samples and blocks, however the ranges and chunks cut the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readKernelFileInParallel, readKernelLog, type KernelScan } from '../../src/assemble/kernel-log.js';
import { diagnoseCutting } from '../../src/diagnose.js';
import { KernelLogClock } from '../../src/time/kernel-clock.js';
import type { KernelLogRead } from '../../src/model/kernel-log-read.js';
import type { KillRecord } from '../../src/model/kernel-records.js';
import { goldenCases, pinnedJson } from '../support/golden-cases.js';
import { corpusDir, fixture } from '../support/paths.js';
import { existsSync } from 'node:fs';

/** A read as comparable text (its maps as entry lists). */
function readJson(read: KernelLogRead): string {
  return JSON.stringify(read, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
}

async function serialRead(path: string, scan: KernelScan, pieceBytes = 4096): Promise<KernelLogRead> {
  const bytes = readFileSync(path);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += pieceBytes) yield bytes.subarray(at, at + pieceBytes);
  }
  return readKernelLog(chunks(), new KernelLogClock(), scan);
}

function rangedRead(path: string, scan: KernelScan, rangeBytes: number, chunkBytes: number, threads = 0): Promise<KernelLogRead> {
  return readKernelFileInParallel(path, readFileSync(path).length, new KernelLogClock(), { threads, rangeBytes, chunkBytes, scan });
}

const SAMPLE = fixture('test', 'diagnose', 'fixtures', 'anqicms-kill-5.15.kern.log');

test('a kill block cut at every byte by a range boundary reads as a serial read does', async () => {
  const block = fixture('test', 'diagnose', 'fixtures', 'sacrifice-child-3.10.log');
  // No dense head and a coarse grid: the block (lines 1–22) is found by its markers and followed line by line.
  const scan: KernelScan = { denseBytes: 0, gridBytes: 1 << 20 };
  const serial = await serialRead(block, scan);
  const kills = serial.records.filter((r): r is KillRecord => r.kind === 'kill');
  // Line 22: "Killed process 3201 (anqicms-worker) … anon-rss:159000kB"; the header is line 1.
  assert.deepEqual(kills.map((k) => [k.pid, k.name, k.anonRssKb, k.evidence[0]?.lineNo]), [[3201, 'anqicms-worker', 159000, 1]]);
  assert.equal(serial.lines, 22);
  const expected = readJson(serial);
  const size = readFileSync(block).length;
  for (let boundary = 1; boundary <= size; boundary++) {
    // Ranges of `boundary` bytes put one boundary at every multiple of it, so at every byte over the loop.
    const ranged = await rangedRead(block, scan, boundary, 97);
    assert.equal(readJson(ranged), expected, `ranges of ${boundary} bytes`);
  }
});

/** Lines to build logs from: the sample's (a whole block, a boot line) and lines that stress the cutting. */
function pieces(): string[] {
  const sample = readFileSync(SAMPLE, 'utf8').trimEnd().split('\n');
  return [
    ...sample,
    'Jul 23 10:04:00 web01 kernel: [    0.000000] Linux version 5.15.0-113-generic (buildd@lcy02) #123-Ubuntu SMP',
    'Jul 23 10:04:01 web01 kernel: [    1.000000] oom_reaper: reaped process 1 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB',
    '',
    '\0\0\0\0Jul 23 10:05:00 web01 kernel: [    9.000000] after a hard reset',
    'x'.repeat(700) + ' process ' + 'y'.repeat(300),
    'Jul 23 10:05:01 web01 systemd[1]: anqicms.service: A process of this unit has been killed by the OOM killer.',
  ];
}

test('property: any log of sample lines read in ranges, chunks and grids of any size equals the serial read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-ranges-'));
  const lines = pieces();
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(lines.length - 1), { minLength: 1, maxLength: 160 }),
        fc.boolean(),
        fc.record({ denseBytes: fc.constantFrom(0, 1, 300), gridBytes: fc.integer({ min: 1, max: 3000 }) }),
        fc.integer({ min: 1, max: 4000 }),
        fc.integer({ min: 2, max: 5000 }),
        async (picks, finalNewline, scan, rangeBytes, chunkBytes) => {
          const text = picks.map((i) => lines[i]).join('\n') + (finalNewline ? '\n' : '');
          const path = join(dir, 'kern.log');
          writeFileSync(path, text);
          const serial = readJson(await serialRead(path, scan, 1 + (chunkBytes % 997)));
          assert.equal(readJson(await rangedRead(path, scan, rangeBytes, chunkBytes)), serial);
        },
      ),
      { numRuns: 150 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a last line behind a NUL run is the same line however the serial read is chunked (the property test found it)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomscope-nul-last-'));
  try {
    // 59 bytes of a first line, then four NULs and the last line: 126 bytes in all, so one 126-byte chunk holds the
    // whole file and the last line is remembered from the region (it used to keep its NULs), while other chunkings
    // carry it across a boundary (where the NULs were always dropped).
    const path = join(dir, 'kern.log');
    writeFileSync(path, 'Jul 23 10:03:37 web01 kernel: [273053.001164] Call Trace:\n\0\0\0\0Jul 23 10:05:00 web01 kernel: [    9.000000] after a hard reset\n');
    assert.equal(readFileSync(path).length, 126);
    const scan: KernelScan = { denseBytes: 0, gridBytes: 126 };
    const whole = await serialRead(path, scan, 126);
    assert.equal(readJson(whole), readJson(await serialRead(path, scan, 100)));
    assert.equal(readJson(whole), readJson(await rangedRead(path, scan, 1, 1122)));
    assert.doesNotMatch(readJson(whole), /\\u0000/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('corpus logs read on two worker threads equal their serial reads', async (t) => {
  if (!existsSync(corpusDir)) {
    t.skip('../shared/corpus/kernel is absent');
    return;
  }
  const scan: KernelScan = { denseBytes: 0, gridBytes: 4096 };
  for (const name of readdirSync(corpusDir).filter((f) => !f.endsWith('.md'))) {
    const path = join(corpusDir, name);
    const serial = readJson(await serialRead(path, scan));
    assert.equal(readJson(await rangedRead(path, scan, 1500, 1024, 2)), serial, name);
  }
});

test('golden inputs: diagnose with --threads 1 and with worker threads over tiny ranges give the same JSON', async () => {
  const kernelPlan = { minBytes: 0, rangeBytes: 777, chunkBytes: 300, scan: { denseBytes: 0, gridBytes: 2048 } };
  for (const c of goldenCases()) {
    const serial = pinnedJson(await diagnoseCutting({ ...c.options, threads: 1 }, {}, kernelPlan));
    const parallel = pinnedJson(await diagnoseCutting({ ...c.options, threads: 2 }, {}, kernelPlan));
    assert.equal(parallel, serial, c.name);
  }
});
