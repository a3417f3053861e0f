import { afterEach, describe, expect, test } from 'vitest';
import { acceptedLine, type Job, playwrightVersions, reasonOf, runPlaywright, startJob, transcript } from './run-playwright.js';

const expectLine = 'Error: expect(received).toBe(expected) // Object.is equality';

/**
 * What makes a failure final, end to end: each rule of the reporter (see `final-failures.ts`) on a real
 * `playwright test` run of each supported version, one run per rule that promises (a run promises once, so
 * its reason shows which rule fired). The rules that promise nothing share one green run in reporter.test.ts.
 */
describe.each(playwrightVersions)('Playwright $version', (playwright) => {
  let job: Job;
  afterEach(() => job?.close());

  /** One run of the `rules` fixture project that must fail and promise once; returns the reason. */
  async function promisedReason(
    args: readonly string[],
    options: { reporters?: 'only'; stdout?: RegExp } = {},
  ): Promise<string | undefined> {
    const run = await runPlaywright(job, playwright, {
      fixture: 'rules',
      args,
      ...(options.reporters ? { reporters: options.reporters } : {}),
    });
    if (options.stdout) expect(run.stdout, transcript(run)).toMatch(options.stdout);
    expect(run.code, transcript(run)).toBe(1);
    expect(run.ourLines, transcript(run)).toEqual([acceptedLine()]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    return reasonOf(job);
  }

  test('a failing beforeAll hook promises, naming the test it failed; the exit code is the same without the reporter', async () => {
    job = await startJob();
    const without = await runPlaywright(job, playwright, { fixture: 'rules', args: ['tests/before-all.spec.js'], reporters: 'without' });
    expect(without.code, transcript(without)).toBe(1);
    expect(job.fake.requests).toEqual([]);
    expect(await promisedReason(['tests/before-all.spec.js'])).toBe(
      'playwright: tests/before-all.spec.js › orders › lists orders › Error: database unavailable',
    );
  });

  test('a failing afterAll hook promises', async () => {
    job = await startJob();
    expect(await promisedReason(['tests/after-all.spec.js'])).toBe(
      'playwright: tests/after-all.spec.js › cart › removes an item › Error: cleanup failed',
    );
  });

  test('a worker that crashes promises', async () => {
    job = await startJob();
    expect(await promisedReason(['tests/crash.spec.js'])).toBe(
      'playwright: tests/crash.spec.js › a worker that crashes › Error: worker process exited unexpectedly (code=3, signal=null)',
    );
  });

  test('a test file that does not load promises (onError)', async () => {
    job = await startJob();
    expect(await promisedReason(['tests/syntax-error.spec.js'])).toMatch(/^playwright: tests\/syntax-error\.spec\.js › SyntaxError: /);
  });

  test('globalSetup throwing promises (onError)', async () => {
    job = await startJob();
    expect(await promisedReason(['-c', 'global-setup.config.cjs', 'tests/fixed-bug.spec.js'])).toBe(
      'playwright: global-setup.cjs › Error: the test database did not start',
    );
  });

  test("test.fail() that passes promises; with ours the only reporter, Playwright's own output is still there", async () => {
    job = await startJob();
    // Playwright adds its `dot` reporter (CI is set in a job): its summary is on stdout.
    expect(await promisedReason(['tests/fixed-bug.spec.js'], { reporters: 'only', stdout: /\b1 failed\b/ })).toBe(
      'playwright: tests/fixed-bug.spec.js › a fixed bug: test.fail() that passes › expected to fail, but passed',
    );
  });

  test('a flaky test under failOnFlakyTests promises (where the config does not tell reporters, at the end)', async () => {
    job = await startJob();
    expect(await promisedReason(['--retries=1', '--fail-on-flaky-tests', 'tests/flaky.spec.js'])).toBe(
      'playwright: tests/flaky.spec.js › fails, then passes on retry › flaky: passed on retry 1 after failing, and failOnFlakyTests is set',
    );
  });

  test('projects: the same test in two projects is two tests (flaky in one, failing in the other); exitStatus', async () => {
    job = await startJob();
    const run = await runPlaywright(job, playwright, {
      fixture: 'rules',
      args: ['-c', 'projects.config.cjs'],
      reporterOptions: { exitStatus: 2 },
    });
    expect(run.code, transcript(run)).toBe(1);
    expect(run.stdout).toMatch(/1 flaky/);
    expect(run.ourLines).toEqual([acceptedLine(2)]);
    expect(job.fake.agentApiRequests()).toHaveLength(1);
    expect(job.fake.promisedExitStatus()).toBe(2);
    expect(reasonOf(job)).toBe(`playwright: [mobile] › tests/layout.spec.js › fits the screen › ${expectLine}`);
  });
});
