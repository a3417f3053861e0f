import { createRequire } from 'node:module';
import path from 'node:path';
import { defaultSettings, resolveSettings } from '@promise-failure/reporting';
import { installLoadFailureHook, isPromiseFailureReporter, registeredOptions, setRegisteredOptions } from './load-failure.js';
import { findLoadedMochas, findMocha, type MochaConstructor, type MochaInstance } from './mocha-internals.js';
import { type PromiseFailureMochaOptions, parseOptions } from './options.js';
import { RunObserver } from './run-observer.js';

export type { PromiseFailureMochaOptions } from './options.js';

/*
 * `mocha --require @promise-failure/mocha/register` keeps whatever reporter the user chose. Mocha has no
 * public hook that both sees every failure (a root-hook plugin runs inside `--parallel` workers and
 * misses hook failures and files that fail to load) and can hold the exit, so this wraps
 * `Mocha.prototype.run` in the main process: it listens to the run's `'fail'` from the start (it
 * attaches while Mocha constructs the reporter, before any event) and holds the run's completion
 * callback until the declaration settles. Tested on Mocha 10, 11 and 12.
 */
const wrapped = Symbol.for('@promise-failure/mocha.run-wrapper');

function wrapRun(Mocha: MochaConstructor): void {
  const prototype = Mocha.prototype as MochaInstance & Record<symbol, unknown>;
  const originalRun = prototype.run as MochaInstance['run'] & Record<symbol, unknown>;
  if (typeof originalRun !== 'function' || originalRun[wrapped]) return;

  const run = function (this: MochaInstance, fn?: (failures: number) => void) {
    const options = registeredOptions();
    const Reporter = this._reporter;
    if (!options || this.options?.isWorker || isPromiseFailureReporter(Reporter) || typeof Reporter !== 'function') {
      return originalRun.call(this, fn);
    }
    const observer = new RunObserver(options, this.options, findMocha(this));
    // A named function, not an arrow: Mocha calls it with `new`.
    this._reporter = function ObservedReporter(runner: never, reporterOptions: unknown) {
      try {
        observer.listen(runner);
      } catch {}
      return Reflect.construct(Reporter as new (...args: unknown[]) => object, [runner, reporterOptions]);
    };
    try {
      return originalRun.call(this, (failures: number) => {
        const finish = () => fn?.(failures);
        observer.finish(failures).then(finish, finish);
      });
    } finally {
      this._reporter = Reporter;
    }
  };
  Object.defineProperty(run, wrapped, { value: true });
  prototype.run = run;
}

function install(): void {
  let mochas = findLoadedMochas();
  if (mochas.length === 0) {
    // Loaded before Mocha itself (e.g. `node -r`): load the project's Mocha, which its CLI will reuse.
    try {
      createRequire(path.join(process.cwd(), 'noop.js'))('mocha');
    } catch {}
    mochas = findLoadedMochas();
  }
  for (const { Mocha } of mochas) {
    wrapRun(Mocha);
    installLoadFailureHook(Mocha);
  }
}

/**
 * Sets the options of `@promise-failure/mocha/register` (call it from a `--require`d file of your own).
 * An invalid option prints one warning and turns it off.
 */
export function configure(options: PromiseFailureMochaOptions = {}): void {
  try {
    const settings = resolveSettings('@promise-failure/mocha/register', parseOptions(options));
    setRegisteredOptions(settings ?? { ...defaultSettings, enabled: false });
  } catch {}
}

try {
  if (!registeredOptions()) setRegisteredOptions(defaultSettings);
  install();
} catch {}
