import { invalidOption } from './errors.js';
import type { PromiseFailureOptions } from './types.js';

const noOptions: PromiseFailureOptions = Object.freeze({});

/**
 * Checks the options passed in code, once, at the entry point. A wrong option is a programming error:
 * it throws a `TypeError` or `RangeError` naming the option and the value, and nothing is sent.
 */
export function validateOptions(options: PromiseFailureOptions | undefined): PromiseFailureOptions {
  if (options === undefined) return noOptions;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(TypeError, 'options', 'an object', options);
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
    if (typeof timeout !== 'number') throw invalidOption(TypeError, 'timeout', 'a positive integer (ms)', timeout);
    if (!Number.isSafeInteger(timeout) || timeout <= 0) {
      throw invalidOption(RangeError, 'timeout', 'a positive integer (ms)', timeout);
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

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}
