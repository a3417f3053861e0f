/*
 * The core's rules that the kit applies before the core is loaded: its option checks (at the reporter's
 * start), its off-words and its error codes for a bad environment value and for a refusal.
 *
 * Why copies rather than an import from the core. The kit is bundled into each reporter, and a passing run
 * must load nothing of the core: test/loading preloads a probe in every process and thread and fails on any
 * file under `@promise-failure/core/`, whatever it holds. The options are checked in the reporter's
 * constructor, on every run, so even a tiny side-effect-free entry of the core (`@promise-failure/core/rules`)
 * would be loaded by every passing run; bundling that entry into each reporter would be a copy all the same,
 * only one a test cannot see. So the rules are written here once, worded as the core words them, and
 * `core-rules.test.ts` holds them against the core: its constants (read from its source) and its
 * `promiseFailure()` fed the same values. A change on either side that is not made on the other fails there.
 */

/** The words that turn promise-failure off in `BUILDKITE_PROMISE_FAILURE` (trimmed, any case): the core's `offWords`. */
export const offWords: readonly string[] = ['false', '0', 'off', 'no'];

/** The largest `timeout` the core takes: Node's largest timer delay (2^31−1 ms); the core's `maximumTimeout`. */
export const maximumTimeout = 2_147_483_647;

/** The core's `ErrorCode.InvalidEnvironment`: a result skipped for a bad environment value. */
export const invalidEnvironmentCode = 'PROMISE_FAILURE_INVALID_ENVIRONMENT';

/** The core's `ErrorCode.Refused`: Buildkite's terminal answer, recorded, so every later call gets it too. */
export const refusedCode = 'PROMISE_FAILURE_REFUSED';

/** What an option the core also takes must be, worded as the core's `validateOptions` words it. */
export const expectedExitStatus = 'an integer from 1 to 255';
export const expectedTimeout = `a positive integer up to ${maximumTimeout} (ms)`;

/** The core's rule for `exitStatus`. */
export function isValidExitStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 255;
}

/** The core's rule for `timeout`: above 2^31−1 ms Node's timers fire at once, and the call would give up. */
export function isValidTimeout(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= maximumTimeout;
}

/**
 * A value as the core's messages show it (`got 3000000000.`, `got "5".`): the core's `describeValue`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}
