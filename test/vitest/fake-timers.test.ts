import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { runVitest, vitestMajors } from './run-vitest.js';

/**
 * A test that fakes the clock and the timers (`vi.useFakeTimers(); vi.setSystemTime(2099)`) before its failing
 * assertion and leaves them installed. The workers' declaration used a deadline on the faked `Date.now()`, which
 * its thread (on the real clock) read as decades away: every attempt threw ERR_OUT_OF_RANGE and no request
 * left. Real Vitest processes (each supported major), the plugin, the fake Buildkite.
 */
describe.each(vitestMajors)('Vitest $major, a fake clock left installed by a failing test', (major) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob({ jobApi: 'none' });
  });

  afterEach(async () => {
    await job.close();
  });

  test('the plugin: one request reaches Buildkite, and the one accepted line is printed', async () => {
    const result = await runVitest(job, major, ['fake-timers/fake-clock'], { mode: 'plugin' });
    expect(result.code, transcript(result)).toBe(1);
    expect(job.fake.agentApiRequests(), transcript(result)).toHaveLength(1);
    expect(result.ourLines, transcript(result)).toHaveLength(1);
    expect(result.ourStderrLines[0], transcript(result)).toMatch(
      /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via agent-api\)$/,
    );
  });

  test('Buildkite hung: the setup file’s flush wait still ends, at flushTimeout, on the fake timers the test left', async () => {
    job.fake.fault({ hang: true, times: 20 });
    const result = await runVitest(job, major, ['fake-timers/fake-clock'], { mode: 'plugin', options: { flushTimeout: 1_500 } });
    expect(result.code, transcript(result)).toBe(1);
    // A wait on the faked setTimeout never ended: Vitest failed the setup file's afterAll at its own timeout.
    expect(`${result.stdout}${result.stderr}`, transcript(result)).not.toMatch(/Hook timed out/);
    expect(result.ourLines, transcript(result)).toEqual([
      "promise-failure: could not promise the failure to Buildkite: timed out after 1500 ms (flushTimeout); the run's exit code is unchanged",
    ]);
  });
});
