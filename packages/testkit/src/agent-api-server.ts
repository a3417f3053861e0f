import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { applyFault, type FaultQueue, type Reply, recordingReply } from './faults.js';
import { parseBody, readBody, resetConnection, sendRaw, stopServer, trackConnections } from './http-helpers.js';
import type { JobRegistry } from './jobs.js';
import { pathOnly, type RequestRecorder } from './recorder.js';
import { answerTestPlan, isTestPlanPath, type TestPlanSettings } from './test-engine-plan.js';
import type { Fault } from './types.js';

export interface AgentApiServerOptions {
  jobs: JobRegistry;
  recorder: RequestRecorder;
  faults: FaultQueue;
  /** `false`: promise_failure answers 404, as for an organization without the feature. */
  enabled: boolean;
  /** Delay before every answer, ms. */
  latency: number;
  /** Aborted by `close()`: pending delays end and their connections are destroyed. */
  signal: AbortSignal;
  /** Test Engine's test plan route, served on the same origin (`testEngine` option); absent: 404. */
  testPlan?: { settings: TestPlanSettings; faults: FaultQueue };
}

export interface RunningServer {
  stop(): Promise<void>;
}

const JOB_ROUTE = /^\/v3\/jobs\/([^/]+)(\/.*)?$/;

/** An API error answer: Buildkite's shape, `{"message": …}`. */
function message(text: string): string {
  return JSON.stringify({ message: text });
}

/**
 * Starts the fake Agent API on `127.0.0.1:0`: `PUT /v3/jobs/{id}/promise_failure`, with Buildkite's rules in
 * the order it applies them (faults first, then authentication, the feature flag, the job's state, the body,
 * and the promise itself).
 */
export async function startAgentApiServer(options: AgentApiServerOptions): Promise<RunningServer & { port: number }> {
  const { jobs, recorder, faults, enabled, latency, signal, testPlan } = options;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = pathOnly(request.url ?? '');
    if (isTestPlanPath(path)) return handleTestPlan(request, response);
    const jobRoute = JOB_ROUTE.exec(path);
    const jobId = jobRoute?.[1] === undefined ? undefined : decodePathSegment(jobRoute[1]);
    const isPromiseFailure = request.method === 'PUT' && jobRoute?.[2] === '/promise_failure' && jobId !== undefined;

    const record = recorder.recordArrival('agent', request, jobId);
    // Taken on arrival, so that faults apply to requests in the order they arrive.
    const fault = isPromiseFailure ? faults.take() : undefined;
    const reply = recordingReply(response, record);
    const replyJson = (status: number, body: string) => reply(status, body, { 'content-type': 'application/json' });

    recorder.recordBody(record, parseBody(await readBody(request)));
    if (latency > 0) await sleep(latency, undefined, { signal });
    if (await answeredByFault(fault, request, reply)) return;

    if (!isPromiseFailure) return replyJson(404, message('Not Found'));

    const authorization = /^Token (.+)$/.exec(request.headers.authorization ?? '');
    const tokenJob = authorization?.[1] === undefined ? undefined : jobs.findByToken(authorization[1]);
    if (tokenJob === undefined) return replyJson(401, message('Unauthorized: a valid agent access token is required'));
    if (tokenJob.id !== jobId) return replyJson(403, message('Forbidden: this access token belongs to another job'));
    if (!enabled) return replyJson(404, message('Promised failures are not enabled for this organization'));
    const job = jobs.get(jobId);
    if (job.finished) return replyJson(422, message('Job is not running'));

    const exitStatus = readExitStatus(record.body);
    if (typeof exitStatus === 'string') return replyJson(422, message(exitStatus));
    if (job.promisedExitStatus === undefined) job.promisedExitStatus = exitStatus;
    else if (job.promisedExitStatus !== exitStatus) {
      return replyJson(409, message(`A different exit status (${job.promisedExitStatus}) was already promised for this job`));
    }
    return reply(204, '');
  }

  /** Applies a route's fault with Buildkite's error shape (`{"message"}`): `true` when the fault answered the request. */
  function answeredByFault(fault: Fault | undefined, request: IncomingMessage, reply: Reply): Promise<boolean> {
    if (fault === undefined) return Promise.resolve(false);
    return applyFault(
      fault,
      reply,
      () => resetConnection(request),
      (text) => ({ message: text }),
      signal,
    );
  }

  /** Test Engine's route: its own faults and records (`api: 'test-engine'`), no Agent API latency. */
  async function handleTestPlan(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const record = recorder.recordArrival('test-engine', request);
    const fault = testPlan?.faults.take();
    const reply = recordingReply(response, record);
    recorder.recordBody(record, parseBody(await readBody(request)));
    if (await answeredByFault(fault, request, reply)) return;
    const answer = testPlan === undefined ? { status: 404, body: { message: 'Not Found' } } : answerTestPlan(testPlan.settings, record);
    reply(answer.status, JSON.stringify(answer.body), { 'content-type': 'application/json' });
  }

  const server = createServer((request, response) => {
    response.on('error', () => {});
    handle(request, response).catch(() => {
      // Aborted by close(), or the client went away: nothing to answer, nobody to tell.
      if (signal.aborted) request.socket.destroy();
      else if (!response.headersSent) sendRaw(response, 500, message('Internal Server Error'));
    });
  });
  const sockets = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { port: (server.address() as AddressInfo).port, stop: () => stopServer(server, sockets) };
}

/** The job id from its path segment, or `undefined` for a malformed escape (which routes nowhere). */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The body's exit status, or why the body is invalid (Buildkite answers 422). */
function readExitStatus(body: unknown): number | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'The body must be a JSON object: {"exit_status": 1, "reason": "…"}';
  }
  const { exit_status: exitStatus, reason } = body as Record<string, unknown>;
  if (typeof exitStatus !== 'number' || !Number.isInteger(exitStatus) || exitStatus < 1 || exitStatus > 255) {
    return `exit_status must be an integer from 1 to 255, got ${JSON.stringify(exitStatus) ?? 'nothing'}`;
  }
  if (reason !== undefined && reason !== null && typeof reason !== 'string') return 'reason must be a string';
  return exitStatus;
}
