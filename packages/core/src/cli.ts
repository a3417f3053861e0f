#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { diagnose } from './doctor.js';
import { oneLine } from './errors.js';
import { declareInCallerThread, promiseFailure } from './promise-failure.js';
import { version } from './version.js';

const usage = `Usage: promise-failure [exit-status] [--reason TEXT]
       promise-failure doctor

Promises Buildkite that the current job will fail with exit-status (default:
BUILDKITE_PROMISE_FAILURE_EXIT_STATUS, else 1), once per job and exit status.

Options:
  --reason TEXT   why, shown in Buildkite (secrets are redacted)
  -h, --help      show this help
  -v, --version   show the version

Exit codes: 0 accepted or skipped, 1 not accepted, 2 usage error.
'promise-failure doctor' prints what it detects, without sending anything.`;

/** Runs the CLI and returns its exit code; output goes through the two writers. */
export async function main(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    err(`promise-failure: ${(error as Error).message}`);
    err(usage);
    return 2;
  }
  if (parsed.values.help) {
    out(usage);
    return 0;
  }
  if (parsed.values.version) {
    out(version);
    return 0;
  }
  const [first, ...rest] = parsed.positionals;
  if (first === 'doctor') {
    if (rest.length > 0 || parsed.values.reason !== undefined) return usageError(err, '`doctor` takes no arguments');
    for (const line of diagnose(env)) out(`promise-failure: doctor: ${line}`);
    return 0;
  }
  if (rest.length > 0) return usageError(err, `unexpected argument ${JSON.stringify(rest[0])}`);
  let exitStatus: number | undefined;
  if (first !== undefined) {
    exitStatus = /^\d+$/.test(first) ? Number(first) : Number.NaN;
    if (!(exitStatus >= 1 && exitStatus <= 255)) {
      return usageError(err, `the exit status must be an integer from 1 to 255, got ${JSON.stringify(first)}`);
    }
  }
  const result = await promiseFailure({ exitStatus, reason: parsed.values.reason, env });
  if (result.outcome === 'skipped') {
    out(`promise-failure: skipped: ${oneLine(result.error ?? '')}`);
    return 0;
  }
  if (result.accepted) {
    out(`promise-failure: promised exit status ${result.exitStatus} to Buildkite (${result.outcome} via ${result.transport})`);
  } else {
    err(`promise-failure: exit status ${result.exitStatus} was not accepted: ${oneLine(result.error ?? 'no reason given')}`);
  }
  // The call went through, but the job's other processes could not share it (an unusable lock directory):
  // each may send a request of its own. Something to fix, so it goes to stderr, after the result's line.
  if (result.warning !== undefined) err(`promise-failure: ${oneLine(result.warning)}`);
  return result.accepted ? 0 : 1;
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      reason: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function usageError(err: (line: string) => void, message: string): number {
  err(`promise-failure: ${message}`);
  err(usage);
  return 2;
}

const isEntryPoint = process.argv[1] !== undefined && /(?:^|[\\/])(?:cli\.(?:c?js|ts)|promise-failure)$/.test(process.argv[1]);
if (isEntryPoint) {
  declareInCallerThread();
  main(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`promise-failure: ${oneLine(String((error as Error)?.message ?? error))}\n`);
      process.exitCode = 1;
    },
  );
}
