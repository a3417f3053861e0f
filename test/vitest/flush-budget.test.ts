import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, type JobRun, startJob, transcript } from '../support/job.js';
import { runVitest, vitestMajors } from './run-vitest.js';

/**
 * One bounded wait per run: six failing one-test files, Buildkite's Agent API hung, one worker. Vitest runs each
 * file in a fresh worker (a process with `forks`, its default pool; a thread with `threads`), and the setup file
 * of each waited its own flushTimeout: the run waited six flushTimeouts instead of one. The baseline is the
 * same run outside Buildkite, measured in the same test. Real Vitest processes (each supported major), the plugin.
 */
const flushTimeout = 3_000;

describe.each(vitestMajors)('Vitest $major, six failing files with Buildkite hung', (major) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob({ jobApi: 'none' });
    job.fake.fault({ hang: true, times: 1_000 });
  });

  afterEach(async () => {
    await job.close();
  });

  async function timed(env: Record<string, string | undefined>, pool: string): Promise<JobRun & { took: number }> {
    const started = Date.now();
    const oneWorker = major.major === 3 ? ['--maxWorkers=1', '--minWorkers=1'] : ['--maxWorkers=1'];
    const run = await runVitest(job, major, ['hung-flush/', `--pool=${pool}`, ...oneWorker], { mode: 'plugin', env });
    return { ...run, took: Date.now() - started };
  }

  test.each(['forks', 'threads'])('pool %s: the run waits one flushTimeout in all, and prints the one timeout line', async (pool) => {
    const baseline = await timed({ BUILDKITE_JOB_ID: undefined }, pool);
    const run = await timed({ BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: String(flushTimeout) }, pool);
    expect(run.code, transcript(run)).toBe(baseline.code);
    expect(run.code).toBe(1);
    expect(run.ourLines, transcript(run)).toEqual([
      `promise-failure: could not promise the failure to Buildkite: timed out after ${flushTimeout} ms (flushTimeout); the run's exit code is unchanged`,
    ]);
    expect(run.took, transcript(run)).toBeGreaterThan(flushTimeout);
    expect(run.took, `baseline ${baseline.took} ms\n${transcript(run)}`).toBeLessThan(baseline.took + 2 * flushTimeout);
  });
});
