import { parseGoInteger } from './go-integer.js';

/**
 * Buildkite Test Engine's client (bktec) runs the test runner, then re-runs the tests that failed in a new
 * runner process, as many times as `BUILDKITE_TEST_ENGINE_RETRY_COUNT` says. Under it, no failure inside one
 * runner process is final: a test that fails here may pass on bktec's next attempt, and a promise is binding.
 * So a reporter promises nothing there, and says why; bktec's own `--promise-failure` promises once its
 * retries are spent. `ignoreOuterRetries: true` lets a user who knows better (say, a suite bktec only splits)
 * promise from the reporter anyway.
 */
export const outerRetryVariable = 'BUILDKITE_TEST_ENGINE_RETRY_COUNT';

/**
 * bktec's retry count when it is positive, read exactly as bktec reads it ({@link parseGoInteger}: `2`, `+1`,
 * `0x2`, `1_0` and `0b1` are all counts), else `undefined`: unset, empty, zero or negative (bktec does not
 * retry), or a value Go cannot parse (bktec refuses to start on it, so no run is under it with that value).
 * (A `bigint`: Go's `int64` can exceed a safe JS integer.)
 */
export function readOuterRetryCount(env: Readonly<Record<string, string | undefined>>): bigint | undefined {
  const value = env[outerRetryVariable];
  if (value === undefined || value === '') return undefined;
  const count = parseGoInteger(value);
  return count !== undefined && count > 0n ? count : undefined;
}

/** The one line a reporter prints at the end of a failing run under outer retries; `value` as the job set it. */
export function describeOuterRetries(value: string): string {
  return (
    `promise-failure: did not promise the failure to Buildkite: ${outerRetryVariable}=${value}, so Buildkite Test Engine's client (bktec) ` +
    "re-runs failed tests and this run's failures are not final; bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its retries " +
    '(the option ignoreOuterRetries: true promises from here anyway)'
  );
}
