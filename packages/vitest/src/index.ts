import { PromiseFailureReporter } from './reporter.js';

export type { PromiseFailureReporterOptions } from './options.js';
export { type PromiseFailurePlugin, promiseFailurePlugin } from './plugin.js';
export { PromiseFailureReporter };

/** Vitest loads a reporter named in `reporters` by its default export. */
export default PromiseFailureReporter;
