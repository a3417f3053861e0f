import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FakeBuildkiteOptions, startFakeBuildkite } from './index.js';
import { callJobApi, putPromiseFailure, settle, startEach } from './test-helpers.js';

const start = startEach();

describe('startFakeBuildkite', () => {
  it("returns the env a job would have, with the Job API's variables by default", async () => {
    const fake = await start({ jobId: 'my-job' });
    expect(fake.env).toEqual({
      BUILDKITE: 'true',
      CI: 'true',
      BUILDKITE_JOB_ID: 'my-job',
      BUILDKITE_AGENT_ACCESS_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/),
      BUILDKITE_AGENT_ENDPOINT: fake.endpoint,
      BUILDKITE_AGENT_JOB_API_SOCKET: fake.jobApiSocket,
      BUILDKITE_AGENT_JOB_API_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/),
      BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(dirname(fake.jobApiSocket as string), 'lock'),
    });
    expect(fake.env.BUILDKITE_AGENT_JOB_API_TOKEN).not.toBe(fake.env.BUILDKITE_AGENT_ACCESS_TOKEN);
    expect(fake.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    expect(fake.jobId).toBe('my-job');
    expect(statSync(fake.jobApiSocket as string).isSocket()).toBe(true);
    // The socket's directory is private, like the agent's.
    expect(statSync(dirname(fake.jobApiSocket as string)).mode & 0o777).toBe(0o700);
  });

  it('uses a random UUID job id by default, and independent servers per fake', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    expect(first?.jobId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first?.jobId).not.toBe(second?.jobId);
    expect(first?.endpoint).not.toBe(second?.endpoint);
    expect(first?.jobApiSocket).not.toBe(second?.jobApiSocket);
  });

  it('gives each fake its own lock directory, even with the same fixed jobId, in every jobApi mode', async () => {
    const fakes = await Promise.all([start({ jobId: 'fixed' }), start({ jobId: 'fixed', jobApi: 'none' })]);
    const lockDirectories = fakes.map((fake) => fake.env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string);
    expect(new Set(lockDirectories).size).toBe(2);
    for (const lockDirectory of lockDirectories) {
      // Inside the fake's private directory, and not made yet: the first caller creates it.
      expect(statSync(dirname(lockDirectory)).mode & 0o777).toBe(0o700);
      expect(existsSync(lockDirectory)).toBe(false);
    }
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown jobApi mode', { jobApi: 'legacy' }, /`jobApi` to be one of 'current'/],
    ['an empty jobId', { jobId: '' }, /`jobId`/],
    ['a non-boolean enabled', { enabled: 'no' }, /`enabled`/],
    ['a negative latency', { latency: -5 }, /`latency`/],
    ['zero attempts', { agentRetry: { attempts: 0, delayMs: 1 } }, /`agentRetry.attempts`/],
    ['a NaN delay', { agentRetry: { attempts: 1, delayMs: Number.NaN } }, /`agentRetry.delayMs`/],
    ['an unknown option', { latencey: 5 }, /^Unknown option `latencey`; expected `jobApi`, `jobId`/],
    ['an unknown agentRetry option', { agentRetry: { attempts: 1, delayMs: 1, tries: 2 } }, /^Unknown agentRetry option `tries`/],
    ['a non-object agentRetry', { agentRetry: 3 }, /`agentRetry` to be an object/],
  ])('rejects %s, naming the option', async (_name, options, message) => {
    await expect(startFakeBuildkite(options as FakeBuildkiteOptions)).rejects.toThrow(message);
  });
});

describe('close()', () => {
  it('is idempotent, stops both servers and removes the socket and lock directory', async () => {
    const fake = await start();
    const directory = dirname(fake.jobApiSocket as string);
    await mkdir(fake.env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR as string);
    await callJobApi(fake, { exit_status: 1 });
    await Promise.all([fake.close(), fake.close()]);
    await fake.close();
    expect(existsSync(directory)).toBe(false);
    await expect(fetch(`${fake.endpoint}/jobs/${fake.jobId}/promise_failure`, { method: 'PUT' })).rejects.toThrow();
  });

  it("removes the dead socket's directory too", async () => {
    const fake = await start({ jobApi: 'dead-socket' });
    const directory = dirname(fake.jobApiSocket as string);
    expect(existsSync(directory)).toBe(true);
    await fake.close();
    expect(existsSync(directory)).toBe(false);
  });

  it('ends a Job API declaration that is waiting between upstream retries', async () => {
    const fake = await start({ agentRetry: { attempts: 10, delayMs: 60_000 } });
    fake.fault({ status: 503 });
    const pending = settle(callJobApi(fake, { exit_status: 1 }));
    await fake.waitForAgentRequests(1);
    const closing = performance.now();
    await fake.close();
    expect(performance.now() - closing).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('jobs', () => {
  it('addJob() adds a job with its own token and no Job API variables', async () => {
    const fake = await start();
    const other = fake.addJob();
    expect(other.jobId).not.toBe(fake.jobId);
    expect(other.env).toEqual({
      BUILDKITE: 'true',
      CI: 'true',
      BUILDKITE_JOB_ID: other.jobId,
      BUILDKITE_AGENT_ACCESS_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/),
      BUILDKITE_AGENT_ENDPOINT: fake.endpoint,
      BUILDKITE_PROMISE_FAILURE_LOCK_DIR: fake.env.BUILDKITE_PROMISE_FAILURE_LOCK_DIR,
    });
    expect(other.env.BUILDKITE_AGENT_ACCESS_TOKEN).not.toBe(fake.env.BUILDKITE_AGENT_ACCESS_TOKEN);
    expect(() => fake.addJob({ jobId: other.jobId })).toThrow(/already exists/);
  });

  it('finishJob() takes a job id, and names an unknown one', async () => {
    const fake = await start();
    const other = fake.addJob({ jobId: 'other' });
    fake.finishJob('other');
    const answer = await putPromiseFailure(
      fake,
      { exit_status: 1 },
      {
        escapedJobId: 'other',
        token: other.env.BUILDKITE_AGENT_ACCESS_TOKEN,
      },
    );
    expect(answer.status).toBe(422);
    expect((await putPromiseFailure(fake, { exit_status: 1 })).status).toBe(204);
    expect(() => fake.finishJob('nope')).toThrow(/"nope"/);
    expect(fake.promisedExitStatus('nope')).toBeUndefined();
  });
});

describe('waitForAgentRequests()', () => {
  it('resolves once enough promise_failure requests arrived, whoever sent them', async () => {
    const fake = await start();
    const waiting = fake.waitForAgentRequests(2);
    await putPromiseFailure(fake, { exit_status: 1 });
    await callJobApi(fake, { exit_status: 2 });
    const requests = await waiting;
    expect(requests.map((request) => request.body)).toEqual([{ exit_status: 1 }, { exit_status: 2 }]);
    expect(await fake.waitForAgentRequests(1)).toHaveLength(2);
    expect(await fake.waitForAgentRequests(0)).toHaveLength(2);
  });

  it('rejects after the timeout, saying how many arrived', async () => {
    const fake = await start();
    await putPromiseFailure(fake, { exit_status: 1 });
    await expect(fake.waitForAgentRequests(3, { timeout: 50 })).rejects.toThrow(/Expected 3 .* within 50 ms, got 1/);
  });

  it('rejects when the fake is closed', async () => {
    const fake = await start();
    const waiting = settle(fake.waitForAgentRequests(1));
    await fake.close();
    expect(await waiting).toMatchObject({ message: expect.stringContaining('closed') });
  });
});
