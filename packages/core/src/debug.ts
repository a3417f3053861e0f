import type { Redactor } from './redact.js';

/** Writes one `promise-failure:` line to stderr, or nothing when debugging is off. */
export type DebugLog = (message: string) => void;

export const silent: DebugLog = () => {};

/** Every line goes through the redactor: a token must never reach a log, even a debug one. */
export function createDebugLog(enabled: boolean, redact: Redactor): DebugLog {
  if (!enabled) return silent;
  return (message) => {
    try {
      process.stderr.write(`promise-failure: ${redact(message)}\n`);
    } catch {
      // A closed stderr must not turn a debug line into a crash.
    }
  };
}
