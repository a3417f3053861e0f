/** Options of the Mocha reporter and of `@promise-failure/mocha/register`. */
export interface PromiseFailureMochaOptions {
  /**
   * The exit status to promise to Buildkite.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   * @example `--reporter-option exitStatus=2`
   */
  exitStatus?: number;
  /**
   * How long Mocha's exit waits for Buildkite's answer, in milliseconds. After that the run ends
   * with a warning; its exit code is never changed.
   * @default 10000
   */
  flushTimeout?: number;
  /**
   * `false` turns the reporter off (the inner reporter still prints).
   * @default true
   */
  enabled?: boolean;
  /**
   * Bound on the whole declaration (retries included), passed to `promiseFailure()`.
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  timeout?: number;
}

/** The options after validation; `undefined` leaves the default to the core. */
export interface ResolvedOptions {
  exitStatus: number | undefined;
  flushTimeout: number;
  enabled: boolean;
  timeout: number | undefined;
}

export const optionNames = ['exitStatus', 'flushTimeout', 'enabled', 'timeout'] as const;

export class InvalidOptionError extends TypeError {
  readonly code = 'ERR_PROMISE_FAILURE_INVALID_OPTION';
}

/**
 * `--reporter-option k=v` gives strings: `"2"` → 2, `"true"` → true, `"false"` → false. Anything else,
 * and values that are not strings (a `.mocharc.js`), are left as they are.
 */
export function parseOptionValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return value;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Validates the options once, at the entry point, naming the culprit. Throws `InvalidOptionError`. */
export function resolveOptions(input: Readonly<Record<string, unknown>> = {}): ResolvedOptions {
  const exitStatus = parseOptionValue(input.exitStatus);
  const flushTimeout = parseOptionValue(input.flushTimeout);
  const enabled = parseOptionValue(input.enabled);
  const timeout = parseOptionValue(input.timeout);

  if (exitStatus !== undefined && !(Number.isInteger(exitStatus) && (exitStatus as number) >= 1 && (exitStatus as number) <= 255)) {
    throw new InvalidOptionError(`Expected \`exitStatus\` to be an integer from 1 to 255, got ${show(exitStatus)}.`);
  }
  if (flushTimeout !== undefined && !(typeof flushTimeout === 'number' && Number.isFinite(flushTimeout) && flushTimeout >= 0)) {
    throw new InvalidOptionError(`Expected \`flushTimeout\` to be a number of milliseconds (0 or more), got ${show(flushTimeout)}.`);
  }
  if (enabled !== undefined && typeof enabled !== 'boolean') {
    throw new InvalidOptionError(`Expected \`enabled\` to be true or false, got ${show(enabled)}.`);
  }
  if (timeout !== undefined && !(Number.isInteger(timeout) && (timeout as number) > 0)) {
    throw new InvalidOptionError(`Expected \`timeout\` to be a positive integer of milliseconds, got ${show(timeout)}.`);
  }
  return {
    exitStatus: exitStatus as number | undefined,
    flushTimeout: (flushTimeout as number | undefined) ?? 10_000,
    enabled: (enabled as boolean | undefined) ?? true,
    timeout: timeout as number | undefined,
  };
}
