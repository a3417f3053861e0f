import { describe, expect, it } from 'vitest';
import { acceptedLine, bodyOf, markedJobForEachTest, transcript } from '../support/job.js';
import { fixtureDir, mochaMajors, registerArgs } from './run-mocha.js';

/**
 * The earliest mode for `--parallel`: `--require @promise-failure/mocha/register` declares from the worker at a
 * test's final failure, while the worker's file goes on; the main process prints the one line. Real Mocha
 * processes (each supported major) in a job on the fake Buildkite.
 */
describe.each(mochaMajors)('mocha $major --parallel with register: declared from the worker', (mocha) => {
  const current = markedJobForEachTest();

  async function runMocha(args: readonly string[], env: Record<string, string> = {}) {
    return current.job.run(process.execPath, [mocha.bin, ...registerArgs, '--parallel', '--jobs', '2', ...args], {
      cwd: fixtureDir,
      env: { FIXTURE_MARKER_DIR: current.markers.directory, ...env },
    });
  }

  const marker = (name: string) => current.markers.read(name);

  it('a failing test with a 5 s test after it in its file, and a failing hook in another worker: promised at least 3 s before the run ends; one request, one line', async () => {
    const run = await runMocha(['parallel-early/early.spec.js', 'parallel-early/hook-failing.spec.js']);
    expect(run.code, transcript(run)).toBe(2);

    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(run)).toHaveLength(1);
    expect(current.job.fake.requests.filter((request) => request.api === 'job')).toHaveLength(1);
    expect(run.endedAt - requests[0]!.at, transcript(run)).toBeGreaterThanOrEqual(3_000);
    // The early file's failure, from its worker: the main process hears first of the other file (it ends 4 s in).
    expect(bodyOf(requests[0]).reason).toBe('mocha: early › fails at once failed (parallel-early/early.spec.js)');
    expect(run.ourLines, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(acceptedLine);
    expect(await marker('early-failed-at')).toBeLessThanOrEqual(run.endedAt);
  });

  it('a test that fails every attempt (this.retries): promised once, after its last attempt and before its file ends', async () => {
    const run = await runMocha(['parallel-early/every-attempt.spec.js', 'pass/']);
    expect(run.code, transcript(run)).toBe(1);
    const requests = current.job.fake.agentApiRequests();
    expect(requests, transcript(run)).toHaveLength(1);
    expect(requests[0]!.at).toBeGreaterThanOrEqual(await marker('attempt-3'));
    expect(run.endedAt - requests[0]!.at, transcript(run)).toBeGreaterThanOrEqual(2_000);
    expect(bodyOf(requests[0]).reason).toBe('mocha: retried › fails on every attempt failed (parallel-early/every-attempt.spec.js)');
    expect(run.ourLines).toHaveLength(1);
  });

  it('a test that passes on a retry (this.retries): nothing promised, nothing printed', async () => {
    const run = await runMocha(['flaky/flaky.spec.js', 'pass/']);
    expect(run.code, transcript(run)).toBe(0);
    expect(current.job.fake.requests).toEqual([]);
    expect(run.ourLines).toEqual([]);
  });

  it("BUILDKITE_TEST_ENGINE_RETRY_COUNT=2: the workers send nothing either; one line (the main process's), the exit code unchanged", async () => {
    const run = await runMocha(['hook/', 'fail/'], { BUILDKITE_TEST_ENGINE_RETRY_COUNT: '2' });
    const without = await runMocha(['hook/', 'fail/'], { BUILDKITE_PROMISE_FAILURE: 'false' });
    expect(run.code, transcript(run)).toBe(without.code);
    expect(current.job.fake.requests).toEqual([]);
    expect(run.ourLines, transcript(run)).toHaveLength(1);
    expect(run.ourStderrLines[0]).toMatch(
      /^promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2, /,
    );
  });
});
