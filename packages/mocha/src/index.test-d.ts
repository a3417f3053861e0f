import type { ReporterOptions } from '@promise-failure/reporting';
import { expectTypeOf, test } from 'vitest';
import PromiseFailureReporter, { type PromiseFailureMochaOptions } from './index.js';
import { configure } from './register.js';

test('the reporter is a Mocha reporter class', () => {
  expectTypeOf(PromiseFailureReporter).constructorParameters.toEqualTypeOf<
    [
      runner: unknown,
      mochaOptions?: Record<string, unknown> & { reporterOption?: Record<string, unknown>; reporterOptions?: Record<string, unknown> },
    ]
  >();
  expectTypeOf<PromiseFailureReporter['done']>().parameters.toEqualTypeOf<[failures: number, fn: (failures: number) => void]>();
});

test('options', () => {
  // Declared here with Mocha's wording (the published types cannot import the private shared package), equal to
  // the shared one, whose shape `@promise-failure/reporting` type-tests.
  expectTypeOf<PromiseFailureMochaOptions>().toEqualTypeOf<ReporterOptions>();
  expectTypeOf(configure).parameters.toEqualTypeOf<[options?: PromiseFailureMochaOptions]>();
  // @ts-expect-error exitStatus is a number
  configure({ exitStatus: '2' });
});
