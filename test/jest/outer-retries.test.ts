import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bodyOf, type Job, startJob, transcript } from '../support/job.js';
import { fixturesDir, jestVersions } from './run-jest.js';

/** The line every reporter prints under Buildkite Test Engine's retries (bktec), here with a count of 2. */
const outerRetriesLine =
  "promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2, so Buildkite Test Engine's client (bktec) " +
  "re-runs failed tests and this run's failures are not final; bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its retries " +
  '(the option ignoreOuterRetries: true promises from here anyway)';

/**
 * Under bktec with retries (BUILDKITE_TEST_ENGINE_RETRY_COUNT), a failure inside one Jest run is not final:
 * bktec re-runs it in a new process. Real Jest processes (each supported major) in a job on the fake Buildkite.
 */
describe.each(jestVersions)('jest $major under outer retries', (jest) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  function runJest(env: Record<string, string | undefined>) {
    const args = [jest.bin, `--cacheDirectory=${path.join(job.scratch, 'jest-cache')}`];
    return job.run(process.execPath, args, { cwd: path.join(fixturesDir, 'failing'), env });
  }

  test('BUILDKITE_TEST_ENGINE_RETRY_COUNT=2: nothing sent, one line saying why, the exit code unchanged', async () => {
    const without = await runJest({ WITHOUT_PROMISE_FAILURE: '1', BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });
    expect(without.code, transcript(without)).toBe(1);

    const run = await runJest({ BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });
    expect(run.code, transcript(run)).toBe(without.code);
    expect(run.stderr).toMatch(/Tests:\s+3 failed, 2 passed, 5 total/);
    expect(run.ourStderrLines).toEqual([outerRetriesLine]);
    expect(run.ourLines).toHaveLength(1);
    expect(job.fake.requests).toEqual([]);
  });

  test('ignoreOuterRetries: true promises anyway', async () => {
    const run = await runJest({
      BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2',
      PROMISE_FAILURE_REPORTER_OPTIONS: JSON.stringify({ ignoreOuterRetries: true }),
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via job-api)']);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toMatch(/^jest: .* failed \(tests\/\w+\.test\.js\)$/);
  });
});
