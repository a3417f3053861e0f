/**
 * `@promise-failure/jest/environment`: Jest's node test environment, with the failure promised from the test
 * file's worker as soon as a test fails for good, not when its file ends.
 *
 * ```js
 * // jest.config.js
 * module.exports = {
 *   testEnvironment: '@promise-failure/jest/environment',
 *   reporters: ['default', '@promise-failure/jest'],
 * };
 * ```
 * @packageDocumentation
 */
import { lazyEnvironment } from './lazy-environment.js';

/** `jest-environment-node` (the running Jest's copy), wrapped with {@link withPromiseFailure}. */
const PromiseFailureNodeEnvironment = lazyEnvironment('jest-environment-node', 'PromiseFailureNodeEnvironment');

export default PromiseFailureNodeEnvironment;
export { type TestEnvironmentClass, type TestEnvironmentLike, withPromiseFailure } from './environment-class.js';
export { PromiseFailureNodeEnvironment as TestEnvironment };
