import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { acceptedLine, type Job, type JobRun, loadedMachineSlack, startJob, transcript, withJob } from '../support/job.js';
import { onLatestOf } from '../support/on-latest.js';
import { latestVitest, runVitest, runVitestExample, type VitestRunOptions, vitestMajors } from './run-vitest.js';

const declaredViaJobApi = 'promise-failure: promised exit status 1 to Buildkite (declared via job-api)';

/** The run told Buildkite nothing and printed nothing of ours. */
function expectSilentAndNothingSent(job: Job, result: JobRun) {
  expect(job.fake.requests, transcript(result)).toEqual([]);
  expect(result.ourLines, transcript(result)).toEqual([]);
}

/**
 * Exactly one request reached the Agent API, and the one line says so. With the plugin, the workers call too
 * (its setup file), and the reporter's call may come second: its line then says `debounced` (`acceptedLine`).
 */
function expectPromisedOnce(job: Job, result: JobRun, line: string | RegExp = declaredViaJobApi) {
  expect(job.fake.agentApiRequests(), transcript(result)).toHaveLength(1);
  expect(result.ourStderrLines, transcript(result)).toHaveLength(1);
  if (typeof line === 'string') expect(result.ourStderrLines[0]).toBe(line);
  else expect(result.ourStderrLines[0]).toMatch(line);
  expect(result.ourLines).toHaveLength(1);
}

function sentReason(job: Job): unknown {
  return (job.fake.agentApiRequests()[0]?.body as { reason?: unknown } | undefined)?.reason;
}

describe.each(vitestMajors)('Vitest $major', (major) => {
  let job: Job;
  const onLatest = onLatestOf(major, latestVitest);
  const run = (args: readonly string[], options?: VitestRunOptions) => runVitest(job, major, args, options);

  beforeEach(async () => {
    job = await startJob();
  });

  afterEach(async () => {
    await job.close();
  });

  describe('runs that must not promise anything', () => {
    test('a passing run: no request, no output', async () => {
      const result = await run(['green/plain']);
      expect(result.code, transcript(result)).toBe(0);
      expectSilentAndNothingSent(job, result);
    });

    test('a test that failed, was retried and passed', async () => {
      const result = await run(['green/retried']);
      expect(result.code, transcript(result)).toBe(0);
      expectSilentAndNothingSent(job, result);
    });

    test('expected failures (test.fails), skipped and todo tests', async () => {
      const result = await run(['green/expected']);
      expect(result.code, transcript(result)).toBe(0);
      expect(result.stdout).toMatch(/todo/);
      expectSilentAndNothingSent(job, result);
    });

    onLatest('outside Buildkite (no BUILDKITE_JOB_ID): silent, the exit code kept', async () => {
      const result = await run(['failing/'], { env: { BUILDKITE_JOB_ID: undefined } });
      expect(result.code, transcript(result)).toBe(1);
      expectSilentAndNothingSent(job, result);
    });

    onLatest('turned off in the environment (BUILDKITE_PROMISE_FAILURE=false)', async () => {
      const result = await run(['failing/'], { env: { BUILDKITE_PROMISE_FAILURE: 'false' } });
      expect(result.code, transcript(result)).toBe(1);
      expectSilentAndNothingSent(job, result);
    });

    onLatest('enabled: false', async () => {
      const result = await run(['failing/'], { options: { enabled: false } });
      expect(result.code, transcript(result)).toBe(1);
      expectSilentAndNothingSent(job, result);
    });

    test('an unhandled error in a run whose exit code is off (dangerouslyIgnoreUnhandledErrors)', async () => {
      const result = await run(['unhandled/'], { env: { PF_IGNORE_UNHANDLED: 'true' } });
      expect(result.code, transcript(result)).toBe(0);
      expectSilentAndNothingSent(job, result);
    });

    onLatest('an invalid option: one warning line, the reporter off, the exit code kept', async () => {
      const result = await run(['failing/first'], { options: { exitStatus: 0 } });
      expect(result.code, transcript(result)).toBe(1);
      expect(job.fake.requests).toEqual([]);
      expect(result.ourStderrLines, transcript(result)).toEqual([
        'promise-failure: @promise-failure/vitest is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.',
      ]);
    });
  });

  describe('final failures: one request, one line', () => {
    test('failures across several files and workers; the exit code is the one without the reporter', async () => {
      const without = await run(['failing/', '--maxWorkers=3'], { mode: 'none' });
      expect(without.code, transcript(without)).toBe(1);
      expect(job.fake.requests).toEqual([]);

      const result = await run(['failing/', '--maxWorkers=3']);
      expect(result.code, transcript(result)).toBe(without.code);
      expectPromisedOnce(job, result);
      expect(job.fake.promisedExitStatus()).toBe(1);
    });

    test.each(['threads', 'forks'])('--pool=%s', async (pool) => {
      const result = await run(['failing/', `--pool=${pool}`, '--maxWorkers=2']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
    });

    test('--bail: it still waits for Buildkite before Vitest exits', async () => {
      const result = await run(['failing/', '--bail=1']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
    });

    test('the reason names the runner, the full name of the test and its path relative to the cwd', async () => {
      const result = await run(['failing/first']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
      expect(sentReason(job)).toBe('vitest: login > rejects bad password failed (failing/first.test.js)');
    });

    test('a failing beforeAll hook (its tests show as skipped)', async () => {
      const result = await run(['hook/']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
      expect(sentReason(job)).toBe('vitest: a hook of orders failed: database is down (hook/before-all.test.js)');
    });

    test('a test file that does not compile', async () => {
      const result = await run(['broken/']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
      expect(sentReason(job)).toMatch(/^vitest: test file failed to load: .+ \(broken\/syntax\.test\.js\)$/);
    });

    test('an unhandled error', async () => {
      const result = await run(['unhandled/']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
      expect(sentReason(job)).toBe(
        'vitest: unhandled error in starts a timer that throws later: thrown from a timer (unhandled/late-error.test.js)',
      );
    });

    onLatest('the exitStatus option is the status promised', async () => {
      const result = await run(['failing/first'], { options: { exitStatus: 2 } });
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result, 'promise-failure: promised exit status 2 to Buildkite (declared via job-api)');
      expect(job.fake.agentApiRequests()[0]?.body).toMatchObject({ exit_status: 2 });
      expect(job.fake.promisedExitStatus()).toBe(2);
    });

    test('projects (threads and forks): one reporter sees every project', async () => {
      const result = await run(['--config', 'vitest.projects.config.mjs']);
      expect(result.code, transcript(result)).toBe(1);
      expect(result.stdout).toMatch(/in-threads/);
      expect(result.stdout).toMatch(/in-forks/);
      expectPromisedOnce(job, result);
    });

    test('early: the request reaches Buildkite while a slower file is still running', async () => {
      const slowFinished = path.join(job.scratch, 'slow-finished');
      const result = await run(['slow/', '--maxWorkers=2'], { env: { PF_SLOW_MARK: slowFinished } });
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
      const finishedAt = Number(await readFile(slowFinished, 'utf8'));
      const [request] = job.fake.agentApiRequests();
      expect(request?.at).toBeLessThan(finishedAt);
      expect(sentReason(job)).toBe('vitest: fails at once failed (slow/fast-failing.test.js)');
    });
  });

  test('obsolete snapshots under CI: promised only where they fail the run (Vitest 4)', async () => {
    const without = await run(['snapshots/'], { mode: 'none' });
    const result = await run(['snapshots/']);
    expect(result.code, transcript(result)).toBe(without.code);
    if (major.major >= 4) {
      expect(result.code).toBe(1);
      expectPromisedOnce(job, result);
      expect(sentReason(job)).toMatch(/^vitest: test file failed: Obsolete snapshots .* \(snapshots\/obsolete\.test\.js\)$/);
    } else {
      expect(result.code).toBe(0);
      expectSilentAndNothingSent(job, result);
    }
  });

  describe('the plugin', () => {
    test('survives --reporter=dot on the command line, and still waits', async () => {
      const result = await run(['failing/', '--reporter=dot'], { mode: 'plugin' });
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result, acceptedLine);
    });

    test('adds no second reporter when the reporter is configured too', async () => {
      const result = await run(['failing/'], { mode: 'both' });
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result, acceptedLine);
    });

    test('with projects, acts once', async () => {
      const result = await run(['--config', 'vitest.projects.config.mjs', '--reporter=dot'], { mode: 'plugin' });
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result, acceptedLine);
    });

    test('a passing run with the plugin: silent', async () => {
      const result = await run(['green/'], { mode: 'plugin' });
      expect(result.code, transcript(result)).toBe(0);
      expectSilentAndNothingSent(job, result);
    });
  });

  describe('when Buildkite does not accept', () => {
    test('Buildkite down: the run ends about flushTimeout later, same exit code, a warning', async () => {
      const without = await run(['failing/first'], { mode: 'none' });
      job.fake.fault({ hang: true, times: 100 });
      const result = await run(['failing/first'], { options: { flushTimeout: 1000 } });
      expect(result.code, transcript(result)).toBe(without.code);
      expect(result.ourStderrLines, transcript(result)).toEqual([
        "promise-failure: could not promise the failure to Buildkite: timed out after 1000 ms (flushTimeout); the run's exit code is unchanged",
      ]);
      // Not kept alive by the hanging request (the line above says the flush timed out at 1000 ms).
      expect(result.durationMs - without.durationMs).toBeLessThan(1000 + loadedMachineSlack);
    });

    onLatest('not enabled for the organization: a warning that says so', async () => {
      await withJob({ enabled: false, jobApi: 'none' }, async (notEnabled) => {
        const result = await runVitest(notEnabled, major, ['failing/first']);
        expect(result.code, transcript(result)).toBe(1);
        expect(notEnabled.fake.agentApiRequests(), transcript(result)).toHaveLength(1);
        const lines = result.ourStderrLines;
        expect(lines, transcript(result)).toHaveLength(1);
        expect(lines[0]).toMatch(/^promise-failure: could not promise exit status 1 to Buildkite: .*not enabled/);
      });
    });

    onLatest('a bad environment value: the warning, nothing sent', async () => {
      const result = await run(['failing/first'], { env: { BUILDKITE_PROMISE_FAILURE_EXIT_STATUS: 'abc' } });
      expect(result.code, transcript(result)).toBe(1);
      expect(job.fake.requests).toEqual([]);
      const lines = result.ourStderrLines;
      expect(lines, transcript(result)).toHaveLength(1);
      expect(lines[0]).toMatch(/^promise-failure: did not promise the failure to Buildkite: .*BUILDKITE_PROMISE_FAILURE_EXIT_STATUS/);
    });
  });
});

describe('examples/vitest', () => {
  test('runs as a user would (npm test): two failing tests in two workers, one request', async () => {
    await withJob({}, async (job) => {
      const result = await runVitestExample(job);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result);
      // Whichever worker fails first names the reason.
      expect([
        'vitest: checkout > applies a 15 % discount failed (test/checkout.test.ts)',
        'vitest: uses a decimal comma failed (test/format.test.ts)',
      ]).toContain(sentReason(job));
    });
  });
});

describe('without a Job API', () => {
  test('the Agent API is used directly and the line says so', async () => {
    await withJob({ jobApi: 'none' }, async (job) => {
      const result = await runVitest(job, latestVitest, ['failing/first']);
      expect(result.code, transcript(result)).toBe(1);
      expectPromisedOnce(job, result, 'promise-failure: promised exit status 1 to Buildkite (declared via agent-api)');
    });
  });
});
