import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callJobApi, settle, startEach } from './test-helpers.js';

const start = startEach();

function concurrently<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(index)));
}

describe("Job API 'current': authentication and validation", () => {
  it.each<[string, { token?: string | null }, string]>([
    ['no Authorization header', { token: null }, 'authorization header is required'],
    ['a wrong token', { token: 'f'.repeat(64) }, 'invalid authorization token'],
  ])('answers 401 {"error"} to %s, before anything else', async (_name, options, error) => {
    const fake = await start();
    const answer = await callJobApi(fake, { exit_status: 1 }, options);
    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.json).toEqual({ error });
    expect(fake.agentApiRequests()).toEqual([]);
  });

  it.each([
    ['a Token (not Bearer) authorization', 'Token '],
    ['a Bearer without a space', 'Bearer'],
  ])('answers 401 to %s', async (_name, prefix) => {
    const fake = await start();
    const authorization = prefix === 'Bearer' ? 'Bearer' : `${prefix}${fake.env.BUILDKITE_AGENT_JOB_API_TOKEN}`;
    const answer = await callJobApi(fake, { exit_status: 1 }, { authorization });
    expect(answer).toMatchObject({ status: 401, json: { error: expect.stringContaining('invalid authorization header') } });
  });

  it.each<[string, string]>([
    ['a body that is not JSON', 'exit_status=1'],
    ['an empty body', ''],
    ['a missing exit_status', '{"reason":"x"}'],
    ['exit status 0', '{"exit_status":0}'],
    ['a negative exit status', '{"exit_status":-2}'],
    ['a string exit status', '{"exit_status":"1"}'],
    ['a fractional exit status', '{"exit_status":1.5}'],
  ])('answers 400 {"error"} to %s, without calling upstream', async (_name, rawBody) => {
    const fake = await start();
    const answer = await callJobApi(fake, undefined, { rawBody });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: expect.any(String) });
    expect(fake.agentApiRequests()).toEqual([]);
  });

  it("answers Go's plain-text 404 to other routes, and 405 to another method on the route", async () => {
    const fake = await start();
    const notFound = await callJobApi(fake, undefined, { path: '/api/current-job/v0/env', method: 'GET' });
    expect(notFound).toMatchObject({ status: 404, text: '404 page not found\n' });
    expect(notFound.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await callJobApi(fake, undefined, { method: 'GET' })).status).toBe(405);
  });
});

describe("Job API 'current': the coordinator", () => {
  it('declares upstream over real HTTP with the job token, and answers declared / accepted', async () => {
    const fake = await start({ jobId: 'job.1' });
    const answer = await callJobApi(fake, { exit_status: 2, reason: 'a test failed' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.json).toEqual({ outcome: 'declared', accepted: true, upstream_status: 204 });
    expect(fake.promisedExitStatus()).toBe(2);

    const [upstream] = fake.agentApiRequests();
    expect(upstream).toMatchObject({
      method: 'PUT',
      path: '/v3/jobs/job%2E1/promise_failure',
      jobId: 'job.1',
      headers: { authorization: `Token ${fake.env.BUILDKITE_AGENT_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      body: { exit_status: 2, reason: 'a test failed' },
      status: 204,
    });
    expect(fake.jobApiRequests()).toMatchObject([
      { api: 'job', method: 'POST', path: '/api/current-job/v0/promise-failure', body: { exit_status: 2 }, status: 200 },
    ]);
    // The Job API request arrived first, then the upstream request it made.
    expect(fake.requests.map((request) => request.api)).toEqual(['job', 'agent']);
  });

  it('omits an empty reason upstream', async () => {
    const fake = await start();
    await callJobApi(fake, { exit_status: 1 });
    expect(fake.agentApiRequests()[0]?.body).toEqual({ exit_status: 1 });
  });

  it('answers later callers debounced from the cached success, without another upstream request', async () => {
    const fake = await start();
    await callJobApi(fake, { exit_status: 1 });
    const later = await callJobApi(fake, { exit_status: 1 });
    expect(later.json).toEqual({ outcome: 'debounced', accepted: true, upstream_status: 204 });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('makes one upstream request for many concurrent callers, who share it; the first reason wins', async () => {
    const fake = await start({ latency: 100 });
    const answers = await concurrently(12, (index) => callJobApi(fake, { exit_status: 1, reason: `caller ${index}` }));
    const outcomes = answers.map((answer) => (answer.json as { outcome: string }).outcome);
    expect(outcomes.filter((outcome) => outcome === 'declared')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'debounced')).toHaveLength(11);
    for (const answer of answers) expect(answer.json).toMatchObject({ accepted: true, upstream_status: 204 });
    expect(fake.agentApiRequests()).toHaveLength(1);
    const declaredBy = answers.findIndex((answer) => (answer.json as { outcome: string }).outcome === 'declared');
    expect(fake.agentApiRequests()[0]?.body).toEqual({ exit_status: 1, reason: `caller ${declaredBy}` });
  });

  it("declares a different exit status on its own, and shares Buildkite's 409 for it", async () => {
    const fake = await start();
    await callJobApi(fake, { exit_status: 1 });
    const other = await callJobApi(fake, { exit_status: 2 });
    expect(other.json).toEqual({
      outcome: 'declared',
      accepted: false,
      upstream_status: 409,
      error: expect.stringContaining('409 Conflict'),
    });
    expect(fake.agentApiRequests()).toHaveLength(2);
  });

  it('caches a terminal failure: later callers are debounced from it without calling upstream', async () => {
    const fake = await start();
    fake.finishJob();
    const first = await callJobApi(fake, { exit_status: 1 });
    expect(first.json).toEqual({
      outcome: 'declared',
      accepted: false,
      upstream_status: 422,
      error: expect.stringContaining('Job is not running'),
    });
    const later = await callJobApi(fake, { exit_status: 1 });
    expect(later.json).toMatchObject({ outcome: 'debounced', accepted: false, upstream_status: 422 });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('caches a 403 and a 404 (feature off) as terminal', async () => {
    const fake = await start({ enabled: false });
    await callJobApi(fake, { exit_status: 1 });
    const later = await callJobApi(fake, { exit_status: 1 });
    expect(later.json).toMatchObject({ outcome: 'debounced', accepted: false, upstream_status: 404 });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('retries transient failures (5xx, reset, 429, a non-JSON error page) and then succeeds', async () => {
    const fake = await start({ agentRetry: { attempts: 10, delayMs: 1 } });
    fake.fault({ status: 500 }, { reset: true }, { status: 429, retryAfter: 1 }, { status: 404, body: 'html' });
    const answer = await callJobApi(fake, { exit_status: 1 });
    expect(answer.json).toEqual({ outcome: 'declared', accepted: true, upstream_status: 204 });
    expect(fake.agentApiRequests().map((request) => request.status)).toEqual([500, undefined, 429, 404, 204]);
  });

  it('evicts a transient failure: N concurrent callers share one declaration, and a later call declares again', async () => {
    // Latency keeps the declaration in flight (about 0.6 s) until all eight callers have arrived.
    const fake = await start({ latency: 200, agentRetry: { attempts: 3, delayMs: 1 } });
    fake.fault({ status: 503, times: 3 });
    const answers = await concurrently(8, () => callJobApi(fake, { exit_status: 1 }));
    // One declaration, with its three attempts: not one per caller.
    expect(fake.agentApiRequests()).toHaveLength(3);
    const outcomes = answers.map((answer) => (answer.json as { outcome: string }).outcome);
    expect(outcomes.filter((outcome) => outcome === 'declared')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'debounced')).toHaveLength(7);
    for (const answer of answers) {
      expect(answer.json).toMatchObject({ accepted: false, upstream_status: 503, error: expect.stringContaining('3 attempts') });
    }

    const retried = await callJobApi(fake, { exit_status: 1 });
    expect(retried.json).toEqual({ outcome: 'declared', accepted: true, upstream_status: 204 });
    expect(fake.agentApiRequests()).toHaveLength(4);
  });

  it('gives up on network failures without an upstream status, and evicts them', async () => {
    const fake = await start({ agentRetry: { attempts: 2, delayMs: 1 } });
    fake.fault({ reset: true, times: 2 });
    const answer = await callJobApi(fake, { exit_status: 1 });
    expect(answer.json).toEqual({ outcome: 'declared', accepted: false, error: expect.any(String) });
    expect(JSON.stringify(answer.json)).not.toContain(fake.env.BUILDKITE_AGENT_ACCESS_TOKEN);
    expect((await callJobApi(fake, { exit_status: 1 })).json).toMatchObject({ outcome: 'declared', accepted: true });
  });

  it('bounds each upstream attempt by agentRetry.timeoutMs', async () => {
    const fake = await start({ agentRetry: { attempts: 2, delayMs: 1, timeoutMs: 100 } });
    fake.fault({ hang: true });
    const answer = await callJobApi(fake, { exit_status: 1 });
    expect(answer.json).toEqual({ outcome: 'declared', accepted: true, upstream_status: 204 });
    expect(fake.agentApiRequests()).toHaveLength(2);
  });

  it('stops an upstream declaration that hangs when closed', async () => {
    const fake = await start();
    fake.fault({ hang: true });
    const pending = settle(callJobApi(fake, { exit_status: 1 }));
    await fake.waitForAgentRequests(1);
    const started = performance.now();
    await fake.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("Job API 'without-route' (agents 3.128–3.129)", () => {
  it('checks the bearer token first, then answers every route 404 page not found', async () => {
    const fake = await start({ jobApi: 'without-route' });
    const unauthorized = await callJobApi(fake, { exit_status: 1 }, { token: 'wrong' });
    expect(unauthorized).toMatchObject({ status: 401, json: { error: 'invalid authorization token' } });

    const notFound = await callJobApi(fake, { exit_status: 1 });
    expect(notFound).toMatchObject({ status: 404, text: '404 page not found\n', json: undefined });
    expect(notFound.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await callJobApi(fake, undefined, { path: '/api/current-job/v0/env', method: 'GET' })).status).toBe(404);

    expect(fake.jobApiRequests().map((request) => request.status)).toEqual([401, 404, 404]);
    expect(fake.agentApiRequests()).toEqual([]);
  });
});

describe("Job API 'none'", () => {
  it('has no Job API and no BUILDKITE_AGENT_JOB_API_* variables', async () => {
    const fake = await start({ jobApi: 'none' });
    expect(fake.jobApiSocket).toBeUndefined();
    expect(Object.keys(fake.env).sort()).toEqual([
      'BUILDKITE',
      'BUILDKITE_AGENT_ACCESS_TOKEN',
      'BUILDKITE_AGENT_ENDPOINT',
      'BUILDKITE_JOB_ID',
      'BUILDKITE_PROMISE_FAILURE_LOCK_DIR',
      'CI',
    ]);
  });
});

describe("Job API 'dead-socket'", () => {
  it('points the socket variable at a path where nothing listens, with a token', async () => {
    const fake = await start({ jobApi: 'dead-socket' });
    expect(fake.env.BUILDKITE_AGENT_JOB_API_SOCKET).toBe(fake.jobApiSocket);
    expect(fake.env.BUILDKITE_AGENT_JOB_API_TOKEN).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(fake.jobApiSocket as string)).toBe(false);
    expect(statSync(dirname(fake.jobApiSocket as string)).isDirectory()).toBe(true);
    await expect(callJobApi(fake, { exit_status: 1 })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
