// Where tests find the project's own fixtures and the shared corpus, whether run from source or from .build/.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

function findProjectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('test/support/paths: no package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const projectRoot = findProjectRoot();

/** A file beside the tests, by its path from the project root (fixtures live in test/, not in .build/). */
export function fixture(...parts: string[]): string {
  return join(projectRoot, ...parts);
}

const sharedDir = resolve(projectRoot, '..', 'shared');
export const corpusDir = join(sharedDir, 'corpus', 'kernel');
export const isCI = process.env.CI === 'true';

/**
 * The CLI looks for every input it is not given (README, discovery): tests that spawn it point OOMSCOPE_ROOT at a
 * folder that does not exist, so this machine's /var/log, journal and /dev/kmsg never join their inputs.
 */
export const NO_SYSTEM_LOGS = { OOMSCOPE_ROOT: join(projectRoot, 'test', 'support', 'no-such-root') };

/**
 * The path of a file in ../shared/corpus/kernel, or undefined after skipping the test with the reason.
 * Under CI=true a missing corpus is a failure, not a skip (shared/corpus/kernel/README.md).
 */
export function corpusFile(t: TestContext, name: string): string | undefined {
  const path = join(corpusDir, name);
  if (existsSync(path)) return path;
  if (isCI) throw new Error(`corpus file ${path} is missing; CI must have ../shared beside the project`);
  t.skip(`../shared/corpus/kernel/${name} is absent (clone without ../shared)`);
  return undefined;
}
