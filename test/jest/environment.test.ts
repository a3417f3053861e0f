import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { acceptedLine, bodyOf, markedJobForEachTest, startJob, transcript } from '../support/job.js';
import { fixturesDir, jestVersions } from './run-jest.js';

/**
 * The earliest mode: `testEnvironment: '@promise-failure/jest/environment'` beside the reporter. The test
 * file's worker promises on a test's final failure, while the file goes on; the reporter in Jest's main
 * process prints the one line. Real Jest processes (each supported major) in a job on the fake Buildkite.
 */
describe.each(jestVersions)('jest $major with @promise-failure/jest/environment', (jest) => {
  const current = markedJobForEachTest();

  async function runJest(testFiles: readonly string[], env: Record<string, string> = {}) {
    const args = [jest.bin, `--cacheDirectory=${path.join(current.job.scratch, 'jest-cache')}`, ...testFiles];
    return current.job.run(process.execPath, args, {
      cwd: path.join(fixturesDir, 'environment'),
      env: { FIXTURE_MARKER_DIR: current.markers.directory, ...env },
    });
  }

  const marker = (name: string) => current.markers.read(name);

  test("a failing test with a 5 s test after it in its file: promised at least 3 s before the run ends; one request and one line for two failing workers, the environment and the reporter (the early file's reason)", async () => {
    const run = await runJest(['early\\.test\\.js', 'also-failing']);
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stderr).toMatch(/Tests:\s+2 failed, 1 passed, 3 total/);

    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(run)).toHaveLength(1);
    expect(current.job.fake.requests.filter((request) => request.api === 'job')).toHaveLength(1);
    expect(run.endedAt - requests[0]!.at, transcript(run)).toBeGreaterThanOrEqual(3_000);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(await marker('early.test.js.failed-at'));
    // The early file's failure, from its worker: the reporter hears first of the other file (it ends 4 s in).
    expect(bodyOf(requests[0]).reason).toBe('jest: fails at once failed (tests/early.test.js)');
    expect(run.ourLines, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(acceptedLine);
  });

  test('tests that pass on a retry (at the end of the block, or at once) and a test.failing that fails: nothing promised, nothing printed', async () => {
    const run = await runJest(['flaky', 'expected-failure']);
    expect(run.code, transcript(run)).toBe(0);
    expect(run.stderr).toMatch(/Tests:\s+5 passed, 5 total/);
    expect(current.job.fake.requests).toEqual([]);
    expect(run.ourLines).toEqual([]);
  });

  test('a test that fails every attempt: promised once, after its last attempt and before its file ends', async () => {
    const run = await runJest(['every-attempt']);
    expect(run.code, transcript(run)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(run)).toHaveLength(1);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(await marker('every-attempt.test.js.attempt-3'));
    // The file's 3 s test was still running: the worker promised, not the reporter at the file's end.
    expect(run.endedAt - requests[0]!.at, transcript(run)).toBeGreaterThanOrEqual(2_000);
    expect(bodyOf(requests[0]).reason).toBe('jest: retried › fails on every attempt failed (tests/every-attempt.test.js)');
    expect(run.ourLines).toHaveLength(1);
  });

  test("BUILDKITE_TEST_ENGINE_RETRY_COUNT=2: nothing sent by the environment either, one line (the reporter's), the exit code unchanged", async () => {
    const run = await runJest(['every-attempt', 'expected-failure'], { BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });
    expect(run.code, transcript(run)).toBe(1);
    expect(current.job.fake.requests).toEqual([]);
    expect(run.ourLines, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(
      /^promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2, /,
    );
  });
});

/** The jsdom variant, with the `jest-environment-jsdom` installed here (30, so on Jest 30). */
describe('jest 30 with @promise-failure/jest/environment-jsdom', () => {
  test('a test using the DOM fails with 3 s more in its file: promised by the environment, at least 2 s before the run ends', async () => {
    const job = await startJob();
    try {
      const jest30 = jestVersions.find((version) => version.major === 30)!;
      const args = [jest30.bin, `--cacheDirectory=${path.join(job.scratch, 'jest-cache')}`];
      const run = await job.run(process.execPath, args, { cwd: path.join(fixturesDir, 'environment-jsdom') });
      expect(run.code, transcript(run)).toBe(1);
      const requests = job.fake.agentApiRequests();
      expect(requests, transcript(run)).toHaveLength(1);
      expect(run.endedAt - requests[0]!.at, transcript(run)).toBeGreaterThanOrEqual(2_000);
      expect(bodyOf(requests[0]).reason).toBe('jest: has a document, and fails failed (tests/dom.test.js)');
      expect(run.ourLines).toHaveLength(1);
    } finally {
      await job.close();
    }
  });
});
