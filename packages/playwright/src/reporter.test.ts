import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureStderr } from '@promise-failure/reporting/testing';
import { type FakeBuildkite, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { PlaywrightTestCase, PlaywrightTestResult } from './playwright-types.js';
import { PromiseFailureReporter } from './reporter.js';

/** What Playwright adds to every reporter's options (1.57 and 1.65). */
const playwrightOwn = { configDir: '/repo', _mode: 'test', _commandHash: '' };

/** A test whose attempts are `statuses`, as Playwright hands it to `onTestEnd` after the last of them. */
function attempts(...statuses: PlaywrightTestResult['status'][]): [PlaywrightTestCase, PlaywrightTestResult] {
  const results = statuses.map((status, retry): PlaywrightTestResult => ({ retry, status }));
  const test: PlaywrightTestCase = {
    retries: 1,
    expectedStatus: 'passed',
    results,
    location: { file: path.join(process.cwd(), 'tests/a.spec.ts') },
    titlePath: () => ['', '', 'tests/a.spec.ts', 'flaky'],
  };
  return [test, results.at(-1) as PlaywrightTestResult];
}

const suite = { allTests: () => [] };
/** Playwright 1.57 does not pass `failOnFlakyTests` to reporters. */
const config = { version: '1.57.0' };

describe('PromiseFailureReporter in a Buildkite job (the testkit)', () => {
  let fake: FakeBuildkite;
  let lockDir: string;

  beforeEach(async () => {
    fake = await startFakeBuildkite({ jobApi: 'none' });
    lockDir = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-playwright-'));
    for (const [name, value] of Object.entries(fake.env)) vi.stubEnv(name, value);
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE_LOCK_DIR', lockDir);
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', undefined);
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await fake.close();
    await rm(lockDir, { recursive: true, force: true });
  });

  test("Playwright's own option keys are not the user's: no warning; a final failure promises before onEnd", async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter({ ...playwrightOwn, exitStatus: 3 } as never);
    reporter.onBegin(config, suite);
    reporter.onTestEnd(...attempts('failed'));
    reporter.onTestEnd(...attempts('failed', 'failed'));
    const [request] = await fake.waitForAgentRequests(1, { timeout: 30_000 });
    expect(request?.body).toEqual({ exit_status: 3, reason: 'playwright: tests/a.spec.ts › flaky › failed' });
    await reporter.onEnd({ status: 'failed' });
    expect(lines).toEqual(['promise-failure: promised exit status 3 to Buildkite (declared via agent-api)\n']);
  });

  test('failOnFlakyTests in the config given to reporters (newer Playwright): the flaky attempt promises at once, not at onEnd', async () => {
    captureStderr();
    const reporter = new PromiseFailureReporter(playwrightOwn as never);
    reporter.onBegin({ ...config, failOnFlakyTests: true }, suite);
    reporter.onTestEnd(...attempts('failed'));
    reporter.onTestEnd(...attempts('failed', 'passed'));
    const [request] = await fake.waitForAgentRequests(1, { timeout: 30_000 });
    expect((request?.body as { reason?: string } | undefined)?.reason).toMatch(
      / › flaky: passed on retry 1 after failing, and failOnFlakyTests is set$/,
    );
    await reporter.onEnd({ status: 'failed' });
  });

  test('without failOnFlakyTests a flaky test is no failure, and a passing run ends silently', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter(playwrightOwn as never);
    reporter.onBegin({ ...config, failOnFlakyTests: false }, suite);
    reporter.onTestEnd(...attempts('failed'));
    reporter.onTestEnd(...attempts('failed', 'passed'));
    await reporter.onEnd({ status: 'passed' });
    await reporter.onExit();
    expect(fake.requests).toEqual([]);
    expect(lines).toEqual([]);
  });

  test('under `playwright merge-reports` (mode merge) it promises nothing: the failures belong to the jobs that ran them', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter({ ...playwrightOwn, _mode: 'merge' } as never);
    reporter.onBegin(config, suite);
    reporter.onTestEnd(...attempts('failed', 'failed'));
    reporter.onError({ message: 'Error: boom' });
    await reporter.onEnd({ status: 'failed' });
    expect(fake.requests).toEqual([]);
    expect(lines).toEqual([]);
  });

  test('under Buildkite Test Engine retries (BUILDKITE_TEST_ENGINE_RETRY_COUNT) nothing is promised, and one line says why', async () => {
    const lines = captureStderr();
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', '2');
    const reporter = new PromiseFailureReporter(playwrightOwn as never);
    reporter.onBegin(config, suite);
    reporter.onTestEnd(...attempts('failed', 'failed'));
    await reporter.onEnd({ status: 'failed' });
    expect(fake.requests).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: did not promise the failure to Buildkite: BUILDKITE_TEST_ENGINE_RETRY_COUNT=2/);
  });

  test('an error outside the tests promises at once; onEnd and onExit print the one line once', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter(playwrightOwn as never);
    reporter.onBegin(config, suite);
    reporter.onError({ message: 'Error: global setup exploded', location: { file: path.join(process.cwd(), 'setup.ts') } });
    reporter.onError({ message: 'Error: a second one' });
    await reporter.onEnd({ status: 'failed' });
    await reporter.onExit();
    expect(fake.agentApiRequests().map((request) => request.body)).toEqual([
      { exit_status: 1, reason: 'playwright: setup.ts › Error: global setup exploded' },
    ]);
    expect(lines).toHaveLength(1);
  });
});

describe('PromiseFailureReporter anywhere', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test('printsToStdio is false, so Playwright keeps its own terminal reporter when ours is the only one', () => {
    expect(new PromiseFailureReporter().printsToStdio()).toBe(false);
  });

  test('an invalid option: one line naming it, then silence', async () => {
    const lines = captureStderr();
    const reporter = new PromiseFailureReporter({ ...playwrightOwn, flushTimeout: 'soon' } as never);
    reporter.onTestEnd(...attempts('failed', 'failed'));
    await reporter.onEnd({ status: 'failed' });
    expect(lines).toEqual([
      'promise-failure: @promise-failure/playwright is turned off: Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got "soon".\n',
    ]);
  });

  test('never throws into Playwright (a reporter error fails the run), whatever it is given', async () => {
    const lines = captureStderr();
    vi.stubEnv('BUILDKITE_JOB_ID', undefined);
    const reporter = new PromiseFailureReporter(playwrightOwn as never);
    expect(() => reporter.onBegin(undefined as never, undefined as never)).not.toThrow();
    expect(() => reporter.onTestEnd(undefined as never, undefined as never)).not.toThrow();
    expect(() => reporter.onError(undefined as never)).not.toThrow();
    await expect(reporter.onEnd(undefined as never)).resolves.toBeUndefined();
    await expect(reporter.onExit()).resolves.toBeUndefined();
    // Each guarded hook that failed said so, once.
    expect(lines.every((line) => line.startsWith('promise-failure: internal error in '))).toBe(true);
    vi.unstubAllEnvs();
  });
});
