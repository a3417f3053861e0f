import { type ReporterSettings, resolveReporterOptions } from '@promise-failure/reporting';
import { findMocha, type MochaConstructor, type MochaInstance } from './mocha-internals.js';
import { parseOptions, splitReporterOption } from './options.js';
import { buildLoadFailureReason } from './reason.js';
import { RunObserver } from './run-observer.js';

/*
 * Shared by every copy of this package loaded in the process (its ESM and CommonJS builds can both be:
 * Mocha `require`s reporters but may `import` `--require` modules), hence `Symbol.for`.
 */
export const reporterMarker = Symbol.for('@promise-failure/mocha.reporter');
const registerState = Symbol.for('@promise-failure/mocha.register');
const hooked = Symbol.for('@promise-failure/mocha.load-failure-hook');

/** Our options, when `@promise-failure/mocha/register` is loaded. */
export function registeredOptions(): ReporterSettings | undefined {
  return (globalThis as Record<symbol, { options: ReporterSettings } | undefined>)[registerState]?.options;
}

export function setRegisteredOptions(options: ReporterSettings): void {
  (globalThis as Record<symbol, { options: ReporterSettings } | undefined>)[registerState] = { options };
}

export function isPromiseFailureReporter(reporter: unknown): boolean {
  return typeof reporter === 'function' && (reporter as unknown as Record<symbol, unknown>)[reporterMarker] === true;
}

/** The options in force for this Mocha instance: the reporter's, else register's, else none. */
export function optionsFor(mocha: MochaInstance): ReporterSettings | undefined {
  if (mocha.options?.isWorker) return undefined;
  if (isPromiseFailureReporter(mocha._reporter)) {
    const raw = mocha.options.reporterOption ?? (mocha.options.reporterOptions as Record<string, unknown> | undefined) ?? {};
    // An invalid option turns it off (the reporter says so, when Mocha gets as far as making it).
    const resolved = resolveReporterOptions(parseOptions(splitReporterOption(raw).ours));
    return resolved.ok ? resolved.settings : undefined;
  }
  return registeredOptions();
}

/**
 * In serial mode a test file that throws while loading (a syntax error, a missing import) rejects
 * `loadFilesAsync`, and Mocha's CLI prints it and exits 1 before any runner or reporter exists. This
 * wraps `loadFilesAsync` so that failure is declared, and waited for, before the rejection goes on.
 * In `--parallel` mode the same failure arrives as a `'fail'` instead (the worker's instance is skipped).
 */
export function installLoadFailureHook(Mocha: MochaConstructor): void {
  const prototype = Mocha.prototype as MochaInstance & Record<symbol, unknown>;
  const original = prototype.loadFilesAsync as (((...args: unknown[]) => Promise<unknown>) & Record<symbol, unknown>) | undefined;
  if (typeof original !== 'function' || original[hooked]) return;
  const loadFilesAsync = async function (this: MochaInstance, ...args: unknown[]): Promise<unknown> {
    try {
      return await original.apply(this, args);
    } catch (error) {
      await declareLoadFailure(this, error);
      throw error;
    }
  };
  Object.defineProperty(loadFilesAsync, hooked, { value: true });
  prototype.loadFilesAsync = loadFilesAsync;
}

async function declareLoadFailure(mocha: MochaInstance, error: unknown): Promise<void> {
  try {
    if (mocha.options?.watch) return;
    const options = optionsFor(mocha);
    if (!options?.enabled) return;
    const observer = new RunObserver(options, mocha.options, findMocha(mocha));
    observer.fail(() => buildLoadFailureReason(error));
    await observer.flush();
  } catch {}
}
