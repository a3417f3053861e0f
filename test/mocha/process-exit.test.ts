import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { fixtureDir, latestMocha, registerArgs, reporterArgs } from './run-mocha.js';

/**
 * A test that calls `process.exit()` ends the run while the declaration is under way (Buildkite never
 * answers here): nothing can wait, but the user is told in one line. Real Mocha, the newest major.
 */
describe('a test that calls process.exit() after a failure', () => {
  const mocha = latestMocha;
  let job: Job;

  beforeEach(async () => {
    job = await startJob({ jobApi: 'none' });
    job.fake.fault({ hang: true });
  });

  afterEach(async () => {
    await job.close();
  });

  test.each([
    ['the reporter', reporterArgs],
    ['register', registerArgs],
  ])('%s: one line says the promise may not have been made; the exit code is the test’s', async (_name, args) => {
    const run = await job.run(process.execPath, [mocha.bin, ...args, 'exit/'], { cwd: fixtureDir });
    expect(run.code, transcript(run)).toBe(0);
    expect(run.ourStderrLines, transcript(run)).toEqual([
      'promise-failure: the process exited before Buildkite answered: the failure may not have been promised',
    ]);
  });
});
