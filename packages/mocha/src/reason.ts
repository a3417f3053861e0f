import { firstLine, formatReason } from '@promise-failure/reporting';

/** What Mocha hands to `'fail'`: a test, a hook, or (in `--parallel`) a plain object replayed from a worker. */
export interface FailedRunnable {
  title?: string;
  file?: string;
  type?: string;
  fullTitle?: () => string;
  titlePath?: () => string[];
}

const separator = ' › ';

/** The first line of an error's message, short enough for a reason. */
export function errorSummary(error: unknown): string {
  const message =
    error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
      ? String((error as { message: unknown }).message)
      : String(error);
  return firstLine(message) ?? '';
}

/**
 * The file an error points at when Mocha does not say (a file that fails to load): the first absolute
 * path in its stack outside `node_modules` and Node's internals.
 */
export function fileFromError(error: unknown): string | undefined {
  const stack = typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
  if (typeof stack !== 'string') return undefined;
  for (const match of stack.matchAll(/(?:^|[\s(])(?:file:\/\/)?(\/[^\s:()'"]+):\d+/gm)) {
    const file = match[1]!;
    if (!file.includes('/node_modules/')) return file;
  }
  return undefined;
}

/**
 * `mocha: login › rejects bad password failed (test/login.spec.js)`; for a hook its title
 * (`login › "before all" hook for "x"`); for an error outside any test, the error and its file.
 */
export function buildFailureReason(runnable: FailedRunnable | undefined, error: unknown, cwd = process.cwd()): string {
  let titles: string[] = [];
  try {
    titles = runnable?.titlePath?.() ?? [];
  } catch {
    // A runnable replayed from a `--parallel` worker may lack a working titlePath: try the next name.
  }
  if (titles.length === 0) {
    try {
      const full = runnable?.fullTitle?.();
      if (full) titles = [full];
    } catch {
      // Likewise: fall back to the plain title.
    }
  }
  if (titles.length === 0 && runnable?.title) titles = [runnable.title];
  const name = titles.filter((title) => title !== '').join(separator);
  const file = runnable?.file ?? undefined;

  if (runnable?.type !== 'hook' && (name === '' || /^uncaught error outside test suite$/i.test(name))) {
    const summary = errorSummary(error);
    return formatReason('mocha', `${name || 'uncaught error'}${summary ? `: ${summary}` : ''}`, file ?? fileFromError(error), cwd);
  }
  return formatReason('mocha', `${name} failed`, file, cwd);
}

/** A test file that throws while Mocha loads it (serial mode: Mocha exits 1 before any test runs). */
export function buildLoadFailureReason(error: unknown, cwd = process.cwd()): string {
  const summary = errorSummary(error);
  return formatReason('mocha', `test files failed to load${summary ? `: ${summary}` : ''}`, fileFromError(error), cwd);
}

/** When the run failed without a `'fail'` event (e.g. `--fail-zero`). */
export function buildRunFailureReason(failures: number): string {
  return formatReason('mocha', `the run failed (${failures} ${failures === 1 ? 'failure' : 'failures'})`);
}
