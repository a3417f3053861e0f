import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { fixturesDir, jestVersions } from './run-jest.js';

const accepted = 'promise-failure: promised exit status 1 to Buildkite (declared via job-api)';

/**
 * Jest adds its summary reporter after every custom reporter, so the one line must wait for Jest's own output:
 * it comes after `Ran all test suites.`, on a line of its own, with one worker or several, and with
 * `--forceExit` (which silences `process.stderr.write` before it exits).
 */
describe.each(jestVersions)('jest $major: the one line comes after Jest’s summary', (jest) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  test.each([
    ['two workers', []],
    ['one worker (--runInBand)', ['--runInBand']],
    ['--forceExit', ['--forceExit']],
  ])('%s', async (_name, flags) => {
    const args = [jest.bin, `--cacheDirectory=${path.join(job.scratch, 'jest-cache')}`, ...flags];
    const run = await job.run(process.execPath, args, { cwd: path.join(fixturesDir, 'failing') });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourStderrLines).toEqual([accepted]);
    const lines = run.stderr.split('\n');
    const summary = lines.findIndex((line) => line.startsWith('Ran all test suites'));
    expect(summary, transcript(run)).toBeGreaterThan(0);
    // Ours is a whole line, after the summary.
    expect(lines.indexOf(accepted), transcript(run)).toBeGreaterThan(summary);
  });
});
