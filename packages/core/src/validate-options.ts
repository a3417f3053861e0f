import { maximumTimeout } from './environment.js';
import { ErrorCode, invalidOption } from './errors.js';
import type { PromiseFailureOptions } from './types.js';

const noOptions: PromiseFailureOptions = Object.freeze({});
const knownOptions = new Set(['exitStatus', 'reason', 'env', 'timeout', 'signal']);

/**
 * Checks the options passed in code, once, at the entry point. A wrong option is a programming error:
 * it throws a `TypeError` or `RangeError` naming the option and the value, and nothing is sent.
 */
export function validateOptions(options: PromiseFailureOptions | undefined): PromiseFailureOptions {
  if (options === undefined) return noOptions;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(TypeError, 'options', 'an object', options);
  }
  // One rule with the reporters: a key we do not know is a typo (`exitstatus`) that would otherwise be
  // silently ignored, so it is refused, by name.
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) {
      const error = new TypeError(
        `Unknown option \`${key}\`: promiseFailure() takes ${[...knownOptions].map((name) => `\`${name}\``).join(', ')}.`,
      );
      Object.defineProperty(error, 'code', { value: ErrorCode.InvalidOption, enumerable: true });
      throw error;
    }
  }
  const { exitStatus, reason, env, timeout, signal } = options;
  if (exitStatus !== undefined) {
    if (typeof exitStatus !== 'number') throw invalidOption(TypeError, 'exitStatus', 'an integer from 1 to 255', exitStatus);
    if (!Number.isInteger(exitStatus) || exitStatus < 1 || exitStatus > 255) {
      throw invalidOption(RangeError, 'exitStatus', 'an integer from 1 to 255', exitStatus);
    }
  }
  if (reason !== undefined && typeof reason !== 'string') throw invalidOption(TypeError, 'reason', 'a string', reason);
  if (env !== undefined) validateEnv(env);
  if (timeout !== undefined) {
    const expected = `a positive integer up to ${maximumTimeout} (ms)`;
    if (typeof timeout !== 'number') throw invalidOption(TypeError, 'timeout', expected, timeout);
    // Above 2^31−1 ms Node's timers fire after 1 ms: the call would give up at once and lose its promise.
    if (!Number.isSafeInteger(timeout) || timeout <= 0 || timeout > maximumTimeout) {
      throw invalidOption(RangeError, 'timeout', expected, timeout);
    }
  }
  if (signal !== undefined && !isAbortSignal(signal)) throw invalidOption(TypeError, 'signal', 'an AbortSignal', signal);
  return options;
}

function validateEnv(env: unknown): void {
  if (env === null || typeof env !== 'object' || Array.isArray(env)) {
    throw invalidOption(TypeError, 'env', 'a record of strings', env);
  }
  if (env === process.env) return;
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && typeof value !== 'string') {
      throw invalidOption(TypeError, `env.${name}`, 'a string', value);
    }
  }
}

/**
 * A real AbortSignal, or one from another realm (a test environment's jsdom or vm context), which
 * says so with its `Symbol.toStringTag` and has the whole listener interface. A look-alike with only
 * `aborted` and `addEventListener` would throw inside the library when the call settles.
 */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.prototype.toString.call(value) === '[object AbortSignal]' &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function' &&
    typeof (value as AbortSignal).removeEventListener === 'function'
  );
}
