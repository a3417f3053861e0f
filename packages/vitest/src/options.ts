/**
 * Options of the Vitest reporter and of {@link promiseFailurePlugin}. (A type alias, the same for the four
 * reporters that take options: Jest, Vitest, Mocha and Playwright, checked by the type tests; Node's test
 * runner passes its reporters none.)
 */
export type PromiseFailureReporterOptions = {
  /**
   * The exit status to promise to Buildkite: an integer from 1 to 255.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   * @example 2
   */
  readonly exitStatus?: number;
  /**
   * How long, in ms, the reporter waits at the end of the run for Buildkite to answer before it lets
   * Vitest exit with a warning. The declaration itself starts at the first failure.
   * @default `BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS`, else 10000
   */
  readonly flushTimeout?: number;
  /**
   * Set to `false` to turn the reporter off (for example `enabled: !!process.env.BUILDKITE`).
   * `BUILDKITE_PROMISE_FAILURE=false` in the environment turns it off too.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Bound, in ms, on the declaration: retries, waiting on another process, everything. Passed to
   * `promiseFailure()` of `@promise-failure/core`.
   * An integer from 1 to 2147483647 (the core's rule, checked at start: a value outside turns the reporter off).
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  readonly timeout?: number;
  /**
   * Promise even when `BUILDKITE_TEST_ENGINE_RETRY_COUNT` is a positive integer. By default nothing is promised
   * there, and one line says why: Buildkite Test Engine's client (bktec) re-runs failed tests in a new Vitest
   * process, so a failure in this run is not final; bktec's own `--promise-failure` promises after its retries.
   * Set it only when this run's failures are final anyway (bktec does not retry these tests).
   * @default false
   */
  readonly ignoreOuterRetries?: boolean;
};
