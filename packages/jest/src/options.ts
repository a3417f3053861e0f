/**
 * Options of the reporter, from `['@promise-failure/jest', { … }]` in Jest's `reporters`. (A type alias, not
 * an interface, so that a typed options object still fits Jest's `Config['reporters']`.)
 */
export type PromiseFailureReporterOptions = {
  /**
   * The exit status to promise: an integer from 1 to 255.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   * @example 2
   */
  readonly exitStatus?: number;
  /**
   * How long, in ms, the end of the run waits for Buildkite's answer before Jest exits. The run goes on
   * meanwhile; this only bounds the wait at the very end.
   * @default `BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS`, else 10000
   */
  readonly flushTimeout?: number;
  /**
   * Set to `false` to turn the reporter off (for example `enabled: !process.env.LOCAL_RUN`).
   * `BUILDKITE_PROMISE_FAILURE=false` turns it off from the environment.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Bound, in ms, on the declaration itself (retries included), passed to `@promise-failure/core`.
   * An integer from 1 to 2147483647 (the core's rule, checked at start: a value outside turns the reporter off).
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  readonly timeout?: number;
  /**
   * Promise even when `BUILDKITE_TEST_ENGINE_RETRY_COUNT` is a positive integer. By default nothing is promised
   * there, and one line says why: Buildkite Test Engine's client (bktec) re-runs failed tests in a new Jest
   * process, so a failure in this run is not final; bktec's own `--promise-failure` promises after its retries.
   * Set it only when this run's failures are final anyway (bktec does not retry these tests).
   * @default false
   */
  readonly ignoreOuterRetries?: boolean;
};
