import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { bodyOf, type Job, startJob, transcript } from '../support/job.js';
import {
  installNodes,
  moduleLogEnv,
  type NodeVersion,
  nodeVersions,
  project,
  reporterArgs,
  specOnlyArgs,
  specOutput,
} from './run-node-test.js';

const declaredLine = 'promise-failure: promised exit status 1 to Buildkite (declared via job-api)';
const rerunLine =
  'promise-failure: did not promise the failure to Buildkite: this run is one attempt of node --test --test-rerun-failures, ' +
  'and a later attempt may pass the tests that failed here';

beforeAll(installNodes, 300_000);

describe.each(nodeVersions())('node --test --test-reporter=@promise-failure/node-test (Node $major)', (node: NodeVersion) => {
  let job: Job;
  const extraJobs: Job[] = [];

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await Promise.all([job, ...extraJobs.splice(0)].map((each) => each.close()));
  });

  /** A job of its own, for a second run that must not share the first one's record. */
  async function anotherJob(options?: Parameters<typeof startJob>[0]): Promise<Job> {
    const another = await startJob(options);
    extraJobs.push(another);
    return another;
  }

  function run(args: readonly string[], env?: Record<string, string | undefined>, on: Job = job) {
    return on.run(node.bin, args, { cwd: project, env });
  }

  test('a passing run: exit 0, no request, nothing printed, and the core is never loaded', async () => {
    const passing = await run([...reporterArgs, 'pass/math.test.mjs'], moduleLogEnv);

    expect(passing.code, transcript(passing)).toBe(0);
    expect(passing.stdout).toContain('adds');
    expect(passing.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
    expect(passing.stderr).toContain('/node-test/dist/');
    expect(passing.stdout + passing.stderr).not.toContain('/core/dist/');

    // The same log shows the core once a test fails, so the check above means something.
    const failing = await run([...reporterArgs, 'fail/login.test.mjs'], moduleLogEnv);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('/core/dist/');
  });

  test('failing tests in two files: one request, one line on the reporter’s destination, the spec output and exit code unchanged', async () => {
    const files = ['fail/checkout.test.mjs', 'fail/login.test.mjs'];
    const without = await run([...specOnlyArgs, ...files], undefined);
    const withReporter = await run([...reporterArgs, ...files]);

    expect(without.code).toBe(1);
    expect(withReporter.code, transcript(withReporter)).toBe(without.code);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).exit_status).toBe(1);
    expect(withReporter.ourStderrLines).toEqual([declaredLine]);
    expect(withReporter.ourLines).toEqual([declaredLine]);
    expect(specOutput(withReporter.stdout)).toBe(specOutput(without.stdout));
    expect(withReporter.stdout).toContain('rejects bad password');
    // Node reports the files in the order given, whatever order they ran in: the first file's failure is first.
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe('node --test: charges the card failed (fail/checkout.test.mjs)');
  });

  test('the one line goes to the reporter’s own destination (stdout here), nothing else changes', async () => {
    const result = await run([
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stderr',
      '--test-reporter=@promise-failure/node-test',
      '--test-reporter-destination=stdout',
      'fail/login.test.mjs',
    ]);

    expect(result.code).toBe(1);
    expect(result.ourLines).toEqual([declaredLine]);
    expect(result.ourStderrLines).toEqual([]);
    expect(result.stderr).toContain('rejects bad password');
  });

  test('a failing before hook in a suite, and a failing global after hook: each promised', async () => {
    const before = await run([...reporterArgs, 'hooks/before.test.mjs']);
    const afterJob = await anotherJob();
    const after = await run([...reporterArgs, 'hooks/global-after.test.mjs'], undefined, afterJob);

    expect(before.code).toBe(1);
    expect(before.ourStderrLines).toEqual([declaredLine]);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe(
      'node --test: orders › lists orders failed: test did not finish before its parent and was cancelled (hooks/before.test.mjs)',
    );
    expect(after.code).toBe(1);
    expect(after.ourStderrLines).toEqual([declaredLine]);
    expect(bodyOf(afterJob.fake.agentApiRequests()[0]).reason).toBe(
      'node --test: a global after hook failed: cleanup failed (hooks/global-after.test.mjs)',
    );
  });

  test('a file that fails to load, and one whose process exits non-zero: each promised', async () => {
    const syntax = await run([...reporterArgs, 'broken/syntax-error.test.mjs']);
    const exitJob = await anotherJob();
    const exit = await run([...reporterArgs, 'broken/exit-code.test.mjs'], undefined, exitJob);

    expect(syntax.code).toBe(1);
    expect(syntax.ourStderrLines).toEqual([declaredLine]);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe(
      'node --test: test file failed: SyntaxError: Unexpected end of input (broken/syntax-error.test.mjs)',
    );
    expect(exit.code).toBe(1);
    expect(exit.ourStderrLines).toEqual([declaredLine]);
    expect(bodyOf(exitJob.fake.agentApiRequests()[0]).reason).toBe(
      'node --test: test file failed: exited with code 3 (broken/exit-code.test.mjs)',
    );
  });

  test('todo tests that fail and skipped tests: exit 0, nothing sent, nothing printed', async () => {
    const result = await run([...reporterArgs, 'todo/todo-and-skip.test.mjs']);

    expect(result.code, transcript(result)).toBe(0);
    expect(result.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
  });

  test('early: the request reaches Buildkite while a test running beside the failed one is still running', async () => {
    // The slow test, defined first, runs until the promise is recorded (at most 30 s), then writes when it ended.
    const mark = path.join(job.scratch, 'slow-test-ended');
    const result = await run([...reporterArgs, 'early/concurrent.test.mjs'], { SLOW_TEST_MARK: mark });

    expect(result.code, transcript(result)).toBe(1);
    const slowTestEndedAt = Number(await readFile(mark, 'utf8'));
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(job.fake.agentApiRequests()[0]!.at).toBeLessThan(slowTestEndedAt);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe(
      'node --test: checkout › charges the card failed (early/concurrent.test.mjs)',
    );
  });

  test('a slow Buildkite: the run waits for its answer, then prints the line', async () => {
    const slowJob = await anotherJob({ jobApi: 'none' });
    slowJob.fake.fault({ delay: 1_500 });
    const result = await run([...reporterArgs, 'fail/login.test.mjs'], undefined, slowJob);

    expect(result.code).toBe(1);
    expect(result.ourStderrLines).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via agent-api)']);
  });

  test('Buildkite hangs: the run ends about flushTimeout later, with one warning and the same exit code', async () => {
    const hungJob = await anotherJob({ jobApi: 'none' });
    hungJob.fake.fault({ hang: true, times: 100 });
    const env = { BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS: '1000' };
    const without = await run([...specOnlyArgs, 'fail/login.test.mjs'], env, hungJob);
    const result = await run([...reporterArgs, 'fail/login.test.mjs'], env, hungJob);

    expect(result.code).toBe(without.code);
    expect(result.ourStderrLines).toEqual([
      "promise-failure: could not promise the failure to Buildkite: timed out after 1000 ms (flushTimeout); the run's exit code is unchanged",
    ]);
    expect(hungJob.fake.agentApiRequests().length).toBeGreaterThanOrEqual(1);
    // Generous for a loaded machine, far below the default flushTimeout (10 s) and the core's timeout (60 s).
    expect(result.durationMs - without.durationMs).toBeLessThan(1_000 + 6_000);
  });

  test('outside Buildkite: nothing sent, nothing printed, the exit code unchanged', async () => {
    const result = await run([...reporterArgs, 'fail/login.test.mjs'], { BUILDKITE_JOB_ID: undefined });

    expect(result.code).toBe(1);
    expect(result.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
  });

  test("under Buildkite Test Engine's retries (BUILDKITE_TEST_ENGINE_RETRY_COUNT): nothing sent, one line says why", async () => {
    const result = await run([...reporterArgs, 'fail/login.test.mjs'], { BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });

    expect(result.code).toBe(1);
    expect(result.ourStderrLines).toHaveLength(1);
    expect(result.ourStderrLines[0]).toMatch(
      /^promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2/,
    );
    expect(job.fake.requests).toEqual([]);
  });

  test('run() from node:test, with the reporter composed onto its stream: one request, one line', async () => {
    const result = await run(['run-api.mjs', 'fail/login.test.mjs']);

    expect(result.code, transcript(result)).toBe(1);
    expect(result.stdout).toContain('rejects bad password');
    expect(result.ourStderrLines).toEqual([declaredLine]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(bodyOf(job.fake.agentApiRequests()[0]).reason).toBe('node --test: login › rejects bad password failed (fail/login.test.mjs)');
  });

  test.runIf(node.isolationNone)(
    '--test-isolation=none: failures promised once; a global after hook that does not fail the run sends nothing',
    async () => {
      const isolationNone = node.isolationNone!;
      const failing = await run([...reporterArgs, isolationNone, 'fail/checkout.test.mjs', 'fail/login.test.mjs']);
      const hookJob = await anotherJob();
      const hook = await run([...reporterArgs, isolationNone, 'hooks/global-after.test.mjs'], undefined, hookJob);

      expect(failing.code).toBe(1);
      expect(failing.ourStderrLines).toEqual([declaredLine]);
      expect(job.fake.agentApiRequests()).toHaveLength(1);
      // Node 22 and 24 report this hook's failure without process isolation, yet exit 0: not final.
      expect(hook.code, transcript(hook)).toBe(0);
      expect(hook.ourLines).toEqual([]);
      expect(hookJob.fake.requests).toEqual([]);
    },
  );

  test.runIf(node.major >= 22)('--test-force-exit and a slow Buildkite: the process exits only once the answer is in', async () => {
    // Node 22 and 24 force the exit once their reporters' streams end: ours ends after the declaration settles.
    const slowJob = await anotherJob({ jobApi: 'none' });
    slowJob.fake.fault({ delay: 1_500 });
    const result = await run([...reporterArgs, '--test-force-exit', 'hang/keeps-running.test.mjs'], undefined, slowJob);

    expect(result.code, transcript(result)).toBe(1);
    expect(result.ourStderrLines).toEqual(['promise-failure: promised exit status 1 to Buildkite (declared via agent-api)']);
    expect(slowJob.fake.agentApiRequests()).toHaveLength(1);
  });

  test.runIf(node.major >= 24)('--test-rerun-failures: no attempt promises; a failing one says why in one line', async () => {
    const state = path.join(job.scratch, 'rerun-state.json');
    const first = await run([...reporterArgs, `--test-rerun-failures=${state}`, 'fail/login.test.mjs']);
    const second = await run([...reporterArgs, `--test-rerun-failures=${state}`, 'fail/login.test.mjs']);
    const passing = await run([...reporterArgs, `--test-rerun-failures=${state}`, 'pass/math.test.mjs']);

    for (const attempt of [first, second]) {
      expect(attempt.code, transcript(attempt)).toBe(1);
      expect(attempt.ourStderrLines).toEqual([rerunLine]);
    }
    expect(passing.code).toBe(0);
    expect(passing.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
  });
});
