// The sample table of every envelope shape: each prefix family keeps its sample lines beside its
// parser (src/recognise/kernel/envelope/<family>.samples.ts, one format with its samples, as
// lnav keeps them); this one test runs them all through parseEnvelope, and checks that every
// LineShape has samples. A new family's samples file is picked up by its name alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseEnvelope, type Envelope, type LineShape } from '../../../src/recognise/kernel/envelope/index.js';
import type { EnvelopeSample } from '../../../src/recognise/kernel/envelope/envelope-types.js';

const envelopeDir = new URL('../../../src/recognise/kernel/envelope/', import.meta.url);

/** Every shape, so that the compiler says when one is added without samples here. */
const EVERY_SHAPE: Record<LineShape, true> = {
  'syslog-rfc3164': true, 'syslog-rfc3339': true, dmesg: true, 'dmesg-raw': true, 'dmesg-delta': true, 'dmesg-reltime': true,
  'dmesg-ctime': true, 'dmesg-iso': true, kmsg: true, 'journal-short': true, 'journal-short-iso': true,
  'journal-short-precise': true, 'journal-short-monotonic': true, 'journal-short-unix': true, 'journal-json': true, bare: true,
};

async function loadSampleTables(): Promise<Array<{ family: string; samples: EnvelopeSample[] }>> {
  const files = readdirSync(fileURLToPath(envelopeDir)).filter((f) => f.endsWith('.samples.js')).sort();
  const tables = [];
  for (const file of files) {
    const mod = (await import(new URL(file, envelopeDir).href)) as { samples?: EnvelopeSample[] };
    assert.ok(Array.isArray(mod.samples) && mod.samples.length > 0, `${file} exports no samples`);
    tables.push({ family: file.slice(0, -'.samples.js'.length), samples: mod.samples });
  }
  return tables;
}

function line(text: string): string {
  return JSON.stringify(text.length > 120 ? text.slice(0, 120) + '…' : text);
}

test('every envelope sample line reads as its table says', async (t) => {
  const tables = await loadSampleTables();
  const shapesSeen = new Set<LineShape>();
  for (const { family, samples } of tables) {
    for (const sample of samples) {
      shapesSeen.add(sample.want.shape);
      await t.test(`${family}: ${sample.about}`, () => {
        const got = parseEnvelope(sample.line);
        const picked: Record<string, unknown> = {};
        for (const key of Object.keys(sample.want)) picked[key] = got[key as keyof Envelope];
        assert.deepEqual(picked, sample.want, `for line ${line(sample.line)}`);
      });
    }
  }
  const missing = Object.keys(EVERY_SHAPE).filter((shape) => !shapesSeen.has(shape as LineShape));
  assert.deepEqual(missing, [], 'shapes without sample lines');
});
