import type { TestEngineTest } from '@promise-failure/testkit';

/*
 * What every reporter's end-to-end test under Buildkite Test Engine's client (bktec) checks, in one place: the
 * lines a run prints when it promised nothing because of muted tests, and the job's variables that bktec sets.
 */

/** A run whose only failing tests are muted: nothing promised, and one line saying so. */
export function mutedOnlyLine(count: number): string {
  const tests = count === 1 ? 'the failing test is' : `the ${count} failing tests are`;
  return `promise-failure: did not promise the failure to Buildkite: ${tests} muted in Buildkite Test Engine's test plan, and bktec passes a job whose only failing tests are muted`;
}

/** The plan could not be read: nothing promised, one line that says why (never with the token). */
export const unreadablePlanLine =
  /^promise-failure: did not promise the failure to Buildkite: under Buildkite Test Engine's client \(bktec\) a failing test may be muted, and its test plan could not be read \((.+)\); bktec's own --promise-failure \(BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true\) promises after its run$/;

/** The plan did not answer before the run's end. */
export const planTimeoutLine =
  /^promise-failure: did not promise the failure to Buildkite: Buildkite Test Engine's test plan did not answer within \d+ ms \(flushTimeout\), so muted tests could not be told apart; bktec's own --promise-failure/;

/** Two tests muted in the plan, as Test Engine names them (scope and name): the fixtures' `muted` tests. */
export function mutedTests(scopePrefix = ''): TestEngineTest[] {
  return [
    { scope: `${scopePrefix}checkout payment`, name: 'is flaky' },
    { scope: scopePrefix.trimEnd(), name: 'times out sometimes' },
  ];
}
