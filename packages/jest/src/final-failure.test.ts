import { describe, expect, test } from 'vitest';
import { type CircusDescribeBlock, type CircusTest, FinalFailureWatch, fullTestName, parseRetryTimes } from './final-failure.js';

/** A file's global as jest-circus sees it: `jest.retryTimes(n)` sets the count. */
function fileGlobal() {
  let retryTimes: unknown;
  return {
    setRetryTimes: (value: unknown) => {
      retryTimes = value;
    },
    read: () => parseRetryTimes(retryTimes),
  };
}

const root: CircusDescribeBlock = { name: 'ROOT_DESCRIBE_BLOCK' };

function attempt(test: { errors: unknown[]; invocations: number }, errors: unknown[]) {
  test.invocations += 1;
  test.errors = errors;
}

describe('FinalFailureWatch: the rules jest-circus follows (29 and 30)', () => {
  test('no retries: a failed attempt is final; a passing one is not a failure', () => {
    const global = fileGlobal();
    const watch = new FinalFailureWatch(global.read);
    watch.observe({ name: 'run_describe_start', describeBlock: root }, undefined);
    const passing = { name: 'passes', parent: root, errors: [] as unknown[], invocations: 1 };
    expect(watch.observe({ name: 'test_done', test: passing }, undefined)).toBeUndefined();
    const failing = { name: 'fails', parent: root, errors: [new Error('x')], invocations: 1 };
    expect(watch.observe({ name: 'test_done', test: failing }, undefined)).toBe(failing);
  });

  test('jest.retryTimes(2): only the third failed attempt is final', () => {
    const global = fileGlobal();
    global.setRetryTimes(2);
    const watch = new FinalFailureWatch(global.read);
    watch.observe({ name: 'run_describe_start', describeBlock: root }, undefined);
    const test = { name: 'flaky', parent: root, errors: [] as unknown[], invocations: 0 };
    const final: (CircusTest | undefined)[] = [];
    for (let index = 0; index < 3; index++) {
      attempt(test, [new Error('x')]);
      final.push(watch.observe({ name: 'test_done', test }, undefined));
    }
    expect(final).toEqual([undefined, undefined, test]);
  });

  test('a count set in beforeAll is the one in force, even when a test lowers it afterwards', () => {
    const global = fileGlobal();
    const watch = new FinalFailureWatch(global.read);
    watch.observe({ name: 'run_describe_start', describeBlock: root }, undefined);
    global.setRetryTimes(1);
    watch.observe({ name: 'hook_success', describeBlock: root, hook: { type: 'beforeAll' } }, undefined);
    global.setRetryTimes(0);
    const test = { name: 'fails', parent: root, errors: [new Error('x')], invocations: 1 };
    expect(watch.observe({ name: 'test_done', test }, undefined)).toBeUndefined();
    attempt(test, [new Error('x')]);
    expect(watch.observe({ name: 'test_done', test }, undefined)).toBe(test);
  });

  test('a block retried as a whole (Jest 30 entireDescribe): left to the reporter', () => {
    const global = fileGlobal();
    const watch = new FinalFailureWatch(global.read);
    const block: CircusDescribeBlock = { name: 'retried', parent: root };
    const inner: CircusDescribeBlock = { name: 'inner', parent: block };
    const state = { describeRetryOptions: new WeakMap<object, unknown>([[block, { numRetries: 1 }]]) };
    const test = { name: 'fails', parent: inner, errors: [new Error('x')], invocations: 1 };
    expect(watch.observe({ name: 'test_done', test }, state)).toBeUndefined();
  });

  test('the full name, as Jest prints it', () => {
    const block: CircusDescribeBlock = { name: 'login', parent: root };
    expect(fullTestName({ name: 'rejects a bad password', parent: { name: 'form', parent: block } })).toBe(
      'login › form › rejects a bad password',
    );
  });

  test('the count is read as circus reads it', () => {
    expect([parseRetryTimes(undefined), parseRetryTimes('3'), parseRetryTimes(2), parseRetryTimes('x')]).toEqual([0, 3, 2, 0]);
  });
});
