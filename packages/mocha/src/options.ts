import { optionNames } from '@promise-failure/reporting';

/**
 * Options of the Mocha reporter (`--reporter-option k=v`) and of `@promise-failure/mocha/register`
 * (`configure()`). (A type alias, the same for every reporter, checked by the type tests.)
 */
export type PromiseFailureReporterOptions = {
  /**
   * The exit status to promise to Buildkite: an integer from 1 to 255.
   * @default `BUILDKITE_PROMISE_FAILURE_EXIT_STATUS`, else 1
   * @example `--reporter-option exitStatus=2`
   */
  readonly exitStatus?: number;
  /**
   * How long Mocha's exit waits for Buildkite's answer, in milliseconds. After that the run ends
   * with a warning; its exit code is never changed.
   * @default `BUILDKITE_PROMISE_FAILURE_FLUSH_TIMEOUT_MS`, else 10000
   */
  readonly flushTimeout?: number;
  /**
   * `false` turns the reporter off (the inner reporter still prints).
   * `BUILDKITE_PROMISE_FAILURE=false` in the environment turns it off too.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Bound on the whole declaration (retries included), passed to `promiseFailure()`.
   * An integer from 1 to 2147483647 (the core's rule, checked at start: a value outside turns the reporter off).
   * @default `BUILDKITE_PROMISE_FAILURE_TIMEOUT_MS`, else 60000
   */
  readonly timeout?: number;
  /**
   * Promise even when `BUILDKITE_TEST_ENGINE_RETRY_COUNT` is a positive integer. By default nothing is promised
   * there, and one line says why: Buildkite Test Engine's client (bktec) re-runs failed tests in a new Mocha
   * process, so a failure in this run is not final; bktec's own `--promise-failure` promises after its retries.
   * Set it only when this run's failures are final anyway (bktec does not retry these tests).
   * @default false
   */
  readonly ignoreOuterRetries?: boolean;
};

/** The former name of {@link PromiseFailureReporterOptions}, kept for existing code. */
export type PromiseFailureMochaOptions = PromiseFailureReporterOptions;

/**
 * `--reporter-option k=v` gives strings: `"2"` → 2, `"true"` → true, `"false"` → false. Anything else,
 * and values that are not strings (a `.mocharc.js`), are left as they are for the validator to name.
 */
export function parseOptionValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return value;
}

/**
 * Our options with `--reporter-option` strings parsed, for the validator every reporter shares
 * (`resolveSettings`). `reporterOption` is shared with the inner reporter: pass only our keys (see
 * {@link splitReporterOption}); `configure()` passes everything, so a misspelt option is named.
 */
export function parseOptions(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  return Object.fromEntries(Object.entries(options).map(([key, value]) => [key, parseOptionValue(value)]));
}

/** `--reporter-option`: ours, the inner reporter's, and `reporter` (which inner reporter) apart. */
export function splitReporterOption(reporterOption: Readonly<Record<string, unknown>> = {}): {
  reporter: unknown;
  ours: Record<string, unknown>;
  theirs: Record<string, unknown>;
} {
  const ours: Record<string, unknown> = {};
  const theirs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(reporterOption)) {
    if (key === 'reporter') continue;
    if ((optionNames as readonly string[]).includes(key)) ours[key] = value;
    else theirs[key] = value;
  }
  return { reporter: reporterOption.reporter, ours, theirs };
}

/**
 * Keys meant for us but misspelt (`exitstatus`, `flush-timeout`, `exitStatuss`): the same name but for case,
 * `-` and `_`, or one letter away. Any other unknown key is the inner reporter's, and goes to it silently.
 */
export function findMisspeltOptions(keys: readonly string[]): { given: string; meant: string }[] {
  const found: { given: string; meant: string }[] = [];
  for (const given of keys) {
    const normalized = normalize(given);
    const meant = optionNames.find((name) => {
      const candidate = normalize(name);
      return candidate === normalized || isOneEditApart(candidate, normalized);
    });
    if (meant !== undefined && meant !== given) found.push({ given, meant });
  }
  return found;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** One insertion, deletion or substitution apart. */
function isOneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
