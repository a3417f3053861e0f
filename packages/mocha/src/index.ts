import { printLine, resolveSettings } from '@promise-failure/reporting';
import { installLoadFailureHook, isPromiseFailureReporter, reporterMarker } from './load-failure.js';
import { findLoadedMochas, findMocha, type ReporterInstance, resolveReporter } from './mocha-internals.js';
import { parseOptions, splitReporterOption } from './options.js';
import { RunObserver } from './run-observer.js';

export type { PromiseFailureMochaOptions } from './options.js';

type MochaOptions = Record<string, unknown> & { reporterOption?: Record<string, unknown>; reporterOptions?: Record<string, unknown> };

/**
 * `mocha --reporter @promise-failure/mocha`: promises the Buildkite job's failure on the run's first
 * failure and waits for it before Mocha exits. Mocha runs one reporter, so this one drives the reporter
 * whose output is kept (`spec`, or `--reporter-option reporter=dot`), passing it the other options.
 */
export default class PromiseFailureReporter {
  static readonly [reporterMarker] = true;
  readonly #inner: ReporterInstance | undefined;
  readonly #observer: RunObserver | undefined;

  constructor(runner: unknown, mochaOptions: MochaOptions = {}) {
    const { reporter, ours, theirs } = splitReporterOption(mochaOptions.reporterOption ?? mochaOptions.reporterOptions);
    const mocha = findMocha(runner);
    this.#inner = createInnerReporter(
      reporter ?? 'spec',
      runner,
      { ...mochaOptions, reporterOption: theirs, reporterOptions: theirs },
      mocha?.Mocha,
    );
    try {
      const settings = resolveSettings('@promise-failure/mocha', parseOptions(ours));
      if (settings === undefined) return;
      this.#observer = new RunObserver(settings, mochaOptions, mocha);
      this.#observer.listen(runner as never);
    } catch {
      // Never throw into Mocha: the inner reporter still prints, the run goes on.
    }
  }

  /** Mocha waits for `fn` before it exits (also with `--exit`, `--bail` and `--parallel`). */
  done(failures: number, fn: (failures: number) => void): void {
    const finishInner = () => {
      if (typeof this.#inner?.done === 'function') this.#inner.done(failures, fn);
      else fn(failures);
    };
    if (!this.#observer) {
      finishInner();
      return;
    }
    this.#observer.finish(failures).then(finishInner, finishInner);
  }
}

function createInnerReporter(
  name: unknown,
  runner: unknown,
  options: MochaOptions,
  Mocha: Parameters<typeof resolveReporter>[1],
): ReporterInstance | undefined {
  try {
    const Reporter = resolveReporter(name, Mocha);
    if (isPromiseFailureReporter(Reporter)) throw new TypeError('it is this reporter');
    return new Reporter(runner, options);
  } catch (error) {
    printLine(
      `promise-failure: could not use the reporter ${JSON.stringify(String(name))} (${(error as Error).message?.split('\n')[0]}); using spec.`,
    );
    try {
      const Spec = Mocha?.reporters.spec;
      return Spec ? new Spec(runner, options) : undefined;
    } catch {
      return undefined;
    }
  }
}

// Loaded by Mocha's CLI before it loads the test files: catch a file that fails to load in serial mode.
try {
  for (const { Mocha } of findLoadedMochas()) installLoadFailureHook(Mocha);
} catch {}
