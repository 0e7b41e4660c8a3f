// A big kernel log's scan leaves out a needle's false alarms (kernelLineMayMatter): these tests hold it to what the
// reader does, line by line over every fixture and the corpus, and over whole files read with and without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createKernelLogReader, KERNEL_NEEDLES, kernelLineMayMatter } from '../../src/assemble/kernel-log.js';
import { createByteScanner } from '../../src/read/byte-scanner.js';
import { scanLines } from '../../src/read/scan-lines.js';
import { MAX_FILTERED_LINE_BYTES, splitLines } from '../../src/read/split-lines.js';
import { KernelLogClock } from '../../src/time/kernel-clock.js';
import type { KernelLogRead } from '../../src/model/kernel-log-read.js';
import { corpusDir, fixture, isCI } from '../support/paths.js';

/** Every fixture file of the project (kernel logs and the others: the filter must hold on any text) and the corpus. */
function inputFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (dir.includes('fixtures') && statSync(path).size < 4 << 20) files.push(path);
    }
  };
  walk(fixture('test'));
  if (existsSync(corpusDir)) for (const name of readdirSync(corpusDir)) if (!name.endsWith('.md')) files.push(join(corpusDir, name));
  return files;
}

/** The file's lines (copies), cut by the project's own splitter. */
async function linesOf(path: string): Promise<Buffer[]> {
  const lines: Buffer[] = [];
  async function* whole(): AsyncGenerator<Buffer> {
    yield readFileSync(path);
  }
  await splitLines(whole(), { line: (bytes) => lines.push(Buffer.from(bytes)) });
  return lines;
}

test('lines a scan leaves out: hand-picked false alarms and records', () => {
  const turnedDown = [
    // The generated syslog's noise (bench/generate.mjs): a kernel audit line, sshd's user names, a script's kill.
    'Jul 23 10:04:01 web01 kernel: [ 2034.118] audit: type=1400 audit(1721729041.118:912): apparmor="DENIED" operation="open" profile="snap.chromium.chromium" name="/proc/3310/oom_score_adj" pid=3310 comm="chrome" requested_mask="wr" denied_mask="wr" fsuid=1000 ouid=1000',
    'Jul 23 10:04:01 web01 sshd[8812]: Invalid user zoom from 203.0.113.9 port 50522',
    'Jul 23 10:04:01 web01 watchdog.sh[881]: Killed process 4412 (php) after 30 s without a heartbeat',
  ];
  const kept = [
    'Jul 23 10:04:01 web01 kernel: [332133.001] Out of memory: Killed process 21880 (anqicms) total-vm:2034560kB, anon-rss:1462300kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:3124kB oom_score_adj:0',
    'Jul 23 10:04:01 web01 kernel: [332132.990] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
    'Jul 23 10:04:01 web01 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL',
    'Jul 23 10:04:01 web01 earlyoom[655]: sending SIGTERM to process 7378 uid 1000 "anqicms": oom_score 600, VmRSS 4962 MiB',
    // Cut by a hard wrap: held for the next line, so it must reach the reader.
    'Jul 23 10:04:01 web01 kernel: [332133.001] Out of memory: Killed process 21880 (anqicms) total-vm:2034560kB, anon-rss:146',
  ];
  for (const line of turnedDown) assert.equal(kernelLineMayMatter(Buffer.from(line)), false, line);
  for (const line of kept) assert.equal(kernelLineMayMatter(Buffer.from(line)), true, line);
});

test('every line the filter turns down gives a reader with nothing open nothing but a count', async () => {
  const needles = createByteScanner(KERNEL_NEEDLES);
  let turnedDown = 0;
  let files = 0;
  for (const path of inputFiles()) {
    files++;
    for (const [index, line] of (await linesOf(path)).entries()) {
      if (line.length > MAX_FILTERED_LINE_BYTES || needles.lineStartsWithNeedles(line, 0, line.length).length === 0) continue;
      if (kernelLineMayMatter(line)) continue;
      turnedDown++;
      const reader = createKernelLogReader(new KernelLogClock());
      reader.line(line, 1);
      const where = `${path}:${index + 1}`;
      assert.equal(reader.wantsEveryLine(), false, where);
      reader.finish();
      assert.deepEqual([reader.read.records.length, reader.read.unparsedLines, reader.read.blocksWithoutKill], [0, 0, 0], where);
    }
  }
  // Not vacuous: the fixtures alone hold needle lines that are no record (sshd, audit and script lines among them).
  assert.ok(files > 100 && turnedDown > 20, `${files} files, ${turnedDown} lines turned down`);
});

/** The records of a read that hands over only the needles' lines (and the blocks they open), with or without the filter. */
async function sparseRecords(path: string, filter: boolean): Promise<string> {
  const reader = createKernelLogReader(new KernelLogClock());
  const bytes = readFileSync(path);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let at = 0; at < bytes.length; at += 8192) yield bytes.subarray(at, at + 8192);
  }
  const options = { denseBytes: 0, gridBytes: 1 << 30, ...(filter ? { keepNeedleLine: kernelLineMayMatter } : {}) };
  await scanLines(chunks(), createByteScanner(KERNEL_NEEDLES), reader, options);
  reader.finish();
  const read: KernelLogRead = reader.read;
  // The records with their evidence lines, and what was cut or left open: the stamps' boots depend on the lines seen.
  const records = read.records.map((r) => ({ kind: r.kind, evidence: r.evidence.map((e) => [e.lineNo, e.text]) }));
  return JSON.stringify({ records, unparsed: read.unparsedLines, blocksWithoutKill: read.blocksWithoutKill });
}

test('the corpus and every fixture give the same records read sparsely with the filter as without it', async (t) => {
  if (!existsSync(corpusDir)) {
    if (isCI) throw new Error(`${corpusDir} is missing; CI must have ../shared beside the project`);
    t.diagnostic('../shared/corpus/kernel is absent: the fixtures only');
  }
  for (const path of inputFiles()) assert.equal(await sparseRecords(path, true), await sparseRecords(path, false), path);
});
