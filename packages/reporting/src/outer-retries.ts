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
 * bktec's retry count when it is a positive integer (`"2"`), else `undefined`: unset, empty, `0`, or a value
 * that is not a count (bktec does not retry on it, so neither do we hold back).
 */
export function readOuterRetryCount(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = env[outerRetryVariable]?.trim();
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const count = Number(value);
  return count > 0 && Number.isSafeInteger(count) ? count : undefined;
}

/** The one line a reporter prints at the end of a failing run under outer retries. */
export function describeOuterRetries(count: number): string {
  return (
    `promise-failure: did not promise the failure to Buildkite: ${outerRetryVariable}=${count}, so Buildkite Test Engine's client (bktec) ` +
    "re-runs failed tests and this run's failures are not final; bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its retries " +
    '(the option ignoreOuterRetries: true promises from here anyway)'
  );
}
