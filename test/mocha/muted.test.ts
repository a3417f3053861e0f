import { afterEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { fixtureDir, latestMocha, reporterArgs } from './run-mocha.js';

/**
 * bktec has no Mocha runner, so a Mocha failure cannot be matched against the plan's muted tests (a run under
 * bktec's `custom` runner names tests its own way). Where the plan mutes tests, a Mocha failure may be one of
 * them: nothing is promised, and one line says why. Where it mutes none, every failure is promised as always.
 * The rule is the shared reporter kit's, so the newest Mocha shows it.
 */
describe('Mocha under bktec', () => {
  let job: Job;

  afterEach(async () => {
    await job?.close();
  });

  function runMocha(args: readonly string[]) {
    return job.run(process.execPath, [latestMocha.bin, ...args], { cwd: fixtureDir });
  }

  test('a plan that mutes tests: nothing promised, one line naming the runner, the exit code unchanged', async () => {
    job = await startJob({ testEngine: { runner: 'custom', muted: [{ scope: 'login', name: 'rejects bad password' }] } });
    const run = await runMocha([...reporterArgs, 'fail/login.spec.js']);
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual([
      "promise-failure: did not promise the failure to Buildkite: bktec's test plan mutes tests, and this runner's failures cannot be matched to them " +
        "(BUILDKITE_TEST_ENGINE_TEST_RUNNER=custom); bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its run",
    ]);
    expect(job.fake.agentApiRequests()).toEqual([]);
  });

  test('a plan that mutes nothing: the failure is promised', async () => {
    job = await startJob({ testEngine: { runner: 'custom', muted: [] } });
    const run = await runMocha([...reporterArgs, 'fail/login.spec.js']);
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines, transcript(run)).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via job-api)']);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(job.fake.testEngineRequests()).toHaveLength(1);
  });
});
