import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startEach } from './test-helpers.js';

const start = startEach();

/** GETs a URL on loopback with Node's own client: the status and the parsed body. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    })
      .on('error', reject)
      .end();
  });
}

/** The plan URL as bktec builds it from the job's variables. */
function planUrl(env: Record<string, string>, identifier = `${env.BUILDKITE_BUILD_ID}/${env.BUILDKITE_STEP_ID}`): string {
  return (
    `${env.BUILDKITE_TEST_ENGINE_BASE_URL}/v2/analytics/organizations/${env.BUILDKITE_ORGANIZATION_SLUG}` +
    `/suites/${env.BUILDKITE_TEST_ENGINE_SUITE_SLUG}/test_plan?identifier=${encodeURIComponent(identifier)}&job_retry_count=0`
  );
}

describe('the Test Engine test plan route', () => {
  it("gives bktec's variables and serves the plan with its muted tests to the suite's token", async () => {
    const fake = await start({ testEngine: { runner: 'jest', muted: [{ scope: 'login', name: 'is flaky' }] } });
    expect(fake.env).toMatchObject({
      BUILDKITE_TEST_ENGINE_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      BUILDKITE_TEST_ENGINE_SUITE_SLUG: 'fake-suite',
      BUILDKITE_TEST_ENGINE_TEST_RUNNER: 'jest',
      BUILDKITE_ORGANIZATION_SLUG: 'fake-organization',
      BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const answer = await get(planUrl(fake.env), { authorization: `Bearer ${fake.env.BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN}` });
    expect(answer).toEqual({
      status: 200,
      body: {
        identifier: `${fake.env.BUILDKITE_BUILD_ID}/${fake.env.BUILDKITE_STEP_ID}`,
        parallelism: 1,
        tasks: { '0': { node_number: 0, tests: [] } },
        muted_tests: [{ scope: 'login', name: 'is flaky', format: 'example' }],
      },
    });
    expect(fake.testEngineRequests()).toHaveLength(1);
    expect(fake.testEngineRequests()[0]).toMatchObject({ api: 'test-engine', method: 'GET', status: 200 });
    expect(fake.agentApiRequests()).toHaveLength(0);
  });

  it('refuses another token (401), another plan (404), and answers the configured status', async () => {
    const fake = await start({ testEngine: { status: 500 } });
    const token = { authorization: `Bearer ${fake.env.BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN}` };
    expect((await get(planUrl(fake.env), { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get(planUrl(fake.env, 'another/plan'), token)).status).toBe(404);
    expect(await get(planUrl(fake.env), token)).toEqual({ status: 500, body: { message: 'Test plan unavailable (500)' } });
    expect(fake.env.BUILDKITE_TEST_ENGINE_TEST_RUNNER).toBeUndefined();
  });

  it('applies queued faults to the plan route only', async () => {
    const fake = await start({ testEngine: {} });
    fake.faultTestEngine({ status: 503 });
    const token = { authorization: `Bearer ${fake.env.BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN}` };
    expect((await get(planUrl(fake.env), token)).status).toBe(503);
    expect(await get(planUrl(fake.env), token)).toMatchObject({ status: 200, body: { muted_tests: [] } });
  });

  it('is absent without the option: 404, and no Test Engine variables', async () => {
    const fake = await start();
    expect(Object.keys(fake.env).filter((name) => name.startsWith('BUILDKITE_TEST_ENGINE_'))).toEqual([]);
    const url = `${fake.endpoint.replace(/\/v3$/, '')}/v2/analytics/organizations/o/suites/s/test_plan?identifier=a/b`;
    expect((await get(url)).status).toBe(404);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown testEngine option', { testEngine: { mutes: [] } }, /^Unknown testEngine option `mutes`/],
    ['a muted entry without a name', { testEngine: { muted: [{ scope: 'a' }] } }, /`testEngine.muted\[0\]`/],
    ['a status that is not HTTP', { testEngine: { status: 99 } }, /`testEngine.status`/],
    ['an empty runner', { testEngine: { runner: '' } }, /`testEngine.runner`/],
  ])('rejects %s, naming the option', async (_name, options, message) => {
    await expect(start(options as never)).rejects.toThrow(message);
  });
});
