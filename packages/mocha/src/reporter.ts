import { firstLine, guard, printLine, type ReporterRun, reportInternalError } from '@promise-failure/reporting';
import { installLoadFailureHook, isPromiseFailureReporter, reporterMarker } from './load-failure.js';
import { findLoadedMochas, findMocha, type ReporterInstance, resolveReporter } from './mocha-internals.js';
import { findMisspeltOptions, parseOptions, splitReporterOption } from './options.js';
import { finishMochaRun, listenForFailures, startMochaRun } from './run-observer.js';

type MochaOptions = Record<string, unknown> & { reporterOption?: Record<string, unknown>; reporterOptions?: Record<string, unknown> };

const packageName = '@promise-failure/mocha';

/**
 * `mocha --reporter @promise-failure/mocha`: promises the Buildkite job's failure on the run's first
 * failure and waits for it before Mocha exits. Mocha runs one reporter, so this one drives the reporter
 * whose output is kept (`spec`, or `--reporter-option reporter=dot`), passing it the other options.
 */
export class PromiseFailureReporter {
  static readonly [reporterMarker] = true;
  readonly #inner: ReporterInstance | undefined;
  readonly #run: ReporterRun | undefined;

  constructor(runner: unknown, mochaOptions: MochaOptions = {}) {
    const { reporter, ours, theirs } = splitReporterOption(mochaOptions.reporterOption ?? mochaOptions.reporterOptions);
    const mocha = findMocha(runner);
    const innerName = reporter ?? 'spec';
    this.#inner = createInnerReporter(
      innerName,
      runner,
      { ...mochaOptions, reporterOption: theirs, reporterOptions: theirs },
      mocha?.Mocha,
    );
    try {
      warnAboutMisspeltOptions(theirs, innerName);
      const run = startMochaRun(packageName, parseOptions(ours), mochaOptions, mocha);
      if (run.settings === undefined) return;
      listenForFailures(runner as never, run);
      this.#run = run;
    } catch (error) {
      // The inner reporter still prints and the run goes on; only the promise is lost, and we say so.
      reportInternalError('constructor', error);
    }
  }

  /** Mocha waits for `fn` before it exits (also with `--exit`, `--bail` and `--parallel`). */
  done(failures: number, fn: (failures: number) => void): void {
    const finishInner = guard('done', () => {
      if (typeof this.#inner?.done === 'function') this.#inner.done(failures, fn);
      else fn(failures);
    });
    if (this.#run === undefined) {
      finishInner();
      return;
    }
    // `finishMochaRun` never rejects (guarded).
    void Promise.resolve(finishMochaRun(this.#run, failures)).then(finishInner);
  }
}

/** `--reporter-option exitstatus=2` would silently go to the inner reporter: say so, and what was meant. */
function warnAboutMisspeltOptions(theirs: Record<string, unknown>, innerName: unknown): void {
  for (const { given, meant } of findMisspeltOptions(Object.keys(theirs))) {
    const inner = typeof innerName === 'string' ? `the ${innerName} reporter` : 'the inner reporter';
    printLine(`promise-failure: ${packageName}: unknown option \`${given}\` (did you mean \`${meant}\`?), passed on to ${inner}`);
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
      `promise-failure: could not use the reporter ${JSON.stringify(String(name))} (${firstLine((error as Error | undefined)?.message) ?? String(error)}); using spec.`,
    );
    try {
      const Spec = Mocha?.reporters.spec;
      return Spec ? new Spec(runner, options) : undefined;
    } catch (specError) {
      reportInternalError('spec reporter', specError);
      return undefined;
    }
  }
}

/**
 * Mocha's CLI loads the reporter module (to check it) before it loads the test files: hook there, so that a
 * test file that fails to load in serial mode is promised too. This is the package's side effect.
 */
export function installLoadFailureHooks(): void {
  try {
    for (const { Mocha } of findLoadedMochas()) installLoadFailureHook(Mocha);
  } catch (error) {
    reportInternalError('install', error);
  }
}
