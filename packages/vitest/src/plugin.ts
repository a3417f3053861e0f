import { guard, printLine, type ReporterSettings, resolveReporterOptions } from '@promise-failure/reporting';
import type { VitestPluginContext } from 'vitest/node';
import type { PromiseFailureReporterOptions } from './options.js';
import { isPromiseFailureReporter, PromiseFailureReporter, reporterSettings } from './reporter.js';
import { setupFilePath } from './setup-file.js';

const packageName = '@promise-failure/vitest';

/** The Vite plugin returned by {@link promiseFailurePlugin}. */
export interface PromiseFailurePlugin {
  name: string;
  configureVitest(context: VitestPluginContext): void;
}

/**
 * A Vite plugin that adds the reporter through `configureVitest`, after the command line is read: a
 * `--reporter=dot` flag, which replaces the configured reporters, does not remove it. When the reporter
 * is already configured (by name or as an instance), the plugin adds nothing, and the listed reporter's
 * options are the ones used: options given to the plugin that differ from them are ignored, with one line
 * saying so.
 *
 * @example
 * ```ts
 * import { defineConfig } from 'vitest/config';
 * import { promiseFailurePlugin } from '@promise-failure/vitest';
 *
 * export default defineConfig({ plugins: [promiseFailurePlugin({ exitStatus: 2 })] });
 * ```
 */
export function promiseFailurePlugin(options?: PromiseFailureReporterOptions): PromiseFailurePlugin {
  let warned = false;
  return {
    name: packageName,
    // With `projects`, Vitest calls this once per project: the first call adds the reporter.
    configureVitest: guard('configureVitest', ({ vitest, project }: VitestPluginContext): void => {
      addSetupFile(project?.config);
      const reporters = vitest.config.reporters as unknown[];
      const listed = reporters.find(isConfiguredReporter);
      if (listed === undefined) {
        reporters.push(new PromiseFailureReporter(options));
        return;
      }
      if (!warned && hasOptions(options) && !sameSettings(options, listedSettings(listed))) {
        warned = true;
        printLine(
          `promise-failure: the options of promiseFailurePlugin() (${JSON.stringify(options)}) are ignored: ${packageName} is also listed in ` +
            "Vitest's reporters, and that entry's options are used; give the options in one place",
        );
      }
    }),
  };
}

/**
 * Adds the workers' setup file to a project (each project's config has its own list), so that a test's final
 * failure is promised from the worker that ran it, without waiting for the main process to hear of it.
 */
function addSetupFile(config: { setupFiles?: string[] } | undefined): void {
  const setupFiles = config?.setupFiles;
  if (!Array.isArray(setupFiles)) return;
  const file = setupFilePath();
  if (!setupFiles.includes(file)) setupFiles.push(file);
}

/** `'@promise-failure/vitest'`, `['@promise-failure/vitest', options]`, or an instance of ours. */
function isConfiguredReporter(entry: unknown): boolean {
  const [reporter] = Array.isArray(entry) ? entry : [entry];
  return reporter === packageName || isPromiseFailureReporter(reporter);
}

/** The listed reporter's validated options; `undefined` when they are invalid (it says so itself) or off. */
function listedSettings(entry: unknown): ReporterSettings | undefined {
  if (isPromiseFailureReporter(entry)) return entry[reporterSettings];
  const listedOptions = Array.isArray(entry) ? entry[1] : undefined;
  const resolved = resolveReporterOptions(listedOptions);
  return resolved.ok && resolved.settings.enabled ? resolved.settings : undefined;
}

function hasOptions(options: PromiseFailureReporterOptions | undefined): boolean {
  return typeof options === 'object' && options !== null && Object.keys(options).length > 0;
}

function sameSettings(options: PromiseFailureReporterOptions | undefined, listed: ReporterSettings | undefined): boolean {
  const resolved = resolveReporterOptions(options);
  if (!resolved.ok) return false;
  const ours = resolved.settings.enabled ? resolved.settings : undefined;
  return JSON.stringify(ours) === JSON.stringify(listed);
}
