import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { type JestRun, jestVersions, runJest } from './run-jest.js';

/**
 * One bounded wait per process: six failing one-test files, Buildkite's Agent API hung, `--runInBand`, the
 * environment beside the reporter. Jest makes the environment per file, and each one's teardown waited its own
 * flushTimeout: the run waited six flushTimeouts instead of one. The baseline is the same run outside
 * Buildkite, measured in the same test. Real Jest processes (each supported major).
 */
const flushTimeout = 3_000;

describe.each(jestVersions)('jest $major --runInBand, the environment, six failing files with Buildkite hung', (jest) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob({ jobApi: 'none' });
    job.fake.fault({ hang: true, times: 1_000 });
  });

  afterEach(async () => {
    await job.close();
  });

  async function timed(env: Record<string, string | undefined>): Promise<JestRun & { took: number }> {
    const started = Date.now();
    const run = await runJest(job, jest, { fixture: 'six-failing', args: ['--runInBand'], env });
    return { ...run, took: Date.now() - started };
  }

  test('the run waits one flushTimeout in all, and prints the one timeout line', async () => {
    const baseline = await timed({ BUILDKITE_JOB_ID: undefined });
    const run = await timed({ BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: String(flushTimeout) });
    expect(run.code, transcript(run)).toBe(baseline.code);
    expect(run.code).toBe(1);
    expect(run.ourLines, transcript(run)).toEqual([
      `promise-failure: could not promise the failure to Buildkite: timed out after ${flushTimeout} ms (flushTimeout); the run's exit code is unchanged`,
    ]);
    expect(run.took, transcript(run)).toBeGreaterThan(flushTimeout);
    expect(run.took, `baseline ${baseline.took} ms\n${transcript(run)}`).toBeLessThan(baseline.took + 2 * flushTimeout);
  });
});
