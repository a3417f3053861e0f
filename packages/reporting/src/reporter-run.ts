import { type Declaration, startDeclaration } from './declaration.js';
import { reportInternalError } from './guard.js';
import { type ReporterSettings, resolveSettings } from './options.js';
import { describeOuterRetries, readOuterRetryCount } from './outer-retries.js';
import { printLine } from './stderr.js';

/** Whether this run can fail at all (e.g. Jest `testFailureExitCode: 0` → false). Asked once, lazily, at the first final failure. */
export interface RunRules {
  readonly canFail?: () => boolean;
}

/** One run of one reporter: the latch, the declaration, the flush and the one line, in one place. */
export interface ReporterRun {
  /** Validated options; `undefined` when the reporter is off (disabled, or an invalid option already said so in one line). */
  readonly settings: ReporterSettings | undefined;
  /** Whether a final failure has been latched (a declaration started, or was withheld by a rule). */
  readonly failed: boolean;
  /** A final failure. The first starts the declaration (`reason()` is called then, once); later calls do nothing. Never throws. */
  fail(reason: () => string): void;
  /** End of run: waits at most `flushTimeout` and prints the one line (or nothing). Idempotent; never rejects. */
  finish(): Promise<void>;
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
 * A run over settings already validated (Mocha's `register` validates them once in `configure()`, then
 * starts a run per Mocha run). `env` is read at the first final failure. Never throws.
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
 * 3. otherwise the declaration starts at once, and the run goes on while it is under way.
 * The latch closes before any rule is asked, so a rule that throws can never lead to a second attempt.
 */
class LatchedRun implements ReporterRun {
  readonly settings: ReporterSettings | undefined;
  readonly #rules: RunRules;
  readonly #env: Environment;
  #failed = false;
  #declaration: Declaration | undefined;
  #withheldLine: string | undefined;
  #finished: Promise<void> | undefined;

  constructor(settings: ReporterSettings | undefined, rules: RunRules, env: Environment) {
    this.settings = settings;
    this.#rules = rules;
    this.#env = env;
  }

  get failed(): boolean {
    return this.#failed;
  }

  fail(reason: () => string): void {
    const settings = this.settings;
    if (settings === undefined || this.#failed) return;
    this.#failed = true;
    try {
      if (this.#rules.canFail?.() === false) return;
      const outerRetries = settings.ignoreOuterRetries ? undefined : readOuterRetryCount(this.#env);
      if (outerRetries !== undefined) {
        if (isPromisingJob(this.#env)) this.#withheldLine = describeOuterRetries(outerRetries);
        return;
      }
      this.#declaration = startDeclaration({ exitStatus: settings.exitStatus, reason: wordReason(reason), timeout: settings.timeout });
    } catch (error) {
      reportInternalError('fail', error);
    }
  }

  finish(): Promise<void> {
    this.#finished ??= this.#flush().catch((error: unknown) => reportInternalError('finish', error));
    return this.#finished;
  }

  async #flush(): Promise<void> {
    if (this.#withheldLine !== undefined) printLine(this.#withheldLine);
    if (this.#declaration !== undefined && this.settings !== undefined) await this.#declaration.flush(this.settings.flushTimeout);
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
 * Whether the core would try to promise here (a Buildkite job, not turned off): the outer-retry line is for
 * jobs, and a reporter outside Buildkite prints nothing. The same test as the core's, without loading it.
 */
function isPromisingJob(env: Environment): boolean {
  if (!env.BUILDKITE_JOB_ID) return false;
  const toggle = env.BUILDKITE_PROMISE_FAILURE?.trim().toLowerCase();
  return toggle !== 'false' && toggle !== '0' && toggle !== 'off';
}
