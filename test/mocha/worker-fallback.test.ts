import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acceptedLine, type Job, startJob, transcript } from '../support/job.js';
import { fixtureDir, latestMocha, registerArgs, reporterArgs, runMocha } from './run-mocha.js';

/**
 * No worker thread can start (NODE_OPTIONS preloads a file that calls `process.chdir`, which throws in a worker):
 * the core's worker fails in its start-up, before its first message, and the declaration runs on the caller's
 * thread instead, with a debug line. Nothing is lost: one request, and the accepted line. Real Mocha, the
 * newest major: the reporter in the main process, and register in `--parallel`'s worker processes.
 */
describe('NODE_OPTIONS preloads a file that makes every worker thread fail in its start-up', () => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  const env = {
    NODE_OPTIONS: `--require ${path.join(fixtureDir, 'chdir-preload.cjs')}`,
    BUILDKITE_PROMISE_FAILURE_DEBUG: 'true',
  };

  test.each([
    ['the reporter', [...reporterArgs, 'fail/login.spec.js']],
    ['register under --parallel', [...registerArgs, '--parallel', '--jobs', '2', 'fail/login.spec.js', 'pass/']],
  ])('%s: declared on the caller’s thread, one request, the accepted line', async (_name, args) => {
    const run = await runMocha(job, latestMocha, args, { env });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stderr, transcript(run)).toMatch(
      /^promise-failure: the declaration's worker thread did not start \(.*process\.chdir\(\) is not supported in workers.*\): declaring in this thread$/m,
    );
    expect(job.fake.agentApiRequests(), transcript(run)).toHaveLength(1);
    const resultLines = run.ourStderrLines.filter((line) => /^promise-failure: (promised|could not promise)/.test(line));
    expect(resultLines, transcript(run)).toHaveLength(1);
    expect(resultLines[0]).toMatch(acceptedLine);
  });
});
