import { expectTypeOf, test } from 'vitest';
import {
  ErrorCode,
  type PromiseFailureOptions,
  type PromiseFailureResult,
  promiseFailure,
  type RecordedResultOptions,
  readRecordedResult,
} from './index.js';

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

test('readRecordedResult reads an answer synchronously, or nothing', () => {
  expectTypeOf(readRecordedResult).parameter(0).toEqualTypeOf<RecordedResultOptions | undefined>();
  expectTypeOf(readRecordedResult({ exitStatus: 2, env: { A: 'b' } })).toEqualTypeOf<PromiseFailureResult | undefined>();
  // @ts-expect-error only the job and the exit status: nothing is sent
  readRecordedResult({ reason: 'why' });
});
