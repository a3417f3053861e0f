// `npm run demo`: runs examples/jest, examples/vitest, examples/mocha, examples/playwright and examples/node-test in fake Buildkite jobs (the testkit's
// fake Agent API and Job API, in this process, on loopback and a Unix socket: no network) and prints what
// reached "Buildkite". Rows: each runner in its own job; the three side by side in one job; one runner on an
// agent whose Job API lacks the promise-failure route. Exits 1 if a row made other than one request.
//
// The examples are run exactly as a user would run them. To time the first failure without touching them, a
// small probe is added from the command line (bench/demo/): each failing test appends the time it ended.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { startFakeBuildkite } from '@promise-failure/testkit';

const root = new URL('..', import.meta.url).pathname;
const probes = join(root, 'bench/demo');
const scratch = mkdtempSync(join(tmpdir(), 'promise-failure-demo-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** The file a package's `bin` names, found the way Node finds the package from `from`. */
function binOf(name, from) {
  for (let directory = from; ; directory = dirname(directory)) {
    const manifest = join(directory, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
      return join(dirname(manifest), typeof bin === 'string' ? bin : bin[name]);
    }
    if (directory === dirname(directory)) throw new Error(`${name} is not installed: run \`npm install\` first.`);
  }
}

/** How to run each example, and how to read its count of failed tests from its own summary. */
const runners = {
  jest: {
    cwd: join(root, 'examples/jest'),
    args: (cwd) => [binOf('jest', cwd), `--testEnvironment=${join(probes, 'jest-environment.cjs')}`],
    failed: (output) => output.match(/^Tests:\s+(\d+) failed/m)?.[1],
  },
  vitest: {
    cwd: join(root, 'examples/vitest'),
    args: (cwd) => [binOf('vitest', cwd), 'run', `--config=${join(probes, 'vitest.config.mjs')}`],
    failed: (output) => output.match(/^\s*Tests\s+(\d+) failed/m)?.[1],
  },
  mocha: {
    cwd: join(root, 'examples/mocha'),
    args: (cwd) => [binOf('mocha', cwd), `--require=${join(probes, 'mocha-probe.cjs')}`],
    failed: (output) => output.match(/^\s*(\d+) failing/m)?.[1],
  },
  playwright: {
    cwd: join(root, 'examples/playwright'),
    args: (cwd) => [binOf('playwright', cwd), 'test'],
    env: { PW_TEST_REPORTER: join(probes, 'playwright-probe.cjs'), PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    failed: (output) => output.match(/^\s*(\d+) failed/m)?.[1],
  },
  // The example's `npm test` command line (Node's spec reporter and ours), plus the probe as a third reporter.
  'node --test': {
    cwd: join(root, 'examples/node-test'),
    args: () => [
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=@promise-failure/node-test',
      '--test-reporter-destination=stderr',
      `--test-reporter=${join(probes, 'node-test-probe.mjs')}`,
      '--test-reporter-destination=stdout',
    ],
    failed: (output) => output.match(/^ℹ fail (\d+)/m)?.[1],
  },
};

/** A clean environment: nothing of a real Buildkite job this might run in, no colours. */
function baseEnv() {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SystemRoot'];
  return {
    ...Object.fromEntries(keep.filter((key) => process.env[key]).map((key) => [key, process.env[key]])),
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

function runExample(name, env) {
  const runner = runners[name];
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, runner.args(runner.cwd), {
      cwd: runner.cwd,
      env: { ...env, ...runner.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, code, signal, startedAt, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) });
    });
  });
}

/**
 * @typedef {object} Row
 * @property {string} label
 * @property {string[]} names The runners started together, keys of `runners`.
 * @property {import('@promise-failure/testkit').JobApiMode} [jobApi] The fake agent's Job API. Default: 'current'.
 * @property {string} [transport] The transport the one declaration must name. Default: 'job-api'.
 */

/**
 * One row: a fresh fake job and lock directory, the runners started together, what reached the Agent API.
 *
 * @param {Row} row
 */
async function runRow({ label, names, jobApi = 'current', transport = 'job-api' }) {
  const buildkite = await startFakeBuildkite({ jobApi });
  const directory = mkdtempSync(join(scratch, 'row-'));
  try {
    const runs = await Promise.all(
      names.map((name) => {
        const probe = join(directory, `${name.replace(/\W+/g, '-')}.failures`);
        const env = {
          ...baseEnv(),
          ...buildkite.env,
          BUILDKITE_PROMISE_FAILURE_LOCK_DIR: join(directory, 'lock'),
          PROMISE_FAILURE_DEMO_PROBE: probe,
        };
        return runExample(name, env).then((run) => ({
          ...run,
          failureTimes: existsSync(probe) ? readFileSync(probe, 'utf8').split('\n').filter(Boolean).map(Number) : [],
        }));
      }),
    );
    const requests = buildkite.agentApiRequests();
    const accepted = requests.find((request) => request.status === 204);
    const problems = [];
    let failed = 0;
    for (const run of runs) {
      const output = `${run.stdout}\n${run.stderr}`;
      const count = Number(runners[run.name].failed(output) ?? run.failureTimes.length);
      failed += count;
      if (run.code === 0 || count === 0)
        problems.push(`${run.name}: expected failing tests, got exit code ${run.code ?? run.signal} and ${count} failed`);
      const lines = run.stderr.split('\n').filter((line) => line.startsWith('promise-failure:'));
      const promised =
        lines.length === 1 && /^promise-failure: promised exit status 1 to Buildkite \((declared|debounced) via ([\w-]+)\)/.exec(lines[0]);
      if (!promised)
        problems.push(`${run.name}: expected one "promise-failure: promised exit status 1" line, got ${JSON.stringify(lines)}`);
      else if (promised[1] === 'declared' && promised[2] !== transport)
        problems.push(`${run.name}: declared via ${promised[2]}, expected ${transport}`);
    }
    if (requests.length !== 1) problems.push(`${requests.length} requests reached the Agent API, expected 1`);
    if (!accepted) problems.push('Buildkite did not accept the promise');
    const firstFailure = Math.min(...runs.flatMap((run) => run.failureTimes));
    return {
      label,
      failed,
      requests: requests.length,
      failedWithoutRequest: Math.max(0, failed - requests.length),
      ms: accepted && Number.isFinite(firstFailure) ? accepted.at - firstFailure : undefined,
      runs,
      problems,
    };
  } finally {
    await buildkite.close();
  }
}

const rows = [];
/** @type {Row[]} */
const plan = [
  { label: 'jest', names: ['jest'] },
  { label: 'vitest', names: ['vitest'] },
  { label: 'mocha', names: ['mocha'] },
  { label: 'playwright', names: ['playwright'] },
  { label: 'node --test', names: ['node --test'] },
  { label: 'jest + vitest + mocha + playwright, side by side in one job', names: ['jest', 'vitest', 'mocha', 'playwright'] },
  { label: 'vitest, Job API without the route (¹)', names: ['vitest'], jobApi: 'without-route', transport: 'agent-api' },
];
const started = performance.now();
for (const row of plan) {
  process.stderr.write(`demo: ${row.label}…\n`);
  rows.push(await runRow(row));
}

const header = [
  'runner',
  'failed tests',
  'requests to the Agent API',
  'failed tests − requests (²)',
  'ms from first failure to accepted (³)',
];
const cells = rows.map((row) => [
  row.label,
  String(row.failed),
  String(row.requests),
  String(row.failedWithoutRequest),
  row.ms === undefined ? 'n/a' : String(row.ms),
]);
const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)));
const format = (line) =>
  `| ${line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
const table = [
  format(header),
  `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  ...cells.map(format),
];

for (const row of rows.filter((row) => row.problems.length > 0)) {
  process.stdout.write(`\n✗ ${row.label}\n${row.problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
  for (const run of row.runs) process.stdout.write(`\n--- ${run.name}: stdout\n${run.stdout}\n--- ${run.name}: stderr\n${run.stderr}\n`);
}
process.stdout.write(`
${table.join('\n')}

(¹) An agent 3.128–3.129: its Job API answers 404 for the route, so the core falls back to the Agent API.
(²) Failed tests that made no request of their own. Not a count of calls: each reporter calls
    promiseFailure() once per run, on its first final failure (Jest's, when that test's file is done); the
    core then coalesces the runners' calls into one request, through its lock directory and the Job API.
(³) From the end of the earliest failing test (a probe in the runner notes when each failing test ends; for
    node --test, when the runner's own process hears of it)
    to the moment the fake Agent API received the request it accepted (204, no latency added). It includes
    the runner reporting the failure to its main process (Jest: when the whole test file is done) and the
    core's own work; it does not include start-up.

${rows.length} rows in ${((performance.now() - started) / 1_000).toFixed(1)} s. Each example was run in a fake Buildkite job (the testkit), with its own lock directory.
`);
const failedRows = rows.filter((row) => row.problems.length > 0);
if (failedRows.length > 0) {
  process.stdout.write(`\n${failedRows.length} row(s) failed: ${failedRows.map((row) => row.label).join('; ')}\n`);
  process.exitCode = 1;
}
