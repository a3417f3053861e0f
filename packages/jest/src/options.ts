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
   * @default 10000
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
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  readonly timeout?: number;
};
