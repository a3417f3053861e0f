import path from 'node:path';
import { firstLine } from '@promise-failure/reporting';
import type { TestEvent, TestEventData } from './events.js';

/**
 * How a Node.js major decides that `node --test` exits non-zero, read in its `lib/internal/test_runner`
 * and checked against recorded runs (`test/recordings/`):
 *
 * - `fail-event` (Node 20): the command sets exit code 1 on every `test:fail` whose `todo` is not set. So a
 *   skipped test that throws anyway fails the run, and so does every failing suite or hook.
 * - `tests` (Node 22): the final `test:summary` decides, counting like `countCompletedTest`: a test that
 *   failed or was cancelled fails the run unless it is skipped or todo; a suite does not count, so a
 *   `describe` whose `after` hook throws, with passing tests, exits 0.
 * - `tests-and-suites` (Node 24): as Node 22, and a failing suite (not todo) fails the run too.
 */
export type FailureSemantics = 'fail-event' | 'tests' | 'tests-and-suites';

/** The semantics of a Node.js version such as `process.versions.node` (`'22.23.5'`) or `'v24.1.0'`. */
export function semanticsOf(version: string): FailureSemantics {
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  if (!(major >= 22)) return 'fail-event';
  return major < 24 ? 'tests' : 'tests-and-suites';
}

/** A final failure: what failed, and the file it is in when known (absolute). */
export interface Failure {
  readonly what: string;
  readonly file: string | undefined;
}

/** `ERR_TEST_FAILURE` as events carry it: the original error in `cause`, how it failed in `failureType`. */
interface TestFailureError {
  readonly message?: unknown;
  readonly failureType?: unknown;
  /** A test file run in its own process (process isolation) that exited non-zero. */
  readonly exitCode?: unknown;
  readonly signal?: unknown;
}

const separator = ' › ';
// Failure types whose message says nothing more than "it failed" (the test's own error stays in Node's output).
const plainFailureTypes = new Set(['testCodeFailure', 'subtestsFailed', 'expectedFailure']);
const errorLine = /^\s*(?:[A-Z]\w*(?:Error|Exception)|Error)(?: \[[A-Z_]+\])?: \S/;

/**
 * The rules that turn a run's events, in the order the reporter receives them, into its final failures.
 * Pure and synchronous: no I/O, no clock.
 *
 * The earliest event for a finished test is `test:complete` (execution order, every supported version);
 * `test:fail` follows in definition order, later when an earlier sibling is still running. Both count, so
 * whichever comes first is used. A failure that the event alone cannot call final (a global `after` hook,
 * final with process isolation but not with `--test-isolation=none` on Node 22 and 24) waits for the run's
 * final `test:summary`, which says whether the run failed.
 */
export class FailureRules {
  readonly #semantics: FailureSemantics;
  readonly #cwd: string;
  #rerun = false;
  /** A failure whose finality only the run's final summary tells. */
  #pending: Failure | undefined;
  /** The first error diagnostic (e.g. coverage under its threshold), for a run that fails without a failed test. */
  #errorDiagnostic: string | undefined;
  /** Per file: the names of the tests running, by nesting, to name a nested test in full. */
  readonly #running = new Map<string, string[]>();
  /** Per file: the last error line its process printed to stderr (a file that fails to load prints its error there). */
  readonly #stderr = new Map<string, string>();

  constructor(semantics: FailureSemantics, cwd: string = process.cwd()) {
    this.#semantics = semantics;
    this.#cwd = cwd;
  }

  /**
   * Whether this run is one attempt of `--test-rerun-failures` (Node 24.7+): its tests carry
   * `details.attempt`, even on the first attempt.
   */
  get rerun(): boolean {
    return this.#rerun;
  }

  /** Feeds one event; returns the final failure it shows, if it shows one. */
  observe(event: TestEvent): Failure | undefined {
    const data: TestEventData = event.data ?? {};
    if (typeof data.details?.attempt === 'number') this.#rerun = true;
    switch (event.type) {
      case 'test:dequeue':
        this.#rememberRunning(data);
        return undefined;
      case 'test:stderr':
        this.#rememberStderr(data);
        return undefined;
      case 'test:diagnostic':
        // An error Node reports outside any test (asynchronous activity after a test ended, coverage under its threshold).
        if (typeof data.message === 'string' && (data.level === 'error' || errorLine.test(data.message))) {
          this.#errorDiagnostic ??= firstLine(data.message);
        }
        return undefined;
      case 'test:complete':
        return data.details?.passed === false ? this.#failed(event.type, data) : undefined;
      case 'test:fail':
        return this.#failed(event.type, data);
      case 'test:summary':
        return this.#summary(data);
      default:
        return undefined;
    }
  }

  #failed(type: string, data: TestEventData): Failure | undefined {
    if (isSet(data.todo)) return undefined;
    if (this.#semantics === 'fail-event') return this.#describe(data);
    if (isSet(data.skip)) return undefined;
    if (data.details?.type === 'suite' && this.#semantics === 'tests') return undefined;
    if (type === 'test:fail' && this.#isGlobalHook(data)) {
      this.#pending ??= this.#describe(data);
      return undefined;
    }
    return this.#describe(data);
  }

  /** Node 22+: the run's final summary (the one without a `file`) says whether the run failed. */
  #summary(data: TestEventData): Failure | undefined {
    if (data.file !== undefined || data.success !== false) return undefined;
    return (
      this.#pending ?? {
        what: this.#errorDiagnostic ? `the run failed: ${this.#errorDiagnostic}` : 'the run failed',
        file: undefined,
      }
    );
  }

  /** A global `after` hook that threw: Node reports it as a `test:fail` named after its file, with no `test:complete`. */
  #isGlobalHook(data: TestEventData): boolean {
    return data.nesting === 0 && failureOf(data)?.failureType === 'hookFailed' && typeof data.file === 'string' && data.name === data.file;
  }

  /** The test file itself, as the parent process reports it under process isolation (or as `--test-isolation=none` reports a file that fails to load). */
  #isFile(data: TestEventData): boolean {
    if (data.nesting !== 0 || typeof data.file !== 'string' || typeof data.name !== 'string') return false;
    return data.name === data.file || path.resolve(this.#cwd, data.name) === data.file;
  }

  #describe(data: TestEventData): Failure {
    const file = typeof data.file === 'string' ? data.file : undefined;
    const error = failureOf(data);
    const message = typeof error?.message === 'string' ? firstLine(error.message) : undefined;
    if (this.#isGlobalHook(data)) return { what: `a global after hook failed${message ? `: ${message}` : ''}`, file };
    if (this.#isFile(data)) {
      const why = (file && this.#stderr.get(file)) ?? describeExit(error) ?? message;
      return { what: `test file failed${why ? `: ${why}` : ''}`, file };
    }
    const name = this.#fullName(data);
    const plain = typeof error?.failureType === 'string' && plainFailureTypes.has(error.failureType);
    return { what: `${name} failed${message && !plain ? `: ${message}` : ''}`, file };
  }

  #fullName(data: TestEventData): string {
    const name = typeof data.name === 'string' && data.name !== '' ? data.name : 'a test';
    const nesting = Number.isInteger(data.nesting) ? (data.nesting as number) : 0;
    const running = this.#running.get(fileKey(data)) ?? [];
    // With concurrent suites in one file the names running at a level may belong to a sibling: a best effort.
    const ancestors = running.slice(0, nesting).filter((ancestor) => ancestor !== '');
    return [...ancestors, name].join(separator);
  }

  #rememberRunning(data: TestEventData): void {
    const { nesting } = data;
    // A sane depth only: the array below is as long as it.
    if (!Number.isInteger(nesting) || (nesting as number) < 0 || (nesting as number) > 1_000 || typeof data.name !== 'string') return;
    if (this.#isFile(data)) return;
    const key = fileKey(data);
    const running = this.#running.get(key) ?? [];
    running.length = Math.min(running.length, nesting as number);
    while (running.length < (nesting as number)) running.push('');
    running.push(data.name);
    this.#running.set(key, running);
  }

  #rememberStderr(data: TestEventData): void {
    if (typeof data.file !== 'string' || typeof data.message !== 'string') return;
    // Node 22 and 24 name the file as it was given (relative), the test events by its absolute path.
    const file = path.resolve(this.#cwd, data.file);
    for (const line of data.message.split('\n')) {
      if (errorLine.test(line)) this.#stderr.set(file, firstLine(line) ?? line);
    }
  }
}

function isSet(directive: unknown): boolean {
  return directive !== undefined && directive !== false && directive !== null;
}

function failureOf(data: TestEventData): TestFailureError | undefined {
  const error = data.details?.error;
  return typeof error === 'object' && error !== null ? (error as TestFailureError) : undefined;
}

function fileKey(data: TestEventData): string {
  return typeof data.file === 'string' ? data.file : '';
}

function describeExit(error: TestFailureError | undefined): string | undefined {
  if (typeof error?.signal === 'string') return `killed by ${error.signal}`;
  if (typeof error?.exitCode === 'number' && error.exitCode !== 0) return `exited with code ${error.exitCode}`;
  return undefined;
}
