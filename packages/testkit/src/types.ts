/** How the fake job's agent exposes its local Job API. */
export type JobApiMode = 'current' | 'without-route' | 'none' | 'dead-socket';

/** Options for {@link startFakeBuildkite}. Every option is optional; an unknown key is a `TypeError`. */
export interface FakeBuildkiteOptions {
  /**
   * How the job's agent exposes the Job API.
   *
   * - `'current'`: a Unix-socket Job API with `POST /api/current-job/v0/promise-failure` and the agent's
   *   coordinator (agents 3.130 and later).
   * - `'without-route'`: a Job API that checks the bearer token, then answers every route with plain-text
   *   `404 page not found` (agents 3.128–3.129).
   * - `'none'`: no Job API; `env` has no `BUILDKITE_AGENT_JOB_API_*` variables.
   * - `'dead-socket'`: `env` points `BUILDKITE_AGENT_JOB_API_SOCKET` at a path where nothing listens (plus a
   *   token), as when the agent died.
   *
   * @default 'current'
   */
  jobApi?: JobApiMode;
  /**
   * The job id.
   *
   * @default a random UUID
   * @example 'job.with.dots' // sent as `job%2Ewith%2Edots` by a correct client
   */
  jobId?: string;
  /**
   * `false`: the Agent API answers `404 {"message": …}`, as Buildkite does for an organization that does not
   * have promised failures enabled.
   *
   * @default true
   */
  enabled?: boolean;
  /**
   * Delay, in milliseconds, before every Agent API answer.
   *
   * @default 0
   */
  latency?: number;
  /**
   * How the fake agent's Job API retries transient upstream failures (429, 5xx, network errors, non-JSON error
   * bodies). The real agent makes 10 attempts, sleeping 2 s up to 89 s between them, each bounded by 60 s.
   *
   * @default { attempts: 10, delayMs: 10, timeoutMs: 60_000 }
   */
  agentRetry?: AgentRetryOptions;
  /**
   * Serves Buildkite Test Engine's test plan route, as bktec (Test Engine's client) reads it, so a run under
   * bktec with muted tests can be reproduced: `GET /v2/analytics/organizations/{org}/suites/{suite}/test_plan`.
   * `env` then has bktec's variables (`BUILDKITE_TEST_ENGINE_BASE_URL`, `…_SUITE_SLUG`, `…_API_ACCESS_TOKEN`,
   * `BUILDKITE_ORGANIZATION_SLUG`, `BUILDKITE_BUILD_ID`, `BUILDKITE_STEP_ID`, and `…_TEST_RUNNER` when `runner`
   * is given). Without it, the route answers 404 and `env` has none of them.
   *
   * @example { runner: 'jest', muted: [{ scope: 'login', name: 'is flaky' }] }
   */
  testEngine?: TestEngineOptions;
}

/** The fake Test Engine's plan. */
export interface TestEngineOptions {
  /**
   * The tests the plan mutes, as Test Engine names them (bktec matches a failed test on `scope` and `name`).
   *
   * @default []
   */
  muted?: readonly TestEngineTest[];
  /**
   * The status the plan route answers: 200 serves the plan; any other (500, 403, …) answers that status with
   * an error body, as a Test Engine that cannot give the plan.
   *
   * @default 200
   */
  status?: number;
  /**
   * `BUILDKITE_TEST_ENGINE_TEST_RUNNER` in `env` (`jest`, `vitest`, `playwright`, …); unset when absent.
   */
  runner?: string;
}

/** A test as Buildkite Test Engine names it. */
export interface TestEngineTest {
  scope: string;
  name: string;
}

/** How the fake agent retries its upstream declaration. */
export interface AgentRetryOptions {
  /** Attempts in all, at least 1. */
  attempts: number;
  /** Fixed wait between attempts, in milliseconds. */
  delayMs: number;
  /**
   * Bound on each attempt, in milliseconds; an attempt that takes longer is a (transient) network error.
   *
   * @default 60_000
   */
  timeoutMs?: number;
}

/** A running fake Buildkite: an Agent API on loopback and, per `jobApi`, a Job API on a Unix socket. */
export interface FakeBuildkite {
  /**
   * The variables a job on this fake would have: `BUILDKITE=true`, `CI=true`, `BUILDKITE_JOB_ID`,
   * `BUILDKITE_AGENT_ACCESS_TOKEN`, `BUILDKITE_AGENT_ENDPOINT` (`http://127.0.0.1:<port>/v3`) and, per `jobApi`
   * mode, `BUILDKITE_AGENT_JOB_API_SOCKET` and `BUILDKITE_AGENT_JOB_API_TOKEN`; and
   * `BUILDKITE_PROMISE_FAILURE_LOCK_DIR`, a lock directory of this fake's own (removed by `close()`), so that
   * its job starts with no record even when `jobId` is fixed and an earlier run promised the same job. Nothing
   * else: spread it over your own environment (to share a lock directory between two fakes, set the variable
   * after spreading).
   */
  readonly env: Record<string, string>;
  /** This fake's job id. */
  readonly jobId: string;
  /** The Agent API base URL, ending `/v3`. */
  readonly endpoint: string;
  /** The Job API socket path (where nothing listens in `'dead-socket'` mode), or `undefined` in `'none'` mode. */
  readonly jobApiSocket: string | undefined;
  /** Every request either server received, in arrival order. A live array: it grows as requests arrive. */
  readonly requests: readonly RecordedRequest[];
  /** Only Agent API `PUT …/promise_failure` requests, whoever sent them: a client directly, or the fake agent. */
  agentApiRequests(): RecordedRequest[];
  /** Only Job API requests, on any route. */
  jobApiRequests(): RecordedRequest[];
  /** Only Test Engine requests (the test plan route), whoever sent them. */
  testEngineRequests(): RecordedRequest[];
  /**
   * Queues faults for the next Agent API `promise_failure` requests, in order; each applies to `times` requests
   * (default 1). Faults apply before every other rule (authentication included).
   */
  fault(...faults: Fault[]): void;
  /**
   * Queues faults for the Job API's promise-failure route: the route answers as the fault says instead of
   * coordinating. Faults apply before every other rule (authentication included). A `'json'` body is
   * `{"error": …}`, the Job API's error shape.
   */
  faultJobApi(...faults: Fault[]): void;
  /** Queues faults for the Test Engine test plan route (`{ hang: true }`, `{ delay }`, `{ status }`, `{ reset: true }`). */
  faultTestEngine(...faults: Fault[]): void;
  /** The exit status Buildkite holds for the job (default: this fake's job), or `undefined`. */
  promisedExitStatus(jobId?: string): number | undefined;
  /** Marks the job (default: this fake's job) finished: later promises get 422. */
  finishJob(jobId?: string): void;
  /**
   * Adds another job on the same servers, with its own access token (for 403 tests). It has no Job API, so its
   * `env` has no `BUILDKITE_AGENT_JOB_API_*` variables; it shares this fake's lock directory, as two jobs on one
   * machine share the default one.
   */
  addJob(options?: { jobId?: string }): { jobId: string; env: Record<string, string> };
  /**
   * Resolves, with the Agent API `promise_failure` requests so far, once at least `count` arrived (their bodies
   * read). Rejects after `timeout` ms, or when the fake is closed.
   */
  waitForAgentRequests(count: number, options?: { timeout?: number }): Promise<RecordedRequest[]>;
  /**
   * Stops both servers, destroys open and hanging connections, removes the fake's temporary directory (the Job
   * API socket and the lock directory). Idempotent.
   */
  close(): Promise<void>;
}

/**
 * A fault to inject, instead of the normal answer:
 *
 * - `{ status, retryAfter?, body? }`: answer with this status, a `Retry-After` header when given, and a body:
 *   `'json'` (the default) an API error object, `'html'` a proxy's HTML error page, any other string that raw
 *   body.
 * - `{ reset: true }`: destroy the connection without answering.
 * - `{ delay }`: wait `delay` ms, then answer normally.
 * - `{ hang: true }`: never answer (until `close()`).
 *
 * Each applies to `times` requests (default 1).
 */
export type Fault =
  | { status: number; retryAfter?: string | number; body?: 'json' | 'html' | (string & {}); times?: number }
  | { reset: true; times?: number }
  | { delay: number; times?: number }
  | { hang: true; times?: number };

/** One request as either server received it. */
export interface RecordedRequest {
  /** Which API received it: the Agent API, the Job API, or Test Engine (served beside the Agent API). */
  api: 'agent' | 'job' | 'test-engine';
  method: string;
  /** The raw path as received, query included, e.g. `/v3/jobs/abc%2E1/promise_failure`. */
  path: string;
  /** The decoded job id, for Agent API `/v3/jobs/{id}/…` routes. */
  jobId?: string;
  /** The request headers, names lower-cased (repeated headers joined with `, `). */
  headers: Record<string, string>;
  /** The body parsed as JSON, else the raw string (`''` when empty; `undefined` until it has been read). */
  body: unknown;
  /** The status answered: `undefined` for a reset or a hang, or before answering. */
  status?: number;
  /** `Date.now()` when the request arrived. */
  at: number;
}
