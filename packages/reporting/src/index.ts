/**
 * The reporter kit: what `@promise-failure/jest`, `/vitest`, `/mocha` and the other reporters share, so
 * that each is only an adapter (runner events → final failure → reason) and all behave and word their
 * one line alike. Private: each reporter's build bundles this source into its own `dist` (tsup
 * `noExternal`), so a passing run still loads nothing beyond the reporter, and the core is imported only
 * on the first final failure.
 *
 * ```ts
 * class MyReporter {
 *   readonly #run = startReporterRun('@promise-failure/x', options, { canFail: () => exitCodeOnFailure !== 0 });
 *   onTestEnd = guard('onTestEnd', (test) => { if (isFinalFailure(test)) this.#run.fail(() => formatReason('x', …)); });
 *   onEnd = guard('onEnd', () => this.#run.finish());
 * }
 * ```
 */
export type { FailureSubject, TestEngineTest } from './failure-subject.js';
export { newFlushWindowPath, removeFlushWindow, shareFlushWindow } from './flush-budget.js';
export { guard, reportInternalError } from './guard.js';
export {
  optionNames,
  type ReporterOptions,
  type ReporterSettings,
  type ResolvedReporterOptions,
  resolveReporterOptions,
} from './options.js';
export { firstLine, formatReason, relativePath } from './reason.js';
export { createReporterRun, isPromisingJob, type ReporterRun, type RunRules, startReporterRun } from './reporter-run.js';
export { printLine } from './stderr.js';
