import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { bodyOf, type Job, startJob, transcript } from '../support/job.js';
import { fixtureDir, mochaMajors, registerArgs, reporterArgs } from './run-mocha.js';

const outerRetriesLine =
  "promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2, so Buildkite Test Engine's client (bktec) " +
  "re-runs failed tests and this run's failures are not final; bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its retries " +
  '(the option ignoreOuterRetries: true promises from here anyway)';

/**
 * Under bktec with retries (BUILDKITE_TEST_ENGINE_RETRY_COUNT), a failure inside one Mocha run is not final.
 * Real Mocha processes (each supported major): the reporter, `register`, serial and `--parallel`, and a test
 * file that does not load, in a job on the fake Buildkite.
 */
describe.each(mochaMajors)('Mocha $major under outer retries', (mocha) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  function runMocha(args: readonly string[], env: Record<string, string | undefined> = {}) {
    return job.run(process.execPath, [mocha.bin, ...args], { cwd: fixtureDir, env: { BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2', ...env } });
  }

  test.each([
    ['the reporter', [...reporterArgs, 'fail/', 'hook/']],
    ['register, --parallel', [...registerArgs, '--parallel', '--jobs', '2', 'fail/', 'hook/']],
    ['a file that does not load (serial)', [...reporterArgs, 'broken/', 'pass/']],
  ])('%s: nothing sent, one line saying why, the exit code unchanged', async (_name, args) => {
    const without = await runMocha(
      args.filter((arg) => !(reporterArgs as readonly string[]).includes(arg) && !(registerArgs as readonly string[]).includes(arg)),
    );
    expect(without.code, transcript(without)).toBeGreaterThan(0);

    const run = await runMocha(args);
    expect(run.code, transcript(run)).toBe(without.code);
    expect(run.ourStderrLines, transcript(run)).toEqual([outerRetriesLine]);
    expect(run.ourLines).toHaveLength(1);
    expect(job.fake.requests).toEqual([]);
  });

  test('ignoreOuterRetries=true promises anyway', async () => {
    const run = await runMocha([...reporterArgs, '--reporter-option', 'ignoreOuterRetries=true', 'fail/login.spec.js']);
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via job-api)']);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe('mocha: login › rejects bad password failed (fail/login.spec.js)');
  });
});
