import { afterEach, describe, expect, test } from 'vitest';
import { mutedOnlyLine, unreadablePlanLine } from '../support/test-engine.js';
import { bodyOf, type Job, playwrightVersions, runPlaywright, startJob, transcript } from './run-playwright.js';

const accepted = /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via job-api\)$/;

/**
 * The fixture's muted tests as Test Engine names Playwright's (bktec's `internal/runner/playwright.go`): the
 * scope is " {project} {file} {describe titles…} {title}", the name the test's title.
 */
const muted = [
  { scope: ' unit muted.spec.js checkout payment is flaky', name: 'is flaky' },
  { scope: ' unit muted.spec.js times out sometimes', name: 'times out sometimes' },
];

/**
 * Under Buildkite Test Engine's client (bktec), a failing test that the plan mutes does not fail the job. Real
 * `playwright test` processes (each supported version) against the testkit's fake Test Engine plan.
 */
describe.each(playwrightVersions)('Playwright $version under bktec with muted tests', (playwright) => {
  let job: Job;

  afterEach(async () => {
    await job?.close();
  });

  async function start(options: { status?: number } = {}): Promise<Job> {
    job = await startJob({ testEngine: { runner: 'playwright', muted, ...options } });
    return job;
  }

  test('only muted tests fail: nothing promised, one line, the exit code unchanged', async () => {
    await start();
    const args = ['tests/muted.spec.js', 'tests/passing.spec.js'];
    const without = await runPlaywright(job, playwright, { fixture: 'muted', args, reporters: 'without' });
    expect(without.code, transcript(without)).toBe(1);

    const run = await runPlaywright(job, playwright, { fixture: 'muted', args });
    expect(run.code, transcript(run)).toBe(without.code);
    expect(run.ourStderrLines, transcript(run)).toEqual([mutedOnlyLine(2)]);
    expect(job.fake.agentApiRequests()).toEqual([]);
    expect(job.fake.jobApiRequests()).toEqual([]);
    expect(job.fake.testEngineRequests()).toHaveLength(1);
  });

  test('a muted and an unmuted failure: one promise, for the unmuted test', async () => {
    await start();
    const run = await runPlaywright(job, playwright, { fixture: 'muted', args: ['tests/muted.spec.js', 'tests/unmuted.spec.js'] });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(accepted)]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toMatch(/^playwright: .*search › really fails/);
  });

  test('the plan route answers 500: nothing promised, one line, the exit code unchanged', async () => {
    await start({ status: 500 });
    const run = await runPlaywright(job, playwright, { fixture: 'muted', args: ['tests/unmuted.spec.js'] });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(unreadablePlanLine)]);
    expect(job.fake.agentApiRequests()).toEqual([]);
  });

  test('outside bktec no Test Engine request is made', async () => {
    await start();
    const run = await runPlaywright(job, playwright, {
      fixture: 'muted',
      args: ['tests/muted.spec.js'],
      env: { BUILDKITE_TEST_ENGINE_SUITE_SLUG: undefined },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([expect.stringMatching(accepted)]);
    expect(job.fake.testEngineRequests()).toEqual([]);
  });
});
