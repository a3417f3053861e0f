import { reportInternalError } from '@promise-failure/reporting';
import { findMocha, type MochaConstructor, type MochaInstance } from './mocha-internals.js';
import { parseOptions, splitReporterOption } from './options.js';
import { buildLoadFailureReason } from './reason.js';
import { finishMochaRun, startMochaRun } from './run-observer.js';

/*
 * Shared by every copy of this package loaded in the process (its ESM and CommonJS builds can both be:
 * Mocha `require`s reporters but may `import` `--require` modules), hence `Symbol.for`.
 */
export const reporterMarker = Symbol.for('@promise-failure/mocha.reporter');
const registerState = Symbol.for('@promise-failure/mocha.register');
const hooked = Symbol.for('@promise-failure/mocha.load-failure-hook');

type RegisterState = { options: unknown };

/**
 * The options given to `@promise-failure/mocha/register` (by `configure()`, else none), when it is loaded.
 * They are validated where a run starts; only Mocha's main process says what is wrong: `--require` modules
 * load in every `--parallel` worker too, and a warning printed there would be printed once per worker.
 */
export function registeredOptions(): RegisterState | undefined {
  return (globalThis as Record<symbol, RegisterState | undefined>)[registerState];
}

export function setRegisteredOptions(options: unknown): void {
  (globalThis as Record<symbol, RegisterState | undefined>)[registerState] = { options };
}

export function isPromiseFailureReporter(reporter: unknown): boolean {
  return typeof reporter === 'function' && (reporter as unknown as Record<symbol, unknown>)[reporterMarker] === true;
}

/** Who acts for this Mocha instance: the reporter (with its options), else register (with its), else nobody. */
function actingFor(mocha: MochaInstance): { packageName: string; options: unknown } | undefined {
  if (mocha.options?.isWorker) return undefined;
  if (isPromiseFailureReporter(mocha._reporter)) {
    const raw = mocha.options.reporterOption ?? (mocha.options.reporterOptions as Record<string, unknown> | undefined) ?? {};
    return { packageName: '@promise-failure/mocha', options: parseOptions(splitReporterOption(raw).ours) };
  }
  const registered = registeredOptions();
  return registered === undefined ? undefined : { packageName: '@promise-failure/mocha/register', options: registered.options };
}

/**
 * In serial mode a test file that throws while loading (a syntax error, a missing import) rejects
 * `loadFilesAsync`, and Mocha's CLI prints it and exits 1 before any runner or reporter exists. This
 * wraps `loadFilesAsync` so that failure is declared, and waited for, before the rejection goes on.
 * In `--parallel` mode the same failure arrives as a `'fail'` instead (the worker's instance is skipped).
 *
 * The wrapper is not an `async` function and starts Mocha's own on a later microtask: the error Mocha
 * prints then carries the same stack as without this package (no frame of ours, sync or async).
 */
export function installLoadFailureHook(Mocha: MochaConstructor): void {
  const prototype = Mocha.prototype as MochaInstance & Record<symbol, unknown>;
  const original = prototype.loadFilesAsync as (((...args: unknown[]) => Promise<unknown>) & Record<symbol, unknown>) | undefined;
  if (typeof original !== 'function' || original[hooked]) return;
  const loadFilesAsync = function (this: MochaInstance, ...args: unknown[]): Promise<unknown> {
    return Promise.resolve()
      .then(() => original.apply(this, args))
      .catch((error: unknown) => declareLoadFailure(this, error).then(() => Promise.reject(error)));
  };
  Object.defineProperty(loadFilesAsync, hooked, { value: true });
  prototype.loadFilesAsync = loadFilesAsync;
}

async function declareLoadFailure(mocha: MochaInstance, error: unknown): Promise<void> {
  try {
    if (mocha.options?.watch) return;
    const acting = actingFor(mocha);
    if (acting === undefined) return;
    const run = startMochaRun(acting.packageName, acting.options, mocha.options, findMocha(mocha));
    run.fail(() => buildLoadFailureReason(error));
    await finishMochaRun(run, 0);
  } catch (hookError) {
    reportInternalError('loadFilesAsync', hookError);
  }
}
