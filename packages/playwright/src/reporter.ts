import { type FailureSubject, guard, type ReporterRun, startReporterRun } from '@promise-failure/reporting';
import { FinalFailures } from './final-failures.js';
import type { PromiseFailureReporterOptions } from './options.js';
import { splitOptions } from './playwright-options.js';
import type {
  PlaywrightError,
  PlaywrightFullConfig,
  PlaywrightFullResult,
  PlaywrightSuite,
  PlaywrightTestCase,
  PlaywrightTestResult,
} from './playwright-types.js';

/**
 * A Playwright Test reporter that promises the Buildkite job's failure on the run's first final failure, from
 * Playwright's main process while the other tests still run, and waits for Buildkite's answer (at most
 * `flushTimeout`) in `onEnd`, which Playwright awaits before it exits.
 *
 * It is an adapter: {@link FinalFailures} decides what is final, the shared reporter run promises once and
 * prints the one line. Every hook is guarded: Playwright fails the run when a reporter throws.
 */
export class PromiseFailureReporter {
  readonly #run: ReporterRun;
  #rule = new FinalFailures({ failOnFlakyTests: false, cwd: process.cwd() });
  #suite: PlaywrightSuite | undefined;
  /** A final failure was passed to the run (under bktec, a muted test's does not latch it): `onEnd` adds none. */
  #sawFailure = false;

  /** Playwright passes the options of `['@promise-failure/playwright', options]`, with keys of its own added. */
  constructor(options?: PromiseFailureReporterOptions) {
    const { mode, userOptions } = guard('constructor', splitOptions)(options) ?? { mode: undefined, userOptions: options };
    // `playwright merge-reports` replays the shards' results: their failures belong to the jobs that ran them.
    this.#run = startReporterRun('@promise-failure/playwright', userOptions, {
      canFail: () => mode !== 'merge',
      testEngineRunner: 'playwright',
    });
  }

  /**
   * `false`: this reporter writes nothing about the tests, so when it is the only one listed Playwright still
   * adds its usual terminal reporter (`line`, or `dot` on CI).
   */
  printsToStdio(): boolean {
    return false;
  }

  readonly onBegin = guard('onBegin', (config: PlaywrightFullConfig, suite: PlaywrightSuite): void => {
    this.#suite = suite;
    this.#rule = new FinalFailures({ failOnFlakyTests: config.failOnFlakyTests === true, cwd: process.cwd() });
  });

  readonly onTestEnd = guard('onTestEnd', (test: PlaywrightTestCase, result: PlaywrightTestResult): void => {
    if (this.#run.settings === undefined || this.#run.failed) return;
    const failure = this.#rule.onTestEnd(test, result);
    if (failure) {
      this.#sawFailure = true;
      this.#run.fail(failure, testSubject(test));
    }
  });

  readonly onError = guard('onError', (error: PlaywrightError): void => {
    if (this.#run.settings === undefined || this.#run.failed) return;
    // An error outside tests (a file that does not load, globalSetup) is in the JSON report's `errors`: bktec
    // then counts the run as an error, which muting never forgives.
    this.#sawFailure = true;
    this.#run.fail(this.#rule.onError(error), { kind: 'file' });
  });

  /** Awaited by Playwright, also after `maxFailures` and on SIGINT. Resolves to nothing: the status is Playwright's. */
  async onEnd(result: PlaywrightFullResult): Promise<void> {
    await this.#onEnd(result);
  }

  /** Awaited by Playwright after `onEnd`; the line is printed once, whichever comes first. */
  async onExit(): Promise<void> {
    await this.#onExit();
  }

  readonly #onEnd = guard('onEnd', async (result: PlaywrightFullResult): Promise<void> => {
    if (this.#run.settings !== undefined && !this.#run.failed && !this.#sawFailure) {
      const failure = this.#rule.onEnd(result, () => this.#suite?.allTests() ?? []);
      if (failure) this.#run.fail(failure, { kind: 'other' });
    }
    await this.#run.finish();
  });

  readonly #onExit = guard('onExit', (): Promise<void> => this.#run.finish());
}

/**
 * What a final test failure is to bktec, which reads Playwright's JSON report: a test that failed every attempt
 * is a failed spec, named (its `internal/runner/playwright.go`) with the scope " {project} {file} {describes…}
 * {title}", which is `titlePath()` joined by spaces (its first element is the root suite's empty title), and the
 * name, its title. A flaky test that fails the run under `failOnFlakyTests` is `ok` in that report: not a test
 * failure to bktec.
 */
function testSubject(test: PlaywrightTestCase): FailureSubject {
  const titles = test.titlePath();
  const lastAttempt = test.results[test.results.length - 1];
  if (lastAttempt === undefined || lastAttempt.status === test.expectedStatus) return { kind: 'other' };
  return { kind: 'test', testEngine: { scope: titles.join(' '), name: titles[titles.length - 1] ?? '' } };
}
