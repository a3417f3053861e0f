import { createRequire } from 'node:module';
import path from 'node:path';
import { guard, reportInternalError } from '@promise-failure/reporting';
import { installLoadFailureHook, isPromiseFailureReporter, registeredOptions, setRegisteredOptions } from './load-failure.js';
import { findLoadedMochas, findMocha, type MochaConstructor, type MochaInstance } from './mocha-internals.js';
import { type PromiseFailureReporterOptions, parseOptions } from './options.js';
import { finishMochaRun, listenForFailures, startMochaRun } from './run-observer.js';
import { listenInWorker, observeWorkerFile, settleInWorker } from './worker-run.js';

export type { PromiseFailureMochaOptions, PromiseFailureReporterOptions } from './options.js';

/*
 * `mocha --require @promise-failure/mocha/register` keeps whatever reporter the user chose. Mocha has no
 * public hook that both sees every failure (a root-hook plugin runs inside `--parallel` workers and
 * misses hook failures and files that fail to load) and can hold the exit, so this wraps
 * `Mocha.prototype.run` in the main process: it listens to the run's `'fail'` from the start (it
 * attaches while Mocha constructs the reporter, before any event) and holds the run's completion
 * callback until the declaration settles. In a `--parallel` worker (Mocha loads `--require` modules there
 * too) the same wrapper declares at once from the worker and holds the file's result until that settles,
 * because the main process hears of a worker's failures only when its file ends. Tested on Mocha 10, 11 and 12.
 */
const wrapped = Symbol.for('@promise-failure/mocha.run-wrapper');

function wrapRun(Mocha: MochaConstructor): void {
  const prototype = Mocha.prototype as MochaInstance & Record<symbol, unknown>;
  const originalRun = prototype.run as MochaInstance['run'] & Record<symbol, unknown>;
  if (typeof originalRun !== 'function' || originalRun[wrapped]) return;

  const wrappedRun = function (this: MochaInstance, fn?: (failures: number) => void) {
    const registered = registeredOptions();
    const Reporter = this._reporter;
    if (!registered || typeof Reporter !== 'function') return originalRun.call(this, fn);
    if (this.options?.isWorker) return runInWorker.call(this, originalRun, fn, registered.options);
    if (isPromiseFailureReporter(Reporter)) return originalRun.call(this, fn);
    const run = startMochaRun('@promise-failure/mocha/register', registered.options, this.options, findMocha(this));
    if (run.settings === undefined) return originalRun.call(this, fn);
    const listen = guard('run', (runner: never) => listenForFailures(runner, run));
    // A named function, not an arrow: Mocha calls it with `new`.
    this._reporter = function ObservedReporter(runner: never, reporterOptions: unknown) {
      listen(runner);
      return Reflect.construct(Reporter as new (...args: unknown[]) => object, [runner, reporterOptions]);
    };
    try {
      return originalRun.call(this, (failures: number) => {
        // `finishMochaRun` never rejects (guarded).
        void Promise.resolve(finishMochaRun(run, failures)).then(() => fn?.(failures));
      });
    } finally {
      this._reporter = Reporter;
    }
  };
  Object.defineProperty(wrappedRun, wrapped, { value: true });
  prototype.run = wrappedRun;
}

/**
 * A `--parallel` worker's run of one file: listen to its `'fail'` (see `worker-run.ts`), and hold the result
 * Mocha hands back to the main process until the declaration settles (at most `flushTimeout`).
 */
function runInWorker(
  this: MochaInstance,
  originalRun: MochaInstance['run'],
  fn: ((failures: number) => void) | undefined,
  options: unknown,
): ReturnType<MochaInstance['run']> {
  const run = guard('run', () => observeWorkerFile(this, options))();
  if (run === undefined) return originalRun.call(this, fn);
  const Reporter = this._reporter as new (...args: unknown[]) => object;
  const listen = guard('run', (runner: never) => listenInWorker(runner, run));
  this._reporter = function ObservedReporter(runner: never, reporterOptions: unknown) {
    listen(runner);
    return Reflect.construct(Reporter, [runner, reporterOptions]);
  };
  try {
    // In a worker Mocha passes the buffered result here, not a count: hand it on as it is.
    return originalRun.call(this, (result: number) => {
      // `settleInWorker` never rejects (guarded).
      void Promise.resolve(settleInWorker(run)).then(() => fn?.(result));
    });
  } finally {
    this._reporter = Reporter;
  }
}

function install(): void {
  let mochas = findLoadedMochas();
  if (mochas.length === 0) {
    // Loaded before Mocha itself (e.g. `node -r`): load the project's Mocha, which its CLI will reuse.
    try {
      createRequire(path.join(process.cwd(), 'noop.js'))('mocha');
    } catch {
      // No Mocha here to hook: there is no Mocha run to observe either.
    }
    mochas = findLoadedMochas();
  }
  for (const { Mocha } of mochas) {
    wrapRun(Mocha);
    installLoadFailureHook(Mocha);
  }
}

/**
 * Sets the options of `@promise-failure/mocha/register` (call it from a `--require`d file of your own).
 * They are checked when the run starts, in Mocha's main process: an invalid option prints one warning
 * there and turns it off.
 */
export function configure(options: PromiseFailureReporterOptions = {}): void {
  try {
    setRegisteredOptions(parseOptions(options));
  } catch (error) {
    reportInternalError('configure', error);
  }
}

try {
  if (!registeredOptions()) setRegisteredOptions({});
  install();
} catch (error) {
  reportInternalError('register', error);
}
