import { clampDelay, now } from '../clock.js';
import type { DebugLog } from '../debug.js';
import { ErrorCode, oneLine, PromiseFailureError } from '../errors.js';
import type { Outcome } from '../outcome.js';
import type { Redactor } from '../redact.js';
import type { HttpAnswer, HttpClient, HttpRequest } from './http-client.js';
import { maximumBodyBytes } from './read-body.js';
import { describeStatus, isTerminalStatus } from './status-messages.js';

export interface JobApiRequest {
  token: string;
  body: { exit_status: number; reason?: string };
  /** The agent's Unix socket. */
  socketPath: string;
  /** Node's own HTTP (node-http.ts): the socket is local, never behind a proxy. */
  client: HttpClient;
  /** Absolute time (ms since the epoch, on clock.ts's `now()`) past which we stop waiting for the agent. */
  deadline: number;
  redact: Redactor;
  log: DebugLog;
}

/**
 * The Job API's share of a call: an agent whose socket accepts but never answers (hung, or stuck
 * behind its own retries) must not eat the whole timeout. After this long, or half the time left if
 * that is less, the Agent API is asked instead; a second request for the same exit status is
 * harmless (Buildkite is idempotent for it), a lost one is not.
 */
export const jobApiAnswerBound = 5_000;

export function jobApiShare(left: number): number {
  return Math.max(1, Math.min(jobApiAnswerBound, Math.ceil(left / 2)));
}

const route: Pick<HttpRequest, 'origin' | 'path'> = { origin: 'http://localhost', path: '/api/current-job/v0/promise-failure' };

/**
 * `POST /api/current-job/v0/promise-failure` over the agent's socket. The agent blocks until Buildkite
 * answers (retrying on its side), so there is a single attempt here. Only a `200` with a readable body
 * is an answer; anything else — a 404 from an agent without the route, 401, 5xx, a body that is not
 * JSON, a socket that refuses — rejects with `PROMISE_FAILURE_JOB_API_UNAVAILABLE`, and the caller
 * falls back to the Agent API as the agent's own command does.
 *
 * The answer is the agent's: `declared` when its coordinator sent the request, `debounced` when it
 * shared another's. A refusal Buildkite will repeat is final (recorded); a 429, a 5xx or no status at
 * all lets a later call retry.
 */
export async function declareViaJobApi(input: JobApiRequest): Promise<Outcome> {
  const left = input.deadline - now();
  if (left <= 0) throw new PromiseFailureError(ErrorCode.Timeout, 'Job API: timed out before the agent answered');
  const share = jobApiShare(left);
  const bound = AbortSignal.timeout(clampDelay(share));
  let answer: HttpAnswer;
  try {
    answer = await input.client.send({
      ...route,
      socketPath: input.socketPath,
      method: 'POST',
      headers: { authorization: `Bearer ${input.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input.body),
      // The bound covers the answer's body too: a body that never ends is no answer.
      signal: bound,
      // A 200's body is the answer; any other status is read for nothing but its status.
      maxBodyBytes: (status) => (status === 200 ? maximumBodyBytes : 0),
    });
  } catch (cause) {
    if (now() >= input.deadline) {
      throw new PromiseFailureError(ErrorCode.Timeout, 'Job API: timed out before the agent answered', { cause });
    }
    if (bound.aborted) throw unavailable(`the agent did not answer within ${share} ms`, cause);
    const code = (cause as { code?: unknown } | null)?.code;
    throw unavailable(`the socket could not be used (${typeof code === 'string' ? code : String(cause)})`, cause);
  }
  if (answer.status === 404) throw unavailable('the agent has no promise-failure route (agents before 3.130)');
  if (answer.status !== 200) throw unavailable(`the agent answered ${answer.status}`);
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(answer.bodyStart) as Record<string, unknown>;
  } catch (cause) {
    throw unavailable('the agent answered 200 with a body that is not JSON', cause);
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.accepted !== 'boolean') {
    throw unavailable('the agent answered 200 without `accepted`');
  }
  const accepted = parsed.accepted;
  const upstream = typeof parsed.upstream_status === 'number' ? parsed.upstream_status : undefined;
  const said = typeof parsed.error === 'string' && parsed.error !== '' ? parsed.error : undefined;
  const outcome: Outcome = {
    outcome: parsed.outcome === 'debounced' ? 'debounced' : 'declared',
    accepted,
    exitStatus: input.body.exit_status,
    transport: 'job-api',
    final: accepted || (upstream !== undefined && isTerminalStatus(upstream)),
  };
  if (upstream !== undefined) outcome.upstreamStatus = upstream;
  if (!accepted) {
    outcome.error = input.redact(
      oneLine(
        `Job API: Buildkite did not accept the promise${upstream === undefined ? '' : ` (${upstream} — ${describeStatus(upstream)})`}${said ? `: ${said}` : ''}`,
      ),
    );
    // Buildkite's refusal relayed by the agent: terminal (recorded) or transient (a later call retries).
    outcome.code = outcome.final ? ErrorCode.Refused : ErrorCode.Transient;
  }
  input.log(`Job API answered ${outcome.outcome}, accepted ${accepted}${upstream === undefined ? '' : `, upstream ${upstream}`}`);
  return outcome;
}

function unavailable(why: string, cause?: unknown): PromiseFailureError {
  return new PromiseFailureError(ErrorCode.JobApiUnavailable, `Job API: ${why}`, { cause });
}
