// docs/json.md is the JSON contract users read: every key of real reports (the pinned golden reports and the demo's)
// has a row in the table of its object, and every verdict, warning code, advice code and oomEvents kind they hold is
// named there. A key added to the report without a line in docs/json.md fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenDir } from '../support/golden-cases.js';
import { projectRoot } from '../support/paths.js';

const CLI = join(projectRoot, '.build', 'src', 'cli.js');
const DOC = readFileSync(join(projectRoot, 'docs', 'json.md'), 'utf8');

/** Objects whose keys are data (a verdict, an advice's parameter names), not keys of the contract. */
const RECORDS = new Set(['summary.byVerdict', 'incidents[].advice[].params']);
/** Values that are codes: each must be named in docs/json.md. */
const CODES = new Set(['incidents[].verdict', 'incidents[].confidence', 'warnings[].code', 'incidents[].advice[].code', 'oomEvents[].kind', 'sources[].role', 'sources[].format']);

/** The keys documented per object path: the rows `| \`key\` |` under each `### \`path\`` heading (`### Top level`: ''). */
function documentedKeys(doc: string): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  let current: Set<string> | null = null;
  for (const line of doc.split('\n')) {
    const heading = /^#{2,3} (.*)$/.exec(line);
    if (heading) {
      const path = heading[1] === 'Top level' ? '' : /^`([^`]+)`$/.exec(heading[1]!)?.[1];
      current = path === undefined ? null : new Set();
      if (path !== undefined) keys.set(path, current!);
      continue;
    }
    const row = /^\| `([^`]+)` \|/.exec(line);
    if (row && current) current.add(row[1]!);
  }
  return keys;
}

/** Every key of `value` as `path.key` (arrays as `[]`), and every value at a code path. */
function walk(value: unknown, path: string, out: { keys: Map<string, string>; codes: Map<string, string> }, where: string): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, `${path}[]`, out, where);
    return;
  }
  if (typeof value === 'string' && CODES.has(path)) out.codes.set(`${path} = ${value}`, where);
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    out.keys.set(`${path}\u0000${key}`, where);
    if (RECORDS.has(childPath)) {
      if (childPath === 'summary.byVerdict') for (const verdict of Object.keys(child as object)) out.codes.set(`${childPath} ${verdict}`, where);
      continue;
    }
    walk(child, childPath, out, where);
  }
}

function realReports(): { name: string; report: unknown }[] {
  const reports = readdirSync(goldenDir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ name: `test/golden/${f}`, report: JSON.parse(readFileSync(join(goldenDir, f), 'utf8')) as unknown }));
  const demo = spawnSync(process.execPath, [CLI, 'demo', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(demo.status, 0, demo.stderr);
  reports.push({ name: 'oomscope demo --format json', report: JSON.parse(demo.stdout) as unknown });
  return reports;
}

test('every key of the real JSON reports has its row in docs/json.md, and every code they hold is named there', () => {
  const documented = documentedKeys(DOC);
  assert.ok(documented.get('')?.has('schemaVersion') && documented.get('oomKills[]')?.has('anonRssKb'), 'the tables of docs/json.md were not found');
  const out = { keys: new Map<string, string>(), codes: new Map<string, string>() };
  const reports = realReports();
  assert.ok(reports.length >= 20, `only ${reports.length} reports: are the goldens still in ${goldenDir}?`);
  for (const { name, report } of reports) walk(report, '', out, name);
  const missing = [...out.keys].filter(([pathKey]) => {
    const [path, key] = pathKey.split('\u0000') as [string, string];
    return !documented.get(path)?.has(key);
  }).map(([pathKey, where]) => `${pathKey.replace('\u0000', ' → ')} (in ${where})`);
  assert.deepEqual(missing, [], 'keys of real reports without a row in docs/json.md (the table of their object)');
  const unnamed = [...out.codes].filter(([code]) => !DOC.includes(`\`${code.split(/ = | /).at(-1)}\``)).map(([code, where]) => `${code} (in ${where})`);
  assert.deepEqual(unnamed, [], 'codes in real reports that docs/json.md does not name');
  // The walk reached deep keys too, so a missing table would have been noticed.
  assert.ok(out.keys.has('oomKills[].memInfo.zones[]\u0000lowmemReserveKb') && out.keys.has('oomEvents[].figures\u0000kernelVersion'));
});

test('documentedKeys reads a key table under its heading only', () => {
  const keys = documentedKeys('### Top level\n\n| key | type |\n| `a` | x |\n\n### `a[]`\n\n| `b` | y |\n\n### Verdicts\n\n| `c` | z |\n');
  assert.deepEqual([...keys].map(([path, set]) => [path, [...set]]), [['', ['a']], ['a[]', ['b']]]);
});
