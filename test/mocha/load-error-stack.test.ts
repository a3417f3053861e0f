import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { fixtureDir, mochaMajors, registerArgs, reporterArgs } from './run-mocha.js';

/** The stack Mocha prints for an error: its `at …` lines. */
function stackOf(output: string): string[] {
  return output.split('\n').filter((line) => /^\s+at /.test(line));
}

/**
 * A test file that fails to load (serial mode) is promised from a wrapper around Mocha's `loadFilesAsync`: the
 * stack Mocha prints must stay the user's, exactly as without this package.
 */
describe.each(mochaMajors)('Mocha $major: the load error Mocha prints', (mocha) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  test.each([
    ['the reporter', reporterArgs],
    ['register', registerArgs],
  ])('with %s: the same stack as without it', async (_name, ours) => {
    const without = await job.run(process.execPath, [mocha.bin, 'broken/'], { cwd: fixtureDir });
    const run = await job.run(process.execPath, [mocha.bin, ...ours, 'broken/'], { cwd: fixtureDir });
    expect(run.code, transcript(run)).toBe(without.code);
    expect(run.ourStderrLines).toHaveLength(1);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    const stack = stackOf(run.stderr);
    expect(stack.length, transcript(without)).toBeGreaterThan(0);
    expect(stack).toEqual(stackOf(without.stderr));
    expect(run.stderr).not.toMatch(/promise-failure[\\/]|packages[\\/]mocha[\\/]dist/);
  });
});
