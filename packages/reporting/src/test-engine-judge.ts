import { type StopTimer, startTimer } from './clock.js';
import { type FailureSubject, judgeUnderTestEngine, testEngineKey } from './failure-subject.js';
import { reportInternalError } from './guard.js';
import type { TestEngineRun } from './test-engine.js';
import { type MutedTests, readMutedTests } from './test-plan.js';

/** What a run does about its final failures under bktec: promise with this reason, or promise nothing and say why. */
export type TestEngineDecision = { readonly promise: () => string } | { readonly withhold: string };

export interface TestEngineJudgeOptions {
  /** The bktec runner name whose tests this reporter names as bktec does (`jest`, `vitest`, `playwright`). */
  readonly runner: string | undefined;
  /** Bound on reading the plan, ms (the declaration's own `timeout`). */
  readonly timeout: number;
  /**
   * The run is one of a runner's worker processes, which sees only its own files: a failure outside a test is
   * left to the main process's reporter, the one that sees whether any muted test failed in the whole run.
   */
  readonly inRunnerWorker: boolean;
}

const promised = 'promise-failure: did not promise the failure to Buildkite';
const bktecPromises = "bktec's own --promise-failure (BUILDKITE_TEST_ENGINE_PROMISE_FAILURE=true) promises after its run";

/**
 * Under Buildkite Test Engine's client (bktec), a failed test that the plan mutes does not fail the job, so it
 * must not be promised: bktec would pass the job and our promise would have turned it red for good. This reads
 * the plan's muted tests at the first final failure that needs them (a passing run reads nothing), judges each
 * final failure in the order they came, and decides once: `promise` for the first failure that fails the job
 * whatever else happens, or `withhold` with the line that says why nothing was promised. Where the answer cannot
 * be known (the plan unreadable, a test that cannot be matched), nothing is promised: a promise that may be
 * false is worse than one that comes at the job's end, from bktec itself.
 */
export class TestEngineJudge {
  readonly #testEngine: TestEngineRun;
  readonly #options: TestEngineJudgeOptions;
  readonly #decide: (decision: TestEngineDecision) => void;
  #decided = false;
  /** Failures judged in arrival order, each once the plan is in. */
  #queue: Promise<void> = Promise.resolve();
  #waiting = 0;
  /** The muted tests that failed (a runner may report one test's failure twice: its test, then its file). */
  readonly #mutedFailures = new Set<string>();
  /** The first failure outside a test, while the plan mutes tests: decided at the run's end. */
  #notATest: (() => string) | undefined;

  constructor(testEngine: TestEngineRun, options: TestEngineJudgeOptions, decide: (decision: TestEngineDecision) => void) {
    this.#testEngine = testEngine;
    this.#options = options;
    this.#decide = decide;
  }

  /** A final failure. Never throws; decides at most once in all. */
  judge(reason: () => string, subject: FailureSubject): void {
    if (this.#decided) return;
    const plan = this.#testEngine.plan;
    if (subject.kind === 'file') {
      this.#settle({ promise: reason });
    } else if ('problem' in plan) {
      this.#settle({ withhold: describeUnreadablePlan(plan.problem) });
    } else {
      const read = readMutedTests(plan, this.#options.timeout);
      this.#waiting += 1;
      this.#queue = this.#queue.then(async () => {
        try {
          this.#weigh(reason, subject, await read);
        } catch (error) {
          reportInternalError('judge', error);
        } finally {
          this.#waiting -= 1;
        }
      });
    }
  }

  #weigh(reason: () => string, subject: FailureSubject, muted: MutedTests): void {
    if (this.#decided) return;
    if (!muted.ok) {
      this.#settle({ withhold: describeUnreadablePlan(muted.problem) });
      return;
    }
    const runnerMatches = this.#options.runner !== undefined && this.#options.runner === this.#testEngine.runner;
    const verdict = judgeUnderTestEngine(subject, muted.identifiers, runnerMatches);
    if (verdict === 'promise') this.#settle({ promise: reason });
    else if (verdict === 'unmatched') this.#settle({ withhold: describeUnmatched(this.#testEngine.runner) });
    else if (verdict === 'not-a-test') this.#notATest ??= reason;
    else if (subject.kind === 'test' && subject.testEngine !== undefined) this.#mutedFailures.add(testEngineKey(subject.testEngine));
  }

  /**
   * The run's end: waits at most `ms` for the failures still being judged, then decides what is left. Resolves
   * once `decide` has been called for anything that needs a decision (or nothing does).
   */
  async finish(ms: number): Promise<void> {
    if (this.#decided) return;
    if (this.#waiting > 0) {
      // clock.ts's timer: fake timers a test left installed cannot stop it.
      let stopTimer: StopTimer | undefined;
      const timedOut = new Promise<void>((resolve) => {
        stopTimer = startTimer(ms, resolve, { keepAlive: true });
      });
      await Promise.race([this.#queue, timedOut]).finally(() => stopTimer?.());
      if (this.#decided) return;
      if (this.#waiting > 0) {
        this.#settle({ withhold: describePlanTimeout(ms) });
        return;
      }
    }
    if (this.#options.inRunnerWorker) return;
    const muted = this.#mutedFailures.size;
    if (this.#notATest !== undefined) this.#settle(muted > 0 ? { withhold: describeForgiven(muted) } : { promise: this.#notATest });
    else if (muted > 0) this.#settle({ withhold: describeMutedOnly(muted) });
  }

  #settle(decision: TestEngineDecision): void {
    if (this.#decided) return;
    this.#decided = true;
    this.#decide(decision);
  }
}

function describeUnreadablePlan(problem: string): string {
  return (
    `${promised}: under Buildkite Test Engine's client (bktec) a failing test may be muted, and its test plan could not be read ` +
    `(${problem}); ${bktecPromises}`
  );
}

function describeUnmatched(runner: string): string {
  return (
    `${promised}: bktec's test plan mutes tests, and this runner's failures cannot be matched to them ` +
    `(BUILDKITE_TEST_ENGINE_TEST_RUNNER=${runner}); ${bktecPromises}`
  );
}

function describePlanTimeout(ms: number): string {
  return `${promised}: Buildkite Test Engine's test plan did not answer within ${ms} ms (flushTimeout), so muted tests could not be told apart; ${bktecPromises}`;
}

function describeMutedOnly(count: number): string {
  const tests = count === 1 ? 'the failing test is' : `the ${count} failing tests are`;
  return `${promised}: ${tests} muted in Buildkite Test Engine's test plan, and bktec passes a job whose only failing tests are muted`;
}

function describeForgiven(count: number): string {
  return (
    `${promised}: the failures outside tests came in a run whose only failing tests are muted (${count}), ` + 'and bktec passes such a job'
  );
}
