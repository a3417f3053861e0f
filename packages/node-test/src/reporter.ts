import { formatReason, guard, isPromisingJob, type ReporterRun, reportInternalError, startReporterRun } from '@promise-failure/reporting';
import type { TestEvent } from './events.js';
import { runnerName } from './reason.js';
import { describeRerun, isRerunRun } from './rerun.js';
import { FailureRules, semanticsOf } from './rules.js';

export const packageName = '@promise-failure/node-test';

/**
 * The `node:test` reporter: an async generator over the run's events, as `--test-reporter` and `run()`
 * compose it. It yields nothing about the tests; at the end of a run with a final failure it yields its one
 * line (`promise-failure: promised exit status 1 to Buildkite (declared via job-api)`, or why not), which
 * Node writes to the reporter's destination.
 *
 * The declaration starts at the event that shows the run's first final failure (see {@link FailureRules}),
 * while the run goes on. The generator returns only once the declaration has settled or `flushTimeout` has
 * passed: Node waits for its reporters' streams before it exits (with `--test-force-exit` too, on Node 22
 * and 24). Options come from the environment (Node reporters take none): `BUILDKITE_PROMISE_FAILURE`,
 * `_EXIT_STATUS`, `_TIMEOUT_MS` and `_FLUSH_TIMEOUT_MS`.
 *
 * It never throws into the runner: an error of ours becomes one `promise-failure: internal error …` line,
 * and every event is still read, so Node's other reporters and the exit code are untouched.
 */
export async function* promiseFailureReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string, void, undefined> {
  const watch = startWatch();
  let sourceError: { error: unknown } | undefined;
  try {
    for await (const event of source) watch?.observe(event);
  } catch (error) {
    // Node's own stream failed: still settle and print our line, then let Node see its error.
    sourceError = { error };
  }
  const lines = (await watch?.finish()) ?? [];
  for (const line of lines) yield `${line}\n`;
  if (sourceError) throw sourceError.error;
}

function startWatch(): RunWatch | undefined {
  try {
    return new RunWatch(startReporterRun(packageName, {}));
  } catch (error) {
    reportInternalError('startReporterRun', error);
    return undefined;
  }
}

/** One run: its events through the rules into the kit's run, and the rerun rule on top. */
class RunWatch {
  readonly #run: ReporterRun;
  readonly #rules = new FailureRules(semanticsOf(process.versions.node));
  /** A final failure that was not promised because the run is one attempt of `--test-rerun-failures`. */
  #withheld = false;

  constructor(run: ReporterRun) {
    this.#run = run;
  }

  readonly observe = guard('test event', (event: TestEvent): void => {
    // Off, or decided already: the rest of the run changes nothing.
    if (this.#run.settings === undefined || this.#run.failed || this.#withheld) return;
    const failure = this.#rules.observe(event);
    if (failure === undefined) return;
    if (this.#rules.rerun || isRerunRun()) {
      this.#withheld = true;
      return;
    }
    this.#run.fail(() => formatReason(runnerName, failure.what, failure.file));
  });

  /** Waits for the declaration (at most `flushTimeout`) and returns the lines to print. Never rejects. */
  async finish(): Promise<string[]> {
    const lines: string[] = [];
    // The kit hands the line over instead of printing it: it goes to this reporter's destination.
    await this.#run.finish((line) => lines.push(line));
    try {
      if (this.#withheld && this.#run.settings !== undefined && isPromisingJob(process.env)) lines.push(describeRerun());
    } catch (error) {
      reportInternalError('finish', error);
    }
    return lines;
  }
}
