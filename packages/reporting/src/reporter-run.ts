import { isValidTimeout, offWords } from './core-rules.js';
import { type Declaration, startDeclaration, waitForDeclaration } from './declaration.js';
import { type OwedLine, oweLineAtExit } from './exit-line.js';
import type { FailureSubject } from './failure-subject.js';
import { chargedWait, flushAllowance } from './flush-budget.js';
import { reportInternalError } from './guard.js';
import { type ReporterSettings, resolveSettings } from './options.js';
import { describeOuterRetries, outerRetryVariable, readOuterRetryCount } from './outer-retries.js';
import { printLine } from './stderr.js';
import { readTestEngineRun } from './test-engine.js';
import { type TestEngineDecision, TestEngineJudge } from './test-engine-judge.js';

/** Whether this run can fail at all (e.g. Jest `testFailureExitCode: 0` → false). Asked once, lazily, at the first final failure. */
export interface RunRules {
  readonly canFail?: () => boolean;
  /**
   * The run is in one of a runner's worker processes, each of which may declare (Jest's environment, Vitest's
   * setup file, Mocha's `register` under `--parallel`). Only the judge of bktec's muted tests reads it: a worker
   * sees only its own files, so a failure outside a test is left to the main process's reporter, which sees
   * whether any muted test failed in the whole run (test-engine-judge.ts). Where the declaration runs is the
   * core's to decide, from any thread (declaration.ts).
   */
  readonly inRunnerWorker?: boolean;
  /**
   * The Buildkite Test Engine client's (bktec) name for this runner (`jest`, `vitest`, `playwright`) when the
   * reporter passes each failed test's bktec scope and name to `fail()`: under bktec with that runner, a failure
   * of a muted test is then told apart. Absent for runners bktec does not name this way.
   */
  readonly testEngineRunner?: string;
}

/** One run of one reporter: the latch, the declaration, the flush and the one line, in one place. */
export interface ReporterRun {
  /** Validated options; `undefined` when the reporter is off (disabled, or an invalid option already said so in one line). */
  readonly settings: ReporterSettings | undefined;
  /** Whether a final failure has been latched (a declaration started, or was withheld by a rule). */
  readonly failed: boolean;
  /**
   * A final failure. The first that fails the job starts the declaration (`reason()` is called then, once);
   * later calls do nothing. `subject` says what failed (default: a test bktec cannot match), which matters only
   * under Buildkite Test Engine's client, where a muted test's failure is no reason to promise. Never throws.
   */
  fail(reason: () => string, subject?: FailureSubject): void;
  /**
   * End of run: waits at most `flushTimeout` and prints the one line (or nothing). Idempotent; never rejects.
   * `print` is where the line goes, on the first call only (default: stderr at once); Jest's reporter prints
   * it after Jest's own summary.
   */
  finish(print?: (line: string) => void): Promise<void>;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Called in a reporter's constructor: validates `options` (an invalid one turns the reporter off with one
 * line naming it) and returns the run that the reporter's hooks feed. `packageName` is e.g.
 * `'@promise-failure/jest'`. Never throws.
 *
 * A reporter is then an adapter: it turns its runner's events into `run.fail(() => reason)` on each final
 * failure, and awaits `run.finish()` in the hook the runner awaits before it exits.
 */
export function startReporterRun(packageName: string, options: unknown, rules?: RunRules): ReporterRun {
  let settings: ReporterSettings | undefined;
  try {
    settings = resolveSettings(packageName, options);
  } catch (error) {
    reportInternalError('startReporterRun', error);
  }
  return createReporterRun(settings, rules);
}

/**
 * A run over settings validated elsewhere (`resolveReporterOptions`), e.g. by a reporter that must check its
 * options before it knows whether it will run. Settings with `enabled: false` make a run that is off. `env` is
 * read at the first final failure. Never throws.
 */
export function createReporterRun(
  settings: ReporterSettings | undefined,
  rules: RunRules = {},
  env: Environment = process.env,
): ReporterRun {
  return new LatchedRun(settings, rules, env);
}

/**
 * The rules, in the order they apply at the first final failure:
 * 1. a run that cannot fail (its failure exit code is turned off) promises nothing and says nothing;
 * 2. under outer retries (`BUILDKITE_TEST_ENGINE_RETRY_COUNT`, unless `ignoreOuterRetries`) nothing is
 *    promised and `finish()` says why, in a Buildkite job that has not turned promise-failure off;
 * 3. under Buildkite Test Engine's client (bktec), each final failure is judged against the plan's muted tests
 *    (test-engine-judge.ts): the first that fails the job whatever else happens is promised; a muted test's
 *    failure is not, and where the answer cannot be known nothing is promised and `finish()` says why;
 * 4. otherwise the declaration starts at once, and the run goes on while it is under way.
 * The latch closes before a declaration starts or a line is decided, and the rules are asked once: a rule that
 * throws can never lead to a second attempt.
 */
class LatchedRun implements ReporterRun {
  readonly settings: ReporterSettings | undefined;
  readonly #rules: RunRules;
  readonly #env: Environment;
  #failed = false;
  /** The rules have been asked (at the first final failure). */
  #ruled = false;
  #judge: TestEngineJudge | undefined;
  #declaration: Declaration | undefined;
  #withheldLine: string | undefined;
  #finished: Promise<void> | undefined;
  /** The line this run owes if the process exits before `finish()` has worded it (exit-line.ts). */
  #owedLine: OwedLine | undefined;

  constructor(settings: ReporterSettings | undefined, rules: RunRules, env: Environment) {
    this.settings = settings;
    this.#rules = rules;
    this.#env = env;
  }

  get failed(): boolean {
    return this.#failed;
  }

  fail(reason: () => string, subject: FailureSubject = { kind: 'test' }): void {
    const settings = this.settings;
    if (settings === undefined || this.#failed) return;
    try {
      if (!this.#ruled) {
        this.#ruled = true;
        if (!this.#askRules(settings)) return;
      }
      if (this.#judge !== undefined) this.#judge.judge(reason, subject);
      else this.#declare(reason);
    } catch (error) {
      this.#failed = true;
      reportInternalError('fail', error);
    }
  }

  /** The rules that hold for the whole run, asked once. `false`: nothing will be promised (the latch is closed). */
  #askRules(settings: ReporterSettings): boolean {
    if (this.#rules.canFail?.() === false) {
      this.#failed = true;
      return false;
    }
    const outerRetries = settings.ignoreOuterRetries ? undefined : readOuterRetryCount(this.#env);
    if (outerRetries !== undefined) {
      this.#failed = true;
      if (isPromisingJob(this.#env)) this.#withheldLine = describeOuterRetries(this.#env[outerRetryVariable] ?? '');
      return false;
    }
    const testEngine = isPromisingJob(this.#env) ? readTestEngineRun(this.#env) : undefined;
    if (testEngine !== undefined) {
      this.#judge = new TestEngineJudge(
        testEngine,
        {
          runner: this.#rules.testEngineRunner,
          timeout: settings.timeout ?? readTimeoutVariable(this.#env),
          inRunnerWorker: this.#rules.inRunnerWorker === true,
        },
        (decision) => this.#follow(decision),
      );
    }
    return true;
  }

  #follow(decision: TestEngineDecision): void {
    if (this.#failed) return;
    if ('withhold' in decision) {
      this.#failed = true;
      this.#withheldLine = decision.withhold;
    } else {
      this.#declare(decision.promise);
    }
  }

  #declare(reason: () => string): void {
    const settings = this.settings;
    if (settings === undefined || this.#failed) return;
    this.#failed = true;
    this.#declaration = startDeclaration({
      exitStatus: settings.exitStatus,
      reason: wordReason(reason),
      timeout: settings.timeout,
    });
    this.#sayIfTheProcessExitsFirst(this.#declaration, settings.flushTimeout);
  }

  finish(print: (line: string) => void = printLine): Promise<void> {
    this.#finished ??= this.#flush(print).catch((error: unknown) => reportInternalError('finish', error));
    return this.#finished;
  }

  async #flush(print: (line: string) => void): Promise<void> {
    const flushTimeout = this.settings?.flushTimeout ?? 0;
    // Failures still being judged against bktec's muted tests draw on the same one wait as the declaration
    // (flush-budget.ts): the process's budget, and the run's window under Vitest.
    const judge = this.#judge;
    if (judge !== undefined && !this.#failed) await chargedWait(() => judge.finish(flushAllowance(flushTimeout)));
    const line =
      this.#declaration !== undefined && this.settings !== undefined
        ? await waitForDeclaration(this.#declaration, this.settings.flushTimeout)
        : this.#withheldLine;
    this.#owedLine?.paid();
    if (line !== undefined) print(line);
  }

  /**
   * A test that calls `process.exit()` (or a runner that exits without awaiting its last hook) ends the
   * process while the declaration may be under way. Nothing can wait then, but the user must not be told
   * nothing, nor something untrue: the process's one line at exit says what Buildkite answered, if this
   * process or the lock directory knows it (exit-line.ts).
   */
  #sayIfTheProcessExitsFirst(declaration: Declaration, flushTimeout: number): void {
    const owed = oweLineAtExit({
      exitStatus: declaration.exitStatus,
      flushTimeout,
      env: this.#env,
      promising: isPromisingJob(this.#env),
    });
    this.#owedLine = owed;
    void declaration.settled.then((settled) => owed.answer(settled));
  }
}

/** The failure is final whatever its wording: a reason that cannot be worded still declares, with a plain one. */
function wordReason(reason: () => string): string {
  try {
    const worded = reason();
    if (typeof worded === 'string' && worded !== '') return worded;
  } catch (error) {
    reportInternalError('reason', error);
  }
  return 'a test failed';
}

/**
 * Whether the core would try to promise here (a Buildkite job, not turned off): a line about a promise
 * withheld (outer retries, a rerun attempt) is for jobs, and a reporter outside Buildkite prints nothing.
 */
export function isPromisingJob(env: Environment): boolean {
  if (!env.BUILDKITE_JOB_ID) return false;
  const toggle = env.BUILDKITE_PROMISE_FAILURE?.trim().toLowerCase();
  return toggle === undefined || !offWords.includes(toggle);
}

/**
 * `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS` by the core's rule, else the core's default of 60 s (a bad value makes
 * the core skip, and says so; here it only bounds reading bktec's plan).
 */
function readTimeoutVariable(env: Environment): number {
  const value = env.BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS?.trim();
  const parsed = value !== undefined && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  return isValidTimeout(parsed) ? parsed : 60_000;
}
