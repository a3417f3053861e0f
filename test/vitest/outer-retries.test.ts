import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bodyOf, type Job, startJob, transcript } from '../support/job.js';
import { fixtureProject, vitestMajors } from './run-vitest.js';

const outerRetriesLine =
  "promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2, so Buildkite Test Engine's client (bktec) " +
  "re-runs failed tests and this run's failures are not final; bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its retries " +
  '(the option ignoreOuterRetries: true promises from here anyway)';

/**
 * Under bktec with retries (BUILDKITE_TEST_ENGINE_RETRY_COUNT), a failure inside one Vitest run is not final.
 * Real Vitest processes (each supported major), the reporter listed and the plugin, in a job on the fake.
 */
describe.each(vitestMajors)('Vitest $major under outer retries', (major) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  function runVitest(env: Record<string, string | undefined>) {
    return job.run(process.execPath, [major.bin, 'run', 'failing/'], { cwd: fixtureProject, env });
  }

  test.each(['reporter', 'plugin'])(
    'BUILDKITE_TEST_ENGINE_RETRY_COUNT=2 (%s): nothing sent, one line, the exit code unchanged',
    async (mode) => {
      const without = await runVitest({ PF_MODE: 'none', BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });
      expect(without.code, transcript(without)).toBe(1);

      const run = await runVitest({ PF_MODE: mode, BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });
      expect(run.code, transcript(run)).toBe(without.code);
      expect(run.ourStderrLines, transcript(run)).toEqual([outerRetriesLine]);
      expect(run.ourLines).toHaveLength(1);
      expect(job.fake.requests).toEqual([]);
    },
  );

  test('ignoreOuterRetries: true promises anyway', async () => {
    const run = await runVitest({ BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2', PF_OPTIONS: JSON.stringify({ ignoreOuterRetries: true }) });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via job-api)']);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toMatch(/^vitest: .* failed \(failing\/\w+\.test\.js\)$/);
  });
});
