/** Options of the Vitest reporter and of {@link promiseFailurePlugin}. */
export interface PromiseFailureReporterOptions {
  /**
   * The exit status to promise to Buildkite: an integer from 1 to 255.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   * @example 2
   */
  exitStatus?: number;
  /**
   * How long, in ms, the reporter waits at the end of the run for Buildkite to answer before it lets
   * Vitest exit with a warning. The declaration itself starts at the first failure.
   * @default 10_000
   */
  flushTimeout?: number;
  /**
   * Set to `false` to turn the reporter off (for example `enabled: !!process.env.BUILDKITE`).
   * `BUILDKITE_PROMISE_FAILURE=false` in the environment turns it off too.
   * @default true
   */
  enabled?: boolean;
  /**
   * Bound, in ms, on the declaration: retries, waiting on another process, everything. Passed to
   * `promiseFailure()` of `@promise-failure/core`.
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60,000
   */
  timeout?: number;
}

export interface ResolvedReporterOptions {
  exitStatus: number | undefined;
  flushTimeout: number;
  enabled: boolean;
  timeout: number | undefined;
}

export const defaultFlushTimeout = 10_000;

const knownOptions = new Set(['exitStatus', 'flushTimeout', 'enabled', 'timeout']);

/**
 * Checks the options once, where the user passed them, and names the culprit. Throws a `TypeError` or a
 * `RangeError`; the reporter turns that into one warning line instead of failing the run.
 */
export function resolveReporterOptions(options: unknown): ResolvedReporterOptions {
  if (options === undefined || options === null) {
    return { exitStatus: undefined, flushTimeout: defaultFlushTimeout, enabled: true, timeout: undefined };
  }
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`Expected options to be an object, got ${show(options)}.`);
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!knownOptions.has(key)) {
      throw new TypeError(
        `Unknown option \`${key}\`; expected one of \`exitStatus\`, \`flushTimeout\`, \`enabled\`, \`timeout\`.`,
      );
    }
  }
  const { exitStatus, flushTimeout = defaultFlushTimeout, enabled = true, timeout } = given;
  if (exitStatus !== undefined && !(Number.isInteger(exitStatus) && (exitStatus as number) >= 1 && (exitStatus as number) <= 255)) {
    throw new RangeError(`Expected \`exitStatus\` to be an integer from 1 to 255, got ${show(exitStatus)}.`);
  }
  if (!(Number.isSafeInteger(flushTimeout) && (flushTimeout as number) >= 0)) {
    throw new RangeError(`Expected \`flushTimeout\` to be a non-negative integer (ms), got ${show(flushTimeout)}.`);
  }
  if (typeof enabled !== 'boolean') {
    throw new TypeError(`Expected \`enabled\` to be a boolean, got ${show(enabled)}.`);
  }
  if (timeout !== undefined && !(Number.isSafeInteger(timeout) && (timeout as number) > 0)) {
    throw new RangeError(`Expected \`timeout\` to be a positive integer (ms), got ${show(timeout)}.`);
  }
  return {
    exitStatus: exitStatus as number | undefined,
    flushTimeout: flushTimeout as number,
    enabled,
    timeout: timeout as number | undefined,
  };
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
