import { firstLine, relativePath } from '@promise-failure/reporting';
import type {
  PlaywrightError,
  PlaywrightFullResult,
  PlaywrightTestCase,
  PlaywrightTestResult,
  PlaywrightTestStatus,
} from './playwright-types.js';

/** What Playwright makes of a test's attempts so far: the same four words as its own `testCase.outcome()`. */
export type TestOutcome = 'skipped' | 'expected' | 'unexpected' | 'flaky';

/** A final failure: the reason to send to Buildkite, worded only when asked (once, for the first). */
export type FinalFailure = () => string;

export interface FinalFailureRules {
  /** `failOnFlakyTests` from the config: a flaky test then fails the run. */
  readonly failOnFlakyTests: boolean;
  /** Paths in reasons are relative to it. */
  readonly cwd: string;
}

/**
 * The rule "Playwright event → final failure → reason", with no I/O: each method answers whether the event
 * it is given makes the run fail for certain, and if so returns the reason. A promised failure cannot be taken
 * back, so an event that *might* still be followed by a passing attempt is never a final failure.
 *
 * `onTestEnd` fires once per attempt. Playwright counts a test as failed when its outcome over the attempts is
 * `unexpected` and no retry is left (`results.length > retries`, its own condition for `maxFailures`); it
 * retries only while attempts remain, so such a test is final. The outcome is taken over all attempts, as
 * Playwright does: in a `describe.serial` group retried because another test failed, a test that passed
 * before and fails on the last attempt is `flaky`, not failed.
 */
export class FinalFailures {
  readonly #rules: FinalFailureRules;

  constructor(rules: FinalFailureRules) {
    this.#rules = rules;
  }

  /**
   * An attempt ended. Final failures: a test whose attempts are all spent and whose outcome is `unexpected` (it
   * failed or timed out every time, or a `test.fail()` test passed), and under `failOnFlakyTests` a test that
   * became `flaky` (once flaky, always flaky). Skipped, interrupted and expected results never count.
   */
  onTestEnd(test: PlaywrightTestCase, result: PlaywrightTestResult): FinalFailure | undefined {
    const attempts = test.results.includes(result) ? test.results : [...test.results, result];
    const outcome = outcomeOf(test.expectedStatus, attempts);
    if (outcome === 'unexpected' && attempts.length > test.retries) return () => this.#testReason(test, describeAttempts(test, attempts));
    if (outcome === 'flaky' && this.#rules.failOnFlakyTests) return () => this.#testReason(test, describeFlaky(result));
    return undefined;
  }

  /**
   * An error outside any test: global setup or teardown, a test file that does not load, "No tests found", a
   * worker that failed outside a test, `maxFailures` reached. `playwright test` fails the run for every one
   * of them (Playwright reports load errors without failing only in its UI and watch modes).
   */
  onError(error: PlaywrightError): FinalFailure {
    return () => {
      const message = describeError(error) ?? 'an error outside the tests';
      const file = error.location?.file;
      return file ? `playwright: ${relativePath(file, this.#rules.cwd)} › ${message}` : `playwright: ${message}`;
    };
  }

  /**
   * The run ended. What fails it without an earlier final failure (a flaky test under `failOnFlakyTests` where
   * the config does not say so to reporters, a failure Playwright does not retry though retries are left, an
   * error in another reporter) shows only here. `tests` (every test of the run) is read only to word the reason. `interrupted` (a signal: the job was cancelled) is not a
   * failure of the tests; `timedout` (`globalTimeout`) is.
   */
  onEnd(result: PlaywrightFullResult, tests: () => readonly PlaywrightTestCase[]): FinalFailure | undefined {
    if (result.status === 'timedout') return () => 'playwright: the run timed out (globalTimeout)';
    if (result.status !== 'failed') return undefined;
    return () => {
      const all = tests();
      const failed = all.find((test) => outcomeOf(test.expectedStatus, test.results) === 'unexpected');
      if (failed) return this.#testReason(failed, describeAttempts(failed, failed.results));
      const flaky = all.find((test) => outcomeOf(test.expectedStatus, test.results) === 'flaky');
      const passed = flaky?.results.at(-1);
      if (flaky && passed) return this.#testReason(flaky, describeFlaky(passed));
      return 'playwright: the run failed';
    };
  }

  /** `playwright: [project] › tests/login.spec.ts › login › rejects a bad password › Error: expect(…` */
  #testReason(test: PlaywrightTestCase, what: string): string {
    const [, project, , ...titles] = test.titlePath();
    const place = [relativePath(test.location.file, this.#rules.cwd), ...titles];
    if (project) place.unshift(`[${project}]`);
    return `playwright: ${[...place, what].join(' › ')}`;
  }
}

/**
 * Playwright's own outcome of a test over its attempts (`testCase.outcome()`): interrupted attempts do not
 * count, a skipped attempt counts as skipped only when skipping was expected (else the test did not run), and
 * a test with both expected and unexpected attempts is flaky.
 */
export function outcomeOf(
  expectedStatus: PlaywrightTestStatus,
  attempts: readonly { readonly status: PlaywrightTestStatus }[],
): TestOutcome {
  let skipped = 0;
  let expected = 0;
  let unexpected = 0;
  for (const { status } of attempts) {
    if (status === 'interrupted') continue;
    if (status === 'skipped') {
      if (expectedStatus === 'skipped') skipped += 1;
    } else if (status === expectedStatus) expected += 1;
    else unexpected += 1;
  }
  if (expected === 0 && unexpected === 0) return 'skipped';
  if (unexpected === 0) return 'expected';
  if (expected === 0 && skipped === 0) return 'unexpected';
  return 'flaky';
}

/**
 * What went wrong: the first line of the latest attempt's first error (the last attempt of a serial group
 * that did not run has none: then an earlier one's), else what its status says.
 */
function describeAttempts(test: PlaywrightTestCase, attempts: readonly PlaywrightTestResult[]): string {
  for (let index = attempts.length - 1; index >= 0; index -= 1) {
    const attempt = attempts[index];
    const error = describeError(attempt?.error ?? attempt?.errors?.[0]);
    if (error) return error;
  }
  const last = attempts.at(-1);
  if (last?.status === 'passed' && test.expectedStatus === 'failed') return 'expected to fail, but passed';
  if (last?.status === 'timedOut') return 'timed out';
  return 'failed';
}

function describeFlaky(result: PlaywrightTestResult): string {
  return `flaky: passed on retry ${result.retry} after failing, and failOnFlakyTests is set`;
}

function describeError(error: PlaywrightError | undefined): string | undefined {
  return firstLine(error?.message) ?? firstLine(error?.value);
}
