import type { DebugLog } from '../debug.js';
import { type Env, readRequestHeaders, type Transports } from '../environment.js';
import { ErrorCode, oneLine, PromiseFailureError } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { Transport } from '../types.js';
import { declareViaAgentApi } from './agent-api.js';
import { createAgentApiDispatcher, createJobApiDispatcher } from './http-dispatcher.js';
import { declareViaJobApi } from './job-api.js';
import { describeStatus, isTerminalStatus } from './status-messages.js';

export interface SendPlan {
  jobId: string;
  exitStatus: number;
  /** Already redacted and cut. */
  reason: string | undefined;
  transports: Transports;
  env: Env;
  deadline: number;
  redact: Redactor;
  log: DebugLog;
}

/** What one declaration got from Buildkite. `final` answers are recorded; others let a later call retry. */
export interface Sent {
  outcome: 'declared' | 'debounced';
  accepted: boolean;
  transport: Transport | undefined;
  upstreamStatus: number | undefined;
  error: string | undefined;
  /** Set with `error`: what kind of failure it is. */
  code: ErrorCode | undefined;
  final: boolean;
}

/**
 * The Job API first when the agent offers it; the Agent API when it does not, or when the Job API
 * cannot be used. A Job API `200` is Buildkite's answer, even `accepted: false`: no fallback then.
 */
export async function sendDeclaration(plan: SendPlan): Promise<Sent> {
  const body = plan.reason === undefined ? { exit_status: plan.exitStatus } : { exit_status: plan.exitStatus, reason: plan.reason };
  let jobApiProblem: PromiseFailureError | undefined;

  if (plan.transports.jobApi) {
    const dispatcher = createJobApiDispatcher(plan.transports.jobApi.socket);
    try {
      plan.log(`declaring exit status ${plan.exitStatus} through the Job API`);
      const answer = await declareViaJobApi({ token: plan.transports.jobApi.token, body, dispatcher, deadline: plan.deadline });
      const upstream = answer.upstreamStatus;
      // A refusal Buildkite will repeat is recorded; a 429, a 5xx or no status at all lets a later call retry.
      const final = answer.accepted || (upstream !== undefined && isTerminalStatus(upstream));
      const error = answer.accepted
        ? undefined
        : plan.redact(
            oneLine(
              `Job API: Buildkite did not accept the promise${upstream === undefined ? '' : ` (${upstream} — ${describeStatus(upstream)})`}${answer.error ? `: ${answer.error}` : ''}`,
            ),
          );
      plan.log(`Job API answered ${answer.outcome}, accepted ${answer.accepted}${upstream === undefined ? '' : `, upstream ${upstream}`}`);
      // Buildkite's refusal relayed by the agent: terminal (recorded) or transient (a later call retries).
      const code = answer.accepted ? undefined : final ? ErrorCode.Refused : ErrorCode.Transient;
      return { outcome: answer.outcome, accepted: answer.accepted, transport: 'job-api', upstreamStatus: upstream, error, code, final };
    } catch (error) {
      const problem = asPromiseFailureError(error);
      if (problem.code !== ErrorCode.JobApiUnavailable) return failed('job-api', problem, plan.redact);
      jobApiProblem = problem;
      plan.log(`${problem.message}; falling back to the Agent API`);
    } finally {
      void dispatcher.close().catch(() => {});
    }
  }

  if (!plan.transports.agentApi) {
    // Only reachable when the Job API failed and there is no access token to fall back on.
    return failed('job-api', jobApiProblem ?? new PromiseFailureError(ErrorCode.JobApiUnavailable, 'no transport'), plan.redact, false);
  }
  const dispatcher = await createAgentApiDispatcher(plan.env);
  try {
    const status = await declareViaAgentApi({
      endpoint: plan.transports.agentApi.endpoint,
      token: plan.transports.agentApi.token,
      jobId: plan.jobId,
      body,
      extraHeaders: readRequestHeaders(plan.env, plan.log),
      dispatcher,
      deadline: plan.deadline,
      redact: plan.redact,
      log: plan.log,
    });
    plan.log(`Agent API accepted exit status ${plan.exitStatus} (${status})`);
    return {
      outcome: 'declared',
      accepted: true,
      transport: 'agent-api',
      upstreamStatus: status,
      error: undefined,
      code: undefined,
      final: true,
    };
  } catch (error) {
    return failed('agent-api', asPromiseFailureError(error), plan.redact);
  } finally {
    void dispatcher.close().catch(() => {});
  }
}

function failed(transport: Transport, problem: PromiseFailureError, redact: Redactor, final = problem.code === ErrorCode.Refused): Sent {
  return {
    outcome: 'declared',
    accepted: false,
    transport,
    upstreamStatus: problem.upstreamStatus,
    error: redact(oneLine(problem.message)),
    code: problem.code,
    final,
  };
}

function asPromiseFailureError(error: unknown): PromiseFailureError {
  if (error instanceof PromiseFailureError) return error;
  return new PromiseFailureError(ErrorCode.Internal, `unexpected error: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
