import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { promiseFailure } from '../src/index.js';
import { fakeBuildkite, jobEnv } from './support.js';

describe('skipped', () => {
  it('outside a Buildkite job: no request, no file', async () => {
    const fake = await fakeBuildkite();
    const env = jobEnv(fake);
    delete env.BUILDKITE_JOB_ID;
    const result = await promiseFailure({ env });
    expect(result).toEqual({
      outcome: 'skipped',
      accepted: false,
      exitStatus: 1,
      error: expect.stringContaining('BUILDKITE_JOB_ID'),
      code: 'PROMISE_FAILURE_NOT_IN_JOB',
    });
    expect(fake.requests).toHaveLength(0);
    expect(existsSync(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string)).toBe(false);
  });

  it.each(['false', '0', 'off', 'no', 'No', ' OFF '])('when BUILDKITE_PROMISE_FAILURE=%s', async (value) => {
    const fake = await fakeBuildkite();
    const env = jobEnv(fake, { BUILDKITE_PROMISE_FAILURE: value });
    const result = await promiseFailure({ env, exitStatus: 3 });
    expect(result).toMatchObject({ outcome: 'skipped', accepted: false, exitStatus: 3 });
    expect(result.error).toContain('turned off');
    expect(fake.requests).toHaveLength(0);
    expect(existsSync(env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string)).toBe(false);
  });

  it('with no way to reach Buildkite', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    delete env.BUILDKITE_AGENT_ACCESS_TOKEN;
    const result = await promiseFailure({ env });
    expect(result).toMatchObject({ outcome: 'skipped', accepted: false });
    expect(result.error).toContain('no way to reach Buildkite');
    expect(fake.requests).toHaveLength(0);
  });

  it('with only half of the Job API (a socket without its token) and no access token', async () => {
    const fake = await fakeBuildkite();
    const env = jobEnv(fake);
    delete env.BUILDKITE_AGENT_JOB_API_TOKEN;
    delete env.BUILDKITE_AGENT_ACCESS_TOKEN;
    expect((await promiseFailure({ env })).outcome).toBe('skipped');
    expect(fake.requests).toHaveLength(0);
  });

  it.each([
    ['BUILDKITE_PROMISE_FAILURE_EXIT_STATUS', '0'],
    ['BUILDKITE_PROMISE_FAILURE_EXIT_STATUS', 'abc'],
    ['BUILDKITE_PROMISE_FAILURE_EXIT_STATUS', '256'],
    ['BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS', '-1'],
    ['BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS', 'soon'],
  ])('with a bad environment value %s=%s, naming it', async (name, value) => {
    const fake = await fakeBuildkite();
    const result = await promiseFailure({ env: jobEnv(fake, { [name]: value }) });
    expect(result.outcome).toBe('skipped');
    expect(result.error).toContain(name);
    expect(result.error).toContain(JSON.stringify(value));
    expect(fake.requests).toHaveLength(0);
  });
});

describe('declared', () => {
  it('through the Job API when the agent offers it', async () => {
    const fake = await fakeBuildkite();
    const result = await promiseFailure({ env: jobEnv(fake), exitStatus: 2, reason: 'a test failed' });
    expect(result).toEqual({ outcome: 'declared', accepted: true, exitStatus: 2, transport: 'job-api', upstreamStatus: 204 });
    expect(fake.jobApiRequests()).toHaveLength(1);
    expect(fake.jobApiRequests()[0]?.body).toEqual({ exit_status: 2, reason: 'a test failed' });
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(fake.promisedExitStatus()).toBe(2);
  });

  it('straight to the Agent API without a Job API, with the headers the protocol asks for', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', jobId: 'job.with.dots' });
    // As the agent sets them: `Buildkite-Timestamp` from the server, and a name it would never send.
    const env = jobEnv(fake, { BUILDKITE_REQUEST_HEADER_BUILDKITE_TIMESTAMP: '12345', BUILDKITE_REQUEST_HEADER_X_OTHER: 'no' });
    const result = await promiseFailure({ env });
    expect(result).toEqual({ outcome: 'declared', accepted: true, exitStatus: 1, transport: 'agent-api', upstreamStatus: 204 });
    const [request] = fake.agentApiRequests();
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe('/v3/jobs/job%2Ewith%2Edots/promise_failure');
    expect(request?.headers.authorization).toBe(`Token ${fake.env.BUILDKITE_AGENT_ACCESS_TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^promise-failure\/\d+\.\d+\.\d+/);
    expect(request?.headers['buildkite-timestamp']).toBe('12345');
    expect(Object.keys(request?.headers ?? {}).filter((name) => /other|buildkite-buildkite/i.test(name))).toEqual([]);
    expect(request?.body).toEqual({ exit_status: 1 });
  });

  it('uses BUILDKITE_PROMISE_FAILURE_EXIT_STATUS when no exitStatus is passed', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await promiseFailure({ env: jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: '42' }) });
    expect(result).toMatchObject({ accepted: true, exitStatus: 42 });
    expect(fake.promisedExitStatus()).toBe(42);
  });

  it('redacts the reason and cuts it to 1,000 characters', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake, { DATABASE_PASSWORD: 'correct-horse' });
    const token = env.BUILDKITE_AGENT_ACCESS_TOKEN as string;
    await promiseFailure({ env, reason: `password correct-horse token ${token} ${'x'.repeat(2_000)}` });
    const reason = (fake.agentApiRequests()[0]?.body as { reason: string } | undefined)?.reason ?? '';
    expect(reason.startsWith('password [REDACTED] token [REDACTED] xxx')).toBe(true);
    expect(Array.from(reason)).toHaveLength(1_000);
  });
});

describe('in-process coalescing (guarantee 1)', () => {
  it('100 concurrent calls make one request: one declared, the rest debounced', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', latency: 50 });
    const env = jobEnv(fake);
    const results = await Promise.all(Array.from({ length: 100 }, () => promiseFailure({ env })));
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'declared')).toHaveLength(1);
    expect(results.filter((result) => result.outcome === 'debounced')).toHaveLength(99);
    expect(results.every((result) => result.accepted && result.transport === 'agent-api')).toBe(true);
  });

  it('later calls return from the record, without a request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    expect((await promiseFailure({ env })).outcome).toBe('declared');
    for (let index = 0; index < 50; index++) {
      expect(await promiseFailure({ env })).toEqual({
        outcome: 'debounced',
        accepted: true,
        exitStatus: 1,
        transport: 'agent-api',
        upstreamStatus: 204,
      });
    }
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('declares each exit status on its own', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const env = jobEnv(fake);
    expect(await promiseFailure({ env, exitStatus: 1 })).toMatchObject({ outcome: 'declared', accepted: true });
    const second = await promiseFailure({ env, exitStatus: 2 });
    expect(second).toMatchObject({ outcome: 'declared', accepted: false, upstreamStatus: 409 });
    expect(second.error).toContain('a different exit status was already promised');
    expect(fake.agentApiRequests()).toHaveLength(2);
  });

  it('keeps a terminal refusal: no second request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', enabled: false });
    const env = jobEnv(fake);
    const first = await promiseFailure({ env });
    expect(first).toMatchObject({ outcome: 'declared', accepted: false, upstreamStatus: 404, transport: 'agent-api' });
    expect(first.error).toContain('promise-failure is not enabled for this organization');
    expect(await promiseFailure({ env })).toMatchObject({ outcome: 'debounced', accepted: false, upstreamStatus: 404 });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it.each([
    [401, 'the access token was refused'],
    [403, 'the token was refused'],
    [422, 'the job is no longer running'],
  ])('says plainly what %i means', async (status, words) => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status });
    const result = await promiseFailure({ env: jobEnv(fake) });
    expect(result).toMatchObject({ accepted: false, upstreamStatus: status });
    expect(result.error).toContain(words);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('a job that finished gets 422', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.finishJob();
    expect(await promiseFailure({ env: jobEnv(fake) })).toMatchObject({ accepted: false, upstreamStatus: 422 });
  });

  it("another job's token gets 403", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const other = fake.addJob();
    const env = { ...jobEnv(fake), BUILDKITE_AGENT_ACCESS_TOKEN: other.env.BUILDKITE_AGENT_ACCESS_TOKEN as string };
    expect(await promiseFailure({ env })).toMatchObject({ accepted: false, upstreamStatus: 403 });
  });
});

describe('retries (guarantee 2)', () => {
  it('retries 5xx, 429, resets and error pages, then succeeds', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 503 }, { status: 429 }, { reset: true }, { status: 400, body: 'html' }, { status: 502, body: 'html' });
    const result = await promiseFailure({ env: jobEnv(fake) });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, upstreamStatus: 204 });
    expect(fake.agentApiRequests()).toHaveLength(6);
  });

  it('waits with exponential backoff and jitter between attempts', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 500, times: 4 });
    await promiseFailure({ env: jobEnv(fake) });
    const times = fake.agentApiRequests().map((request) => request.at);
    expect(times).toHaveLength(5);
    const gaps = times.slice(1).map((at, index) => at - (times[index] as number));
    // Full jitter: each wait is somewhere between 0 and 250·2^(n-1) ms (plus scheduling).
    for (const [index, gap] of gaps.entries()) expect(gap).toBeLessThanOrEqual(250 * 2 ** index + 200);
  });

  it('honours Retry-After', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 429, retryAfter: 1 });
    const result = await promiseFailure({ env: jobEnv(fake) });
    expect(result.accepted).toBe(true);
    const [first, second] = fake.agentApiRequests();
    expect((second?.at as number) - (first?.at as number)).toBeGreaterThanOrEqual(950);
  });

  it('ends at once, saying so, when Retry-After is longer than the time left', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 503, retryAfter: 120 });
    const started = Date.now();
    const result = await promiseFailure({ env: jobEnv(fake), timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(result).toMatchObject({ outcome: 'declared', accepted: false, upstreamStatus: 503 });
    expect(result.error).toMatch(/retry after 120 s, longer than the \d+ ms left/);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('makes at most 10 attempts, records nothing, and a later call tries again', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 500, times: 10 });
    const env = jobEnv(fake);
    const first = await promiseFailure({ env, timeout: 55_000 });
    expect(first).toMatchObject({ outcome: 'declared', accepted: false, upstreamStatus: 500 });
    expect(fake.agentApiRequests()).toHaveLength(10);
    const second = await promiseFailure({ env });
    expect(second).toMatchObject({ outcome: 'declared', accepted: true });
    expect(fake.agentApiRequests()).toHaveLength(11);
  }, 60_000);

  it('never runs past the timeout', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ status: 500, times: 100 });
    const started = Date.now();
    const result = await promiseFailure({ env: jobEnv(fake), timeout: 1_200 });
    expect(Date.now() - started).toBeLessThan(1_200 + 500);
    expect(result.accepted).toBe(false);
    expect(fake.agentApiRequests().length).toBeGreaterThan(1);
  });
});

describe('the Job API (guarantee 3)', () => {
  it('falls back to the Agent API when the agent has no route (404)', async () => {
    const fake = await fakeBuildkite({ jobApi: 'without-route' });
    const result = await promiseFailure({ env: jobEnv(fake) });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true, transport: 'agent-api' });
    expect(fake.jobApiRequests()).toHaveLength(1);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('falls back when the socket cannot be used', async () => {
    const fake = await fakeBuildkite({ jobApi: 'dead-socket' });
    expect(await promiseFailure({ env: jobEnv(fake) })).toMatchObject({ accepted: true, transport: 'agent-api' });
  });

  it.each([
    ['a 500', { status: 500 }],
    ['a 401', { status: 401 }],
    ['a 200 that is not JSON', { status: 200, body: 'surprise' }],
    ['a reset', { reset: true as const }],
  ])('falls back on %s', async (_, fault) => {
    const fake = await fakeBuildkite();
    fake.faultJobApi(fault);
    expect(await promiseFailure({ env: jobEnv(fake) })).toMatchObject({ accepted: true, transport: 'agent-api' });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it("takes a 200 with accepted: false as Buildkite's answer: no fallback, and a terminal one is kept", async () => {
    const fake = await fakeBuildkite();
    fake.faultJobApi({
      status: 200,
      body: JSON.stringify({ outcome: 'declared', accepted: false, upstream_status: 409, error: 'already promised 2' }),
    });
    const env = jobEnv(fake);
    const result = await promiseFailure({ env });
    expect(result).toMatchObject({ outcome: 'declared', accepted: false, transport: 'job-api', upstreamStatus: 409 });
    expect(result.error).toContain('already promised 2');
    expect(fake.agentApiRequests()).toHaveLength(0);
    expect(await promiseFailure({ env })).toMatchObject({ outcome: 'debounced', accepted: false, upstreamStatus: 409 });
    expect(fake.jobApiRequests()).toHaveLength(1);
  });

  it('does not keep a transient refusal from the Job API', async () => {
    const fake = await fakeBuildkite();
    fake.faultJobApi({
      status: 200,
      body: JSON.stringify({ outcome: 'declared', accepted: false, upstream_status: 503, error: 'upstream down' }),
    });
    const env = jobEnv(fake);
    expect(await promiseFailure({ env })).toMatchObject({ accepted: false, upstreamStatus: 503, transport: 'job-api' });
    expect(await promiseFailure({ env })).toMatchObject({ outcome: 'declared', accepted: true, transport: 'job-api' });
    expect(fake.jobApiRequests()).toHaveLength(2);
  });

  it("reports the agent's own debouncing as debounced", async () => {
    const fake = await fakeBuildkite();
    fake.faultJobApi({ status: 200, body: JSON.stringify({ outcome: 'debounced', accepted: true, upstream_status: 204 }) });
    expect(await promiseFailure({ env: jobEnv(fake) })).toMatchObject({ outcome: 'debounced', accepted: true, transport: 'job-api' });
  });

  it('sends the Bearer token and the same body', async () => {
    const fake = await fakeBuildkite();
    await promiseFailure({ env: jobEnv(fake), exitStatus: 5, reason: 'why' });
    const [request] = fake.jobApiRequests();
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/current-job/v0/promise-failure');
    expect(request?.headers.authorization).toBe(`Bearer ${fake.env.BUILDKITE_AGENT_JOB_API_TOKEN}`);
    expect(request?.body).toEqual({ exit_status: 5, reason: 'why' });
  });
});

describe('waiting', () => {
  it("each caller waits at most its own timeout; the starter's declaration carries on", async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ delay: 1_500 });
    const env = jobEnv(fake);
    const starter = promiseFailure({ env, timeout: 10_000 });
    const impatient = await promiseFailure({ env, timeout: 200 });
    expect(impatient).toMatchObject({ outcome: 'debounced', accepted: false });
    expect(impatient.error).toContain('timed out after 200 ms');
    expect(await starter).toMatchObject({ outcome: 'declared', accepted: true });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('a starter that times out says declared: it made the request', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ hang: true });
    const result = await promiseFailure({ env: jobEnv(fake), timeout: 300 });
    expect(result).toMatchObject({ outcome: 'declared', accepted: false });
  });

  it('stops waiting on its signal, while another caller still gets the outcome', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ delay: 500 });
    const env = jobEnv(fake);
    const controller = new AbortController();
    const aborted = promiseFailure({ env, signal: controller.signal });
    const patient = promiseFailure({ env });
    controller.abort();
    expect(await aborted).toMatchObject({ accepted: false, error: expect.stringContaining('signal') });
    expect(await patient).toMatchObject({ outcome: 'debounced', accepted: true });
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  it('an already aborted signal returns at once', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    fake.fault({ delay: 2_000 });
    const result = await promiseFailure({ env: jobEnv(fake), signal: AbortSignal.abort() });
    expect(result.accepted).toBe(false);
  });
});

describe('the lock directory (guarantee 5)', () => {
  it('records the outcome under BUILDKITE_PROMISE_FAILURE_LOCK_DIR, never naming the job raw', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', jobId: '../../escape' });
    const env = jobEnv(fake);
    await promiseFailure({ env });
    const root = env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string;
    const [jobDirectory] = readdirSync(root);
    expect(jobDirectory).toMatch(/^______escape-[0-9a-f]{32}$/);
    expect(readdirSync(`${root}/${jobDirectory}`)).toContain('exit-1.result');
  });

  it('still declares, in-process only, where no file can be written', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none' });
    const result = await promiseFailure({ env: jobEnv(fake, { BUILDKITE_PROMISE_FAILURE_LOCK_DIR: '/dev/null/locks' }) });
    expect(result).toMatchObject({ outcome: 'declared', accepted: true });
  });
});

describe('a malformed endpoint', () => {
  it('is refused at the door, like any bad variable: skipped, naming it, nothing sent (not even to the Job API)', async () => {
    const fake = await fakeBuildkite();
    const result = await promiseFailure({ env: jobEnv(fake, { BUILDKITE_AGENT_ENDPOINT: 'not a url' }) });
    expect(result).toMatchObject({ outcome: 'skipped', accepted: false, code: 'PROMISE_FAILURE_INVALID_ENVIRONMENT' });
    expect(result.error).toContain('BUILDKITE_AGENT_ENDPOINT');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('only the declaring call redacts its reason (issue 10, item 12)', () => {
  it('callers that join a declaration in flight never build a redactor', async () => {
    const fake = await fakeBuildkite({ jobApi: 'none', latency: 300 });
    const env: Record<string, string> = jobEnv(fake);
    // The redactor reads every variable whose name looks secret; validation reads each once per call.
    let reads = 0;
    Object.defineProperty(env, 'DEPLOY_SECRET_TOKEN', {
      enumerable: true,
      get: () => {
        reads += 1;
        return 'a-secret-value-123';
      },
    });
    const calls = 50;
    const results = await Promise.all(
      Array.from({ length: calls }, () => promiseFailure({ env, reason: `a-secret-value-123 ${'x'.repeat(100_000)}` })),
    );
    expect(results.every((result) => result.accepted)).toBe(true);
    // One read per call (validation), plus one redactor for the declaration: not one per call.
    expect(reads).toBeLessThanOrEqual(calls + 2);
    expect(JSON.stringify(fake.agentApiRequests()[0]?.body)).toContain('[REDACTED]');
  });
});
