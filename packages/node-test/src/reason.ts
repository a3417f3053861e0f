import { relativePath } from '@promise-failure/reporting';
import type { Failure } from './rules.js';

/** How the reason names the runner. */
export const runnerName = 'node --test';

/** `node --test: login › rejects bad password failed (test/login.test.mjs)`: the file relative to `cwd`. */
export function formatFailure(failure: Failure, cwd: string = process.cwd()): string {
  return failure.file ? `${runnerName}: ${failure.what} (${relativePath(failure.file, cwd)})` : `${runnerName}: ${failure.what}`;
}
