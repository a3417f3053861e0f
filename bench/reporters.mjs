// The reporters' rows of `npm run bench`: each runner on a passing suite and on one with many failures, wall
// time with and without the reporter. Runs alternate (with, without, without, with, …) so drift in the
// machine's load falls on both sides; figures are medians. Every run is in its own fake Buildkite job with its
// own lock directory, and both sides get the job's variables: only the reporter differs.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startFakeBuildkite } from '@promise-failure/testkit';
import { describeOverhead, median } from './stats.mjs';
import { benchRunners } from './suites.mjs';
import { formatMs, root, run } from './support.mjs';

/** The file a runner's `bin` names, from the repository's node_modules. */
export function binOf(name, binName = name) {
  const manifest = join(root, 'node_modules', name, 'package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8'));
  return join(dirname(manifest), typeof bin === 'string' ? bin : bin[binName]);
}

/** Node's arguments before the suite's own: the runner's bin script, or none when Node itself runs the tests. */
export function runnerArgs(suite) {
  return suite.bin === null ? [] : [binOf(suite.bin, suite.binName)];
}

/** The suite of `runner` for `shape`, in `directory`, with the runner's own cap on failing tests. */
export function generateSuite(runner, directory, shape) {
  const own = runner.failures ? { ...shape, failures: runner.failures(shape.failures, shape) } : shape;
  return { runner: runner.name, bin: runner.bin, binName: runner.binName, shape: own, ...runner.generate(directory, own) };
}

export const baseEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', FORCE_COLOR: '0' });

/**
 * One run of `suite`'s `side` in a fresh fake job: the run's result and how many requests reached the Agent API.
 *
 * @param {ReturnType<typeof generateSuite>} suite
 * @param {'with' | 'without'} side With or without the reporter.
 * @param {{ latency: number, locks: string, nodeOptions?: string[] }} options `latency`: the fake Agent API's
 *   delay, ms; `locks`: where the run's lock directory is made; `nodeOptions`: Node's own flags.
 * @returns {Promise<import('./support.mjs').RunResult & { requests: number }>}
 */
export async function timeRun(suite, side, { latency, locks, nodeOptions = [] }) {
  const buildkite = await startFakeBuildkite({ latency });
  try {
    const env = { ...baseEnv(), ...buildkite.env, BUILDKITE_PROMISE_FAILURE_LOCK_DIR: mkdtempSync(join(locks, 'lock-')) };
    const result = await run(process.execPath, [...nodeOptions, ...runnerArgs(suite), ...suite[side]], {
      env,
      cwd: suite.cwd,
      timeout: 180_000,
    });
    return { ...result, requests: buildkite.agentApiRequests().length };
  } finally {
    await buildkite.close();
  }
}

function describeRun(result) {
  return `exit ${result.code}\n--- stdout (end)\n${result.stdout.slice(-2_000)}\n--- stderr (end)\n${result.stderr.slice(-2_000)}`;
}

/**
 * Medians of alternating runs with and without the reporter, after a warm-up of each (unless quick): at least
 * `pairs` pairs, and more (up to `maxPairs`) until `budgetMs` has been spent, so that fast runners get more
 * samples. `withOnly` (the quick run): one run with the reporter and none without, so no comparison.
 */
async function measure(suite, { pairs: minPairs, maxPairs = minPairs, budgetMs = 0, warmUp, withOnly = false, failing, latency, locks }) {
  const started = performance.now();
  let pairs = minPairs;
  /** @type {{ with: number[], without: number[] }} */
  const times = { with: [], without: [] };
  // The overhead is the median of the pairs' differences (each pair ran back to back, so a burst of load on
  // a shared machine mostly falls on both runs of a pair), with their interquartile range, over the median
  // time without the reporter.
  /** @type {number[]} */
  const differences = [];
  /** @type {number[]} */
  const requests = [];
  for (let pair = warmUp ? -1 : 0; pair < pairs; pair++) {
    if (pair === pairs - 1 && pairs < maxPairs && performance.now() - started < budgetMs) pairs++;
    /** This pair's wall times, ms. */
    const pairMs = { with: 0, without: 0 };
    /** @type {['with'] | ['with', 'without'] | ['without', 'with']} */
    const order = withOnly ? ['with'] : pair % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
    for (const side of order) {
      const result = await timeRun(suite, side, { latency, locks });
      if ((result.code !== 0) !== failing) throw new Error(`bench: ${suite.runner} ${side} the reporter: ${describeRun(result)}`);
      pairMs[side] = result.ms;
      if (side === 'with' && pair >= 0) requests.push(result.requests);
    }
    if (pair < 0) continue; // the warm-up: caches, file system
    times.with.push(pairMs.with);
    times.without.push(pairMs.without);
    differences.push(pairMs.with - pairMs.without);
  }
  return {
    pairs: times.with.length,
    with: median(times.with),
    without: median(times.without),
    overhead: describeOverhead(differences, median(times.without)),
    requests,
  };
}

/** A row's name for `runner`: its `label`, else "<name> reporter". */
function label(runner) {
  return runner.label ?? `${runner.name} reporter`;
}

/**
 * `benchReporters({ quick })` → rows `{ scenario, figure, ratio, target }`: per runner, a passing suite and a
 * failing one (the fake Agent API answering after 50 ms). Quick mode: small suites, one run with the reporter.
 */
export async function benchReporters({ quick }) {
  const passing = quick ? { files: 2, testsPerFile: 10, failures: 0 } : { files: 20, testsPerFile: 50, failures: 0 };
  const failing = quick ? { files: 2, testsPerFile: 10, failures: 10 } : { files: 20, testsPerFile: 50, failures: 500 };
  // At least 15 pairs for every row; fast runners get more within the budget. The quick run (a smoke test,
  // under a minute) runs each suite once, with the reporter only.
  const sampling = quick ? { pairs: 1, withOnly: true } : { pairs: 15, maxPairs: 31, budgetMs: 60_000 };
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const directory = mkdtempSync(join(root, '.tmp', 'bench-reporters-'));
  const locks = join(directory, 'locks');
  mkdirSync(locks);
  const rows = [];
  const problems = [];
  try {
    const tests = (shape) => (shape.files * shape.testsPerFile).toLocaleString('en');
    for (const runner of benchRunners) {
      for (const kind of ['passing', 'failing']) {
        const suite = generateSuite(runner, join(directory, kind), kind === 'passing' ? passing : failing);
        const { shape } = suite;
        const result = await measure(suite, {
          ...sampling,
          warmUp: !quick,
          failing: kind === 'failing',
          latency: kind === 'failing' ? 50 : 0,
          locks,
        });
        const { overhead, pairs } = result;
        let scenario;
        let figure = quick
          ? `${formatMs(result.with)} with the reporter (quick run: once, and not without it)`
          : `${formatMs(result.with)} with the reporter, ${formatMs(result.without)} without (medians of ${pairs} alternating pairs of runs)`;
        let target;
        if (kind === 'passing') {
          scenario = `${label(runner)}, passing suite: ${tests(shape)} tests in ${shape.files} files`;
          target = '≤ 1 % over';
        } else {
          scenario = `${label(runner)}, ${shape.failures.toLocaleString('en')} failures in ${tests(shape)} tests (Agent API latency 50 ms)`;
          const all = new Set(result.requests);
          figure +=
            all.size === 1
              ? `; ${result.requests[0]} request${result.requests[0] === 1 ? '' : 's'} per run`
              : `; requests per run: ${result.requests.join(', ')}`;
          target = result.without < 1_000 ? '≤ 2 % or ≤ 20 ms over, 1 request' : '≤ 2 % over, 1 request';
          if (all.size !== 1 || !all.has(1)) problems.push(`${label(runner)}: ${result.requests.join(', ')} requests per run, expected 1`);
        }
        const ratio = quick
          ? 'not measured in a quick run'
          : `${overhead.text} wall time${overhead.withinNoise ? '' : `, ${formatMs(overhead.medianMs)}`} (median difference of pairs)`;
        rows.push({ scenario, figure, ratio, target, runner: runner.name, kind, overhead, withoutMs: result.without });
      }
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    if (readdirSync(join(root, '.tmp')).length === 0) rmSync(join(root, '.tmp'), { recursive: true, force: true });
  }
  if (problems.length > 0) {
    process.stderr.write(`bench: the reporters made other than 1 request:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`);
    process.exitCode = 1;
  }
  return rows;
}
