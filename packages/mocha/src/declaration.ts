import type { PromiseFailureResult } from '@promise-failure/core';
import type { ResolvedOptions } from './options.js';

const prefix = 'promise-failure:';

/** The one line printed at the end of a run, or `undefined` when there is nothing to say. */
export function describeOutcome(
  outcome: PromiseFailureResult | Error | 'timed-out',
  { exitStatus, flushTimeout }: Pick<ResolvedOptions, 'exitStatus' | 'flushTimeout'>,
): string | undefined {
  const status = exitStatus === undefined ? 'the failure' : `exit status ${exitStatus}`;
  if (outcome === 'timed-out') {
    return `${prefix} could not promise ${status} to Buildkite: timed out after ${flushTimeout} ms (the run's exit code is unchanged)`;
  }
  if (outcome instanceof Error) {
    return `${prefix} could not promise ${status} to Buildkite: ${outcome.message.split('\n')[0]}`;
  }
  if (outcome.outcome === 'skipped') {
    // Outside Buildkite or turned off: silent. A bad environment value is worth a warning.
    const error = outcome.error ?? '';
    return /BUILDKITE_PROMISE_FAILURE_(EXIT_STATUS|TIMEOUT_MS)/.test(error)
      ? `${prefix} did not promise the failure to Buildkite: ${error}`
      : undefined;
  }
  const via = outcome.transport ? ` via ${outcome.transport}` : '';
  if (outcome.accepted) {
    return `${prefix} promised exit status ${outcome.exitStatus} to Buildkite (${outcome.outcome}${via})`;
  }
  const why = outcome.error ?? (outcome.upstreamStatus ? `Buildkite answered ${outcome.upstreamStatus}` : 'not accepted');
  return `${prefix} could not promise exit status ${outcome.exitStatus} to Buildkite: ${why}`;
}

export function warn(message: string): void {
  try {
    process.stderr.write(`${prefix} ${message}\n`);
  } catch {}
}

/**
 * One run's declaration: started on the first final failure without being awaited (the core, and
 * everything it needs, is imported only then), and settled once before Mocha exits, bounded by
 * `flushTimeout`. When that passes, the core's call is aborted so nothing it holds keeps the process alive.
 */
export class FailureDeclaration {
  readonly #options: ResolvedOptions;
  readonly #abort = new AbortController();
  #pending: Promise<PromiseFailureResult | Error> | undefined;
  #settled = false;

  constructor(options: ResolvedOptions) {
    this.#options = options;
  }

  get started(): boolean {
    return this.#pending !== undefined;
  }

  declare(reason: string): void {
    if (this.#pending || !this.#options.enabled) return;
    const { exitStatus, timeout } = this.#options;
    this.#pending = import('@promise-failure/core')
      .then((core) => core.promiseFailure({ exitStatus, reason, timeout, signal: this.#abort.signal }))
      .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  /** Waits for the declaration (at most `flushTimeout` ms) and prints its line. Never rejects. */
  async settle(): Promise<void> {
    if (!this.#pending || this.#settled) return;
    this.#settled = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timedOut = new Promise<'timed-out'>((resolve) => {
        timer = setTimeout(resolve, this.#options.flushTimeout, 'timed-out');
      });
      const outcome = await Promise.race([this.#pending, timedOut]);
      if (outcome === 'timed-out') this.#abort.abort();
      const line = describeOutcome(outcome, this.#options);
      if (line) process.stderr.write(`${line}\n`);
    } catch {
    } finally {
      clearTimeout(timer);
    }
  }
}
