import { type Declaration, type ReporterSettings, resolveSettings, startDeclaration } from '@promise-failure/reporting';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import type { PromiseFailureReporterOptions } from './options.js';
import { buildReason, type ErrorLike, type FailureSignal } from './reason.js';

/** Marks our instances across copies of this package (the plugin's and the one Vitest loads by name). */
export const reporterBrand: unique symbol = Symbol.for('@promise-failure/vitest.reporter') as never;

/**
 * Promises the Buildkite job's failure on the run's first final failure, and waits for Buildkite's answer
 * (at most `flushTimeout`) before Vitest exits. Every hook is guarded: a reporter that throws would fail
 * the run.
 *
 * Only signals that make Vitest exit non-zero count (Vitest 3.2 and 4 alike):
 * - `onTestCaseResult` `failed`: retries run inside the worker, so this is the last attempt; `test.fails`
 *   arrives as `passed`, `skip`/`todo` as `skipped`.
 * - `onTestModuleCollected` with errors: the file did not load or compile (Vitest 4 and 3.2; `onTestRunEnd`
 *   still sees it if a version does not say so there).
 * - `onTestModuleEnd` `failed`: a `beforeAll`/`afterAll` throw marks no test failed, only the module (its
 *   error is on the suite, or on the module for a top-level hook).
 * - `onTestRunEnd`: unhandled errors (unless `dangerouslyIgnoreUnhandledErrors`), or a run Vitest ends as
 *   `failed`, which sets exit code 1 whatever the cause.
 */
export class PromiseFailureReporter implements Reporter {
  readonly [reporterBrand] = true;
  /** `undefined` when turned off, given invalid options, or another instance of ours acts for this run. */
  #settings: ReporterSettings | undefined;
  #ignoreUnhandledErrors = false;
  #declaration: Declaration | undefined;

  constructor(options?: PromiseFailureReporterOptions) {
    try {
      this.#settings = resolveSettings('@promise-failure/vitest', options);
    } catch {
      // Never fail the run.
    }
  }

  onInit(vitest: Vitest): void {
    try {
      this.#ignoreUnhandledErrors = vitest.config.dangerouslyIgnoreUnhandledErrors === true;
      // Listed twice (in `reporters` and by the plugin, or by two paths), only the first instance acts.
      const reporters = (vitest as unknown as { reporters?: unknown[] }).reporters ?? [];
      const first = reporters.find(isPromiseFailureReporter);
      if (first !== undefined && first !== this) this.#settings = undefined;
    } catch {
      // Keep the defaults.
    }
  }

  onTestModuleCollected(testModule: TestModule): void {
    try {
      const [error] = testModule.errors();
      if (error) this.#declare({ kind: 'load', error, file: testModule.moduleId });
    } catch {
      // Never fail the run.
    }
  }

  onTestCaseResult(testCase: TestCase): void {
    try {
      if (testCase.result().state === 'failed') {
        this.#declare({ kind: 'test', fullName: testCase.fullName, file: testCase.module.moduleId });
      }
    } catch {
      // Never fail the run.
    }
  }

  onTestModuleEnd(testModule: TestModule): void {
    try {
      if (testModule.state() === 'failed') this.#declare(describeFailedModule(testModule));
    } catch {
      // Never fail the run.
    }
  }

  async onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    try {
      const failedModule = testModules.find((testModule) => testModule.state() === 'failed');
      if (failedModule) this.#declare(describeFailedModule(failedModule));
      const [unhandledError] = unhandledErrors;
      if (unhandledError && !this.#ignoreUnhandledErrors) {
        this.#declare({ kind: 'unhandled', error: unhandledError as ErrorLike });
      }
      if (reason === 'failed') this.#declare({ kind: 'run' });
      if (this.#settings !== undefined) await this.#declaration?.flush(this.#settings.flushTimeout);
    } catch {
      // Never fail the run.
    }
  }

  /** Starts the declaration on the first final failure; later ones change nothing. Never awaited here. */
  #declare(failure: FailureSignal): void {
    const settings = this.#settings;
    if (settings === undefined || this.#declaration !== undefined) return;
    const reason = buildReason(failure);
    this.#declaration = startDeclaration({ exitStatus: settings.exitStatus, reason, timeout: settings.timeout });
  }
}

/** Why a module failed: its own error (a top-level hook), a hook of a `describe` block, or a failed test. */
function describeFailedModule(testModule: TestModule): FailureSignal {
  const file = testModule.moduleId;
  const [moduleError] = testModule.errors();
  if (moduleError) return { kind: 'module', error: moduleError, file };
  for (const suite of testModule.children.allSuites()) {
    const [suiteError] = suite.errors();
    if (suiteError) return { kind: 'suite', suiteName: suite.fullName, error: suiteError, file };
  }
  for (const testCase of testModule.children.allTests('failed')) {
    return { kind: 'test', fullName: testCase.fullName, file };
  }
  return { kind: 'module', error: undefined, file };
}

export function isPromiseFailureReporter(value: unknown): value is PromiseFailureReporter {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[reporterBrand] === true;
}
