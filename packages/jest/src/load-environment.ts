import { createRequire } from 'node:module';
import path from 'node:path';
import type { TestEnvironmentClass } from './environment-class.js';
import { ownDirectory } from './own-directory.js';

/**
 * Loads a Jest environment package (`jest-environment-node`, `jest-environment-jsdom`) of the Jest that is
 * running, not whichever copy happens to sit next to this package: with Jest 29 and 30 installed side by side
 * (or a hoisted copy of another major), the environment must match the runner that drives it. So it is
 * resolved, in order, from the loaded `jest-runner` (which depends on `jest-environment-node`), from the
 * project's `rootDir`, and last from this package.
 */
export function loadEnvironmentClass(packageName: string, rootDir: unknown): TestEnvironmentClass {
  const errors: string[] = [];
  // jest-runner depends on the node environment only; any other is the project's own dependency.
  const [runner, project, own] = searchPaths(rootDir);
  const order = packageName === 'jest-environment-node' ? [runner, project, own] : [project, runner, own];
  for (const from of order) {
    if (from === undefined) continue;
    let resolved: string;
    try {
      resolved = createRequire(from).resolve(packageName);
    } catch {
      continue;
    }
    try {
      const loaded = createRequire(from)(resolved) as { TestEnvironment?: unknown; default?: unknown };
      const candidate = loaded.TestEnvironment ?? loaded.default ?? loaded;
      if (typeof candidate === 'function') return candidate as TestEnvironmentClass;
      errors.push(`${resolved} exports no environment class`);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  const why = errors.length > 0 ? `: ${errors[0]}` : ' (install it beside jest)';
  const error = new Error(`@promise-failure/jest/environment could not load ${packageName}${why}`);
  Object.assign(error, { code: 'PROMISE_FAILURE_ENVIRONMENT_NOT_FOUND' });
  throw error;
}

/** Files to resolve from: the running Jest's `jest-runner`, the project, this package. */
function searchPaths(rootDir: unknown): [string | undefined, string | undefined, string] {
  const own = path.join(ownDirectory(), 'noop.js');
  const runner = Object.keys(createRequire(own).cache).find((file) => /[\\/]jest-runner[\\/]build[\\/]/.test(file));
  const project = typeof rootDir === 'string' && rootDir !== '' ? path.join(rootDir, 'noop.js') : undefined;
  return [runner, project, own];
}
