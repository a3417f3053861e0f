import type { ErrorCode } from './errors.js';

/** Options of {@link promiseFailure}. */
export interface PromiseFailureOptions {
  /**
   * The exit status to promise: an integer from 1 to 255.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   */
  readonly exitStatus?: number;
  /**
   * Why the job will fail, shown in Buildkite. Secrets are redacted as the agent does, then the text is
   * cut to 1,000 characters. The first caller's reason wins when several calls share one declaration.
   * @example 'login › rejects bad password failed'
   */
  readonly reason?: string;
  /**
   * Where the job's variables are read.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Bound, in ms, on this call: retries, waiting on another process, everything.
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60,000
   */
  readonly timeout?: number;
  /** Stop waiting. A declaration that other callers share carries on. */
  readonly signal?: AbortSignal;
}

/** What {@link promiseFailure} resolves with. It never holds a secret. */
export interface PromiseFailureResult {
  /**
   * - `declared`: this call's own request reached Buildkite (directly, or the Job API declared it).
   * - `debounced`: this call shared another's declaration (in this process, in another, or the Job API's).
   * - `skipped`: not in a Buildkite job, turned off, or no way to reach Buildkite. Nothing was sent.
   */
  outcome: 'declared' | 'debounced' | 'skipped';
  /** Buildkite holds the promise. */
  accepted: boolean;
  exitStatus: number;
  /** How the declaration reached Buildkite. */
  transport?: 'job-api' | 'agent-api';
  /** Buildkite's HTTP status, when one came back. */
  upstreamStatus?: number;
  /** Why not accepted, or why skipped. Never holds a secret. */
  error?: string;
  /**
   * What kind of problem `error` describes: one of the {@link ErrorCode} strings (a table in the
   * README), set exactly when `error` is. Match on it, never on the message.
   */
  code?: ErrorCode;
  /**
   * Something to fix although the call went through: the lock directory could not be used (another
   * user's, a symlink, a relative path without `BUILDKITE_BUILD_CHECKOUT_PATH`, a full disk), so this
   * process declared on its own and the job's other processes may each send a request of their own.
   * One line, never a secret. Reporters print it.
   */
  warning?: string;
}

export type Transport = NonNullable<PromiseFailureResult['transport']>;
