import { ErrorCode, oneLine, type PromiseFailureError } from './errors.js';
import type { Redactor } from './redact.js';
import type { PromiseFailureResult, Transport } from './types.js';

/**
 * What one declaration came to: the core's one outcome shape. It is the public result as the call that
 * ran the declaration sees it, plus whether it is final. The transports build it, the claim records it
 * and reads it back (`claim/record.ts`), and each caller gets it as a `PromiseFailureResult`
 * (`resultFor` in `promise-failure.ts`): the only conversions are at those edges.
 */
export interface Outcome extends PromiseFailureResult {
  /** Never `skipped`: a skipped call has no declaration. */
  outcome: 'declared' | 'debounced';
  /**
   * Buildkite would answer the same again (accepted, or a refusal that will not change): kept in this
   * process and recorded for the job's other processes. A transient outcome is neither, so the next
   * call tries again.
   */
  final: boolean;
}

/**
 * A declaration that failed with `problem`: not accepted, its message (redacted, on one line) as the
 * error and its code as the code. Final only for a refusal Buildkite would repeat, unless `final` says.
 */
export function failedOutcome(
  exitStatus: number,
  problem: PromiseFailureError,
  redact: Redactor,
  how: { outcome?: Outcome['outcome']; transport?: Transport | undefined; final?: boolean } = {},
): Outcome {
  const outcome: Outcome = {
    outcome: how.outcome ?? 'declared',
    accepted: false,
    exitStatus,
    error: redact(oneLine(problem.message)),
    code: problem.code,
    final: how.final ?? problem.code === ErrorCode.Refused,
  };
  if (how.transport !== undefined) outcome.transport = how.transport;
  if (problem.upstreamStatus !== undefined) outcome.upstreamStatus = problem.upstreamStatus;
  return outcome;
}
