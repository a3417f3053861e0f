import { oneLine } from './errors.js';
import type { Redactor } from './redact.js';

/** Writes one `promise-failure:` line to stderr, or nothing when debugging is off. */
export type DebugLog = (message: string) => void;

const silent: DebugLog = () => {};

/**
 * Every line goes through the redactor: a token must never reach a log, even a debug one. `redact` is
 * a function returning the redactor, built on the first line only: most calls never log.
 */
export function createDebugLog(enabled: boolean, redactor: () => Redactor): DebugLog {
  if (!enabled) return silent;
  let redact: Redactor | undefined;
  return (message) => {
    redact ??= redactor();
    try {
      process.stderr.write(`promise-failure: ${redact(oneLine(message))}\n`);
    } catch {
      // A closed stderr must not turn a debug line into a crash.
    }
  };
}
