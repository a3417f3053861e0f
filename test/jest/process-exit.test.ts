import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { jestVersions, runJest } from './run-jest.js';

/**
 * A test that calls `process.exit()` after another file failed, with the environment and the reporter and one
 * worker (Jest runs in band: both in its main process). The process ends wherever the reporter's declaration
 * is; its one line must still tell what Buildkite answered, if it answered. Real Jest, every major: how Jest
 * exits is the runner's.
 */
describe.each(jestVersions)('jest $major: a test calls process.exit(1) after another file failed, in band', (jest) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob({ jobApi: 'none' });
  });

  afterEach(async () => {
    await job.close();
  });

  test.each([
    ['at once', '2-exits\\.test'],
    ['2 s later', '2-exits-later'],
    ['after a failure of its own file (two runs owe the line)', '2-fails-then-exits'],
  ])('Buildkite accepted, the exit %s: one request, and the one line is the accepted one', async (_when, exitingFile) => {
    const run = await runJest(job, jest, { fixture: 'process-exit', args: ['1-failing', exitingFile] });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stderr, transcript(run)).toContain('process.exit called with "1"');
    expect(job.fake.requests, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines, transcript(run)).toHaveLength(1);
    expect(run.ourLines, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(/^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via agent-api\)$/);
  });

  test('Buildkite never answered: the one line says the failure may not have been promised', async () => {
    job.fake.fault({ hang: true });
    // The environment's wait at the failing file's end (flushTimeout) is what the run spends on the hang.
    const run = await runJest(job, jest, {
      fixture: 'process-exit',
      args: ['1-failing', '2-exits\\.test'],
      reporterOptions: { flushTimeout: 1_000 },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourLines, transcript(run)).toEqual([
      'promise-failure: the process exited before Buildkite answered: the failure may not have been promised',
    ]);
  });
});
