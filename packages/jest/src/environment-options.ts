import path from 'node:path';
import type { PromiseFailureReporterOptions } from './options.js';
import { ownDirectory } from './own-directory.js';

/** The parts of Jest's environment config (`{ globalConfig, projectConfig }`) the environment reads. */
export interface JestEnvironmentConfigLike {
  readonly globalConfig?: {
    readonly reporters?: unknown;
    readonly testFailureExitCode?: unknown;
  };
  readonly projectConfig?: {
    readonly rootDir?: unknown;
    readonly testEnvironmentOptions?: Readonly<Record<string, unknown>>;
  };
}

const reporterName = '@promise-failure/jest';

/**
 * The environment's options: the reporter's own (`['@promise-failure/jest', { … }]` in `reporters`), so that
 * both promise the same exit status and obey the same `enabled`, with `testEnvironmentOptions.promiseFailure`
 * on top for a project that wants the environment alone to differ. Read from the config Jest hands to every
 * environment; never throws (a malformed value is passed on, and the kit's validation turns it off).
 */
export function environmentOptions(config: JestEnvironmentConfigLike | undefined): unknown {
  const fromReporter = reporterOptions(config?.globalConfig?.reporters);
  const own = config?.projectConfig?.testEnvironmentOptions?.promiseFailure;
  if (own === undefined) return fromReporter;
  if (typeof own !== 'object' || own === null || Array.isArray(own)) return own;
  return { ...(fromReporter as object | undefined), ...(own as PromiseFailureReporterOptions) };
}

function reporterOptions(reporters: unknown): unknown {
  if (!Array.isArray(reporters)) return undefined;
  for (const entry of reporters) {
    const [name, options] = Array.isArray(entry) ? entry : [entry, undefined];
    if (typeof name === 'string' && isOurReporter(name)) return options;
  }
  return undefined;
}

/** Jest resolves reporter names to files in `globalConfig` (real paths): ours is a file beside this one in `dist`. */
function isOurReporter(name: string): boolean {
  if (name === reporterName) return true;
  const normalized = name.split(path.sep).join('/');
  return (
    /\/@promise-failure\/jest(\/dist\/index\.c?js)?$/.test(normalized) || (path.isAbsolute(name) && path.dirname(name) === ownDirectory())
  );
}
