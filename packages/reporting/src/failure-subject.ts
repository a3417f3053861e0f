/**
 * What a final failure was, as far as Buildkite Test Engine's muting can tell failures apart. bktec forgives a
 * run (exits 0 where the runner exited 1) when every failed test in its report is muted and no test file
 * failed as a whole (its `OnlyMutedFailures`, with a file that has no test results counted as an error):
 *
 * - `test`: a test's last attempt failed. Forgiven when muted; `testEngine` is the test as bktec names it
 *   (scope and name, built per runner as bktec's report parser builds them), absent when the runner is not one
 *   bktec names this way.
 * - `file`: a test file failed to load or run as a whole (no test results): bktec never forgives it.
 * - `other`: a failure that is not a test's (a hook, an unhandled error, obsolete snapshots). bktec sees no
 *   failed test for it, so it is forgiven exactly when the run's failed tests are all muted (and at least one
 *   is): certain only at the run's end, or at once when the plan mutes nothing.
 */
export type FailureSubject =
  | { readonly kind: 'test'; readonly testEngine?: TestEngineTest }
  | { readonly kind: 'file' }
  | { readonly kind: 'other' };

/** A test as bktec and Buildkite's test collectors name it. */
export interface TestEngineTest {
  readonly scope: string;
  readonly name: string;
}

/** bktec's key for a test (`mutedTestIdentifier`): its scope, `/`, its name. */
export function testEngineKey(test: TestEngineTest): string {
  return `${test.scope}/${test.name}`;
}

/**
 * How a final failure counts under bktec, given the plan's muted tests (`scope/name` keys):
 * - `promise`: it fails the job whatever else happens;
 * - `muted`: a muted test: no reason to promise;
 * - `unmatched`: a test that cannot be matched against a plan that mutes some (its runner is not the one bktec
 *   runs, or names tests another way): it may be muted, so it is no reason to promise either;
 * - `not-a-test`: see `other` above: certain only if no muted test fails in the whole run.
 */
export type TestEngineVerdict = 'promise' | 'muted' | 'unmatched' | 'not-a-test';

export function judgeUnderTestEngine(subject: FailureSubject, muted: ReadonlySet<string>, runnerMatches: boolean): TestEngineVerdict {
  if (muted.size === 0 || subject.kind === 'file') return 'promise';
  if (subject.kind === 'other') return 'not-a-test';
  if (subject.testEngine === undefined || !runnerMatches) return 'unmatched';
  return muted.has(testEngineKey(subject.testEngine)) ? 'muted' : 'promise';
}
