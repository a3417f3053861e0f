import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { promiseFailure } from '../src/index.js';
import { cliPath, fakeBuildkite, jobEnv, startNode, temporaryDirectory } from './support.js';

/*
 * Issue 10's answers that a well-behaved fake never gives: bodies without end, hung agents, values no
 * HTTP header can carry, job ids that are URL dot segments, error messages that span lines.
 */

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Writes `chunk` until the client goes away: a body that never ends. */
function streamForever(response: ServerResponse, chunk: string): void {
  const write = () => {
    while (!response.destroyed && response.write(chunk)) {
      // keep the socket's buffer full
    }
    if (!response.destroyed) response.once('drain', write);
  };
  write();
}

async function listen(server: Server, where: { port: 0; host: '127.0.0.1' } | { path: string }): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(where, resolve));
}

describe('bodies are read only as far as they matter (issue 10, item 6)', () => {
  it('an Agent API error page that never ends is cut off and retried; the next answer is taken', async () => {
    let requests = 0;
    const server = createServer((request, response) => {
      requests += 1;
      request.resume();
      if (requests === 1) {
        response.writeHead(503, { 'content-type': 'text/html' });
        streamForever(response, `<p>${'x'.repeat(16_000)}</p>`);
      } else response.writeHead(204).end();
    });
    await listen(server, { port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_AGENT_ENDPOINT: `http://127.0.0.1:${port}/v3` });
    const result = await promiseFailure({ env, timeout: 20_000 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, transport: 'agent-api', upstreamStatus: 204 });
    expect(requests).toBe(2);
  });

  it('a Job API 200 whose body never ends falls back to the Agent API', async () => {
    const socket = join(temporaryDirectory(), 'agent.sock');
    const server = createServer((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      streamForever(response, `{"accepted":true,"pad":"${'y'.repeat(16_000)}`);
    });
    await listen(server, { path: socket });
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_AGENT_JOB_API_SOCKET: socket, BUILDKITE_AGENT_JOB_API_TOKEN: 'job-api-token-1234' });
    // 4 s: the Job API's share would be 2 s, so only reading at most a few KB leaves the Agent API time.
    const result = await promiseFailure({ env, timeout: 4_000 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, transport: 'agent-api' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('a hung Job API (issue 10, item 14)', () => {
  it('gets a bounded share of the timeout, then the Agent API is asked', async () => {
    const fake = await fakeBuildkite();
    fake.faultJobApi({ hang: true });
    const result = await promiseFailure({ env: jobEnv(fake), timeout: 30_000 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, transport: 'agent-api', upstreamStatus: 204 });
    expect(fake.jobApiRequests()).toHaveLength(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });
});

describe('values no HTTP header can carry (issue 10, item 7)', () => {
  it.each([
    ['non-Latin-1', '日本'],
    ['a control character', 'a\u0001b'],
  ])('a BUILDKITE_REQUEST_HEADER_* value with %s is dropped; the declaration is sent', async (_, value) => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_REQUEST_HEADER_BUILDKITE_BAD: value, BUILDKITE_REQUEST_HEADER_BUILDKITE_GOOD: 'fine' });
    const result = await promiseFailure({ env, timeout: 10_000 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true });
    const [request] = fake.agentApiRequests();
    expect(request?.headers['buildkite-good']).toBe('fine');
    expect(request?.headers).not.toHaveProperty('buildkite-bad');
  });

  it('an access token no header can carry: skipped at once, naming the variable, never showing the value', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { BUILDKITE_AGENT_ACCESS_TOKEN: 'secret-tok\u0001en-value' });
    const result = await promiseFailure({ env, timeout: 10_000 });
    expect(result).toMatchObject({ outcome: 'skipped', accepted: false, code: 'PROMISE_FAILURE_INVALID_ENVIRONMENT' });
    expect(result.error).toContain('BUILDKITE_AGENT_ACCESS_TOKEN');
    expect(result.error).not.toContain('secret-tok');
    expect(fake.requests).toHaveLength(0);
  });

  it('a Job API token no header can carry: the Agent API is used instead', async () => {
    const fake = await fakeBuildkite();
    const env = jobEnv(fake, { BUILDKITE_AGENT_JOB_API_TOKEN: 'job\u00a0token\u2028here' });
    const result = await promiseFailure({ env, timeout: 10_000 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, transport: 'agent-api' });
    expect(fake.jobApiRequests()).toHaveLength(0);
  });
});

describe('job ids that are URL dot segments (issue 10, item 9)', () => {
  it.each(['.', '..'])('job id %j reaches its own route', async (jobId) => {
    const fake = await fakeBuildkite({ jobApi: 'none', jobId });
    const result = await promiseFailure({ env: jobEnv(fake), timeout: 10_000 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, upstreamStatus: 204 });
    expect(fake.agentApiRequests()[0]?.path).toBe(`/v3/jobs/${jobId.replaceAll('.', '%2E')}/promise_failure`);
    expect(fake.promisedExitStatus()).toBe(1);
  });
});

describe('one line (issue 10, item 8)', () => {
  it("the CLI prints exactly one line when the error is OpenSSL's, which ends with a newline", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    // TLS to a plain-HTTP port: OpenSSL's "wrong version number" message, newline included.
    const env = jobEnv(fake, {
      BUILDKITE_AGENT_ENDPOINT: fake.endpoint.replace('http://', 'https://'),
      BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS: '1500',
    });
    const { code, stdout, stderr } = await startNode([cliPath, '--reason', 'r'], env).done;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^promise-failure: exit status 1 was not accepted: .+\n$/);
    expect(stderr.split('\n')).toHaveLength(2);
  });

  it('with debug on, every line printed starts promise-failure:', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, {
      BUILDKITE_AGENT_ENDPOINT: fake.endpoint.replace('http://', 'https://'),
      BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS: '1500',
      BUILDKITE_PROMISE_FAILURE_DEBUG: 'true',
    });
    const { stdout, stderr } = await startNode([cliPath], env).done;
    const lines = `${stdout}${stderr}`.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line).toMatch(/^promise-failure: /);
  });
});
