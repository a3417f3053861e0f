import { describeValue, expectedExitStatus, expectedTimeout, isValidExitStatus, isValidTimeout, maximumTimeout } from './core-rules.js';
import { printLine } from './stderr.js';

/**
 * Options of every reporter (`exitStatus`, `flushTimeout`, `enabled`, `timeout`, `ignoreOuterRetries`). Each reporter publishes
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
   * @default `BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS`, else 10000
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
   * An integer from 1 to 2147483647 (the core's rule, checked at start: a value outside turns the reporter off).
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  readonly timeout?: number;
  /**
   * Promise even when `BUILDKITE_TEST_ENGINE_RETRY_COUNT` is a positive integer. By default a reporter
   * promises nothing there: Buildkite Test Engine's client (bktec) re-runs failed tests in a new process, so a
   * failure in this run is not final, and bktec's own `--promise-failure` promises after its retries. Set it
   * only when you know this run's failures are final (bktec does not retry this runner's tests).
   * @default false
   */
  readonly ignoreOuterRetries?: boolean;
};

/** The options after validation; `undefined` leaves the default to the core (and its environment variables). */
export interface ReporterSettings {
  readonly exitStatus: number | undefined;
  readonly flushTimeout: number;
  readonly enabled: boolean;
  readonly timeout: number | undefined;
  readonly ignoreOuterRetries: boolean;
}

/**
 * Valid options (with a `warning` when an environment default was unusable and the built-in one is used), or
 * the message that names the invalid one.
 */
export type ResolvedReporterOptions = { ok: true; settings: ReporterSettings; warning?: string } | { ok: false; message: string };

export const optionNames = ['exitStatus', 'flushTimeout', 'enabled', 'timeout', 'ignoreOuterRetries'] as const;

/** Sets every reporter's default `flushTimeout` (an option wins). */
export const flushTimeoutVariable = 'BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS';

/** No options given: the core decides the exit status and its timeout (from the environment, else 1 and 60 s). */
export const defaultSettings: ReporterSettings = Object.freeze({
  exitStatus: undefined,
  flushTimeout: 10_000,
  enabled: true,
  timeout: undefined,
  ignoreOuterRetries: false,
});
/** setTimeout's largest delay: a longer one fires at once (the same bound as the core's `timeout`). */
const maxDelay = maximumTimeout;

/**
 * Checks the options once, where the user passed them, and names the culprit. It returns the message
 * instead of throwing: a reporter that throws fails the run (see {@link resolveSettings}). `env` supplies
 * the default `flushTimeout` ({@link flushTimeoutVariable}).
 */
export function resolveReporterOptions(
  options: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedReporterOptions {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) return invalid('options', 'an object', options);
  const record = options as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(optionNames as readonly string[]).includes(key));
  if (unknown.length > 0) {
    const keys = unknown.map((key) => `\`${key}\``).join(', ');
    return { ok: false, message: `Unknown option ${keys}; expected ${listOptionNames()}.` };
  }
  const fromEnvironment = record.flushTimeout === undefined ? readFlushTimeoutVariable(env) : {};
  const {
    exitStatus,
    flushTimeout = fromEnvironment.flushTimeout ?? defaultSettings.flushTimeout,
    enabled = defaultSettings.enabled,
    timeout,
    ignoreOuterRetries = defaultSettings.ignoreOuterRetries,
  } = record;
  // `exitStatus` and `timeout` go to the core: checked here by the core's own rules (core-rules.ts), so that a
  // value the core would refuse at the first failure turns the reporter off now, with the core's words.
  if (exitStatus !== undefined && !isValidExitStatus(exitStatus)) return invalid('exitStatus', expectedExitStatus, exitStatus);
  if (!isIntegerBetween(flushTimeout, 0, maxDelay)) {
    return invalid('flushTimeout', `an integer from 0 to ${maxDelay} (ms)`, flushTimeout);
  }
  if (typeof enabled !== 'boolean') return invalid('enabled', 'a boolean', enabled);
  if (timeout !== undefined && !isValidTimeout(timeout)) return invalid('timeout', expectedTimeout, timeout);
  if (typeof ignoreOuterRetries !== 'boolean') return invalid('ignoreOuterRetries', 'a boolean', ignoreOuterRetries);
  const settings: ReporterSettings = {
    exitStatus: exitStatus as number | undefined,
    flushTimeout,
    enabled,
    timeout: timeout as number | undefined,
    ignoreOuterRetries,
  };
  return fromEnvironment.warning === undefined ? { ok: true, settings } : { ok: true, settings, warning: fromEnvironment.warning };
}

/**
 * The default `flushTimeout` from {@link flushTimeoutVariable}: nothing when unset or empty; a warning (and
 * the built-in default) when it is not an integer from 0 to 2147483647, worded like the core's messages on
 * its own variables.
 */
export function readFlushTimeoutVariable(env: Readonly<Record<string, string | undefined>>): {
  flushTimeout?: number;
  warning?: string;
} {
  const value = env[flushTimeoutVariable];
  if (value === undefined || value.trim() === '') return {};
  const trimmed = value.trim();
  const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (isIntegerBetween(parsed, 0, maxDelay)) return { flushTimeout: parsed };
  return {
    warning:
      `promise-failure: ${flushTimeoutVariable} must be an integer from 0 to ${maxDelay} (ms), got ${JSON.stringify(value)}; ` +
      `using the default, ${defaultSettings.flushTimeout}`,
  };
}

/**
 * What a reporter's constructor does with its options: the settings to act on, or `undefined` when it is
 * turned off, by `enabled: false` or by an invalid option. An invalid option prints one line that names
 * it (`promise-failure: @promise-failure/jest is turned off: Expected …`); the run goes on unchanged. An
 * unusable {@link flushTimeoutVariable} prints one line too, when the reporter is on.
 */
export function resolveSettings(
  packageName: string,
  options: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ReporterSettings | undefined {
  const resolved = resolveReporterOptions(options, env);
  if (!resolved.ok) {
    printLine(`promise-failure: ${packageName} is turned off: ${resolved.message}`);
    return undefined;
  }
  if (!resolved.settings.enabled) return undefined;
  if (resolved.warning !== undefined) printLine(resolved.warning);
  return resolved.settings;
}

function listOptionNames(): string {
  return `${optionNames.slice(0, -1).join(', ')} or ${optionNames[optionNames.length - 1]}`;
}

function isIntegerBetween(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function invalid(option: string, expected: string, value: unknown): ResolvedReporterOptions {
  return { ok: false, message: `Expected \`${option}\` to be ${expected}, got ${describeValue(value)}.` };
}
