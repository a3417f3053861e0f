import { createReporterRun, guard, type ReporterRun, resolveReporterOptions } from '@promise-failure/reporting';
import { findMocha, type MochaInstance } from './mocha-internals.js';
import { buildFailureReason, type FailedRunnable } from './reason.js';
import { mochaRules } from './run-observer.js';

/*
 * `--parallel`: the main process hears of a worker's failures only when the worker's whole file is done, so
 * `register`, loaded in every worker too (Mocha runs `--require` there), declares from the worker at the
 * test's final failure. Mocha's `'fail'` is final there as in the main process (a retried attempt emits
 * `'retry'`; failing hooks arrive as `'fail'`). The main process keeps observing the replayed events, the
 * hook failures and the files that fail to load, and prints the one line: its own call reads the worker's
 * declaration from the core's record as `debounced`. A worker prints nothing.
 */

/** One run per worker process: its first final failure declares; later files' failures share it. */
let workerRun: ReporterRun | undefined;

/**
 * The worker's run, with register's options checked without a word (the main process checks the same
 * options and says what is wrong, once): an invalid option just leaves the worker silent.
 */
function runFor(mocha: MochaInstance, options: unknown): ReporterRun {
  if (workerRun === undefined) {
    const resolved = resolveReporterOptions(options);
    workerRun = createReporterRun(resolved.ok ? resolved.settings : undefined, {
      ...mochaRules(mocha.options, findMocha(mocha)),
      inRunnerWorker: true,
    });
  }
  return workerRun;
}

/** Listens to a worker's runner for this file; `undefined` when register is off here. */
export function observeWorkerFile(mocha: MochaInstance, options: unknown): ReporterRun | undefined {
  const run = runFor(mocha, options);
  return run.settings === undefined ? undefined : run;
}

/** Every `'fail'` in a worker is final. */
export function listenInWorker(runner: { on(event: string, listener: (...args: never[]) => void): unknown }, run: ReporterRun): void {
  runner.on(
    'fail',
    guard('fail', (runnable: FailedRunnable | undefined, error: unknown) => run.fail(() => buildFailureReason(runnable, error))),
  );
}

/**
 * Before the worker hands its file's result back (after which the pool may end or recycle the process): wait
 * for the declaration, at most `flushTimeout`, without a line. Never rejects.
 */
export const settleInWorker = guard('worker done', async (run: ReporterRun): Promise<void> => {
  if (run.failed) await run.finish(discardLine);
});

function discardLine(): void {}
