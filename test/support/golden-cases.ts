// The inputs whose whole JSON report is pinned while the code is reorganised (issue 13: behaviour unchanged): every
// join scenario, every kernel fixture of the diagnosis tests, and the shared corpus when it is beside the project.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DiagnoseOptions } from '../../src/index.js';
import { corpusDir, fixture, projectRoot } from './paths.js';

export interface GoldenCase {
  name: string;
  options: DiagnoseOptions;
}

const BASE: DiagnoseOptions = { tz: 'Asia/Shanghai', year: 2024, lang: 'en' };

function scenario(dir: string): GoldenCase {
  const at = (file: string): string[] => (existsSync(join(dir, file)) ? [join(dir, file)] : []);
  const kernel = [...at('kern.log'), ...at('dmesg.txt')];
  const bootTime = existsSync(join(dir, 'boot-time')) ? readFileSync(join(dir, 'boot-time'), 'utf8').trim() : undefined;
  return {
    name: `join-${dir.split('/').pop()}`,
    options: { ...BASE, check: at('check.log'), app: at('running.log'), kernel, ...(bootTime ? { bootTime } : {}) },
  };
}

export function goldenCases(): GoldenCase[] {
  const scenarios = fixture('test', 'join', 'fixtures');
  const cases = readdirSync(scenarios).sort().map((name) => scenario(join(scenarios, name)));
  const kernelDirs = [fixture('test', 'diagnose', 'fixtures'), fixture('test', 'diagnose', 'fixtures', 'wild')];
  for (const dir of kernelDirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.log') || f.endsWith('.syslog')).sort()) {
      cases.push({ name: `kernel-${relative(fixture('test', 'diagnose', 'fixtures'), join(dir, file)).replace(/\//g, '-')}`, options: { ...BASE, kernel: [join(dir, file)] } });
    }
  }
  if (existsSync(corpusDir)) {
    for (const file of readdirSync(corpusDir).filter((f) => !f.endsWith('.md')).sort()) {
      cases.push({ name: `corpus-${file}`, options: { ...BASE, kernel: [join(corpusDir, file)] } });
    }
  }
  return cases;
}

/** The report as pinned: paths relative to the project, the generator's version left out. */
export function pinnedJson(report: unknown): string {
  const text = JSON.stringify(report, (key, value) => (key === 'generator' ? undefined : value), 2);
  return text.split(projectRoot + '/').join('').split(corpusDir + '/').join('corpus/') + '\n';
}

export const goldenDir = fixture('test', 'golden');
