import { FailureDeclaration } from './declaration.js';
import { isFailureExitCodeOff, type LoadedMocha, type RunnerLike } from './mocha-internals.js';
import type { ResolvedOptions } from './options.js';
import { buildFailureReason, buildRunFailureReason, type FailedRunnable } from './reason.js';

/**
 * Watches one Mocha run: declares on its first `'fail'` (final in Mocha: an attempt that will be
 * retried emits `'retry'` instead; failing hooks and, in `--parallel`, files that fail to load arrive
 * as `'fail'` too) unless the run cannot fail, and settles the declaration when the run completes.
 */
export class RunObserver {
  readonly declaration: FailureDeclaration;
  readonly #options: ResolvedOptions;
  readonly #mochaOptions: Record<string, unknown> | undefined;
  readonly #mocha: LoadedMocha | undefined;
  #failureExitCodeOff: boolean | undefined;

  constructor(options: ResolvedOptions, mochaOptions: Record<string, unknown> | undefined, mocha: LoadedMocha | undefined) {
    this.#options = options;
    this.#mochaOptions = mochaOptions;
    this.#mocha = mocha;
    this.declaration = new FailureDeclaration(options);
  }

  listen(runner: RunnerLike): void {
    runner.on('fail', (runnable: FailedRunnable | undefined, error: unknown) => {
      this.fail(() => buildFailureReason(runnable, error));
    });
  }

  /** The run will exit non-zero because of this failure: declare, once, without waiting. Never throws. */
  fail(reason: () => string): void {
    try {
      if (!this.#options.enabled || this.declaration.started) return;
      this.#failureExitCodeOff ??= isFailureExitCodeOff(this.#mochaOptions, this.#mocha);
      if (this.#failureExitCodeOff) return;
      this.declaration.declare(reason());
    } catch {}
  }

  /** At the end of the run: a run that failed without any `'fail'` (e.g. `--fail-zero`) still counts. */
  async finish(failures: number): Promise<void> {
    try {
      if (typeof failures === 'number' && failures > 0) this.fail(() => buildRunFailureReason(failures));
      await this.declaration.settle();
    } catch {}
  }
}
