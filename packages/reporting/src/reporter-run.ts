import { type Declaration, startDeclaration, waitForDeclaration } from './declaration.js';
import { reportInternalError } from './guard.js';
import { type ReporterSettings, resolveSettings } from './options.js';
import { describeOuterRetries, readOuterRetryCount } from './outer-retries.js';
import { printLine, printLineAtExit } from './stderr.js';

/** Whether this run can fail at all (e.g. Jest `testFailureExitCode: 0` → false). Asked once, lazily, at the first final failure. */
export interface RunRules {
  readonly canFail?: () => boolean;
  /**
   * The run is in one of a runner's worker processes, each of which may declare (Jest's environment, Vitest's
   * setup file, Mocha's `register` under `--parallel`). Most of their declarations find one already made, by
   * another worker or earlier in this process: the core is called on this thread, where it answers from its
   * memo or another process's record (a file read) and starts a thread of its own only when it must declare.
   * Otherwise the declaration runs in the kit's worker thread, which loads nothing of the core on this thread
   * but costs a thread each time (declaration.ts).
   */
  readonly inRunnerWorker?: boolean;
}

/** One run of one reporter: the latch, the declaration, the flush and the one line, in one place. */
export interface ReporterRun {
  /** Validated options; `undefined` when the reporter is off (disabled, or an invalid option already said so in one line). */
  readonly settings: ReporterSettings | undefined;
  /** Whether a final failure has been latched (a declaration started, or was withheld by a rule). */
  readonly failed: boolean;
  /** A final failure. The first starts the declaration (`reason()` is called then, once); later calls do nothing. Never throws. */
  fail(reason: () => string): void;
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
  /** The one line has been worded (by `finish()`): the exit listener must not add a second. */
  #said = false;

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
      this.#declaration = startDeclaration({
        exitStatus: settings.exitStatus,
        reason: wordReason(reason),
        timeout: settings.timeout,
        inThisThread: this.#rules.inRunnerWorker === true,
      });
      this.#sayIfTheProcessExitsFirst(this.#declaration);
    } catch (error) {
      reportInternalError('fail', error);
    }
  }

  finish(print: (line: string) => void = printLine): Promise<void> {
    this.#finished ??= this.#flush(print).catch((error: unknown) => reportInternalError('finish', error));
    return this.#finished;
  }

  async #flush(print: (line: string) => void): Promise<void> {
    const line =
      this.#declaration !== undefined && this.settings !== undefined
        ? await waitForDeclaration(this.#declaration, this.settings.flushTimeout)
        : this.#withheldLine;
    this.#said = true;
    if (line !== undefined) print(line);
  }

  /**
   * A test that calls `process.exit()` (or a runner that exits without awaiting its last hook) ends the
   * process while the declaration is under way: the request may never have left. Nothing can wait then, but
   * the user must not be told nothing: one line, written synchronously from the `exit` event.
   */
  #sayIfTheProcessExitsFirst(declaration: Declaration): void {
    const onExit = () => {
      if (!this.#said) printLineAtExit(describeExitBeforeAnswer(declaration.exitStatus));
    };
    process.once('exit', onExit);
    void declaration.settled.then(() => process.off('exit', onExit));
  }
}

/** The line for a process that exits while its declaration is under way. */
export function describeExitBeforeAnswer(exitStatus: number | undefined): string {
  const asked = exitStatus === undefined ? 'the failure' : `exit status ${exitStatus}`;
  return `promise-failure: the process exited before Buildkite answered: ${asked} may not have been promised`;
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
 * The words that turn promise-failure off in `BUILDKITE_PROMISE_FAILURE`: the core's own list (its
 * `offWords`), repeated here because the kit must not load the core before a failure is promised.
 */
const offWords: readonly string[] = ['false', '0', 'off', 'no'];

/**
 * Whether the core would try to promise here (a Buildkite job, not turned off): a line about a promise
 * withheld (outer retries, a rerun attempt) is for jobs, and a reporter outside Buildkite prints nothing.
 */
export function isPromisingJob(env: Environment): boolean {
  if (!env.BUILDKITE_JOB_ID) return false;
  const toggle = env.BUILDKITE_PROMISE_FAILURE?.trim().toLowerCase();
  return toggle === undefined || !offWords.includes(toggle);
}
