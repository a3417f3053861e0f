import { describe, expect, it } from 'vitest';
import { putPromiseFailure, startEach } from './test-helpers.js';

const start = startEach({ jobApi: 'none' });

describe('Agent API: PUT /v3/jobs/{id}/promise_failure', () => {
  it('accepts the first exit status with 204 and no body, and holds it', async () => {
    const fake = await start();
    const answer = await putPromiseFailure(fake, { exit_status: 3, reason: 'login test failed' });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect(fake.promisedExitStatus()).toBe(3);
  });

  it('answers 204 again for the same exit status, and 409 with a message for a different one', async () => {
    const fake = await start();
    expect((await putPromiseFailure(fake, { exit_status: 1 })).status).toBe(204);
    expect((await putPromiseFailure(fake, { exit_status: 1, reason: 'another reason' })).status).toBe(204);
    const conflict = await putPromiseFailure(fake, { exit_status: 2 });
    expect(conflict.status).toBe(409);
    expect(conflict.headers['content-type']).toBe('application/json');
    expect(conflict.json).toEqual({ message: expect.stringContaining('different exit status') });
    expect(fake.promisedExitStatus()).toBe(1);
  });

  it.each([
    ['a missing exit_status', { reason: 'x' }],
    ['exit status 0', { exit_status: 0 }],
    ['exit status 256', { exit_status: 256 }],
    ['a negative exit status', { exit_status: -1 }],
    ['a fractional exit status', { exit_status: 1.5 }],
    ['a string exit status', { exit_status: '1' }],
    ['a non-string reason', { exit_status: 1, reason: 42 }],
    ['a JSON array', [1]],
  ])('answers 422 for %s', async (_name, body) => {
    const fake = await start();
    const answer = await putPromiseFailure(fake, body);
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ message: expect.any(String) });
    expect(fake.promisedExitStatus()).toBeUndefined();
  });

  it('answers 422 for a body that is not JSON, and records it as a raw string', async () => {
    const fake = await start();
    const answer = await putPromiseFailure(fake, undefined, { rawBody: 'exit_status=1' });
    expect(answer.status).toBe(422);
    expect(fake.agentApiRequests()[0]?.body).toBe('exit_status=1');
  });

  it('answers 401 without a token, with a wrong token, and with a Bearer token', async () => {
    const fake = await start();
    expect((await putPromiseFailure(fake, { exit_status: 1 }, { token: null })).status).toBe(401);
    const wrong = await putPromiseFailure(fake, { exit_status: 1 }, { token: 'f'.repeat(64) });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ message: expect.any(String) });
    const bearer = await fetch(`${fake.endpoint}/jobs/${fake.jobId}/promise_failure`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${fake.env.BUILDKITE_AGENT_ACCESS_TOKEN}` },
      body: JSON.stringify({ exit_status: 1 }),
    });
    expect(bearer.status).toBe(401);
    expect(fake.promisedExitStatus()).toBeUndefined();
  });

  it("answers 403 to another job's valid token, and each job holds its own promise", async () => {
    const fake = await start();
    const other = fake.addJob({ jobId: 'other-job' });
    const forbidden = await putPromiseFailure(fake, { exit_status: 1 }, { token: other.env.BUILDKITE_AGENT_ACCESS_TOKEN });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toEqual({ message: expect.any(String) });
    expect(fake.promisedExitStatus()).toBeUndefined();

    const own = await putPromiseFailure(
      fake,
      { exit_status: 7 },
      {
        escapedJobId: 'other-job',
        token: other.env.BUILDKITE_AGENT_ACCESS_TOKEN,
      },
    );
    expect(own.status).toBe(204);
    expect(fake.promisedExitStatus('other-job')).toBe(7);
    expect(fake.promisedExitStatus()).toBeUndefined();
  });

  it('answers 403 to a valid token used for a job that does not exist', async () => {
    const fake = await start();
    const answer = await putPromiseFailure(fake, { exit_status: 1 }, { escapedJobId: 'no-such-job' });
    expect(answer.status).toBe(403);
  });

  it('answers 422 once the job is finished', async () => {
    const fake = await start();
    fake.finishJob();
    const answer = await putPromiseFailure(fake, { exit_status: 1 });
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({ message: 'Job is not running' });
    expect(fake.promisedExitStatus()).toBeUndefined();
  });

  it('answers 404 with a JSON message when the feature is not enabled', async () => {
    const fake = await start({ enabled: false });
    const answer = await putPromiseFailure(fake, { exit_status: 1 });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ message: expect.stringContaining('not enabled') });
    expect(fake.promisedExitStatus()).toBeUndefined();
  });

  it('decodes a job id whose dots are escaped as %2E, and records the raw path', async () => {
    const fake = await start({ jobId: 'job.with.dots' });
    const answer = await putPromiseFailure(fake, { exit_status: 1 }, { escapedJobId: 'job%2Ewith%2Edots' });
    expect(answer.status).toBe(204);
    expect(fake.promisedExitStatus('job.with.dots')).toBe(1);
    const [recorded] = fake.agentApiRequests();
    expect(recorded).toMatchObject({ path: '/v3/jobs/job%2Ewith%2Edots/promise_failure', jobId: 'job.with.dots' });
  });

  it('answers 404 JSON to unknown routes and other methods, which are not promise_failure requests', async () => {
    const fake = await start();
    const unknown = await fetch(`${fake.endpoint}/ping`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Not Found' });
    const post = await fetch(`${fake.endpoint}/jobs/${fake.jobId}/promise_failure`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
    expect(fake.requests).toHaveLength(2);
    expect(fake.agentApiRequests()).toEqual([]);
  });

  it('records the method, path, lower-cased headers, parsed body, status and arrival time', async () => {
    const fake = await start();
    const before = Date.now();
    await putPromiseFailure(fake, { exit_status: 1, reason: 'why' });
    expect(fake.requests).toEqual([
      {
        api: 'agent',
        method: 'PUT',
        path: `/v3/jobs/${fake.jobId}/promise_failure`,
        jobId: fake.jobId,
        headers: expect.objectContaining({
          authorization: `Token ${fake.env.BUILDKITE_AGENT_ACCESS_TOKEN}`,
          'content-type': 'application/json',
        }),
        body: { exit_status: 1, reason: 'why' },
        status: 204,
        at: expect.any(Number),
      },
    ]);
    expect(fake.requests[0]?.at).toBeGreaterThanOrEqual(before);
  });

  it('waits `latency` ms before every answer', async () => {
    const fake = await start({ latency: 150 });
    const started = performance.now();
    await putPromiseFailure(fake, { exit_status: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
