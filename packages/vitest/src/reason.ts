import { type FailureSubject, firstLine, formatReason, type TestEngineTest } from '@promise-failure/reporting';

/** The first final failure of a run, as plain data: what the reason sent to Buildkite is built from. */
export type FailureSignal =
  /** A test that failed its last attempt. */
  | { kind: 'test'; fullName: string; file: string; testEngine?: TestEngineTest }
  /** A `beforeAll`/`afterAll` hook of a `describe` block that threw (its tests show as skipped or passed). */
  | { kind: 'suite'; suiteName: string; error: ErrorLike | undefined; file: string }
  /** An error of the test file itself: a top-level hook, or something thrown while collecting. */
  | { kind: 'module'; error: ErrorLike | undefined; file: string }
  /** A test file that could not be imported or compiled. */
  | { kind: 'load'; error: ErrorLike | undefined; file: string }
  /** An error thrown outside any test, which fails the run on its own. */
  | { kind: 'unhandled'; error: ErrorLike | undefined }
  /** Vitest ended the run as failed, with nothing more precise seen. */
  | { kind: 'run' };

export interface ErrorLike {
  name?: unknown;
  message?: unknown;
  /** Set by Vitest on unhandled errors it could attribute to a test. */
  VITEST_TEST_NAME?: unknown;
  VITEST_TEST_PATH?: unknown;
}

/**
 * Names the runner, what failed and its file relative to `cwd`, e.g.
 * `vitest: login > rejects bad password failed (test/login.test.ts)`.
 */
export function buildReason(signal: FailureSignal, cwd: string = process.cwd()): string {
  switch (signal.kind) {
    case 'test':
      return formatReason('vitest', `${signal.fullName} failed`, signal.file, cwd);
    case 'suite':
      return formatReason('vitest', `a hook of ${signal.suiteName} failed${describeError(signal.error)}`, signal.file, cwd);
    case 'module':
      return formatReason('vitest', `test file failed${describeError(signal.error)}`, signal.file, cwd);
    case 'load':
      return formatReason('vitest', `test file failed to load${describeError(signal.error)}`, signal.file, cwd);
    case 'unhandled': {
      const testName = text(signal.error?.VITEST_TEST_NAME);
      const what = `unhandled error${testName ? ` in ${testName}` : ''}${describeError(signal.error)}`;
      return formatReason('vitest', what, text(signal.error?.VITEST_TEST_PATH), cwd);
    }
    case 'run':
      return formatReason('vitest', 'test run failed');
  }
}

/** `: RolldownError: Parse failure: …`, first line only and bounded; empty when there is nothing to say. */
function describeError(error: ErrorLike | undefined): string {
  if (!error) return '';
  const name = text(error.name);
  const message = firstLine(text(error.message)) ?? '';
  const described = firstLine(name && name !== 'Error' ? (message ? `${name}: ${message}` : name) : message);
  return described ? `: ${described}` : '';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * What failed, for Buildkite Test Engine's muted tests: a test (named as bktec names it), a file that did not
 * load (bktec's runtime error, never forgiven), or anything else that fails the run (a hook, an unhandled error).
 */
export function failureSubject(signal: FailureSignal): FailureSubject {
  if (signal.kind === 'test') return signal.testEngine === undefined ? { kind: 'test' } : { kind: 'test', testEngine: signal.testEngine };
  if (signal.kind === 'load') return { kind: 'file' };
  return { kind: 'other' };
}
