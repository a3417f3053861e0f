import type { DebugLog } from '../debug.js';
import type { Env, Transports } from '../environment.js';
import { ErrorCode, PromiseFailureError } from '../errors.js';
import { failedOutcome, type Outcome } from '../outcome.js';
import type { Redactor } from '../redact.js';
import { declareViaAgentApi } from './agent-api.js';
import { agentApiClient } from './agent-api-client.js';
import { declareViaJobApi } from './job-api.js';
import { nodeHttpClient } from './node-http.js';
import { readRequestHeaders } from './request-headers.js';

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

/**
 * The Job API first when the agent offers it; the Agent API when it does not, or when the Job API
 * cannot be used. A Job API `200` is Buildkite's answer, even `accepted: false`: no fallback then.
 * Resolves for every answer and every failure; `final` outcomes are the ones to record.
 */
export async function sendDeclaration(plan: SendPlan): Promise<Outcome> {
  const body = plan.reason === undefined ? { exit_status: plan.exitStatus } : { exit_status: plan.exitStatus, reason: plan.reason };
  let jobApiProblem: PromiseFailureError | undefined;

  if (plan.transports.jobApi) {
    try {
      plan.log(`declaring exit status ${plan.exitStatus} through the Job API`);
      return await declareViaJobApi({
        token: plan.transports.jobApi.token,
        body,
        socketPath: plan.transports.jobApi.socket,
        client: nodeHttpClient,
        deadline: plan.deadline,
        redact: plan.redact,
        log: plan.log,
      });
    } catch (error) {
      const problem = asPromiseFailureError(error);
      if (problem.code !== ErrorCode.JobApiUnavailable)
        return failedOutcome(plan.exitStatus, problem, plan.redact, { transport: 'job-api' });
      jobApiProblem = problem;
      plan.log(`${problem.message}; falling back to the Agent API`);
    }
  }

  if (!plan.transports.agentApi) {
    // Only reachable when the Job API failed and there is no access token to fall back on.
    const problem = jobApiProblem ?? new PromiseFailureError(ErrorCode.JobApiUnavailable, 'no transport');
    return failedOutcome(plan.exitStatus, problem, plan.redact, { transport: 'job-api', final: false });
  }
  const client = await agentApiClient(plan.env, plan.transports.agentApi.endpoint);
  try {
    return await declareViaAgentApi({
      endpoint: plan.transports.agentApi.endpoint,
      token: plan.transports.agentApi.token,
      jobId: plan.jobId,
      body,
      extraHeaders: readRequestHeaders(plan.env, plan.log),
      client,
      deadline: plan.deadline,
      redact: plan.redact,
      log: plan.log,
    });
  } catch (error) {
    return failedOutcome(plan.exitStatus, asPromiseFailureError(error), plan.redact, { transport: 'agent-api' });
  } finally {
    client.close();
  }
}

function asPromiseFailureError(error: unknown): PromiseFailureError {
  if (error instanceof PromiseFailureError) return error;
  return new PromiseFailureError(ErrorCode.Internal, `unexpected error: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
