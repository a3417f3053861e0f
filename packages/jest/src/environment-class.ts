import { createReporterRun, formatReason, guard, type ReporterRun, resolveReporterOptions } from '@promise-failure/reporting';
import { environmentOptions, type JestEnvironmentConfigLike } from './environment-options.js';
import {
  type CircusEvent,
  type CircusState,
  FinalFailureWatch,
  fullTestName,
  parseRetryTimes,
  retryTimesKey,
  testEngineName,
} from './final-failure.js';

/** The parts of a Jest test environment instance this package uses (Jest's `JestEnvironment`). */
export interface TestEnvironmentLike {
  /** The test file's global object. */
  global: object;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  handleTestEvent?(event: never, state: never): unknown;
}

/** A Jest test environment class, constructed by Jest as `new Environment(config, context)`. */
// biome-ignore lint/suspicious/noExplicitAny: a mixin's base must take `any[]` (Jest passes `(config, context)`).
export type TestEnvironmentClass = new (...args: any[]) => TestEnvironmentLike;

/** Jest's environment context: the test file's path is what the reason names. */
interface EnvironmentContextLike {
  readonly testPath?: unknown;
}

/**
 * Wraps any Jest test environment class so that the test file's worker promises the Buildkite job's failure
 * on the file's first **final** failing test, instead of when the whole file ends (which is when the
 * reporter hears of it). Use it for an environment that `@promise-failure/jest/environment` (node) and
 * `…/environment-jsdom` do not cover:
 *
 * ```js
 * // my-environment.js
 * const { withPromiseFailure } = require('@promise-failure/jest/environment');
 * const { TestEnvironment } = require('jest-environment-node');
 * module.exports = withPromiseFailure(TestEnvironment);
 * ```
 *
 * Keep `@promise-failure/jest` in `reporters` too: it catches what no test event shows (a file that fails to
 * load, an `afterAll` that throws, obsolete snapshots) and prints the one line; the environment prints
 * nothing, and the core's cross-process claim makes the two one request. Its options are the reporter's
 * (from `reporters`), with `testEnvironmentOptions.promiseFailure` on top.
 */
export function withPromiseFailure<T extends TestEnvironmentClass>(Base: T): T {
  if ((Base as unknown as Record<symbol, unknown>)[wrappedMarker]) return Base;
  class PromiseFailureEnvironment extends Base {
    static readonly [wrappedMarker] = true;
    readonly #run: ReporterRun;
    readonly #watch: FinalFailureWatch;
    readonly #testPath: string | undefined;

    // biome-ignore lint/suspicious/noExplicitAny: a mixin's constructor must take `any[]`.
    constructor(...args: any[]) {
      super(...args);
      const [config, context] = args as [JestEnvironmentConfigLike | undefined, EnvironmentContextLike | undefined];
      this.#run = startEnvironmentRun(config);
      this.#watch = new FinalFailureWatch(() => parseRetryTimes((this.global as Record<symbol, unknown>)[retryTimesKey]));
      this.#testPath = typeof context?.testPath === 'string' ? context.testPath : undefined;
      // A base that sets `handleTestEvent` on the instance would hide the method below: observe through it.
      const own = Object.getOwnPropertyDescriptor(this, 'handleTestEvent')?.value;
      if (typeof own === 'function') {
        this.handleTestEvent = (event: never, state: never) => {
          this.#observe(event, state);
          return own.call(this, event, state);
        };
      }
    }

    /** jest-circus awaits this for every event, after its own handlers: the test's errors are complete here. */
    override handleTestEvent(event: never, state: never): unknown {
      this.#observe(event, state);
      const base = super.handleTestEvent;
      return typeof base === 'function' ? base.call(this, event, state) : undefined;
    }

    /** Waits for the declaration (at most `flushTimeout`) before the file's worker may be recycled. */
    override async teardown(): Promise<void> {
      try {
        // Also while a failure is being judged against bktec's muted tests (not yet latched): `finish()` resolves at
        // once when there is nothing to wait for.
        await this.#run.finish(discardLine);
      } finally {
        await super.teardown();
      }
    }

    readonly #observe = guard('handleTestEvent', (event: CircusEvent, state: CircusState | undefined): void => {
      if (this.#run.settings === undefined || this.#run.failed) return;
      const test = this.#watch.observe(event, state);
      if (test) {
        this.#run.fail(() => formatReason('jest', `${fullTestName(test)} failed`, this.#testPath, process.cwd()), {
          kind: 'test',
          testEngine: testEngineName(test),
        });
      }
    });
  }
  return PromiseFailureEnvironment;
}

const wrappedMarker = Symbol.for('@promise-failure/jest.environment');

/**
 * The reporter in Jest's main process prints the one line (it reads this declaration from the core's record
 * as `debounced`); a worker's line would come once per failing file, in the middle of Jest's output.
 */
function discardLine(): void {}

/**
 * A run with the reporter's options, checked without a word: the reporter checks the same options in the main
 * process and says what is wrong, once; here an invalid option just turns the environment off.
 */
function startEnvironmentRun(config: JestEnvironmentConfigLike | undefined): ReporterRun {
  let settings: ReturnType<typeof resolveReporterOptions> | undefined;
  try {
    settings = resolveReporterOptions(environmentOptions(config));
  } catch {
    settings = undefined;
  }
  // With `testFailureExitCode: 0` the run cannot fail, so there is nothing to promise.
  return createReporterRun(settings?.ok ? settings.settings : undefined, {
    canFail: () => Number(config?.globalConfig?.testFailureExitCode) !== 0,
    inRunnerWorker: true,
    testEngineRunner: 'jest',
  });
}
