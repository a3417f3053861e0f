import { afterEach, describe, expect, test, vi } from 'vitest';
import { guard } from './guard.js';
import { captureStderr } from './testing.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('guard', () => {
  test('passes arguments, `this` and the result through', () => {
    const lines = captureStderr();
    const reporter = {
      prefix: 'got ',
      hook: guard('hook', function (this: { prefix: string }, a: number, b: number) {
        return `${this.prefix}${a + b}`;
      }),
    };
    expect(reporter.hook(1, 2)).toBe('got 3');
    expect(lines).toEqual([]);
  });

  test('a throw: undefined, and one line naming the hook, once however often it throws', () => {
    const lines = captureStderr();
    const hook = guard('onTestFileResult', (result: { file: string } | undefined) => result!.file);
    expect(hook(undefined)).toBeUndefined();
    expect(hook(undefined)).toBeUndefined();
    expect(hook({ file: 'a' })).toBe('a');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: internal error in onTestFileResult: TypeError: Cannot read properties of undefined.*\n$/);
  });

  test('a rejection: resolves to undefined, with the line', async () => {
    const lines = captureStderr();
    const hook = guard('onRunComplete', async () => {
      throw new Error('flush failed\n    at somewhere');
    });
    await expect(hook()).resolves.toBeUndefined();
    expect(lines).toEqual(['promise-failure: internal error in onRunComplete: Error: flush failed\n']);
  });

  test('a resolved promise is passed through', async () => {
    const hook = guard('onEnd', async (x: number) => x * 2);
    await expect(hook(2)).resolves.toBe(4);
  });

  test('whatever is thrown, even something without a message, or with a throwing one', () => {
    const lines = captureStderr();
    guard('a', () => {
      throw 'a string';
    })();
    guard('b', () => {
      throw undefined;
    })();
    const hostile = new Proxy(new Error('x'), {
      get() {
        throw new Error('no');
      },
    });
    guard('c', () => {
      throw hostile;
    })();
    expect(lines).toEqual([
      'promise-failure: internal error in a: a string\n',
      'promise-failure: internal error in b: undefined\n',
      'promise-failure: internal error in c: an error without a message\n',
    ]);
  });

  test('a closed stderr is no reason to throw either', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => {
      throw new Error('EPIPE');
    });
    expect(
      guard('hook', () => {
        throw new Error('x');
      })(),
    ).toBeUndefined();
  });
});
