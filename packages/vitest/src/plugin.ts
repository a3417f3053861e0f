import { printLine } from '@promise-failure/reporting';
import type { VitestPluginContext } from 'vitest/node';
import type { PromiseFailureReporterOptions } from './options.js';
import { isPromiseFailureReporter, PromiseFailureReporter } from './reporter.js';

const packageName = '@promise-failure/vitest';

/** The Vite plugin returned by {@link promiseFailurePlugin}. */
export interface PromiseFailurePlugin {
  name: string;
  configureVitest(context: VitestPluginContext): void;
}

/**
 * A Vite plugin that adds the reporter through `configureVitest`, after the command line is read: a
 * `--reporter=dot` flag, which replaces the configured reporters, does not remove it. When the reporter
 * is already configured (by name or as an instance), the plugin adds nothing.
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
  return {
    name: packageName,
    // With `projects`, Vitest calls this once per project: the first call adds the reporter.
    configureVitest({ vitest }) {
      try {
        const reporters = vitest.config.reporters as unknown[];
        if (!reporters.some(isConfiguredReporter)) reporters.push(new PromiseFailureReporter(options));
      } catch (error) {
        printLine(`promise-failure: could not add the Vitest reporter: ${(error as Error).message}`);
      }
    },
  };
}

/** `'@promise-failure/vitest'`, `['@promise-failure/vitest', options]`, or an instance of ours. */
function isConfiguredReporter(entry: unknown): boolean {
  const [reporter] = Array.isArray(entry) ? entry : [entry];
  return reporter === packageName || isPromiseFailureReporter(reporter);
}
