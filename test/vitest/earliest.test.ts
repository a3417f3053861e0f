import { describe, expect, test } from 'vitest';
import { acceptedLine, bodyOf, type JobRun, markedJobForEachTest, transcript } from '../support/job.js';
import { latestVitest, runVitest, type VitestRunOptions, vitestMajors } from './run-vitest.js';

/**
 * The earliest mode: the plugin adds `@promise-failure/vitest/setup` to the workers, which promise on a
 * test's final failure from the worker that ran it; the reporter in Vitest's main process prints the one
 * line. Real Vitest processes (each supported major) in a job on the fake Buildkite.
 */
describe.each(vitestMajors)('Vitest $major, the workers promise (the plugin’s setup file)', (major) => {
  const current = markedJobForEachTest();

  function run(args: readonly string[], options: VitestRunOptions = {}): Promise<JobRun> {
    return runVitest(current.job, major, args, {
      mode: 'plugin',
      ...options,
      env: { PF_MARKERS: current.markers.directory, ...options.env },
    });
  }

  const marker = (name: string) => current.markers.read(name);

  test('a failing test, then a test that keeps its worker busy: the request arrives while the main process cannot have heard of the failure; 5 s before the run ends', async () => {
    const result = await run(['early/early']);
    expect(result.code, transcript(result)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(result)).toHaveLength(1);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(await marker('failed-at'));
    // Vitest sends results to the main process on a timer of the worker's thread, which the busy test blocks.
    expect(requests[0]!.at, transcript(result)).toBeLessThan(await marker('busy-ended'));
    expect(result.endedAt - requests[0]!.at).toBeGreaterThanOrEqual(3_000);
    expect(bodyOf(requests[0]).reason).toBe('vitest: fails at once failed (early/early.test.js)');
    expect(result.ourLines, transcript(result)).toHaveLength(1);
    expect(result.ourStderrLines[0]).toMatch(acceptedLine);
  });

  test('the same run with the reporter alone: the request only comes once the busy test is over (what the setup file saves)', async () => {
    const result = await run(['early/early'], { mode: 'reporter' });
    expect(result.code, transcript(result)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(result)).toHaveLength(1);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(await marker('busy-ended'));
  });

  test('failures in several workers, the setup file and the reporter: one request, one line', async () => {
    const result = await run(['early/early', 'failing/', '--maxWorkers=4']);
    expect(result.code, transcript(result)).toBe(1);
    expect(current.job.fake.agentApiRequests(), transcript(result)).toHaveLength(1);
    expect(current.job.fake.requests.filter((request) => request.api === 'job')).toHaveLength(1);
    expect(result.ourLines, transcript(result)).toHaveLength(1);
    expect(result.ourStderrLines[0]).toMatch(acceptedLine);
  });

  test('a test that passes on a retry, and a test.fails that fails: nothing promised, nothing printed', async () => {
    const result = await run(['green/retried', 'green/expected']);
    expect(result.code, transcript(result)).toBe(0);
    expect(current.job.fake.requests).toEqual([]);
    expect(result.ourLines).toEqual([]);
  });

  test('a test that fails every attempt: promised once, after its last attempt and before its file ends', async () => {
    const result = await run(['early/every-attempt']);
    expect(result.code, transcript(result)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(result)).toHaveLength(1);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(await marker('attempt-3'));
    expect(result.endedAt - requests[0]!.at, transcript(result)).toBeGreaterThanOrEqual(2_000);
    expect(bodyOf(requests[0]).reason).toBe('vitest: fails on every attempt failed (early/every-attempt.test.js)');
    expect(result.ourLines).toHaveLength(1);
  });

  test('BUILDKITE_TEST_ENGINE_RETRY_COUNT=2: nothing sent by the workers either; one line, the exit code unchanged', async () => {
    const result = await run(['early/every-attempt'], { env: { BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' } });
    expect(result.code, transcript(result)).toBe(1);
    expect(current.job.fake.requests).toEqual([]);
    expect(result.ourLines, transcript(result)).toHaveLength(1);
    expect(result.ourStderrLines[0]).toMatch(
      /^promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2, /,
    );
  });

  test.runIf(major === latestVitest).each(['threads', 'vmThreads', 'vmForks'])(
    'in the %s pool: the request arrives while the failing file is still busy',
    async (pool) => {
      const result = await run(['early/early', `--pool=${pool}`]);
      expect(result.code, transcript(result)).toBe(1);
      const requests = current.job.fake.agentApiRequests();
      expect(requests, transcript(result)).toHaveLength(1);
      expect(requests[0]!.at, transcript(result)).toBeLessThan(await marker('busy-ended'));
      expect(result.ourLines).toHaveLength(1);
    },
  );

  test.runIf(major === latestVitest)('the reporter off (enabled: false): the workers promise nothing either', async () => {
    const result = await run(['early/early'], { options: { enabled: false } });
    expect(result.code, transcript(result)).toBe(1);
    expect(current.job.fake.requests).toEqual([]);
    expect(result.ourLines).toEqual([]);
  });

  test.runIf(major === latestVitest)('the setup file added by hand beside the reporter (no plugin): the workers promise', async () => {
    const result = await run(['early/early'], { mode: 'reporter', env: { PF_SETUP: 'true' } });
    expect(result.code, transcript(result)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(result)).toHaveLength(1);
    expect(requests[0]!.at, transcript(result)).toBeLessThan(await marker('busy-ended'));
    expect(result.ourLines).toHaveLength(1);
  });
});
