/**
 * The parts of a `node:test` reporter event that this package reads: `{ type, data }`, as Node's test
 * runner hands them to a custom reporter (an async generator over the run's stream). Node 20, 22 and 24
 * differ in which fields they set (`testId`/`parentId`/`details.type` only on newer ones), so every field
 * is optional and read defensively.
 */
export interface TestEvent {
  readonly type: string;
  readonly data?: TestEventData | null;
}

export interface TestEventData {
  readonly name?: unknown;
  readonly nesting?: unknown;
  /** Absolute path of the test file (on Node 22 without process isolation, missing for a file that fails to load). */
  readonly file?: unknown;
  /** Node 24: ids that link a test to its parent. */
  readonly testId?: unknown;
  readonly parentId?: unknown;
  /** A directive: `true` or its message. */
  readonly todo?: unknown;
  readonly skip?: unknown;
  readonly details?: TestEventDetails | null;
  /** `test:summary`: whether the run (or, with `file`, one file) passed. Node 22+. */
  readonly success?: unknown;
  /** `test:stderr`, `test:diagnostic`. */
  readonly message?: unknown;
  /** `test:diagnostic` on Node 24: `'info'`, `'warn'` or `'error'`. */
  readonly level?: unknown;
}

export interface TestEventDetails {
  /** `test:complete`: whether the test passed. */
  readonly passed?: unknown;
  /** `'test'` or `'suite'` (Node 22+). */
  readonly type?: unknown;
  /** `--test-rerun-failures` (Node 24.7+): which attempt of the rerun loop this run is, from 0. */
  readonly attempt?: unknown;
  readonly error?: unknown;
}
