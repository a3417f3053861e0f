/** What this package reads of `@promise-failure/core`'s result (its `PromiseFailureResult`). */
export interface DeclarationResult {
  readonly outcome: 'declared' | 'debounced' | 'skipped';
  readonly accepted: boolean;
  readonly exitStatus: number;
  readonly transport?: 'job-api' | 'agent-api';
  readonly upstreamStatus?: number;
  readonly error?: string;
}

export interface DeclarationRequest {
  readonly exitStatus: number | undefined;
  readonly reason: string;
  readonly timeout: number | undefined;
}

/** A declaration under way: settles to the core's result, or to the error that kept it from running. */
export interface Declaration {
  readonly settled: Promise<{ result: DeclarationResult } | { error: unknown }>;
  /** Stop waiting for it (the core lets the process exit; a declaration others share carries on). */
  readonly abandon: () => void;
}

/** The options passed to the core's `promiseFailure`. */
export interface DeclarationCall {
  readonly reason: string;
  readonly exitStatus?: number;
  readonly timeout?: number;
  readonly signal: AbortSignal;
}

export type DeclareFunction = (call: DeclarationCall) => Promise<DeclarationResult>;

/**
 * Starts the declaration without waiting for it. The core is imported here, on the first final failure,
 * so a passing run loads nothing beyond the reporter.
 */
export function startDeclaration(request: DeclarationRequest, declare: DeclareFunction = declareWithCore): Declaration {
  const controller = new AbortController();
  const call: DeclarationCall = {
    reason: request.reason,
    signal: controller.signal,
    ...(request.exitStatus === undefined ? {} : { exitStatus: request.exitStatus }),
    ...(request.timeout === undefined ? {} : { timeout: request.timeout }),
  };
  const settled = Promise.resolve()
    .then(() => declare(call))
    .then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
  return { settled, abandon: () => controller.abort() };
}

async function declareWithCore(call: DeclarationCall): Promise<DeclarationResult> {
  const { promiseFailure } = await import('@promise-failure/core');
  return promiseFailure(call);
}

/**
 * Waits for the declaration at most `flushTimeout` ms and returns the one line to print on stderr, or
 * `undefined` when there is nothing to say (outside Buildkite, or turned off). The timer is a normal
 * one on purpose: an unreferenced timer could let Node exit in the middle of Jest's `onRunComplete`.
 */
export async function waitForDeclaration(declaration: Declaration, flushTimeout: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(resolve, flushTimeout, 'timed out');
  });
  try {
    const settled = await Promise.race([declaration.settled, timedOut]);
    if (settled === 'timed out') {
      declaration.abandon();
      return `promise-failure: could not promise the failure to Buildkite: timed out after ${flushTimeout} ms (flushTimeout); the run ends without it`;
    }
    if ('error' in settled) {
      return `promise-failure: could not promise the failure to Buildkite: ${messageOf(settled.error)}`;
    }
    return describeResult(settled.result);
  } finally {
    clearTimeout(timer);
  }
}

/** Bad environment values are reported by the core as `skipped` with an error naming the variable. */
const badEnvironmentValue = /BUILDKITE_PROMISE_FAILURE_(EXIT_STATUS|TIMEOUT_MS)/;

export function describeResult(result: DeclarationResult): string | undefined {
  if (result.outcome === 'skipped') {
    return result.error !== undefined && badEnvironmentValue.test(result.error)
      ? `promise-failure: did not promise the failure to Buildkite: ${result.error}`
      : undefined;
  }
  const how = result.transport ? `${result.outcome} via ${result.transport}` : result.outcome;
  if (result.accepted) return `promise-failure: promised exit status ${result.exitStatus} to Buildkite (${how})`;
  return `promise-failure: could not promise exit status ${result.exitStatus} to Buildkite (${how}): ${result.error ?? 'no reason given'}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
