import type { DeclarationResult } from './agent-api-client.js';

/** The Job API's 200 answer to `POST /api/current-job/v0/promise-failure`. */
export interface JobApiPromiseFailureAnswer {
  outcome: 'declared' | 'debounced';
  accepted: boolean;
  upstream_status?: number;
  error?: string;
}

/** Declares an exit status upstream (to the Agent API), retrying as the agent does. */
export type Declarer = (exitStatus: number, reason: string) => Promise<DeclarationResult>;

/**
 * The agent's promise-failure coordinator (`jobapi/promise_failure.go`), keyed on the exit status only, so the
 * first caller's reason wins.
 *
 * The first caller for an exit status declares it upstream and blocks until Buildkite answers; concurrent
 * callers wait for that same declaration and share its result (`debounced`). A success or a terminal failure
 * (4xx other than 429) stays cached, so later callers are answered without another upstream request, which is
 * the load this exists to save. A transient failure is evicted once it has settled: the callers that waited on
 * it still see it, but the next caller declares afresh.
 */
export class PromiseFailureCoordinator {
  private readonly entries = new Map<number, Promise<DeclarationResult>>();

  constructor(private readonly declare: Declarer) {}

  async declarePromiseFailure(exitStatus: number, reason: string): Promise<JobApiPromiseFailureAnswer> {
    const existing = this.entries.get(exitStatus);
    if (existing !== undefined) return toAnswer('debounced', await existing);

    const declaration: Promise<DeclarationResult> = this.declare(exitStatus, reason)
      .catch(
        (error: unknown): DeclarationResult => ({
          accepted: false,
          terminal: false,
          error: `declaring promised failure failed: ${(error as Error).message}`,
        }),
      )
      .then((result) => {
        // Evicted in the same step that settles it, so no caller can arrive in between and share a stale
        // transient failure.
        if (!result.accepted && !result.terminal) this.entries.delete(exitStatus);
        return result;
      });
    this.entries.set(exitStatus, declaration);
    const result = await declaration;
    return toAnswer('declared', result);
  }
}

function toAnswer(outcome: 'declared' | 'debounced', result: DeclarationResult): JobApiPromiseFailureAnswer {
  return {
    outcome,
    accepted: result.accepted,
    ...(result.upstreamStatus === undefined ? {} : { upstream_status: result.upstreamStatus }),
    ...(result.accepted || result.error === undefined ? {} : { error: result.error }),
  };
}
