import { afterEach, describe, expect, test } from 'vitest';
import { bodyOf, type Job, startJob, transcript } from '../support/job.js';
import { mutedOnlyLine, mutedTests, planTimeoutLine, unreadablePlanLine } from '../support/test-engine.js';
import { jestVersions, runJest } from './run-jest.js';

const accepted = /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via job-api\)$/;
const environment = '--testEnvironment=@promise-failure/jest/environment';

/**
 * Under Buildkite Test Engine's client (bktec), a failing test that the plan mutes does not fail the job: bktec
 * exits 0 when only muted tests failed. Real Jest processes (each major), with the reporter alone and with the
 * earliest mode's environment, against the testkit's fake Test Engine plan.
 */
describe.each(jestVersions)('jest $major under bktec with muted tests', (jest) => {
  let job: Job;

  afterEach(async () => {
    await job?.close();
  });

  async function start(options: { status?: number } = {}): Promise<Job> {
    job = await startJob({ testEngine: { runner: 'jest', muted: mutedTests(), ...options } });
    return job;
  }

  test.each([
    ['the reporter', []],
    ['the environment and the reporter', [environment]],
  ])('only muted tests fail (%s): nothing promised, one line, the plan read, the exit code unchanged', async (_mode, args) => {
    await start();
    const files = [...args, 'tests/muted.test.js', 'tests/passing.test.js'];
    const without = await runJest(job, jest, { fixture: 'muted', args: files, withoutReporter: true });
    expect(without.code, transcript(without)).toBe(1);

    const run = await runJest(job, jest, { fixture: 'muted', args: files });
    expect(run.code, transcript(run)).toBe(without.code);
    expect(run.ourStderrLines).toEqual([mutedOnlyLine(2)]);
    expect(job.fake.agentApiRequests()).toEqual([]);
    expect(job.fake.jobApiRequests()).toEqual([]);
    expect(job.fake.testEngineRequests().length).toBeGreaterThanOrEqual(1);
    expect(job.fake.testEngineRequests().every((request) => request.status === 200)).toBe(true);
  });

  test.each([
    ['the reporter', []],
    ['the environment and the reporter', [environment]],
  ])('a muted and an unmuted failure (%s): one promise, for the unmuted test', async (_mode, args) => {
    await start();
    const run = await runJest(job, jest, {
      fixture: 'muted',
      args: [...args, '--runInBand', 'tests/muted.test.js', 'tests/unmuted.test.js'],
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(accepted);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe('jest: search › really fails failed (tests/unmuted.test.js)');
  });

  test('the plan route answers 500: nothing promised, one line saying why, the exit code unchanged', async () => {
    await start({ status: 500 });
    const run = await runJest(job, jest, { fixture: 'muted', args: ['tests/unmuted.test.js'] });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(unreadablePlanLine);
    expect(run.ourStderrLines[0]).toContain('500');
    expect(job.fake.agentApiRequests()).toEqual([]);
    expect(job.fake.jobApiRequests()).toEqual([]);
  });

  test('no Test Engine token (bktec on OIDC): no plan request, nothing promised, one line; no token printed', async () => {
    await start();
    const run = await runJest(job, jest, {
      fixture: 'muted',
      args: [environment, 'tests/unmuted.test.js'],
      env: { BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN: undefined },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toEqual([expect.stringMatching(unreadablePlanLine)]);
    expect(run.ourStderrLines[0]).toContain('BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN is not set');
    expect(job.fake.testEngineRequests()).toEqual([]);
    expect(job.fake.agentApiRequests()).toEqual([]);
  });

  test('the plan route hangs: nothing promised, one line at flushTimeout; no secret in the output', async () => {
    await start();
    job.fake.faultTestEngine({ hang: true, times: 10 });
    const run = await runJest(job, jest, { fixture: 'muted', args: ['tests/unmuted.test.js'], reporterOptions: { flushTimeout: 1_500 } });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toEqual([expect.stringMatching(planTimeoutLine)]);
    expect(job.fake.agentApiRequests()).toEqual([]);
    for (const secret of [job.env.BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN, job.env.BUILDKITE_AGENT_ACCESS_TOKEN]) {
      expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    }
  });

  test('a passing run under bktec reads no plan and sends nothing', async () => {
    await start();
    const run = await runJest(job, jest, { fixture: 'muted', args: [environment, 'tests/passing.test.js'] });
    expect(run.code, transcript(run)).toBe(0);
    expect(run.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
  });

  test('outside bktec (no suite slug) nothing asks the plan: the failure is promised as always', async () => {
    await start();
    const run = await runJest(job, jest, {
      fixture: 'muted',
      args: [environment, 'tests/muted.test.js'],
      env: { BUILDKITE_TEST_ENGINE_SUITE_SLUG: undefined },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toEqual([expect.stringMatching(accepted)]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(job.fake.testEngineRequests()).toEqual([]);
  });
});
