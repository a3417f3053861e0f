import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type FakeBuildkite, startFakeBuildkite } from '@promise-failure/testkit';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { describeOuterRetries } from './outer-retries.js';
import { startReporterRun } from './reporter-run.js';
import { captureStderr } from './testing.js';

// Each test is a Buildkite job on its own fake Buildkite, with its own lock directory.
let fake: FakeBuildkite;
let lockDir: string;

beforeEach(async () => {
  fake = await startFakeBuildkite({ jobApi: 'none' });
  lockDir = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-kit-'));
  for (const [name, value] of Object.entries(fake.env)) vi.stubEnv(name, value);
  vi.stubEnv('BUILDKITE_PROMISE_FAILURE_LOCK_DIR', lockDir);
  for (const name of [
    'BUILDKITE_PROMISE_FAILURE',
    'BUILDKITE_PROMISE_FAILURE_EXIT_STATUS',
    'BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS',
    'BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS',
    'BUILDKITE_PROMISE_FAILURE_DEBUG',
    'BUILDKITE_AGENT_DEBUG',
    'BUILDKITE_TEST_ENGINE_RETRY_COUNT',
  ]) {
    vi.stubEnv(name, undefined as unknown as string);
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  await fake.close();
  await rm(lockDir, { recursive: true, force: true });
});

const accepted = 'promise-failure: promised exit status 1 to Buildkite (declared via agent-api)\n';

describe('startReporterRun', () => {
  test('the first final failure declares once, with its reason; finish prints the one line, once', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', undefined);
    expect(run.failed).toBe(false);
    const second = vi.fn(() => 'x: second failed');
    run.fail(() => 'x: first failed (a.test.js)');
    run.fail(second);
    expect(run.failed).toBe(true);
    expect(second).not.toHaveBeenCalled();
    const finished = run.finish();
    expect(run.finish()).toBe(finished);
    await finished;
    await run.finish();
    expect(lines).toEqual([accepted]);
    expect(fake.agentApiRequests()).toHaveLength(1);
    expect(fake.agentApiRequests()[0]?.body).toMatchObject({ reason: 'x: first failed (a.test.js)', exit_status: 1 });
  });

  test('a passing run: nothing is sent, nothing printed', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', { exitStatus: 2 });
    await run.finish();
    expect(run.failed).toBe(false);
    expect(lines).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  test('turned off by an option: no settings, nothing latched or sent', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', { enabled: false });
    expect(run.settings).toBeUndefined();
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(run.failed).toBe(false);
    expect(lines).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  test('an invalid option: one line naming it, then nothing', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', { exitstatus: 2 });
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual([
      'promise-failure: @promise-failure/x is turned off: Unknown option `exitstatus`; expected exitStatus, flushTimeout, enabled, timeout or ignoreOuterRetries.\n',
    ]);
    expect(fake.requests).toHaveLength(0);
  });

  test('a run that cannot fail: the rule is asked once, at the first failure; nothing sent or printed', async () => {
    const lines = captureStderr();
    const canFail = vi.fn(() => false);
    const run = startReporterRun('@promise-failure/x', {}, { canFail });
    expect(canFail).not.toHaveBeenCalled();
    run.fail(() => 'x: t failed');
    run.fail(() => 'x: u failed');
    expect(canFail).toHaveBeenCalledTimes(1);
    expect(run.failed).toBe(true);
    await run.finish();
    expect(lines).toEqual([]);
    expect(fake.requests).toHaveLength(0);
  });

  test('a rule that throws: one internal-error line, and no promise (it might not be final)', async () => {
    const lines = captureStderr();
    const run = startReporterRun(
      '@promise-failure/x',
      {},
      {
        canFail: () => {
          throw new TypeError('config is undefined');
        },
      },
    );
    run.fail(() => 'x: t failed');
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual(['promise-failure: internal error in fail: TypeError: config is undefined\n']);
    expect(fake.requests).toHaveLength(0);
  });

  test('a reason that cannot be worded still declares the final failure, with a plain reason', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {});
    run.fail(() => {
      throw new Error('titlePath is not a function');
    });
    await run.finish();
    expect(lines).toEqual(['promise-failure: internal error in reason: Error: titlePath is not a function\n', accepted]);
    expect(fake.agentApiRequests()[0]?.body).toMatchObject({ reason: 'a test failed' });
  });

  test('the options reach the core: exit status and timeout', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', { exitStatus: 3, timeout: 30_000 });
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual(['promise-failure: promised exit status 3 to Buildkite (declared via agent-api)\n']);
    expect(fake.agentApiRequests()[0]?.body).toMatchObject({ exit_status: 3 });
  });
});

describe('flushTimeout from BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS', () => {
  test('sets the default: a slow Buildkite is given up on after it', async () => {
    await fake.close();
    fake = await startFakeBuildkite({ jobApi: 'none', latency: 30_000 });
    for (const [name, value] of Object.entries(fake.env)) vi.stubEnv(name, value);
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS', '200');
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {});
    expect(run.settings?.flushTimeout).toBe(200);
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual([
      "promise-failure: could not promise the failure to Buildkite: timed out after 200 ms (flushTimeout); the run's exit code is unchanged\n",
    ]);
  });

  test('the option wins over the variable', () => {
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS', '200');
    expect(startReporterRun('@promise-failure/x', { flushTimeout: 5_000 }).settings?.flushTimeout).toBe(5_000);
  });

  test('a bad value: one line naming it, and the default kept', () => {
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS', 'soon');
    const lines = captureStderr();
    expect(startReporterRun('@promise-failure/x', {}).settings?.flushTimeout).toBe(10_000);
    expect(lines).toEqual([
      'promise-failure: BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS must be an integer from 0 to 2147483647 (ms), got "soon"; using the default, 10000\n',
    ]);
  });
});

describe('outer retries (BUILDKITE_TEST_ENGINE_RETRY_COUNT)', () => {
  test('a positive count: nothing is sent; finish says why, once', async () => {
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', '2');
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {});
    run.fail(() => 'x: t failed');
    run.fail(() => 'x: u failed');
    expect(run.failed).toBe(true);
    await run.finish();
    await run.finish();
    expect(lines).toEqual([`${describeOuterRetries('2')}\n`]);
    expect(lines[0]).toContain('BUILDKITE_TEST_ENGINE_RETRY_COUNT=2');
    expect(lines[0]).toContain("bktec's own --promise-failure");
    expect(fake.requests).toHaveLength(0);
  });

  test('a passing run under outer retries prints nothing', async () => {
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', '2');
    const lines = captureStderr();
    await startReporterRun('@promise-failure/x', {}).finish();
    expect(lines).toEqual([]);
  });

  test('ignoreOuterRetries: true promises anyway', async () => {
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', '2');
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', { ignoreOuterRetries: true });
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual([accepted]);
    expect(fake.agentApiRequests()).toHaveLength(1);
  });

  test.each(['0', '', 'two'])('%j is no outer retry: the failure is promised', async (count) => {
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', count);
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {});
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual([accepted]);
  });

  test("outside a job, or turned off (with any of the core's words): silent, as always", async () => {
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', '2');
    const lines = captureStderr();
    vi.stubEnv('BUILDKITE_JOB_ID', undefined as unknown as string);
    const outside = startReporterRun('@promise-failure/x', {});
    outside.fail(() => 'x: t failed');
    await outside.finish();
    vi.stubEnv('BUILDKITE_JOB_ID', fake.jobId);
    for (const word of ['false', '0', 'off', 'no', ' OFF ']) {
      vi.stubEnv('BUILDKITE_PROMISE_FAILURE', word);
      const off = startReporterRun('@promise-failure/x', {});
      off.fail(() => 'x: t failed');
      await off.finish();
    }
    expect(lines).toEqual([]);
  });

  test('a run that cannot fail says nothing about outer retries either', async () => {
    vi.stubEnv('BUILDKITE_TEST_ENGINE_RETRY_COUNT', '2');
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {}, { canFail: () => false });
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toEqual([]);
  });
});

describe('a bad environment value of the core', () => {
  test('is said in one line, by its code (PROMISE_FAILURE_INVALID_ENVIRONMENT)', async () => {
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE_EXIT_STATUS', 'abc');
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {});
    run.fail(() => 'x: t failed');
    await run.finish();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: did not promise the failure to Buildkite: .*BUILDKITE_PROMISE_FAILURE_EXIT_STATUS.*"abc"/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('finish(print)', () => {
  test('the line goes where the reporter says, once', async () => {
    const lines = captureStderr();
    const printed: string[] = [];
    const run = startReporterRun('@promise-failure/x', {});
    run.fail(() => 'x: t failed');
    await run.finish((line) => printed.push(line));
    await run.finish((line) => printed.push(`again: ${line}`));
    expect(printed).toEqual([accepted.trimEnd()]);
    expect(lines).toEqual([]);
  });

  test('a print that throws: one internal-error line, and finish still resolves', async () => {
    const lines = captureStderr();
    const run = startReporterRun('@promise-failure/x', {});
    run.fail(() => 'x: t failed');
    await expect(
      run.finish(() => {
        throw new Error('stderr is gone');
      }),
    ).resolves.toBeUndefined();
    expect(lines).toEqual(['promise-failure: internal error in finish: Error: stderr is gone\n']);
  });
});
