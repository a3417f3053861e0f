import { printLine } from './stderr.js';

/**
 * Options of every reporter (`exitStatus`, `flushTimeout`, `enabled`, `timeout`). Each reporter publishes
 * its own documented copy (its types must not import this private package) and type-tests that it equals
 * this one. A type alias, not an interface, so that a typed options object still fits Jest's
 * `Config['reporters']` (`[string, Record<string, unknown>]`), which an interface does not.
 */
export type ReporterOptions = {
  /**
   * The exit status to promise to Buildkite: an integer from 1 to 255.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   * @example 2
   */
  readonly exitStatus?: number;
  /**
   * How long, in ms, the end of the run waits for Buildkite's answer before the test runner exits. The
   * declaration starts at the first failure and the run goes on meanwhile; this only bounds the wait at
   * the very end. After it, one warning line; the run's exit code is never changed.
   * @default 10000
   */
  readonly flushTimeout?: number;
  /**
   * Set to `false` to turn the reporter off (for example `enabled: !process.env.LOCAL_RUN`).
   * `BUILDKITE_PROMISE_FAILURE=false` in the environment turns it off too.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Bound, in ms, on the declaration itself (retries and waiting on another process included), passed to
   * `promiseFailure()` of `@promise-failure/core`.
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  readonly timeout?: number;
};

/** The options after validation; `undefined` leaves the default to the core (and its environment variables). */
export interface ReporterSettings {
  readonly exitStatus: number | undefined;
  readonly flushTimeout: number;
  readonly enabled: boolean;
  readonly timeout: number | undefined;
}

export type ResolvedReporterOptions = { ok: true; settings: ReporterSettings } | { ok: false; message: string };

export const optionNames = ['exitStatus', 'flushTimeout', 'enabled', 'timeout'] as const;

/** No options given: the core decides the exit status and its timeout (from the environment, else 1 and 60 s). */
export const defaultSettings: ReporterSettings = Object.freeze({
  exitStatus: undefined,
  flushTimeout: 10_000,
  enabled: true,
  timeout: undefined,
});
/** setTimeout's largest delay: a longer one fires at once. */
const maxDelay = 2_147_483_647;

/**
 * Checks the options once, where the user passed them, and names the culprit. It returns the message
 * instead of throwing: a reporter that throws fails the run (see {@link resolveSettings}).
 */
export function resolveReporterOptions(options: unknown): ResolvedReporterOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) return invalid('options', 'an object', options);
  const record = options as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(optionNames as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const keys = unknown.map((key) => `\`${key}\``).join(', ');
    return { ok: false, message: `Unknown option ${keys}; expected exitStatus, flushTimeout, enabled or timeout.` };
  }
  const { exitStatus, flushTimeout = defaultSettings.flushTimeout, enabled = defaultSettings.enabled, timeout } = record;
  if (exitStatus !== undefined && !isIntegerBetween(exitStatus, 1, 255)) {
    return invalid('exitStatus', 'an integer from 1 to 255', exitStatus);
  }
  if (!isIntegerBetween(flushTimeout, 0, maxDelay)) {
    return invalid('flushTimeout', `an integer from 0 to ${maxDelay} (ms)`, flushTimeout);
  }
  if (typeof enabled !== 'boolean') return invalid('enabled', 'a boolean', enabled);
  if (timeout !== undefined && !isIntegerBetween(timeout, 1, Number.MAX_SAFE_INTEGER)) {
    return invalid('timeout', 'a positive integer (ms)', timeout);
  }
  return {
    ok: true,
    settings: { exitStatus: exitStatus as number | undefined, flushTimeout, enabled, timeout: timeout as number | undefined },
  };
}

/**
 * What a reporter's constructor does with its options: the settings to act on, or `undefined` when it is
 * turned off, by `enabled: false` or by an invalid option. An invalid option prints one line that names
 * it (`promise-failure: @promise-failure/jest is turned off: Expected …`); the run goes on unchanged.
 */
export function resolveSettings(packageName: string, options: unknown): ReporterSettings | undefined {
  const resolved = resolveReporterOptions(options);
  if (!resolved.ok) {
    printLine(`promise-failure: ${packageName} is turned off: ${resolved.message}`);
    return undefined;
  }
  return resolved.settings.enabled ? resolved.settings : undefined;
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(option: string, expected: string, value: unknown): ResolvedReporterOptions {
  return { ok: false, message: `Expected \`${option}\` to be ${expected}, got ${describeValue(value)}.` };
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
