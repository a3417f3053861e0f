import { type Agent, request as httpRequest, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { escapeJobId } from './http-helpers.js';

/** What the fake agent asks of the Agent API, on the job's behalf. */
export interface UpstreamDeclaration {
  /** The Agent API base URL, ending `/v3`. */
  endpoint: string;
  jobId: string;
  accessToken: string;
  exitStatus: number;
  reason: string;
  attempts: number;
  delayMs: number;
  timeoutMs: number;
  /** Keeps the fake agent's connections apart from the caller's, so that close() can end them. */
  httpAgent: Agent;
  /** Aborted by `close()`: the declaration stops retrying. */
  signal: AbortSignal;
}

/** How a declaration ended: the coordinator caches it unless it failed transiently. */
export interface DeclarationResult {
  accepted: boolean;
  /** Buildkite's HTTP status, when one came back. */
  upstreamStatus?: number;
  error?: string;
  /** A failure that will not change on retry (a 4xx other than 429, with an API error body). */
  terminal: boolean;
}

/** The agent's User-Agent, marked as a fake so that recorded requests say who sent them. */
const USER_AGENT = 'buildkite-agent/3.130.0 (linux; amd64) @promise-failure/testkit';

/**
 * Declares a promised failure to the Agent API over real HTTP, as the agent does: transient failures (429, 5xx,
 * network errors, and any error answer whose body is not JSON, such as a proxy's page) are retried up to
 * `attempts` times, `delayMs` apart; any other 4xx ends it at once. Like the agent, it ignores `Retry-After`.
 */
export async function declareUpstream(declaration: UpstreamDeclaration): Promise<DeclarationResult> {
  const path = `/jobs/${escapeJobId(declaration.jobId)}/promise_failure`;
  const url = `${declaration.endpoint}${path}`;
  const body = JSON.stringify({
    exit_status: declaration.exitStatus,
    ...(declaration.reason === '' ? {} : { reason: declaration.reason }),
  });

  let result: DeclarationResult = { accepted: false, terminal: false, error: 'no attempt was made' };
  for (let attempt = 1; attempt <= declaration.attempts; attempt += 1) {
    if (declaration.signal.aborted) return closedResult();
    result = await attemptDeclaration(url, body, declaration);
    if (result.accepted || result.terminal) return result;
    if (attempt < declaration.attempts) {
      try {
        await sleep(declaration.delayMs, undefined, { signal: declaration.signal });
      } catch {
        return closedResult();
      }
    }
  }
  return { ...result, error: `${result.error ?? 'failed'} (gave up after ${declaration.attempts} attempts)` };
}

function closedResult(): DeclarationResult {
  return { accepted: false, terminal: false, error: 'the fake Buildkite was closed before Buildkite answered' };
}

async function attemptDeclaration(url: string, body: string, declaration: UpstreamDeclaration): Promise<DeclarationResult> {
  let answer: { status: number; body: string };
  try {
    answer = await put(url, body, declaration);
  } catch (error) {
    return { accepted: false, terminal: false, error: `[PUT] "${url}": ${(error as Error).message}` };
  }
  const { status } = answer;
  if (status >= 200 && status < 300) return { accepted: true, upstreamStatus: status, terminal: false };

  const apiMessage = readApiMessage(answer.body);
  const described = `[PUT] "${url}": ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  if (apiMessage === undefined) {
    return { accepted: false, upstreamStatus: status, terminal: false, error: `${described}: the error body is not JSON` };
  }
  const terminal = status >= 400 && status < 500 && status !== 429;
  return { accepted: false, upstreamStatus: status, terminal, error: apiMessage === '' ? described : `${described}: ${apiMessage}` };
}

/** The `message` of a JSON error body (`''` for JSON without one), or `undefined` when the body is not JSON. */
function readApiMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
      return (parsed as { message: string }).message;
    }
    return '';
  } catch {
    return undefined;
  }
}

function put(url: string, body: string, declaration: UpstreamDeclaration): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'PUT',
      agent: declaration.httpAgent,
      signal: declaration.signal,
      timeout: declaration.timeoutMs,
      headers: {
        authorization: `Token ${declaration.accessToken}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': USER_AGENT,
      },
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${declaration.timeoutMs} ms`)));
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.end(body);
  });
}
