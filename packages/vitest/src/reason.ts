import path from 'node:path';

/** The first final failure of a run, as plain data: what the reason sent to Buildkite is built from. */
export type FailureSignal =
  /** A test that failed its last attempt. */
  | { kind: 'test'; fullName: string; file: string }
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

const maximumMessageLength = 200;

/**
 * Names the runner, what failed and its file relative to `cwd`, e.g.
 * `vitest: login > rejects bad password failed (test/login.test.ts)`.
 */
export function buildReason(signal: FailureSignal, cwd: string = process.cwd()): string {
  switch (signal.kind) {
    case 'test':
      return `vitest: ${signal.fullName} failed (${relativeFile(signal.file, cwd)})`;
    case 'suite':
      return `vitest: a hook of ${signal.suiteName} failed${describeError(signal.error)} (${relativeFile(signal.file, cwd)})`;
    case 'module':
      return `vitest: test file failed${describeError(signal.error)} (${relativeFile(signal.file, cwd)})`;
    case 'load':
      return `vitest: test file failed to load${describeError(signal.error)} (${relativeFile(signal.file, cwd)})`;
    case 'unhandled': {
      const testName = text(signal.error?.VITEST_TEST_NAME);
      const file = text(signal.error?.VITEST_TEST_PATH);
      return `vitest: unhandled error${testName ? ` in ${testName}` : ''}${describeError(signal.error)}${file ? ` (${relativeFile(file, cwd)})` : ''}`;
    }
    case 'run':
      return 'vitest: test run failed';
  }
}

export function relativeFile(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  return path.relative(cwd, file) || file;
}

/** `: RolldownError: Parse failure: …`, first line only and bounded; empty when there is nothing to say. */
function describeError(error: ErrorLike | undefined): string {
  if (!error) return '';
  const name = text(error.name);
  const message = (text(error.message) ?? '').trim().split('\n')[0]?.trim() ?? '';
  const described = name && name !== 'Error' ? (message ? `${name}: ${message}` : name) : message;
  if (!described) return '';
  const cut = described.length > maximumMessageLength ? `${described.slice(0, maximumMessageLength - 1)}…` : described;
  return `: ${cut}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
