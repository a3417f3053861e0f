import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadedMachineSlack, withJob } from '../support/job.js';
import { onLatestOf } from '../support/on-latest.js';
import { acceptedLine, fixturesDir, jestVersions, latestJest, runJest } from './run-jest.js';

const obsoleteSnapshotFile = join(fixturesDir, 'snapshots/tests/__snapshots__/greeting.test.js.snap');
const obsoleteSnapshot = `// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing

exports[\`a test that was removed 1\`] = \`"obsolete"\`;

exports[\`greets 1\`] = \`"hello"\`;
`;

/**
 * @promise-failure/jest end to end: real Jest processes (each supported major) over the projects in
 * fixtures/, against the testkit's fake Buildkite.
 */
describe.each(jestVersions)('jest $major', (jest) => {
  const onLatest = onLatestOf(jest, latestJest);

  test('a passing run: no request, no output, and the core is never loaded', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'passing', recordModules: true });
      expect(run.code, run.stderr).toBe(0);
      expect(run.ourLines).toEqual([]);
      expect(job.fake.requests).toEqual([]);
      const loaded = run.loadedModules.flat();
      expect(loaded.some((file) => /packages[\\/]jest[\\/]dist[\\/]index\.cjs$/.test(file))).toBe(true);
      expect(loaded.filter((file) => /packages[\\/]core[\\/]/.test(file))).toEqual([]);
    });
  });

  test('failures across several files and workers: one request, the exit code unchanged', async () => {
    await withJob({}, async (job) => {
      const without = await runJest(job, jest, { fixture: 'failing', withoutReporter: true });
      expect(without.code).toBe(1);
      expect(job.fake.requests).toEqual([]);

      const run = await runJest(job, jest, { fixture: 'failing', recordModules: true });
      expect(run.code, run.stderr).toBe(without.code);
      expect(run.stderr).toMatch(/Tests:\s+3 failed, 2 passed, 5 total/);
      expect(run.ourLines).toEqual([acceptedLine()]);
      expect(job.fake.agentApiRequests()).toHaveLength(1);
      expect(job.fake.agentApiRequests()[0]?.body).toMatchObject({ exit_status: 1 });
      expect(job.fake.promisedExitStatus()).toBe(1);
      // The three failing files ran in more than one worker process.
      const failingFilePids = Object.keys(run.markers)
        .filter((name) => /^(login|cart|search)\.test\.js\./.test(name))
        .map((name) => name.split('.').pop());
      expect(failingFilePids).toHaveLength(3);
      expect(new Set(failingFilePids).size).toBeGreaterThan(1);
      // The core is loaded once a test fails (the check above that it is not, on a green run, means something).
      expect(run.loadedModules.flat().some((file) => /packages[\\/]core[\\/]/.test(file))).toBe(true);
    });
  });

  test('the reason names the runner, the full test name and the file relative to the cwd', async () => {
    await withJob({ jobApi: 'none' }, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', args: ['tests/login.test.js'] });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine(1, 'declared via agent-api')]);
      expect(job.fake.agentApiRequests().map((request) => request.body)).toEqual([
        { exit_status: 1, reason: 'jest: login › rejects bad password failed (tests/login.test.js)' },
      ]);
    });
  });

  test('a test retried with jest.retryTimes that passes: no request', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'retry' });
      expect(run.code, run.stderr).toBe(0);
      // It did fail its first attempt.
      expect(Object.entries(run.markers).find(([name]) => name.startsWith('flaky.test.js.'))?.[1]).toBe('2');
      expect(run.ourLines).toEqual([]);
      expect(job.fake.requests).toEqual([]);
    });
  });

  test('expected failures (test.failing), skipped and todo tests: no request', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'expected' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/2 skipped, 1 todo/);
      expect(run.ourLines).toEqual([]);
      expect(job.fake.requests).toEqual([]);
    });
  });

  test('a throwing afterAll hook: one request naming the error and the file', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'hook' });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine()]);
      expect(job.fake.agentApiRequests().map((request) => request.body)).toEqual([
        { exit_status: 1, reason: 'jest: test file failed to run: cleanup failed (tests/after-all.test.js)' },
      ]);
    });
  });

  test('a test file that does not compile: one request', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'syntax' });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine()]);
      const requests = job.fake.agentApiRequests();
      expect(requests).toHaveLength(1);
      expect((requests[0]?.body as { reason: string } | undefined)?.reason).toMatch(
        /^jest: test file failed to run: .+ \(tests\/syntax-error\.test\.js\)$/,
      );
    });
  });

  test('obsolete snapshots that fail a --ci run: one request', async () => {
    await withJob({}, async (job) => {
      // Jest 29 rewrites a snapshot file that has obsolete entries even with --ci (in its own format, which
      // Jest 30 then refuses): start each run from the same file, and leave it as it was.
      await writeFile(obsoleteSnapshotFile, obsoleteSnapshot);
      const run = await runJest(job, jest, { fixture: 'snapshots', args: ['--ci'] }).finally(() =>
        writeFile(obsoleteSnapshotFile, obsoleteSnapshot),
      );
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine()]);
      expect(job.fake.agentApiRequests().map((request) => request.body)).toEqual([
        { exit_status: 1, reason: 'jest: 1 obsolete snapshot failed the run (tests/greeting.test.js)' },
      ]);
    });
  });

  onLatest('the exitStatus option', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', reporterOptions: { exitStatus: 2 } });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine(2)]);
      expect(job.fake.agentApiRequests().map((request) => (request.body as { exit_status: number }).exit_status)).toEqual([2]);
      expect(job.fake.promisedExitStatus()).toBe(2);
    });
  });

  onLatest('an invalid option: one warning, nothing sent, the run unchanged', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', reporterOptions: { exitStatus: 0 } });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([
        'promise-failure: @promise-failure/jest is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.',
      ]);
      expect(job.fake.requests).toEqual([]);
    });
  });

  test('Buildkite down: the run ends about flushTimeout later, same exit code, one warning', async () => {
    await withJob({ jobApi: 'none' }, async (job) => {
      job.fake.fault({ hang: true, times: 100 });
      const without = await runJest(job, jest, { fixture: 'failing', withoutReporter: true });
      const run = await runJest(job, jest, { fixture: 'failing', reporterOptions: { flushTimeout: 1_000 } });
      expect(run.code).toBe(without.code);
      expect(run.ourLines).toEqual([
        "promise-failure: could not promise the failure to Buildkite: timed out after 1000 ms (flushTimeout); the run's exit code is unchanged",
      ]);
      expect(job.fake.agentApiRequests().length).toBeGreaterThanOrEqual(1);
      // Not kept alive by the hanging request (the line above says the flush timed out at 1000 ms).
      expect(run.durationMs - without.durationMs).toBeLessThan(1_000 + loadedMachineSlack);
    });
  });

  onLatest('Buildkite refuses (not enabled for this organization): a warning that says so', async () => {
    await withJob({ jobApi: 'none', enabled: false }, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing' });
      expect(run.code).toBe(1);
      expect(run.ourLines).toHaveLength(1);
      expect(run.ourLines[0]).toMatch(
        /^promise-failure: could not promise exit status 1 to Buildkite: .*not enabled for this organization/,
      );
      expect(job.fake.agentApiRequests()).toHaveLength(1);
    });
  });

  onLatest('outside Buildkite: silent, no request', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', env: { BUILDKITE_JOB_ID: undefined } });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([]);
      expect(job.fake.requests).toEqual([]);
    });
  });

  onLatest('a bad BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: a warning naming it, no request', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', env: { BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: 'lots' } });
      expect(run.code).toBe(1);
      expect(run.ourLines).toHaveLength(1);
      expect(run.ourLines[0]).toMatch(
        /^promise-failure: did not promise the failure to Buildkite: .*BUILDKITE_PROMISE_FAILURE_EXIT_STATUS/,
      );
      expect(job.fake.requests).toEqual([]);
    });
  });

  test('testFailureExitCode 0 (the run cannot fail): nothing', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', args: ['--testFailureExitCode=0'] });
      expect(run.code).toBe(0);
      expect(run.ourLines).toEqual([]);
      expect(job.fake.requests).toEqual([]);
    });
  });

  onLatest('enabled: false: nothing', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', reporterOptions: { enabled: false } });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([]);
      expect(job.fake.requests).toEqual([]);
    });
  });

  test.each([['--forceExit'], ['--bail']])('%s: it still waits, prints the line, the request is recorded', async (flag) => {
    await withJob({ latency: 500 }, async (job) => {
      const run = await runJest(job, jest, { fixture: 'failing', args: [flag] });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine()]);
      expect(job.fake.agentApiRequests()).toHaveLength(1);
      expect(job.fake.promisedExitStatus()).toBe(1);
    });
  });

  test('--shard: each shard with a failure promises it and waits', async () => {
    let failedShards = 0;
    for (const shard of ['1/2', '2/2']) {
      await withJob({ latency: 300 }, async (job) => {
        const run = await runJest(job, jest, { fixture: 'failing', args: [`--shard=${shard}`] });
        if (run.code === 0) {
          expect(run.ourLines).toEqual([]);
          expect(job.fake.requests).toEqual([]);
        } else {
          failedShards += 1;
          expect(run.code).toBe(1);
          expect(run.ourLines).toEqual([acceptedLine()]);
          expect(job.fake.agentApiRequests()).toHaveLength(1);
        }
      });
    }
    expect(failedShards).toBeGreaterThan(0);
  });

  test('multi-project (projects): one request for failures in both projects', async () => {
    await withJob({ latency: 300 }, async (job) => {
      const run = await runJest(job, jest, { fixture: 'projects' });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Tests:\s+2 failed, 2 total/);
      expect(run.ourLines).toEqual([acceptedLine()]);
      expect(job.fake.agentApiRequests()).toHaveLength(1);
      expect((job.fake.agentApiRequests()[0]?.body as { reason: string } | undefined)?.reason).toMatch(
        /^jest: (orders api › lists orders failed \(api\/orders\.test\.js\)|checkout page › shows the total failed \(web\/checkout\.test\.js\))$/,
      );
    });
  });

  test('early: the request reaches Buildkite while a slower test file is still running', async () => {
    await withJob({}, async (job) => {
      const run = await runJest(job, jest, { fixture: 'early' });
      expect(run.code).toBe(1);
      expect(run.ourLines).toEqual([acceptedLine()]);
      const slowFinishedAt = Number(Object.entries(run.markers).find(([name]) => name.startsWith('slow.test.js.'))?.[1]);
      expect(slowFinishedAt).toBeGreaterThan(0);
      const [request] = job.fake.agentApiRequests();
      expect(request?.at).toBeLessThan(slowFinishedAt);
    });
  });
});
