/**
 * The parts of what Jest hands a reporter that this package reads, written out structurally so the
 * published types do not depend on `@jest/reporters` (which a user's project need not hoist) and fit
 * both Jest 29 and 30.
 */

export interface JestGlobalConfig {
  /** The exit code of a failing run; 0 means the run cannot fail. */
  readonly testFailureExitCode?: number;
  /** `all` with `-u`, `none` with `--ci`, else `new`. */
  readonly updateSnapshot?: 'all' | 'new' | 'none';
}

export interface JestAssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly fullName?: string;
  /** A `test.failing` that fails arrives as `passed`. Skipped is `pending`, `test.todo` is `todo`. */
  readonly status: string;
}

export interface JestSerializableError {
  readonly message?: string;
  readonly stack?: string | null;
}

export interface JestSnapshotSummary {
  /** Obsolete snapshots: they fail the run unless snapshots are being updated (`-u`). */
  readonly unchecked?: number;
  readonly unmatched?: number;
}

/** One test file's final result: attempts that `jest.retryTimes` retried are already settled in it. */
export interface JestTestFileResult {
  readonly testFilePath: string;
  readonly numFailingTests: number;
  readonly testResults: readonly JestAssertionResult[];
  /** A file that did not load or compile, a throwing `afterAll`, an empty file. */
  readonly testExecError?: JestSerializableError | null;
  readonly failureMessage?: string | null;
  readonly snapshot?: JestSnapshotSummary;
}

export interface JestAggregatedResult {
  readonly numFailedTests: number;
  readonly numRuntimeErrorTestSuites: number;
  readonly snapshot?: { readonly failure?: boolean; readonly filesRemoved?: number };
  readonly runExecError?: JestSerializableError | null;
}
