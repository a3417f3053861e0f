import { type Declaration, type ReporterSettings, resolveSettings, startDeclaration } from '@promise-failure/reporting';
import type { JestAggregatedResult, JestGlobalConfig, JestTestFileResult } from './jest-types.js';
import type { PromiseFailureReporterOptions } from './options.js';
import { findRunFailure, findTestFileFailure } from './reason.js';

/**
 * A Jest reporter that promises the Buildkite job's failure as soon as a test file's final result fails
 * the run, and waits for Buildkite's answer (at most `flushTimeout`) before Jest exits.
 *
 * It acts on whole test files, never on `onTestCaseResult`: that fires once per attempt under
 * `jest.retryTimes`, and a failed attempt that is retried and passes must not turn the job red.
 * Every hook catches everything and nothing is returned from `getLastError`: either would fail a green run.
 */
export class PromiseFailureReporter {
  readonly #settings: ReporterSettings | undefined;
  readonly #updateSnapshot: string | undefined;
  #declaration: Declaration | undefined;

  constructor(globalConfig?: JestGlobalConfig, options?: PromiseFailureReporterOptions, _context?: unknown) {
    try {
      const settings = resolveSettings('@promise-failure/jest', options);
      // With `testFailureExitCode: 0` the run cannot fail, so there is nothing to promise.
      if (settings === undefined || Number(globalConfig?.testFailureExitCode) === 0) return;
      this.#settings = settings;
      this.#updateSnapshot = globalConfig?.updateSnapshot;
    } catch {
      // Never throw into Jest.
    }
  }

  onTestFileResult(_test: unknown, testResult: JestTestFileResult): void {
    try {
      if (this.#settings === undefined || this.#declaration !== undefined) return;
      const reason = findTestFileFailure(testResult, { cwd: process.cwd(), updateSnapshot: this.#updateSnapshot });
      if (reason !== undefined) this.#declare(this.#settings, reason);
    } catch {
      // Never throw into Jest.
    }
  }

  /** Jest awaits this before it exits, also with `--forceExit` and `--bail` (which can call it twice). */
  async onRunComplete(_testContexts: unknown, results: JestAggregatedResult): Promise<void> {
    try {
      const settings = this.#settings;
      if (settings === undefined) return;
      if (this.#declaration === undefined) {
        const reason = findRunFailure(results);
        if (reason !== undefined) this.#declare(settings, reason);
      }
      await this.#declaration?.flush(settings.flushTimeout);
    } catch {
      // Never throw into Jest.
    }
  }

  #declare(settings: ReporterSettings, reason: string): void {
    this.#declaration = startDeclaration({ exitStatus: settings.exitStatus, reason, timeout: settings.timeout });
  }
}
