import { type TestFunction, test } from 'vitest';

/**
 * `test` for a test of the reporter's own rules (options, environment, Buildkite's answers), which take the
 * same path whatever version of the runner calls the reporter: it runs when `major` is the runner's newest
 * (`latest`) and shows as skipped on the others. See test/README.md, "Every major, or the newest".
 */
export function onLatestOf<Major>(major: Major, latest: Major): (name: string, fn: TestFunction, timeout?: number) => void {
  return test.runIf(major === latest);
}
