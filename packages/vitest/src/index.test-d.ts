import type { ReporterOptions } from '@promise-failure/reporting';
import { expectTypeOf, test } from 'vitest';
import { defineConfig } from 'vitest/config';
import type { Reporter } from 'vitest/node';
import PromiseFailureReporter, { type PromiseFailureReporterOptions, promiseFailurePlugin } from './index.js';

test('the default export is a Vitest reporter taking optional options', () => {
  expectTypeOf(PromiseFailureReporter).constructorParameters.toEqualTypeOf<[options?: PromiseFailureReporterOptions]>();
  expectTypeOf(new PromiseFailureReporter()).toMatchTypeOf<Reporter>();
});

test('every option is optional and typed', () => {
  // Declared here with Vitest's wording (the published types cannot import the private shared package), equal to
  // the shared one, whose shape `@promise-failure/reporting` type-tests.
  expectTypeOf<PromiseFailureReporterOptions>().toEqualTypeOf<ReporterOptions>();
  // @ts-expect-error exitStatus is a number
  void new PromiseFailureReporter({ exitStatus: '2' });
});

test('the plugin and the reporter fit a Vitest config', () => {
  defineConfig({
    plugins: [promiseFailurePlugin({ exitStatus: 2 })],
    test: { reporters: ['default', ['@promise-failure/vitest', { exitStatus: 2 }], new PromiseFailureReporter()] },
  });
  expectTypeOf(promiseFailurePlugin).parameter(0).toEqualTypeOf<PromiseFailureReporterOptions | undefined>();
});
