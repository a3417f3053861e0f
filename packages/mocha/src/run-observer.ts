import { type Declaration, type ReporterSettings, startDeclaration } from '@promise-failure/reporting';
import { isFailureExitCodeOff, type LoadedMocha, type RunnerLike } from './mocha-internals.js';
import { buildFailureReason, buildRunFailureReason, type FailedRunnable } from './reason.js';

/**
 * Watches one Mocha run: declares on its first `'fail'` (final in Mocha: an attempt that will be
 * retried emits `'retry'` instead; failing hooks and, in `--parallel`, files that fail to load arrive
 * as `'fail'` too) unless the run cannot fail, and waits for the declaration when the run completes.
 */
export class RunObserver {
  readonly #settings: ReporterSettings;
  readonly #mochaOptions: Record<string, unknown> | undefined;
  readonly #mocha: LoadedMocha | undefined;
  #failureExitCodeOff: boolean | undefined;
  #declaration: Declaration | undefined;

  constructor(settings: ReporterSettings, mochaOptions: Record<string, unknown> | undefined, mocha: LoadedMocha | undefined) {
    this.#settings = settings;
    this.#mochaOptions = mochaOptions;
    this.#mocha = mocha;
  }

  listen(runner: RunnerLike): void {
    runner.on('fail', (runnable: FailedRunnable | undefined, error: unknown) => {
      this.fail(() => buildFailureReason(runnable, error));
    });
  }

  /** The run will exit non-zero because of this failure: declare, once, without waiting. Never throws. */
  fail(reason: () => string): void {
    try {
      const settings = this.#settings;
      if (!settings.enabled || this.#declaration !== undefined) return;
      this.#failureExitCodeOff ??= isFailureExitCodeOff(this.#mochaOptions, this.#mocha);
      if (this.#failureExitCodeOff) return;
      this.#declaration = startDeclaration({ exitStatus: settings.exitStatus, reason: reason(), timeout: settings.timeout });
    } catch {}
  }

  /** At the end of the run: a run that failed without any `'fail'` (e.g. `--fail-zero`) still counts. */
  async finish(failures: number): Promise<void> {
    try {
      if (typeof failures === 'number' && failures > 0) this.fail(() => buildRunFailureReason(failures));
      await this.flush();
    } catch {}
  }

  /** Waits for the declaration, if one started, at most `flushTimeout`, and prints its line. Never rejects. */
  async flush(): Promise<void> {
    await this.#declaration?.flush(this.#settings.flushTimeout);
  }
}
