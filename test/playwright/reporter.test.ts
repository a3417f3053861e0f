import { afterEach, describe, expect, test } from 'vitest';
import {
  acceptedLine,
  type Job,
  playwrightVersions,
  reasonOf,
  releaseOnRequest,
  runPlaywright,
  startJob,
  transcript,
} from './run-playwright.js';

const checkoutReason =
  'playwright: tests/checkout.spec.js › checkout › charges the card › Error: expect(received).toBe(expected) // Object.is equality';

/**
 * @promise-failure/playwright end to end: real `playwright test` processes of each supported version over the
 * projects in fixtures/, against the testkit's fake Buildkite. What makes a failure final is in rules.test.ts.
 */
describe.each(playwrightVersions)('Playwright $version', (playwright) => {
  let job: Job;
  afterEach(() => job?.close());

  test('a passing run with retried, flaky, expected-to-fail and skipped tests: no request, no output, the core never loaded', async () => {
    job = await startJob();
    const run = await runPlaywright(job, playwright, { fixture: 'green', recordModules: true });
    expect(run.code, transcript(run)).toBe(0);
    // It did retry: two flaky tests; three skipped (the expected failure counts as passed).
    expect(run.stdout).toMatch(/2 flaky/);
    expect(run.stdout).toMatch(/3 skipped/);
    expect(run.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
    const loaded = run.loadedModules.flat();
    expect(loaded.some((file) => /packages[\\/]playwright[\\/]dist[\\/]index\.cjs$/.test(file))).toBe(true);
    expect(loaded.filter((file) => /packages[\\/]core[\\/]/.test(file))).toEqual([]);
  });

  test('early: one request after the last attempt of a failing test, while a slower test still runs; one line', async () => {
    job = await startJob();
    const run = await runPlaywright(job, playwright, { fixture: 'failing', recordModules: true, whileRunning: releaseOnRequest(job) });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourLines).toEqual([acceptedLine()]);
    expect(run.ourStderrLines).toEqual([acceptedLine()]);
    const requests = job.fake.agentApiRequests();
    expect(requests).toHaveLength(1);
    expect(reasonOf(job)).toBe(checkoutReason);
    // Not on the first attempt, which was retried: after the last one started.
    const lastAttemptAt = Number(run.markers['checkout.attempt-1']);
    expect(lastAttemptAt).toBeGreaterThan(0);
    expect(requests[0]?.at).toBeGreaterThanOrEqual(lastAttemptAt);
    // The slow test ended only after the request had arrived (it waits for `release`, written on its arrival).
    const [slowFinishedAt, how] = (run.markers['slow.finished'] ?? '').split(' ');
    expect(how).toBe('released');
    expect(requests[0]?.at).toBeLessThan(Number(slowFinishedAt));
    // The core is loaded once a test fails (so the check that a green run does not load it means something).
    expect(run.loadedModules.flat().some((file) => /packages[\\/]core[\\/]/.test(file))).toBe(true);
  });

  test('SIGINT after the failure: Playwright ends interrupted (130), the promise is flushed and its line printed', async () => {
    job = await startJob({ latency: 1_000 });
    const run = await runPlaywright(job, playwright, {
      fixture: 'failing',
      env: { FIXTURE_INTERRUPT_ON_RELEASE: '1' },
      whileRunning: releaseOnRequest(job),
    });
    expect(run.code, transcript(run)).toBe(130);
    expect(run.ourLines).toEqual([acceptedLine()]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(job.fake.promisedExitStatus()).toBe(1);
    expect(run.markers['slow.finished']).toBeUndefined();
  });

  test('maxFailures: the failure promises, the test it interrupts does not count, the line is printed', async () => {
    job = await startJob({ latency: 1_000 });
    const run = await runPlaywright(job, playwright, { fixture: 'failing', args: ['--max-failures=1', '--retries=0'] });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stdout).toMatch(/1 interrupted/);
    expect(run.ourLines).toEqual([acceptedLine()]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(reasonOf(job)).toBe(checkoutReason);
  });

  test('outside Buildkite: silent, no request, the exit code unchanged', async () => {
    job = await startJob();
    const run = await runPlaywright(job, playwright, {
      fixture: 'rules',
      args: ['tests/before-all.spec.js'],
      env: { BUILDKITE_JOB_ID: undefined },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourLines).toEqual([]);
    expect(job.fake.requests).toEqual([]);
  });

  test('an invalid option: one line naming it, nothing sent, the run unchanged', async () => {
    job = await startJob();
    const run = await runPlaywright(job, playwright, {
      fixture: 'rules',
      args: ['tests/before-all.spec.js'],
      reporterOptions: { exitStatus: 0 },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourLines).toEqual([
      'promise-failure: @promise-failure/playwright is turned off: Expected `exitStatus` to be an integer from 1 to 255, got 0.',
    ]);
    expect(job.fake.requests).toEqual([]);
  });
});
