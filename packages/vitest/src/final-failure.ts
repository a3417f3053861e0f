/*
 * When is a failed attempt of a Vitest test final, seen from inside the worker that runs it? Read from
 * `@vitest/runner`'s `runTest` (3.2 and 4.x):
 * - each attempt runs the `beforeEach` hooks and the test, whose error (or `expect.soft`, or a missing
 *   `expect.assertions`) sets the attempt's state to `fail` before the `afterEach` hooks run; the hooks, the
 *   fixtures' cleanup and the `onTestFinished`/`onTestFailed` handlers that follow can only add failures;
 * - `test.result.retryCount` counts the retries made so far (0 on the first attempt); while it is below
 *   the test's retry count (`retry`, a number, or in Vitest 4 `{ count, delay, condition }`), another
 *   attempt may follow (Vitest 4's `condition` can stop it; we do not evaluate the user's condition);
 * - `test.fails` inverts the result only after the last attempt, and `repeats` runs the retry loop again
 *   with rules of its own that differ between majors.
 * So in the worker a failed attempt is final when retries are used up, and the test neither `fails` nor
 * `repeats`. Everything else is left to the reporter in Vitest's main process, which hears of the test's
 * final state later (Vitest's 100 ms throttle and more): the worker may only be later than the truth, never
 * earlier.
 */

/** The parts of a `@vitest/runner` test (a `Task`) the rule and the reason read. */
export interface RunnerTest {
  readonly name?: unknown;
  readonly fails?: unknown;
  readonly repeats?: unknown;
  readonly retry?: unknown;
  readonly result?: { readonly state?: unknown; readonly retryCount?: unknown };
  readonly suite?: RunnerSuite;
  readonly file?: { readonly filepath?: unknown };
}

/** A `describe` block, or the file itself (which has a `filepath`, and whose name the reporter omits). */
export interface RunnerSuite {
  readonly name?: unknown;
  readonly filepath?: unknown;
  readonly suite?: RunnerSuite;
}

/** Whether the attempt of `test` now ending (seen from an `afterEach` hook) is the test's final failure. */
export function isFinalFailure(test: RunnerTest): boolean {
  if (test.result?.state !== 'fail') return false;
  if (test.fails === true) return false;
  if (typeof test.repeats === 'number' && test.repeats > 0) return false;
  const retriesMade = typeof test.result.retryCount === 'number' ? test.result.retryCount : 0;
  return retriesMade >= retryCount(test.retry);
}

/** As the runner reads it: a number, or `{ count }` (Vitest 4); anything else is no retry. */
function retryCount(retry: unknown): number {
  if (typeof retry === 'number') return retry;
  if (typeof retry === 'object' && retry !== null) {
    const count = (retry as { count?: unknown }).count;
    return typeof count === 'number' ? count : 0;
  }
  return 0;
}

/** The test's full name as Vitest's reporters give it (`TestCase.fullName`): its blocks' names and its own, joined by ` > `. */
export function fullTestName(test: RunnerTest): string {
  const names: string[] = [String(test.name)];
  for (let suite = test.suite; suite && suite.filepath === undefined; suite = suite.suite) names.unshift(String(suite.name));
  return names.join(' > ');
}

/** The test as bktec names it from Vitest's JSON report: its `describe` blocks' names joined by spaces, and its own. */
export function testEngineName(test: RunnerTest): { scope: string; name: string } {
  const blocks: string[] = [];
  for (let suite = test.suite; suite && suite.filepath === undefined; suite = suite.suite) blocks.unshift(String(suite.name));
  return { scope: blocks.join(' '), name: String(test.name) };
}
