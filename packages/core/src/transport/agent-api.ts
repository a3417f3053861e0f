import { setTimeout as sleep } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { clampDelay, now } from '../clock.js';
import type { DebugLog } from '../debug.js';
import { ErrorCode, isTransient, PromiseFailureError } from '../errors.js';
import type { Outcome } from '../outcome.js';
import type { Redactor } from '../redact.js';
import { version } from '../version.js';
import { maximumAttempts, parseRetryAfter, retryDelay } from './backoff.js';
import { type HttpAnswer, type HttpClient, InvalidRequestError } from './http-client.js';
import { maximumBodyBytes } from './read-body.js';
import { describeStatus, isTerminalStatus } from './status-messages.js';

/** Time kept for one more attempt when a wait would otherwise run into the deadline. */
const finalAttemptReserve = 250;

export interface AgentApiRequest {
  endpoint: string;
  token: string;
  jobId: string;
  body: { exit_status: number; reason?: string };
  /** `Buildkite-*` headers from `BUILDKITE_REQUEST_HEADER_*`. */
  extraHeaders: Record<string, string>;
  /** Node's own HTTP, or undici's proxy agent (agent-api-client.ts). */
  client: HttpClient;
  /** Absolute time (ms since the epoch, on clock.ts's `now()`) past which nothing more is attempted. */
  deadline: number;
  redact: Redactor;
  log: DebugLog;
}

/**
 * The job id as the agent puts it in the path: path-escaped, and `.` as `%2E`, which Rails would
 * otherwise read as a format suffix.
 */
export function escapeJobId(jobId: string): string {
  return encodeURIComponent(jobId).replaceAll('.', '%2E');
}

/**
 * `PUT {endpoint}/jobs/{id}/promise_failure`, or a clear error for an endpoint that is not a URL. The
 * path is joined as a string and never given back to `URL`, which would read a job id of `.` or `..`
 * (escaped `%2E`, `%2E%2E`) as a dot segment and send `PUT /v3/jobs/promise_failure` or worse.
 */
export function promiseFailureUrl(endpoint: string, jobId: string): { origin: string; path: string; href: string } {
  let base: URL;
  try {
    base = new URL(endpoint);
  } catch (cause) {
    throw new PromiseFailureError(
      ErrorCode.InvalidEnvironment,
      `BUILDKITE_AGENT_ENDPOINT is not a valid URL: ${JSON.stringify(endpoint)}`,
      { cause },
    );
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new PromiseFailureError(
      ErrorCode.InvalidEnvironment,
      `BUILDKITE_AGENT_ENDPOINT must be an http(s) URL, got ${JSON.stringify(endpoint)}`,
    );
  }
  const path = `${base.pathname.replace(/\/+$/, '')}/jobs/${escapeJobId(jobId)}/promise_failure`;
  return { origin: base.origin, path, href: `${base.origin}${path}` };
}

/**
 * Declares straight to the Agent API. Transient failures are retried with p-retry; the waits are ours,
 * taken in `onFailedAttempt` (which p-retry awaits), not p-retry's own backoff: its `randomize` multiplies
 * each wait by 1–2, where the backoff rule is full jitter (a wait drawn uniformly from 0 to the cap,
 * backoff.ts), and no option of it can set the next wait from an answer's `Retry-After`, nor end the
 * call at once when that asks for longer than the time left. Terminal answers go through p-retry's
 * `AbortError`: no further attempt.
 * Resolves with the accepted, final outcome; rejects with a `PromiseFailureError` otherwise.
 */
export async function declareViaAgentApi(input: AgentApiRequest): Promise<Outcome> {
  const url = promiseFailureUrl(input.endpoint, input.jobId);
  // Never with credentials (the origin has none), never with a query (the path has none).
  const shown = url.href;
  const payload = JSON.stringify(input.body);
  const headers = {
    ...input.extraHeaders,
    authorization: `Token ${input.token}`,
    'content-type': 'application/json',
    'user-agent': `promise-failure/${version} (@promise-failure/core; node ${process.version})`,
  };

  const attempt = async (attemptNumber: number): Promise<number> => {
    const left = input.deadline - now();
    if (left <= 0) throw new AbortError(timedOut(shown));
    input.log(`PUT ${shown} (attempt ${attemptNumber} of ${maximumAttempts})`);
    let answer: HttpAnswer;
    try {
      answer = await input.client.send({
        origin: url.origin,
        path: url.path,
        method: 'PUT',
        headers,
        body: payload,
        signal: AbortSignal.timeout(clampDelay(left)),
        // Only an error answer's first bytes matter (its JSON message); a success's body is not read at all.
        maxBodyBytes: (status) => (isSuccess(status) ? 0 : maximumBodyBytes),
      });
    } catch (cause) {
      if (now() >= input.deadline) throw new AbortError(timedOut(shown));
      // A request the client refuses to send (an argument it rejects) fails the same way every time:
      // terminal, not retried until the timeout.
      if (cause instanceof InvalidRequestError) {
        throw new AbortError(new PromiseFailureError(ErrorCode.Internal, `[PUT] "${shown}": ${networkMessage(cause)}`, { cause }));
      }
      throw new PromiseFailureError(ErrorCode.Transient, `[PUT] "${shown}": ${networkMessage(cause)}`, { cause });
    }
    const status = answer.status;
    if (isSuccess(status)) return status;
    const error = answerError(status, answer.bodyStart, answer.headers['retry-after'], shown, input.redact);
    if (!isTransient(error)) throw new AbortError(error);
    throw error;
  };

  let status: number;
  try {
    status = await pRetry(attempt, {
      retries: maximumAttempts - 1,
      minTimeout: 0,
      factor: 1,
      unref: true,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft === 0) return;
        const retryAfter = (error as PromiseFailureError).retryAfterMs;
        const wait = retryAfter ?? retryDelay(attemptNumber);
        const left = input.deadline - now();
        if (retryAfter !== undefined && retryAfter > left) {
          throw new PromiseFailureError(
            ErrorCode.Timeout,
            `${error.message}; Buildkite asked to retry after ${Math.ceil(retryAfter / 1_000)} s, longer than the ${Math.max(0, Math.round(left))} ms left`,
            { cause: error, upstreamStatus: (error as PromiseFailureError).upstreamStatus },
          );
        }
        // A jittered wait that would run past the deadline is shortened to leave the last attempt some time.
        const lastChance = left - finalAttemptReserve;
        if (lastChance <= 0) {
          throw new PromiseFailureError(ErrorCode.Timeout, `${error.message}; no time left to retry`, {
            cause: error,
            upstreamStatus: (error as PromiseFailureError).upstreamStatus,
          });
        }
        const waited = Math.min(wait, lastChance);
        input.log(`${error.message}; retrying in ${waited} ms`);
        await sleep(clampDelay(waited), undefined, { ref: false });
      },
    });
  } catch (error) {
    if (error instanceof PromiseFailureError) throw error;
    throw new PromiseFailureError(ErrorCode.Transient, `[PUT] "${shown}": ${networkMessage(error)}`, { cause: error });
  }
  const exitStatus = input.body.exit_status;
  input.log(`Agent API accepted exit status ${exitStatus} (${status})`);
  return { outcome: 'declared', accepted: true, exitStatus, transport: 'agent-api', upstreamStatus: status, final: true };
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function timedOut(shown: string): PromiseFailureError {
  return new PromiseFailureError(ErrorCode.Timeout, `[PUT] "${shown}": timed out before Buildkite answered`);
}

/**
 * What an error answer means. A body that is not JSON is a proxy's or load balancer's page, whatever
 * its status: transient, as the agent treats it. A JSON answer is Buildkite's own.
 */
function answerError(
  status: number,
  text: string,
  retryAfterHeader: string | string[] | undefined,
  shown: string,
  redact: Redactor,
): PromiseFailureError {
  let message: string | undefined;
  let decoded = false;
  try {
    const parsed: unknown = JSON.parse(text);
    decoded = typeof parsed === 'object' && parsed !== null;
    const value = (parsed as { message?: unknown } | null)?.message;
    if (typeof value === 'string') message = value;
  } catch {
    decoded = false;
  }
  const said = message ? ` (Buildkite: ${JSON.stringify(redact(message).slice(0, 200))})` : '';
  const retryAfterMs = parseRetryAfter(retryAfterHeader);
  if (!decoded) {
    return new PromiseFailureError(ErrorCode.Transient, `[PUT] "${shown}": ${status} with an error page that is not Buildkite's JSON`, {
      upstreamStatus: status,
      retryAfterMs,
    });
  }
  const code = isTerminalStatus(status) ? ErrorCode.Refused : ErrorCode.Transient;
  return new PromiseFailureError(code, `[PUT] "${shown}": ${status} — ${describeStatus(status)}${said}`, {
    upstreamStatus: status,
    retryAfterMs,
  });
}

function networkMessage(cause: unknown): string {
  const error = cause as { code?: unknown; message?: unknown } | null;
  const code = typeof error?.code === 'string' ? `${error.code}: ` : '';
  const message = typeof error?.message === 'string' ? error.message : String(cause);
  return `network error (${code}${message})`;
}
