import { expectTypeOf, test } from 'vitest';
import { ErrorCode, type PromiseFailureOptions, type PromiseFailureResult, promiseFailure } from './index.js';

test('promiseFailure takes optional options and resolves with a result', () => {
  expectTypeOf(promiseFailure).parameter(0).toEqualTypeOf<PromiseFailureOptions | undefined>();
  expectTypeOf(promiseFailure()).resolves.toEqualTypeOf<PromiseFailureResult>();
  expectTypeOf(
    promiseFailure({ exitStatus: 2, reason: 'why', env: { A: 'b' }, timeout: 5, signal: AbortSignal.timeout(1) }),
  ).resolves.toEqualTypeOf<PromiseFailureResult>();
});

test('the result names its outcome and transport exactly', () => {
  expectTypeOf<PromiseFailureResult['outcome']>().toEqualTypeOf<'declared' | 'debounced' | 'skipped'>();
  expectTypeOf<PromiseFailureResult['transport']>().toEqualTypeOf<'job-api' | 'agent-api' | undefined>();
  expectTypeOf<PromiseFailureResult['accepted']>().toEqualTypeOf<boolean>();
  expectTypeOf<PromiseFailureResult['upstreamStatus']>().toEqualTypeOf<number | undefined>();
  expectTypeOf<PromiseFailureResult['error']>().toEqualTypeOf<string | undefined>();
});

test('options are checked', () => {
  // @ts-expect-error exitStatus is a number
  void promiseFailure({ exitStatus: '1' });
  // @ts-expect-error env values are strings
  void promiseFailure({ env: { A: 1 } });
  expectTypeOf(ErrorCode.InvalidOption).toEqualTypeOf<'PROMISE_FAILURE_INVALID_OPTION'>();
});
