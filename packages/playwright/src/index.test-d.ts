import type { PlaywrightTestConfig } from '@playwright/test';
import type { Reporter } from '@playwright/test/reporter';
import type { ReporterOptions } from '@promise-failure/reporting';
import type { Reporter as Reporter157 } from 'playwright-test-1-57/reporter';
import { expectTypeOf, test } from 'vitest';
import PromiseFailureReporter, { type PromiseFailureReporter as Named, type PromiseFailureReporterOptions } from './index.js';

test('the default export is a Playwright reporter of every supported version', () => {
  expectTypeOf(PromiseFailureReporter).toEqualTypeOf<typeof Named>();
  const reporter = new PromiseFailureReporter({ exitStatus: 2 });
  expectTypeOf(reporter).toExtend<Reporter>();
  expectTypeOf(reporter).toExtend<Reporter157>();
});

test('every option is optional and typed', () => {
  // Declared here with Playwright's wording (the published types cannot import the private shared package), equal
  // to the shared one, whose shape `@promise-failure/reporting` type-tests.
  expectTypeOf<PromiseFailureReporterOptions>().toEqualTypeOf<ReporterOptions>();
  // @ts-expect-error exitStatus is a number
  void new PromiseFailureReporter({ exitStatus: '2' });
});

test('the reporter fits a Playwright config', () => {
  const config = {
    reporter: [['list'], ['@promise-failure/playwright', { exitStatus: 2, flushTimeout: 5_000 } satisfies PromiseFailureReporterOptions]],
  } satisfies PlaywrightTestConfig;
  expectTypeOf(config).toExtend<PlaywrightTestConfig>();
});
