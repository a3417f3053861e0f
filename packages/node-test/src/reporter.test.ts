import { isPromisingJob } from '@promise-failure/reporting';
import { captureStderr } from '@promise-failure/reporting/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { TestEvent } from './events.js';
import { promiseFailureReporter } from './reporter.js';
import { describeRerun, isRerunRun } from './rerun.js';

async function collect(events: Iterable<TestEvent> | AsyncIterable<TestEvent>): Promise<string[]> {
  const output: string[] = [];
  for await (const chunk of promiseFailureReporter(toAsync(events))) output.push(chunk);
  return output;
}

async function* toAsync(events: Iterable<TestEvent> | AsyncIterable<TestEvent>): AsyncGenerator<TestEvent> {
  yield* events;
}

const failingTest = (details: Record<string, unknown> = {}): TestEvent => ({
  type: 'test:fail',
  data: { name: 'rejects bad password', nesting: 0, file: '/project/login.test.mjs', details: { error: { message: 'boom' }, ...details } },
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('promiseFailureReporter', () => {
  test('outside Buildkite: a failing run yields nothing and prints nothing', async () => {
    vi.stubEnv('BUILDKITE_JOB_ID', '');
    const stderr = captureStderr();
    expect(await collect([failingTest(), { type: 'test:summary', data: { success: false } }])).toEqual([]);
    expect(stderr).toEqual([]);
  });

  test('the one line is yielded, for Node to write to the reporter’s destination, not printed to stderr', async () => {
    // A bad environment value: the core skips and names it, without a request.
    vi.stubEnv('BUILDKITE_JOB_ID', 'job-1');
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE_EXIT_STATUS', 'two');
    const stderr = captureStderr();
    const output = await collect([failingTest()]);
    expect(output).toHaveLength(1);
    expect(output[0]).toMatch(/^promise-failure: did not promise the failure to Buildkite: .*BUILDKITE_PROMISE_FAILURE_EXIT_STATUS.*\n$/);
    expect(stderr).toEqual([]);
  });

  test('a run of --test-rerun-failures (details.attempt on its tests): nothing promised, and the one line says why', async () => {
    // A job with no way to reach Buildkite: had it declared, the core would skip, silently.
    vi.stubEnv('BUILDKITE_JOB_ID', 'job-1');
    vi.stubEnv('BUILDKITE_AGENT_ACCESS_TOKEN', '');
    vi.stubEnv('BUILDKITE_AGENT_JOB_API_SOCKET', '');
    const stderr = captureStderr();
    expect(await collect([failingTest({ attempt: 0 })])).toEqual([`${describeRerun()}\n`]);
    expect(stderr).toEqual([]);
  });

  test('the rerun line only in a job that promises (turned off: silent)', async () => {
    vi.stubEnv('BUILDKITE_JOB_ID', 'job-1');
    vi.stubEnv('BUILDKITE_PROMISE_FAILURE', 'off');
    expect(await collect([failingTest({ attempt: 1 })])).toEqual([]);
  });

  test('an event it cannot read: one internal-error line, every later event still read, the stream ends', async () => {
    vi.stubEnv('BUILDKITE_JOB_ID', '');
    const stderr = captureStderr();
    const unreadable = {
      type: 'test:fail',
      get data(): never {
        throw new Error('unreadable');
      },
    } as TestEvent;
    let read = 0;
    async function* events(): AsyncGenerator<TestEvent> {
      for (const event of [unreadable, unreadable, failingTest()]) {
        read += 1;
        yield event;
      }
    }
    expect(await collect(events())).toEqual([]);
    expect(read).toBe(3);
    expect(stderr).toEqual(['promise-failure: internal error in test event: Error: unreadable\n']);
  });

  test("Node's stream failing: the reporter still finishes, then rethrows Node's error", async () => {
    vi.stubEnv('BUILDKITE_JOB_ID', '');
    async function* broken(): AsyncGenerator<TestEvent> {
      yield failingTest();
      throw new Error('stream broke');
    }
    await expect(collect(broken())).rejects.toThrow('stream broke');
  });
});

describe('isRerunRun', () => {
  test.each([
    [['--test', '--test-rerun-failures=state.json'], undefined, true],
    [['--test-rerun-failures', 'state.json'], undefined, true],
    [['--test'], '--max-old-space-size=100 --test-rerun-failures=/tmp/s.json', true],
    [['--test', '--test-reporter=spec'], '--test-rerun-failuresX', false],
    [[], undefined, false],
  ])('%j, NODE_OPTIONS %j → %s', (execArgv, nodeOptions, expected) => {
    expect(isRerunRun(execArgv, nodeOptions)).toBe(expected);
  });
});

describe("isPromisingJob (the kit's, for the rerun line)", () => {
  test.each([
    [{ BUILDKITE_JOB_ID: 'j' }, true],
    [{ BUILDKITE_JOB_ID: 'j', BUILDKITE_PROMISE_FAILURE: ' No ' }, false],
    [{ BUILDKITE_JOB_ID: 'j', BUILDKITE_PROMISE_FAILURE: 'false' }, false],
    [{ BUILDKITE_JOB_ID: 'j', BUILDKITE_PROMISE_FAILURE: 'true' }, true],
    [{ BUILDKITE_JOB_ID: '' }, false],
    [{}, false],
  ])('%j → %s', (env, expected) => {
    expect(isPromisingJob(env)).toBe(expected);
  });
});
