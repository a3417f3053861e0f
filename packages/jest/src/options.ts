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

export interface ReporterSettings {
  readonly exitStatus: number | undefined;
  readonly flushTimeout: number;
  readonly enabled: boolean;
  readonly timeout: number | undefined;
}

export type ResolvedOptions = { ok: true; settings: ReporterSettings } | { ok: false; message: string };

const knownOptions = new Set(['exitStatus', 'flushTimeout', 'enabled', 'timeout']);
/** setTimeout's largest delay. */
const maxDelay = 2_147_483_647;

/**
 * Checks the options once, in the constructor, and names the culprit. It returns an error message
 * instead of throwing: a reporter that throws makes Jest fail the run.
 */
export function resolveReporterOptions(options: unknown): ResolvedOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    return invalid('options', 'an object', options);
  }
  const record = options as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !knownOptions.has(key));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `Unknown option ${unknown.map((key) => `\`${key}\``).join(', ')}; expected exitStatus, flushTimeout, enabled or timeout.`,
    };
  }
  const { exitStatus, flushTimeout = 10_000, enabled = true, timeout } = record;
  if (exitStatus !== undefined && !isIntegerBetween(exitStatus, 1, 255)) {
    return invalid('exitStatus', 'an integer from 1 to 255', exitStatus);
  }
  if (!isIntegerBetween(flushTimeout, 0, maxDelay)) {
    return invalid('flushTimeout', 'a non-negative integer (ms)', flushTimeout);
  }
  if (typeof enabled !== 'boolean') return invalid('enabled', 'a boolean', enabled);
  if (timeout !== undefined && !isIntegerBetween(timeout, 1, Number.MAX_SAFE_INTEGER)) {
    return invalid('timeout', 'a positive integer (ms)', timeout);
  }
  return {
    ok: true,
    settings: {
      exitStatus: exitStatus as number | undefined,
      flushTimeout: flushTimeout as number,
      enabled,
      timeout: timeout as number | undefined,
    },
  };
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(option: string, expected: string, value: unknown): ResolvedOptions {
  return { ok: false, message: `Expected \`${option}\` to be ${expected}, got ${describeValue(value)}.` };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
