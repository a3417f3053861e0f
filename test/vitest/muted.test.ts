import { afterEach, describe, expect, test } from 'vitest';
import { bodyOf, type Job, startJob, transcript } from '../support/job.js';
import { mutedOnlyLine, mutedTests, unreadablePlanLine } from '../support/test-engine.js';
import { runVitest, vitestMajors } from './run-vitest.js';

const accepted = /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via job-api\)$/;

/**
 * Under Buildkite Test Engine's client (bktec), a failing test that the plan mutes does not fail the job. Real
 * Vitest processes (each major), the reporter listed and the plugin (whose setup file promises from the workers),
 * against the testkit's fake Test Engine plan.
 */
describe.each(vitestMajors)('Vitest $major under bktec with muted tests', (major) => {
  let job: Job;

  afterEach(async () => {
    await job?.close();
  });

  async function start(options: { status?: number } = {}): Promise<Job> {
    job = await startJob({ testEngine: { runner: 'vitest', muted: mutedTests(), ...options } });
    return job;
  }

  test.each(['reporter', 'plugin'] as const)(
    'only muted tests fail (%s): nothing promised, one line, the exit code unchanged',
    async (mode) => {
      await start();
      const files = ['muted/muted.test.js', 'muted/passing.test.js'];
      const without = await runVitest(job, major, files, { mode: 'none' });
      expect(without.code, transcript(without)).toBe(1);

      const run = await runVitest(job, major, files, { mode });
      expect(run.code, transcript(run)).toBe(without.code);
      expect(run.ourStderrLines, transcript(run)).toEqual([mutedOnlyLine(2)]);
      expect(job.fake.agentApiRequests()).toEqual([]);
      expect(job.fake.jobApiRequests()).toEqual([]);
      expect(job.fake.testEngineRequests().length).toBeGreaterThanOrEqual(1);
    },
  );

  test.each(['reporter', 'plugin'] as const)('a muted and an unmuted failure (%s): one promise, for the unmuted test', async (mode) => {
    await start();
    const run = await runVitest(job, major, ['muted/muted.test.js', 'muted/unmuted.test.js'], { mode });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(accepted)]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe('vitest: search > really fails failed (muted/unmuted.test.js)');
  });

  test('a failing hook beside only muted failures is forgiven by bktec: nothing promised', async () => {
    await start();
    const run = await runVitest(job, major, ['muted/muted.test.js', 'muted/hook.test.js'], { mode: 'plugin' });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([
      'promise-failure: did not promise the failure to Buildkite: the failures outside tests came in a run whose only failing tests are muted (2), and bktec passes such a job',
    ]);
    expect(job.fake.agentApiRequests()).toEqual([]);
  });

  test('a failing hook with no muted failure fails the job: promised at the run end', async () => {
    await start();
    const run = await runVitest(job, major, ['muted/hook.test.js', 'muted/passing.test.js'], { mode: 'plugin' });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(accepted)]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toMatch(/cleanup failed/);
  });

  test('the plan route answers 500: nothing promised, one line, the exit code unchanged', async () => {
    await start({ status: 500 });
    const run = await runVitest(job, major, ['muted/unmuted.test.js'], { mode: 'plugin' });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(unreadablePlanLine)]);
    expect(job.fake.agentApiRequests()).toEqual([]);
  });

  test('a passing run under bktec reads no plan and sends nothing', async () => {
    await start();
    const run = await runVitest(job, major, ['muted/passing.test.js'], { mode: 'plugin' });
    expect(run.code, transcript(run)).toBe(0);
    expect(run.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
  });

  test('outside bktec no Test Engine request is made', async () => {
    await start();
    const run = await runVitest(job, major, ['muted/muted.test.js'], {
      mode: 'plugin',
      env: { BUILDKITE_TEST_ENGINE_TEST_RUNNER: undefined },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(accepted)]);
    expect(job.fake.testEngineRequests()).toEqual([]);
  });
});
