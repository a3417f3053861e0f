import { type TestEnvironmentClass, withPromiseFailure } from './environment-class.js';
import type { JestEnvironmentConfigLike } from './environment-options.js';
import { loadEnvironmentClass } from './load-environment.js';

const wrapped = new Map<string, TestEnvironmentClass>();

/**
 * An environment class for `testEnvironment` that wraps `packageName` (e.g. `jest-environment-node`), loaded
 * when Jest constructs the first environment: only then is the project's `rootDir` known, and the running
 * Jest's own copy can be found. The constructor returns an instance of the wrapped class.
 */
export function lazyEnvironment(packageName: string, name: string): TestEnvironmentClass {
  const Environment = {
    [name]: (config: JestEnvironmentConfigLike | undefined, context: unknown) => {
      let Wrapped = wrapped.get(packageName);
      if (Wrapped === undefined) {
        Wrapped = withPromiseFailure(loadEnvironmentClass(packageName, config?.projectConfig?.rootDir));
        wrapped.set(packageName, Wrapped);
      }
      return new Wrapped(config, context);
    },
  }[name];
  return Environment as unknown as TestEnvironmentClass;
}
