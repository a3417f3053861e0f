import { firstLine } from './reason.js';
import { printLine } from './stderr.js';

/**
 * Wraps a runner hook so that a bug of ours can never fail the user's run: a throw (or, for a hook that
 * returns a promise, a rejection) is caught, the hook returns (or resolves to) `undefined`, and one line is
 * printed: `promise-failure: internal error in onTestFileResult: Cannot read properties of undefined`.
 *
 * The line is printed always, not only under debug: a silent catch turns a reporter bug into a failure that
 * is quietly never promised, which nobody would ever report. It is printed once per wrapped hook, so a hook
 * that throws for every test of a large suite says so once. `this` is passed through.
 *
 * @example
 * ```ts
 * class Reporter {
 *   onTestCaseResult = guard('onTestCaseResult', (testCase: TestCase) => { … });
 * }
 * ```
 */
export function guard<A extends unknown[], R>(hook: string, fn: (...args: A) => R): (...args: A) => R | undefined {
  let reported = false;
  const report = (error: unknown): undefined => {
    if (!reported) {
      reported = true;
      reportInternalError(hook, error);
    }
    return undefined;
  };
  return function guarded(this: unknown, ...args: A): R | undefined {
    try {
      const result = fn.apply(this, args);
      if (isThenable(result)) return result.then(undefined, report) as R;
      return result;
    } catch (error) {
      return report(error);
    }
  };
}

/** The line {@link guard} prints: `promise-failure: internal error in <hook>: <first line of the error>`. Never throws. */
export function reportInternalError(hook: string, error: unknown): void {
  let message: string | undefined;
  try {
    message = firstLine(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  } catch {
    // An error whose message cannot be read (a throwing getter, a revoked proxy).
  }
  printLine(`promise-failure: internal error in ${hook}: ${message ?? 'an error without a message'}`);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
