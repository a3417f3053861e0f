/**
 * The parts of what Playwright Test hands a reporter that this package reads, written out structurally so
 * that they fit every supported version (the type tests check that Playwright's own `TestCase`, `TestResult`,
 * `FullConfig`, `Suite` and `FullResult` fit them).
 */

/** How one attempt of a test ended (Playwright's `TestStatus`). */
export type PlaywrightTestStatus = 'passed' | 'failed' | 'timedOut' | 'skipped' | 'interrupted';

/** An error of a test attempt, or one reported outside any test (Playwright's `TestError`). */
export interface PlaywrightError {
  readonly message?: string;
  /** What was thrown, when it was not an `Error`. */
  readonly value?: string;
  readonly location?: { readonly file: string };
}

/** One attempt of a test (Playwright's `TestResult`). */
export interface PlaywrightTestResult {
  /** 0 for the first attempt, 1 for the first retry… */
  readonly retry: number;
  readonly status: PlaywrightTestStatus;
  readonly error?: PlaywrightError;
  readonly errors?: readonly PlaywrightError[];
}

/** A test in one project (Playwright's `TestCase`): the same test in two projects is two of these. */
export interface PlaywrightTestCase {
  /** How many retries it may have: attempts are `retries + 1` at most. */
  readonly retries: number;
  /** `failed` under `test.fail()`, `skipped` under `test.skip()`/`test.fixme()`, else `passed`. */
  readonly expectedStatus: PlaywrightTestStatus;
  /** Its attempts so far, the one just reported included. */
  readonly results: readonly PlaywrightTestResult[];
  readonly location: { readonly file: string };
  /** `['', project name, file, …describe titles, title]`. */
  titlePath(): string[];
}

/** The root suite given to `onBegin`. */
export interface PlaywrightSuite {
  allTests(): PlaywrightTestCase[];
}

/** The resolved config given to `onBegin`. */
export interface PlaywrightFullConfig {
  /** Playwright's version, e.g. `1.65.1`. */
  readonly version: string;
  /** Whether flaky tests fail the run. Newer versions pass it to reporters; 1.57 does not (`undefined`). */
  readonly failOnFlakyTests?: boolean;
}

/** The run's result given to `onEnd`. */
export interface PlaywrightFullResult {
  /** `passed` exits 0, `interrupted` (a signal) 130, `failed` and `timedout` (`globalTimeout`) 1. */
  readonly status: 'passed' | 'failed' | 'timedout' | 'interrupted';
}
