import {
  guard,
  newFlushWindowPath,
  type ReporterRun,
  type ReporterSettings,
  removeFlushWindow,
  shareFlushWindow,
  startReporterRun,
} from '@promise-failure/reporting';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, Vitest } from 'vitest/node';
import type { PromiseFailureReporterOptions } from './options.js';
import { providedFlushWindowKey, providedSettingsKey } from './provided.js';
import { buildReason, type ErrorLike, type FailureSignal, failureSubject } from './reason.js';

/** Marks our instances across copies of this package (the plugin's and the one Vitest loads by name). */
export const reporterBrand: unique symbol = Symbol.for('@promise-failure/vitest.reporter') as never;
/** An instance's validated options (`undefined` when it is off). */
export const reporterSettings: unique symbol = Symbol.for('@promise-failure/vitest.settings') as never;

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
  readonly #run: ReporterRun;
  /** Set when another instance of ours acts for this run (listed twice, or by the plugin too). */
  #standingDown = false;
  #ignoreUnhandledErrors = false;
  /** A failure more precise than "the run failed" was passed to the run (under bktec, a muted test's does not latch it). */
  #sawFailure = false;
  /** Where the run's waits share their end (created by the first wait, removed at the end of the run). */
  readonly #flushWindow = newFlushWindowPath();

  constructor(options?: PromiseFailureReporterOptions) {
    this.#run = startReporterRun('@promise-failure/vitest', options, { testEngineRunner: 'vitest' });
  }

  /** The options this instance was given, for the plugin to compare with its own. */
  get [reporterSettings](): ReporterSettings | undefined {
    return this.#run.settings;
  }

  readonly onInit = guard('onInit', (vitest: Vitest): void => {
    this.#ignoreUnhandledErrors = vitest.config.dangerouslyIgnoreUnhandledErrors === true;
    // Listed twice (in `reporters` and by the plugin, or by two paths), only the first instance acts.
    const reporters = (vitest as unknown as { reporters?: unknown[] }).reporters ?? [];
    const first = reporters.find(isPromiseFailureReporter);
    if (first !== undefined && first !== this) this.#standingDown = true;
    // The workers' setup file (`@promise-failure/vitest/setup`, which the plugin adds) reads these: it
    // promises from inside the worker, with this reporter's options, and nothing when they are off.
    const settings = this.#run.settings;
    if (!this.#standingDown && settings !== undefined) {
      vitest.provide?.(providedSettingsKey as never, settings as never);
      // One flush window for this process and every worker: with `isolate`, each file runs in a fresh one.
      shareFlushWindow(this.#flushWindow);
      vitest.provide?.(providedFlushWindowKey as never, this.#flushWindow as never);
    }
  });

  readonly onTestModuleCollected = guard('onTestModuleCollected', (testModule: TestModule): void => {
    const [error] = testModule.errors();
    if (error) this.#fail({ kind: 'load', error, file: testModule.moduleId });
  });

  readonly onTestCaseResult = guard('onTestCaseResult', (testCase: TestCase): void => {
    if (testCase.result().state === 'failed') {
      this.#fail({ kind: 'test', fullName: testCase.fullName, file: testCase.module.moduleId, testEngine: testEngineName(testCase) });
    }
  });

  readonly onTestModuleEnd = guard('onTestModuleEnd', (testModule: TestModule): void => {
    if (testModule.state() === 'failed') this.#fail(describeFailedModule(testModule));
  });

  readonly onTestRunEnd = guard(
    'onTestRunEnd',
    async (
      testModules: ReadonlyArray<TestModule>,
      unhandledErrors: ReadonlyArray<SerializedError>,
      reason: TestRunEndReason,
    ): Promise<void> => {
      const failedModule = testModules.find((testModule) => testModule.state() === 'failed');
      if (failedModule) this.#fail(describeFailedModule(failedModule));
      const [unhandledError] = unhandledErrors;
      if (unhandledError && !this.#ignoreUnhandledErrors) this.#fail({ kind: 'unhandled', error: unhandledError as ErrorLike });
      if (reason === 'failed' && !this.#sawFailure) this.#fail({ kind: 'run' });
      if (this.#standingDown) return;
      await this.#run.finish();
      removeFlushWindow(this.#flushWindow);
    },
  );

  /** A final failure: the first starts the declaration; the reason is worded only then. */
  #fail(failure: FailureSignal): void {
    if (this.#standingDown || this.#run.failed) return;
    if (failure.kind !== 'run') this.#sawFailure = true;
    this.#run.fail(() => buildReason(failure), failureSubject(failure));
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
    return { kind: 'test', fullName: testCase.fullName, file, testEngine: testEngineName(testCase) };
  }
  return { kind: 'module', error: undefined, file };
}

/**
 * The test as bktec names it from Vitest's JSON report (its `internal/runner/vitest.go`): scope, the titles of
 * the `describe` blocks around it joined by spaces (not the file); name, its own title.
 */
function testEngineName(testCase: TestCase): { scope: string; name: string } {
  const blocks: string[] = [];
  for (let parent = testCase.parent; parent.type === 'suite'; parent = parent.parent) blocks.unshift(parent.name);
  return { scope: blocks.join(' '), name: testCase.name };
}

export function isPromiseFailureReporter(value: unknown): value is PromiseFailureReporter {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[reporterBrand] === true;
}
