/**
 * `@promise-failure/jest/environment-jsdom`: Jest's jsdom test environment (`jest-environment-jsdom`, which
 * the project installs), with the failure promised from the test file's worker as soon as a test fails for
 * good.
 *
 * ```js
 * // jest.config.js
 * module.exports = {
 *   testEnvironment: '@promise-failure/jest/environment-jsdom',
 *   reporters: ['default', '@promise-failure/jest'],
 * };
 * ```
 * @packageDocumentation
 */
import { lazyEnvironment } from './lazy-environment.js';

/** `jest-environment-jsdom` (the project's copy), wrapped with {@link withPromiseFailure}. */
const PromiseFailureJsdomEnvironment = lazyEnvironment('jest-environment-jsdom', 'PromiseFailureJsdomEnvironment');

export default PromiseFailureJsdomEnvironment;
export { PromiseFailureJsdomEnvironment as TestEnvironment };
