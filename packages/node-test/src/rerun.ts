/**
 * `--test-rerun-failures=<state file>` (Node 24.7+) makes a run one attempt of a retry loop outside it: the
 * user (or CI script) runs `node --test` again, and tests that passed in an earlier attempt are replayed as
 * passed. A failure in one attempt may pass in the next, and a promise is binding, so under it nothing is
 * promised and the end of a failing run says why in one line.
 *
 * A reporter can tell in two ways, both used: the flag on the runner's own command line (`process.execArgv`
 * or `NODE_OPTIONS`), and `details.attempt`, which Node sets on every test event of such a run (from 0 on
 * the first attempt) — the only sign when `run({ rerunFailuresFilePath })` drives it.
 */
export function isRerunRun(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): boolean {
  const flag = /^--test-rerun-failures(?:=|$)/;
  return execArgv.some((argument) => flag.test(argument)) || (nodeOptions ?? '').split(/\s+/).some((argument) => flag.test(argument));
}

/** The one line printed at the end of a failing attempt. */
export function describeRerun(): string {
  return (
    'promise-failure: did not promise the failure to Buildkite: this run is one attempt of node --test --test-rerun-failures, ' +
    'and a later attempt may pass the tests that failed here'
  );
}
