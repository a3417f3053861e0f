import { run } from 'node:test';
import type { TestEvent } from 'node:test/reporters';
import { expectTypeOf, test } from 'vitest';
import promiseFailureReporter from './index.js';

test('the default export is a node:test reporter: an async generator function over the run’s events', () => {
  expectTypeOf(promiseFailureReporter).toBeCallableWith((async function* () {})() as AsyncGenerator<TestEvent, void>);
  expectTypeOf(promiseFailureReporter).returns.toMatchTypeOf<AsyncGenerator<string, void>>();
});

test('it composes onto run() from node:test', () => {
  const stream = run({ files: [] }).compose(promiseFailureReporter);
  expectTypeOf(stream.pipe(process.stderr)).toEqualTypeOf<typeof process.stderr>();
});

test('it takes no options', () => {
  // @ts-expect-error Node reporters take none: the environment stands in
  void promiseFailureReporter((async function* () {})(), { exitStatus: 2 });
});
