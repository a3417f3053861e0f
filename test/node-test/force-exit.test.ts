import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type Job, startJob, transcript } from '../support/job.js';
import { installNodes, type NodeVersion, nodeVersions, project, reporterArgs } from './run-node-test.js';

beforeAll(installNodes, 300_000);

/**
 * `--test-force-exit` with a failing test followed by about 50 ms of other tests. Node 20 ends the process as
 * soon as the tests are over, without waiting for its reporters' streams (22 and 24 wait): the request must be
 * on its way by then, so the declaration's start-up (loading the core's front, starting its worker, the claim,
 * the transport) must fit in those 50 ms and the test file's process ending.
 */
describe.each(nodeVersions())('node --test --test-force-exit (Node $major)', (node: NodeVersion) => {
  let job: Job;

  beforeEach(async () => {
    job = await startJob({ jobApi: 'none' });
  });

  afterEach(async () => {
    await job.close();
  });

  test('a failing test, then 50 ms of tests, then the forced exit: the request has arrived, and the line says so', async () => {
    const result = await job.run(node.bin, [...reporterArgs, '--test-force-exit', 'force-exit/fails-then-50ms.test.mjs'], {
      cwd: project,
    });
    expect(result.code, transcript(result)).toBe(1);
    expect(job.fake.agentApiRequests(), transcript(result)).toHaveLength(1);
    // The one line tells the truth: the answer came while the exiting process waited for it (read back from the
    // record, `debounced`, when the exit listener is what says it).
    expect(result.ourStderrLines, transcript(result)).toEqual([
      expect.stringMatching(/^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via agent-api\)$/),
    ]);
  });
});
