import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acceptedLine, type Job, startJob, transcript } from '../support/job.js';
import { runVitest, vitestMajors } from './run-vitest.js';

/**
 * A test file that stubs `worker_threads.Worker` (in `beforeEach`, with a stand-in that starts nothing) fails, and
 * the plugin's setup file in that Vitest worker declares: the core sees the stand-in and declares on the worker's
 * own thread, and says so in a debug line. Nothing is lost: one request, and the accepted line.
 */
describe.each(vitestMajors)('Vitest $major, a test file that stubs worker_threads.Worker', (major) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  test('the setup file declares on its own thread: one request, and the reporter prints the accepted line', async () => {
    const result = await runVitest(job, major, ['stubbed-worker/'], {
      mode: 'plugin',
      env: { BUILDKITE_PROMISE_FAILURE_DEBUG: 'true' },
    });
    expect(result.code, transcript(result)).toBe(1);
    expect(result.stderr, transcript(result)).toMatch(
      /^promise-failure: worker_threads\.Worker is not Node's own \(a test's stub\?\): declaring in this thread$/m,
    );
    expect(job.fake.agentApiRequests(), transcript(result)).toHaveLength(1);
    const resultLines = result.ourStderrLines.filter((line) => /^promise-failure: (promised|could not promise)/.test(line));
    expect(resultLines, transcript(result)).toHaveLength(1);
    expect(resultLines[0]).toMatch(acceptedLine);
  });
});
