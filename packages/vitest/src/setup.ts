import { createReporterRun, guard, shareFlushWindow } from '@promise-failure/reporting';
import { afterAll, afterEach, inject } from 'vitest';
import { fullTestName, isFinalFailure, type RunnerTest, testEngineName } from './final-failure.js';
import { providedFlushWindowKey, providedSettingsKey, readProvidedFlushWindow, readProvidedSettings } from './provided.js';
import { buildReason } from './reason.js';

/*
 * The earliest mode: this file runs in Vitest's workers, before each test file (the plugin adds it to
 * `setupFiles`; `setupFiles: ['@promise-failure/vitest/setup']` does the same by hand). A test's final
 * failure is promised from the worker that ran it, as the attempt ends: Vitest's workers send their
 * results to the main process through a 100 ms throttle, so the reporter there hears of a failure
 * later (see bench/RESULTS.md, "Vitest: the workers promise", the reporter alone). The core's
 * cross-process claim makes the worker's call and the reporter's one request; the reporter prints the one
 * line (reading the worker's outcome), so the worker prints nothing.
 *
 * Nothing here loads the core: a test file that passes costs one `afterEach` call per test.
 */
const settings = readProvidedSettings(inject(providedSettingsKey as never));

if (settings !== undefined) {
  const run = createReporterRun(settings, { inRunnerWorker: true, testEngineRunner: 'vitest' });
  // The run's one flush window (the reporter kit's flush-budget.ts): this worker may run one file only.
  const flushWindow = readProvidedFlushWindow(inject(providedFlushWindowKey as never));
  if (flushWindow !== undefined) shareFlushWindow(flushWindow);

  const observe = guard('afterEach', (task: RunnerTest): void => {
    if (run.failed || !isFinalFailure(task)) return;
    const file = typeof task.file?.filepath === 'string' ? task.file.filepath : '';
    run.fail(() => buildReason({ kind: 'test', fullName: fullTestName(task), file }), { kind: 'test', testEngine: testEngineName(task) });
  });
  // Also while a failure is being judged against bktec's muted tests (not yet latched); `finish()` resolves at
  // once when there is nothing to wait for.
  const flush = guard('afterAll', () => run.finish(discardLine));

  // Written out, not wrapped: Vitest reads a hook's first parameter as the fixtures it uses, and wants it
  // destructured. Registered first (setup files run before the test file), this `afterEach` runs after the
  // file's own (after hooks run in reverse by default), so their errors are in the test's state; where they
  // run in parallel or in order, it may see less of the state, never a failure that is not one.
  afterEach(({ task }) => {
    observe(task as RunnerTest);
  });

  // The declaration must not be cut off when Vitest ends this worker: the file waits for it, at most
  // `flushTimeout`, and the hook's own timeout leaves room for that (Vitest's default of 10 s would not).
  afterAll(() => flush(), settings.flushTimeout + 5_000);
}

/** The reporter in the main process prints the one line; a worker's would come once per failing file. */
function discardLine(): void {}
