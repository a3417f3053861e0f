import { describe, expect, it } from 'vitest';
import { markedJobForEachTest, transcript } from '../support/job.js';
import { fixtureDir, mochaMajors, registerArgs } from './run-mocha.js';

/**
 * `--parallel` with `--require @promise-failure/mocha/register`: a test installs @sinonjs/fake-timers (the date in
 * 2099) before its failing assertion and leaves it installed. The worker's declaration took its deadline from the
 * faked `Date.now()`; its thread, on the real clock, threw ERR_OUT_OF_RANGE on every attempt, and the promise came
 * seconds late, from the main process. Real Mocha processes (each supported major) on the fake Buildkite.
 */
describe.each(mochaMajors)('mocha $major --parallel with register: a fake clock in the worker', (mocha) => {
  const current = markedJobForEachTest({ jobApi: 'none' });

  it('one request, from the worker: it arrives before the slow file in the other worker ends', async () => {
    const run = await current.job.run(
      process.execPath,
      [
        mocha.bin,
        ...registerArgs,
        '--parallel',
        '--jobs',
        '2',
        'parallel-fake-timers/fake-clock.spec.js',
        'parallel-fake-timers/slow-tail.spec.js',
      ],
      { cwd: fixtureDir, env: { FIXTURE_MARKER_DIR: current.markers.directory } },
    );
    expect(run.code, transcript(run)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(run)).toHaveLength(1);
    expect(requests[0]!.at, transcript(run)).toBeLessThan(await current.markers.read('slow-tail-ended'));
    expect(run.ourLines, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines[0], transcript(run)).toMatch(
      /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via agent-api\)$/,
    );
  });
});
