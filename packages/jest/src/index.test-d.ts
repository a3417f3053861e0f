import type { Reporter, ReporterContext } from '@jest/reporters';
import type { Config as JestConfig } from '@jest/types';
import type { ReporterOptions } from '@promise-failure/reporting';
import type { Config } from 'jest';
import { expectTypeOf, test } from 'vitest';
import PromiseFailureReporter, { type PromiseFailureReporter as Named, type PromiseFailureReporterOptions } from './index.js';

test('the default export is a Jest reporter, constructed as Jest does', () => {
  expectTypeOf(PromiseFailureReporter).toEqualTypeOf<typeof Named>();
  const reporter = new PromiseFailureReporter({} as JestConfig.GlobalConfig, { exitStatus: 2 }, {} as ReporterContext);
  expectTypeOf(reporter).toMatchTypeOf<Reporter>();
});

test('every option is optional and typed', () => {
  // Declared here with Jest's wording (the published types cannot import the private shared package), equal to
  // the shared one, whose shape `@promise-failure/reporting` type-tests.
  expectTypeOf<PromiseFailureReporterOptions>().toEqualTypeOf<ReporterOptions>();
  // @ts-expect-error exitStatus is a number
  void new PromiseFailureReporter(undefined, { exitStatus: '2' });
});

test('the reporter fits a Jest config', () => {
  const options: PromiseFailureReporterOptions = { exitStatus: 2, flushTimeout: 5_000 };
  const config: Config = { reporters: ['default', ['@promise-failure/jest', options]] };
  expectTypeOf(config).toMatchTypeOf<Config>();
});
