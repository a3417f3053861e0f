import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { reportInternalError } from '@promise-failure/reporting';

/*
 * This package must drive the Mocha that is running, which is not necessarily the `mocha` it would
 * resolve itself (Mocha 10, 11 and 12 may sit side by side, and Mocha 12's package entry is ESM). So it
 * finds that Mocha among the modules already loaded: Mocha's CLI loads `lib/mocha.js` (`.cjs` in 12)
 * with `require` before it loads reporters and `--require` modules.
 */

export type ReporterInstance = { done?: (failures: number, fn: (failures: number) => void) => void };
export type ReporterConstructor = new (runner: unknown, options: unknown) => ReporterInstance;

export interface MochaConstructor {
  prototype: MochaInstance;
  reporters: Record<string, ReporterConstructor | undefined>;
  Runner: abstract new (...args: never[]) => unknown;
}

export interface MochaInstance {
  options: Record<string, unknown> & { isWorker?: boolean; reporterOption?: Record<string, unknown>; watch?: boolean };
  _reporter?: unknown;
  run(fn?: (failures: number) => void): RunnerLike;
  loadFilesAsync?: (...args: unknown[]) => Promise<unknown>;
}

export interface RunnerLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export interface LoadedMocha {
  Mocha: MochaConstructor;
  /** `…/node_modules/mocha/lib/mocha.js` */
  filename: string;
}

function isMochaConstructor(value: unknown): value is MochaConstructor {
  const candidate = value as Partial<MochaConstructor> | undefined;
  return (
    typeof value === 'function' &&
    candidate !== undefined &&
    typeof candidate.prototype?.run === 'function' &&
    typeof candidate.reporters === 'object' &&
    candidate.reporters !== null &&
    typeof candidate.Runner === 'function'
  );
}

function moduleCache(): Record<string, NodeJS.Module | undefined> {
  return (Module as unknown as { _cache?: Record<string, NodeJS.Module | undefined> })._cache ?? {};
}

/** Every Mocha constructor already loaded with `require` in this process. */
export function findLoadedMochas(): LoadedMocha[] {
  const found: LoadedMocha[] = [];
  for (const [filename, loaded] of Object.entries(moduleCache())) {
    if (loaded && isMochaConstructor(loaded.exports) && !found.some((entry) => entry.Mocha === loaded.exports)) {
      found.push({ Mocha: loaded.exports, filename });
    }
  }
  return found;
}

/** The Mocha that made `runnerOrMocha` (a runner or a Mocha instance), else the one whose CLI is running, else any. */
export function findMocha(runnerOrMocha?: unknown): LoadedMocha | undefined {
  const all = findLoadedMochas();
  if (runnerOrMocha) {
    const owner = all.find(
      (entry) =>
        runnerOrMocha instanceof entry.Mocha.Runner || runnerOrMocha instanceof (entry.Mocha as unknown as abstract new () => unknown),
    );
    if (owner) return owner;
  }
  const script = process.argv[1] ? safeRealpath(process.argv[1]) : undefined;
  return all.find((entry) => script?.startsWith(packageRoot(entry.filename) + path.sep)) ?? all[0];
}

function packageRoot(mochaFilename: string): string {
  return path.dirname(path.dirname(mochaFilename));
}

function safeRealpath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * `--pass-on-failing-test-suite` (or `pass-on-failing-test-suite` in `.mocharc`) makes the run exit 0:
 * then nothing may be promised. Mocha's instance does not say so reliably (it stores
 * `passOnFailingTestSuite: false` whatever the flag says), so this also reads the options the way
 * Mocha's CLI does: its own `lib/cli/options` `loadOptions(argv)`, which merges argv, `MOCHA_OPTIONS`,
 * `.mocharc.*` and package.json — when the process is that Mocha's CLI.
 */
export function isFailureExitCodeOff(mochaOptions: Record<string, unknown> | undefined, loaded: LoadedMocha | undefined): boolean {
  if (mochaOptions?.passOnFailingTestSuite === true || mochaOptions?.['pass-on-failing-test-suite'] === true) {
    return true;
  }
  const cliOptions = loaded ? readCliOptions(loaded.filename) : undefined;
  return cliOptions?.['pass-on-failing-test-suite'] === true || cliOptions?.passOnFailingTestSuite === true;
}

function readCliOptions(mochaFilename: string): Record<string, unknown> | undefined {
  try {
    const root = packageRoot(mochaFilename);
    const script = process.argv[1] ? safeRealpath(process.argv[1]) : undefined;
    if (!script?.startsWith(root + path.sep)) return undefined;
    const requireFromMocha = createRequire(mochaFilename);
    for (const candidate of ['./cli/options.js', './cli/options.cjs']) {
      let file: string;
      try {
        file = requireFromMocha.resolve(candidate);
      } catch {
        continue;
      }
      const { loadOptions } = requireFromMocha(file) as { loadOptions?: (argv: string[]) => Record<string, unknown> };
      if (typeof loadOptions === 'function') return loadOptions(process.argv.slice(2));
    }
  } catch (error) {
    // Mocha's own reader failed (it may exit on a bad .mocharc itself): the instance's options decide.
    reportInternalError('reading Mocha options', error);
  }
  return undefined;
}

/**
 * The reporter whose output is kept: a built-in name (`spec`, `dot`, …), a package, a path relative to
 * the working directory, or a constructor — resolved as Mocha resolves `--reporter`.
 */
export function resolveReporter(name: unknown, Mocha: MochaConstructor | undefined, cwd = process.cwd()): ReporterConstructor {
  if (typeof name === 'function') return name as ReporterConstructor;
  if (typeof name !== 'string' || name === '')
    throw new TypeError(`Expected \`reporter\` to be a reporter name or module, got ${String(name)}.`);
  const builtin = Mocha?.reporters[name];
  if (builtin) return builtin;
  const requireFromCwd = createRequire(path.join(cwd, 'noop.js'));
  let loaded: unknown;
  try {
    loaded = requireFromCwd(requireFromCwd.resolve(name));
  } catch (error) {
    if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    loaded = requireFromCwd(path.resolve(cwd, name));
  }
  const Reporter = typeof loaded === 'function' ? loaded : (loaded as { default?: unknown } | undefined)?.default;
  if (typeof Reporter !== 'function') throw new TypeError(`"${name}" does not export a Mocha reporter.`);
  return Reporter as ReporterConstructor;
}
