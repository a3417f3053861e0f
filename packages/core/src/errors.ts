/**
 * Every error this package creates carries a stable `code`. Callers match on the code, never on
 * `instanceof`: two copies of the package can be installed side by side in one test run.
 */
export const ErrorCode = {
  /** An option passed in code is invalid (thrown as a `TypeError` or `RangeError`). */
  InvalidOption: 'PROMISE_FAILURE_INVALID_OPTION',
  /** An environment variable has a value that cannot be used: skipped, the error names it. */
  InvalidEnvironment: 'PROMISE_FAILURE_INVALID_ENVIRONMENT',
  /** Skipped: not in a Buildkite job (`BUILDKITE_JOB_ID` is not set). */
  NotInJob: 'PROMISE_FAILURE_NOT_IN_JOB',
  /** Skipped: `BUILDKITE_PROMISE_FAILURE` turned it off. */
  TurnedOff: 'PROMISE_FAILURE_TURNED_OFF',
  /** Skipped: neither the Job API (socket and token) nor the Agent API (access token) is configured. */
  NoTransport: 'PROMISE_FAILURE_NO_TRANSPORT',
  /** The call's `signal` was aborted: before the call (nothing was sent), or while it waited. */
  Aborted: 'PROMISE_FAILURE_ABORTED',
  /** Buildkite answered with a status that will not change on retry (4xx other than 429). */
  Refused: 'PROMISE_FAILURE_REFUSED',
  /** A 429, a 5xx, a network error or an undecodable error page: worth another attempt. */
  Transient: 'PROMISE_FAILURE_TRANSIENT',
  /** The call's `timeout` ran out, or a `Retry-After` asked for longer than was left. */
  Timeout: 'PROMISE_FAILURE_TIMEOUT',
  /** The Job API could not be used (absent route, refused socket, unexpected answer). */
  JobApiUnavailable: 'PROMISE_FAILURE_JOB_API_UNAVAILABLE',
  /** A bug or a broken install (an exception the library did not expect); the message says what. */
  Internal: 'PROMISE_FAILURE_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The error that travels inside a declaration, from a transport to the result's `error` and `code`;
 * its message never holds a secret. `promiseFailure` never throws or rejects with one (it resolves with
 * `code` and `error` instead): it is public so that code handling a result's `code` can name the type,
 * and for `instanceof` checks in tests. Match on `code` in production code.
 */
export class PromiseFailureError extends Error {
  readonly code: ErrorCode;
  /** Buildkite's HTTP status, when one came back. */
  readonly upstreamStatus: number | undefined;
  /** How long Buildkite asked us to wait before the next attempt (`Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; upstreamStatus?: number | undefined; retryAfterMs?: number | undefined } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'PromiseFailureError';
    this.code = code;
    this.upstreamStatus = options.upstreamStatus;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Whether an error is worth retrying, by its code. */
export function isTransient(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === ErrorCode.Transient;
}

/** A `TypeError` or `RangeError` for an option passed in code, naming the option and the value. */
export function invalidOption(kind: typeof TypeError | typeof RangeError, option: string, expected: string, value: unknown): Error {
  const error = new kind(`Expected \`${option}\` to be ${expected}, got ${describeValue(value)}.`);
  Object.defineProperty(error, 'code', { value: ErrorCode.InvalidOption, enumerable: true });
  return error;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return 'an array';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

/**
 * Text on one line: an error message may end with a newline (OpenSSL's do) or hold several, and every
 * line this package prints, or hands a reporter to print, must be one line starting `promise-failure:`.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
