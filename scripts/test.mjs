// npm test: the suite once under a zone far from UTC (time rules must not lean on the machine's zone),
// then the whole suite, real-kernel scenarios included, so the last summary counts every test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const zoneSensitive = ['.build/test/diagnose/', '.build/test/time/', '.build/test/recognise/', '.build/test/assemble/', '.build/test/tell/', '.build/test/cli.test.js']
  .filter((path) => existsSync(path));

function runTests(paths, env) {
  // One file at a time: the real-kernel, watch and supervise tests share the machine's kernel log and cgroups.
  const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...paths], { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

console.log('== run 1 of 2: zone-sensitive tests under TZ=America/New_York');
const first = runTests(zoneSensitive, { TZ: 'America/New_York' });
console.log('== run 2 of 2: the whole suite');
const second = runTests(['.build/test/'], {});
process.exit(first !== 0 ? first : second);
