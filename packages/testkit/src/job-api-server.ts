import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RunningServer } from './agent-api-server.js';
import type { PromiseFailureCoordinator } from './coordinator.js';
import { applyFault, type FaultQueue, recordingReply } from './faults.js';
import { parseBody, readBody, resetConnection, sendRaw, stopServer, trackConnections } from './http-helpers.js';
import { pathOnly, type RequestRecorder } from './recorder.js';

export interface JobApiServerOptions {
  /** `'current'`: the promise-failure route; `'without-route'`: authentication, then 404 for everything. */
  mode: 'current' | 'without-route';
  socketPath: string;
  /** `BUILDKITE_AGENT_JOB_API_TOKEN`. */
  token: string;
  recorder: RequestRecorder;
  faults: FaultQueue;
  coordinator: PromiseFailureCoordinator;
  /** Aborted by `close()`. */
  signal: AbortSignal;
}

/** The one route this fake serves. */
export const PROMISE_FAILURE_ROUTE = '/api/current-job/v0/promise-failure';

/** Go's `http.NotFound` body: what an agent without the route answers. */
const NOT_FOUND_BODY = '404 page not found\n';

/**
 * Starts the fake agent's Job API on a Unix socket, answering as the agent's `jobapi` package does: the bearer
 * token is checked before routing (so even an agent without the route answers 401 to a wrong token), errors are
 * `{"error": …}`, and an unknown route is Go's plain-text `404 page not found`.
 */
export async function startJobApiServer(options: JobApiServerOptions): Promise<RunningServer> {
  const { mode, token, recorder, faults, coordinator, signal } = options;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = pathOnly(request.url ?? '');
    const record = recorder.recordArrival('job', request);
    // Taken on arrival, so that faults apply to requests in the order they arrive.
    const fault = request.method === 'POST' && path === PROMISE_FAILURE_ROUTE ? faults.take() : undefined;
    const reply = recordingReply(response, record);
    const replyJson = (status: number, body: unknown) => reply(status, JSON.stringify(body), { 'content-type': 'application/json' });

    const rawBody = await readBody(request);
    recorder.recordBody(record, parseBody(rawBody));
    if (fault !== undefined) {
      const handled = await applyFault(
        fault,
        reply,
        () => resetConnection(request),
        (text) => ({ error: text }),
        signal,
      );
      if (handled) return;
    }

    const authError = checkBearerToken(request.headers.authorization, token);
    if (authError !== undefined) return replyJson(401, { error: authError });

    if (mode === 'without-route' || path !== PROMISE_FAILURE_ROUTE) {
      return reply(404, NOT_FOUND_BODY, {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
    }
    if (request.method !== 'POST') return reply(405, '');

    const payload = readPayload(rawBody);
    if (typeof payload === 'string') return replyJson(400, { error: payload });
    replyJson(200, await coordinator.declarePromiseFailure(payload.exitStatus, payload.reason));
  }

  const server = createServer((request, response) => {
    response.on('error', () => {});
    handle(request, response).catch(() => {
      // Aborted by close(), or the client went away: nothing to answer, nobody to tell.
      if (signal.aborted) request.socket.destroy();
      else replyInternalError(response);
    });
  });
  const sockets = trackConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { stop: () => stopServer(server, sockets) };
}

function replyInternalError(response: ServerResponse): void {
  sendRaw(response, 500, JSON.stringify({ error: 'internal error in the fake Job API' }), {
    'content-type': 'application/json',
  });
}

/** Why the bearer token is refused (the agent's `AuthMiddleware` messages), or `undefined` when it is right. */
function checkBearerToken(authorization: string | undefined, token: string): string | undefined {
  if (authorization === undefined || authorization === '') return 'authorization header is required';
  const space = authorization.indexOf(' ');
  if (space === -1) return 'invalid authorization header: must be in the form `Bearer <token>`';
  if (authorization.slice(0, space) !== 'Bearer') return 'invalid authorization header: type must be Bearer';
  if (authorization.slice(space + 1) !== token) return 'invalid authorization token';
  return undefined;
}

/**
 * The request's exit status and reason, or why the body is refused (400), following Go's decoding into
 * `{ExitStatus int; Reason string}`: a missing `exit_status` is 0, and the agent refuses any status ≤ 0.
 */
function readPayload(rawBody: string): { exitStatus: number; reason: string } | string {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch (error) {
    return `failed to decode request body: ${(error as Error).message}`;
  }
  if (body === null) body = {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    return 'failed to decode request body: expected a JSON object';
  }
  const { exit_status: exitStatus = 0, reason = '' } = body as Record<string, unknown>;
  if (typeof exitStatus !== 'number' || !Number.isInteger(exitStatus)) {
    return 'failed to decode request body: exit_status must be an integer';
  }
  if (reason !== null && typeof reason !== 'string') {
    return 'failed to decode request body: reason must be a string';
  }
  if (exitStatus <= 0) return 'exit_status must be a positive integer';
  return { exitStatus, reason: reason ?? '' };
}
