import path from 'node:path';

/** What Mocha hands to `'fail'`: a test, a hook, or (in `--parallel`) a plain object replayed from a worker. */
export interface FailedRunnable {
  title?: string;
  file?: string;
  type?: string;
  fullTitle?: () => string;
  titlePath?: () => string[];
}

const separator = ' › ';

/** `test/login.spec.js`, relative to `cwd`, with forward slashes. */
export function relativeFile(file: string, cwd: string): string {
  const absolute = file.startsWith('file://') ? new URL(file).pathname : file;
  return path.relative(cwd, path.resolve(cwd, absolute)).split(path.sep).join('/');
}

/** The first line of an error's message, short enough for a reason. */
export function errorSummary(error: unknown): string {
  const message =
    error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
      ? String((error as { message: unknown }).message)
      : String(error);
  const line = message.split('\n').find((part) => part.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line.trim();
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

function withFile(text: string, file: string | undefined, cwd: string): string {
  return file ? `${text} (${relativeFile(file, cwd)})` : text;
}

/**
 * `mocha: login › rejects bad password failed (test/login.spec.js)`; for a hook its title
 * (`login › "before all" hook for "x"`); for an error outside any test, the error and its file.
 */
export function buildFailureReason(runnable: FailedRunnable | undefined, error: unknown, cwd = process.cwd()): string {
  let titles: string[] = [];
  try {
    titles = runnable?.titlePath?.() ?? [];
  } catch {}
  if (titles.length === 0) {
    try {
      const full = runnable?.fullTitle?.();
      if (full) titles = [full];
    } catch {}
  }
  if (titles.length === 0 && runnable?.title) titles = [runnable.title];
  const name = titles.filter((title) => title !== '').join(separator);
  const file = runnable?.file ?? undefined;

  if (runnable?.type !== 'hook' && (name === '' || /^uncaught error outside test suite$/i.test(name))) {
    const summary = errorSummary(error);
    const text = `mocha: ${name || 'uncaught error'}${summary ? `: ${summary}` : ''}`;
    return withFile(text, file ?? fileFromError(error), cwd);
  }
  return withFile(`mocha: ${name} failed`, file, cwd);
}

/** A test file that throws while Mocha loads it (serial mode: Mocha exits 1 before any test runs). */
export function buildLoadFailureReason(error: unknown, cwd = process.cwd()): string {
  const summary = errorSummary(error);
  return withFile(`mocha: test files failed to load${summary ? `: ${summary}` : ''}`, fileFromError(error), cwd);
}

/** When the run failed without a `'fail'` event (e.g. `--fail-zero`). */
export function buildRunFailureReason(failures: number): string {
  return `mocha: the run failed (${failures} ${failures === 1 ? 'failure' : 'failures'})`;
}
