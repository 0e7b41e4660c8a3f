// supervise's output tail keeps a Go crash's header when the all-goroutine dump behind it is longer than the tail:
// the real running.log of a life that died under `ulimit -v` after serving HTTP (test/fixtures/go/README.md,
// oom-as-busy: the header `fatal error: out of memory` is line 16 of 278, so the last 200 lines miss it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OutputLog, TAIL_LINES } from '../../src/supervise/output-log.js';
import { endingOfTail } from '../../src/supervise/certificate.js';
import { fixture } from '../support/paths.js';

test('a Go fatal error whose goroutine dump outruns the tail keeps its header: go-runtime-oom, crash site in the app', () => {
  const text = readFileSync(fixture('test', 'fixtures', 'go', 'go1.19.8-trimpath-oom-as-busy.log'));
  const lines = text.toString('utf8').split('\n');
  assert.equal(lines.indexOf('fatal error: out of memory'), 15, 'the header is line 16');
  assert.ok(lines.length - 16 > TAIL_LINES, 'more than a tail of trace behind it');
  const log = new OutputLog(null);
  log.beginLife();
  for (let i = 0; i < text.length; i += 4096) log.push(text.subarray(i, i + 4096));
  const tail = log.lifeTail();
  assert.ok(tail.some((l) => l.line === 16 && l.text === 'fatal error: out of memory'), 'the header is kept');
  assert.ok(tail.some((l) => l.line === 15 && l.text.startsWith('runtime: out of memory: cannot allocate 4194304-byte block')));
  assert.equal(tail.at(-1)?.text, '\truntime/mgc.go:1159 +0x25', 'the last line is still there');
  assert.ok(tail.length <= TAIL_LINES + 109, `${tail.length} lines kept`);
  const ending = endingOfTail(tail)?.ending;
  assert.equal(ending?.kind, 'go-runtime-oom');
  assert.ok(ending && 'trace' in ending);
  const site = ending.trace.crashSite;
  assert.equal(site && `${site.function} at ${site.file}:${site.sourceLine}`, 'kandaoni.com/anqicms/provider.block at kandaoni.com/anqicms/provider/cache.go:13');
});
