import { request } from 'node:http';
import { afterEach } from 'vitest';
import { startFakeBuildkite } from './fake-buildkite.js';
import type { FakeBuildkite, FakeBuildkiteOptions } from './types.js';

/** An answer read off a real socket. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

function toAnswer(status: number, headers: Answer['headers'], text: string): Answer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/** `PUT /v3/jobs/{escapedJobId}/promise_failure` over real HTTP, with the fake job's token unless told otherwise. */
export async function putPromiseFailure(
  buildkite: FakeBuildkite,
  body: unknown,
  options: { escapedJobId?: string; token?: string | null; rawBody?: string } = {},
): Promise<Answer> {
  const token = options.token === undefined ? buildkite.env.BUILDKITE_AGENT_ACCESS_TOKEN : options.token;
  const response = await fetch(`${buildkite.endpoint}/jobs/${options.escapedJobId ?? buildkite.jobId}/promise_failure`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Token ${token}` }),
    },
    body: options.rawBody ?? JSON.stringify(body),
  });
  return toAnswer(response.status, Object.fromEntries(response.headers), await response.text());
}

/** A request to the Job API over its Unix socket, with the fake's bearer token unless told otherwise. */
export function callJobApi(
  buildkite: FakeBuildkite,
  body: unknown,
  options: { token?: string | null; authorization?: string; path?: string; method?: string; rawBody?: string } = {},
): Promise<Answer> {
  const token = options.token === undefined ? buildkite.env.BUILDKITE_AGENT_JOB_API_TOKEN : options.token;
  const authorization = options.authorization ?? (token === null || token === undefined ? undefined : `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        socketPath: buildkite.jobApiSocket,
        path: options.path ?? '/api/current-job/v0/promise-failure',
        method: options.method ?? 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          ...(authorization === undefined ? {} : { authorization }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve(toAnswer(response.statusCode ?? 0, response.headers, text)));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.rawBody ?? JSON.stringify(body));
  });
}

/** The promise's error (or value), handled at once: `close()` rejects it while the test awaits something else. */
export function settle<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.catch((error: Error) => error);
}

/** Starts fakes for a test file's tests; every fake a test started is closed after it. */
export function startEach(defaults: FakeBuildkiteOptions = {}): (options?: FakeBuildkiteOptions) => Promise<FakeBuildkite> {
  const started: FakeBuildkite[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((fake) => fake.close()));
  });
  return async (options = {}) => {
    const fake = await startFakeBuildkite({ ...defaults, ...options });
    started.push(fake);
    return fake;
  };
}
