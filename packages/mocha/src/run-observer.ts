import { guard, type ReporterRun, startReporterRun } from '@promise-failure/reporting';
import { isFailureExitCodeOff, type LoadedMocha, type RunnerLike } from './mocha-internals.js';
import { buildFailureReason, buildRunFailureReason, type FailedRunnable } from './reason.js';

/*
 * What the reporter, `register` and the load-failure hook share: a Mocha run adapted to the reporter kit.
 * Mocha's `'fail'` is final (an attempt that will be retried emits `'retry'` instead; failing hooks and, in
 * `--parallel`, files that fail to load arrive as `'fail'` too), so each one is a final failure; a run whose
 * failure exit code is turned off (`--pass-on-failing-test-suite`) cannot fail, so it promises nothing.
 */

/** The rule for one Mocha run: it can fail unless `--pass-on-failing-test-suite` is in force. */
export function mochaRules(mochaOptions: Record<string, unknown> | undefined, mocha: LoadedMocha | undefined) {
  return { canFail: () => !isFailureExitCodeOff(mochaOptions, mocha) };
}

/** A run of the reporter, from its raw options (an invalid one turns it off, in one line). */
export function startMochaRun(
  packageName: string,
  options: unknown,
  mochaOptions: Record<string, unknown> | undefined,
  mocha: LoadedMocha | undefined,
): ReporterRun {
  return startReporterRun(packageName, options, mochaRules(mochaOptions, mocha));
}

/** Every `'fail'` of the runner is a final failure of the run. */
export function listenForFailures(runner: RunnerLike, run: ReporterRun): void {
  runner.on(
    'fail',
    guard('fail', (runnable: FailedRunnable | undefined, error: unknown) => run.fail(() => buildFailureReason(runnable, error))),
  );
}

/**
 * At the end of the run: a run that failed without any `'fail'` (e.g. `--fail-zero`) still counts; then the
 * wait for the declaration and its line. Never rejects.
 */
export const finishMochaRun = guard('done', async (run: ReporterRun, failures: number): Promise<void> => {
  if (typeof failures === 'number' && failures > 0) run.fail(() => buildRunFailureReason(failures));
  await run.finish();
});
