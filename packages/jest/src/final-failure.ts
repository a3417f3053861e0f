/*
 * When is a failed test in jest-circus final? Read from jest-circus's `run.ts` (29.7 and 30.x):
 * - every attempt dispatches `test_start` (which counts `test.invocations`) and `test_done`; a `test_done`
 *   with `test.errors` is a failed attempt (`test.failing` is already applied: a `failing` test that throws
 *   ends without errors, one that passes ends with one);
 * - `jest.retryTimes(n)` stores `n` on the test file's global under `Symbol.for('RETRY_TIMES')`, and
 *   circus reads it once per `describe` block, after the block's `beforeAll` hooks; a failed test is then run
 *   again until it passes or has had `n + 1` attempts, at the end of its block or at once
 *   (`retryImmediately`, Jest 30): either way another `test_done` follows;
 * - Jest 30's `jest.retryTimes(n, { entireDescribe: true })` re-runs a whole `describe` block instead
 *   (`state.describeRetryOptions`), clearing its tests' errors.
 * So a failed attempt is final when the test has had more attempts than the largest retry count that can be
 * in force, and no enclosing block retries as a whole (the reporter catches those at the file's end). The rule
 * may wait longer than circus (e.g. no retry follows an error from a `beforeAll`), never less.
 */

/** The parts of a jest-circus test this rule reads. */
export interface CircusTest {
  readonly name?: unknown;
  readonly errors?: readonly unknown[];
  readonly invocations?: unknown;
  readonly parent?: CircusDescribeBlock;
}

export interface CircusDescribeBlock {
  readonly name?: unknown;
  readonly parent?: CircusDescribeBlock;
}

/** The parts of a jest-circus event this rule reads. */
export interface CircusEvent {
  readonly name?: unknown;
  readonly test?: CircusTest;
  readonly describeBlock?: CircusDescribeBlock;
  readonly hook?: { readonly type?: unknown };
}

/** The parts of jest-circus's state this rule reads (Jest 30 only). */
export interface CircusState {
  readonly describeRetryOptions?: { get(block: object): unknown };
}

/** jest-circus's key for `jest.retryTimes` on the test file's global. */
export const retryTimesKey = Symbol.for('RETRY_TIMES');

/** jest-circus's name of the block that holds a file's top-level tests. */
const rootBlockName = 'ROOT_DESCRIBE_BLOCK';

/**
 * Follows one test file's events and says which `test_done` is a final failure. `readRetryTimes` reads the
 * file's global as circus does (`parseInt(global[Symbol.for('RETRY_TIMES')], 10) || 0`).
 */
export class FinalFailureWatch {
  readonly #readRetryTimes: () => number;
  /** The largest retry count seen in force for each block when circus read it (after its `beforeAll` hooks). */
  readonly #retryTimes = new WeakMap<object, number>();

  constructor(readRetryTimes: () => number) {
    this.#readRetryTimes = readRetryTimes;
  }

  /** The failed test when `event` is its final failure, else `undefined`. */
  observe(event: CircusEvent, state: CircusState | undefined): CircusTest | undefined {
    switch (event.name) {
      case 'run_describe_start':
        if (event.describeBlock) this.#retryTimes.set(event.describeBlock, this.#readRetryTimes());
        return undefined;
      case 'hook_success':
      case 'hook_failure':
        if (event.hook?.type === 'beforeAll' && event.describeBlock) this.#sample(event.describeBlock);
        return undefined;
      case 'test_done':
        return event.test && this.#isFinalFailure(event.test, state) ? event.test : undefined;
      default:
        return undefined;
    }
  }

  #sample(block: object): void {
    this.#retryTimes.set(block, Math.max(this.#retryTimes.get(block) ?? 0, this.#readRetryTimes()));
  }

  #isFinalFailure(test: CircusTest, state: CircusState | undefined): boolean {
    if (!Array.isArray(test.errors) || test.errors.length === 0) return false;
    for (let block = test.parent; block; block = block.parent) {
      if (state?.describeRetryOptions?.get(block) !== undefined) return false;
    }
    const inForce = Math.max(test.parent ? (this.#retryTimes.get(test.parent) ?? 0) : 0, this.#readRetryTimes());
    const attempts = typeof test.invocations === 'number' ? test.invocations : 1;
    return attempts > inForce;
  }
}

/** As circus reads it: `parseInt(value, 10) || 0`. */
export function parseRetryTimes(value: unknown): number {
  return Number.parseInt(String(value), 10) || 0;
}

/** The test's full name as Jest prints it: its blocks' names and its own, joined by ` › `. */
export function fullTestName(test: CircusTest): string {
  const names: string[] = [String(test.name)];
  for (let block = test.parent; block && block.name !== rootBlockName; block = block.parent) names.unshift(String(block.name));
  return names.join(' › ');
}

/**
 * The test as bktec names it from Jest's JSON report (`ancestorTitles` joined by spaces, and `title`): the same
 * test `fullTestName` names for people.
 */
export function testEngineName(test: CircusTest): { scope: string; name: string } {
  const blocks: string[] = [];
  for (let block = test.parent; block && block.name !== rootBlockName; block = block.parent) blocks.unshift(String(block.name));
  return { scope: blocks.join(' '), name: String(test.name) };
}
