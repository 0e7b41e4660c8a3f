// The hostile sample of the HTML tests: a process named like markup, log lines holding `</script>`, a bidi
// override and an escape sequence (test/tell/fixtures/hostile/, written for these tests).
import { diagnose } from '../../src/index.js';
import type { Report } from '../../src/index.js';
import { fixture } from '../support/paths.js';

export const HOSTILE_PROCESS = '<img src=x onerror=alert(1)>';

export async function hostileReport(): Promise<Report> {
  const dir = fixture('test', 'tell', 'fixtures', 'hostile');
  return diagnose({
    kernel: [`${dir}/kern.log`],
    check: [`${dir}/check.log`],
    app: [`${dir}/running.log`],
    dir: [],
    process: HOSTILE_PROCESS,
    tz: 'Asia/Shanghai',
    year: 2024,
  });
}
