// Where a failing run's extra time goes, per runner, from V8 CPU profiles rather than from guesses.
//
// Each runner's failing suite runs with and without the reporter under `node --cpu-prof`; every profile
// sample of the runner's main thread (and of any other thread of that process: the declaration's worker)
// is put in one category by its stack. A profile covers its thread's whole life, so the categories add up
// to the thread's time; the difference with and without the reporter, category by category, accounts for
// every millisecond of the extra time on the runner's thread. A CPU profile's attribution holds on a loaded
// machine far better than wall time does: load stretches every category alike.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { generateSuite, timeRun } from './reporters.mjs';
import { median } from './stats.mjs';
import { benchRunners } from './suites.mjs';
import { root } from './support.mjs';

/** The categories, in the order the table shows them: key and label. */
export const categories = /** @type {const} */ ([
  ['reporter', 'reporter hooks'],
  ['worker', 'starting the worker thread'],
  ['loading', 'loading the core and undici'],
  ['claim', 'claim and record'],
  ['request', 'request (incl. HTTP parser)'],
  ['gc', 'garbage collection'],
  ['idle', 'idle (waiting)'],
  ['runner', 'runner and Node'],
]);

/** @typedef {(typeof categories)[number][0]} Category */
/** @typedef {Record<Category, number>} Totals Milliseconds per category. */
/** @typedef {{ totals: Totals, spanMs: number }} CategoryProfile One profile's totals and its span, ms. */
/** @typedef {'with' | 'without'} Side With or without the reporter. */

/**
 * One value per category, in the categories' order.
 *
 * @template T
 * @param {(key: Category) => T} value
 * @returns {Record<Category, T>}
 */
function byCategory(value) {
  // `Object.fromEntries` types its keys as any string; these are exactly the categories' keys.
  return /** @type {Record<Category, T>} */ (Object.fromEntries(categories.map(([key]) => [key, value(key)])));
}

const reporterFile =
  /packages\/(reporting|jest|vitest|mocha|playwright|node-test)\/(dist|src)\/|@promise-failure\/(jest|vitest|mocha|playwright|node-test)\//;
const coreFile = /packages\/core\/(dist|src)\/|@promise-failure\/core\//;
const transportFile = /\/node_modules\/(undici|p-memoize|p-retry|mimic-function|is-network-error)\//;
const startsWorker = ['declareInWorker', 'startDeclarationWorker', 'Worker'];
const claimFunction = /claim|Claim|publish|record|Record|openJobDirectory|lockRoot|heartbeat/;
const moduleLoading = (frame) =>
  frame.url.startsWith('node:internal/modules/') ||
  ['compileForInternalLoader', 'wrapSafe', 'requireBuiltin', 'compileFunction'].includes(frame.functionName) ||
  (frame.functionName === '' && frame.lineNumber === 0 && (coreFile.test(frame.url) || transportFile.test(frame.url)));

/**
 * The category of one sample, from its stack (outermost frame first).
 *
 * @returns {Category}
 */
function categorize(stack) {
  const leaf = stack.at(-1);
  if (leaf.functionName === '(idle)') return 'idle';
  if (leaf.functionName === '(garbage collector)') return 'gc';
  const first = stack.findIndex((frame) => reporterFile.test(frame.url) || coreFile.test(frame.url) || transportFile.test(frame.url));
  if (first < 0) return 'runner';
  const inner = stack.slice(first);
  // The core starts the declaration's worker thread (`declareInWorker` in packages/core/src/declare-in-worker.ts).
  if (inner.some((frame) => startsWorker.includes(frame.functionName))) return 'worker';
  const declaring = inner.some((frame) => coreFile.test(frame.url) || transportFile.test(frame.url));
  if (!declaring) {
    return inner.some(moduleLoading) && !inner.some((frame) => reporterFile.test(frame.url) && frame.lineNumber > 0)
      ? 'loading'
      : 'reporter';
  }
  if (inner.some(moduleLoading)) return 'loading';
  if (inner.some((frame) => coreFile.test(frame.url) && claimFunction.test(frame.functionName))) return 'claim';
  return 'request';
}

/**
 * Milliseconds per category in one `.cpuprofile`.
 *
 * @param {string} path
 * @returns {CategoryProfile}
 */
export function profileCategories(path) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const stacks = new Map();
  const stackOf = (id) => {
    let stack = stacks.get(id);
    if (stack === undefined) {
      stack = [];
      for (let at = id; at !== undefined; at = parents.get(at)) stack.unshift(nodes.get(at).callFrame);
      stacks.set(id, stack);
    }
    return stack;
  };
  const totals = byCategory(() => 0);
  for (let index = 0; index < profile.samples.length; index++) {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1_000;
    totals[categorize(stackOf(profile.samples[index]))] += ms;
  }
  return { totals, spanMs: (profile.endTime - profile.startTime) / 1_000 };
}

/** Profiles of the runner's own process (its pid): the main thread (thread 0) and any other thread of it. */
function profilesOf(directory, pid) {
  const mine = readdirSync(directory).filter((name) => name.split('.')[3] === String(pid));
  return {
    main: mine.filter((name) => name.split('.')[4] === '0').map((name) => join(directory, name)),
    threads: mine.filter((name) => name.split('.')[4] !== '0').map((name) => join(directory, name)),
  };
}

const sum = (values) => values.reduce((total, value) => total + value, 0);

/**
 * `benchBreakdown({ quick })` → per runner: for each category, the median ms on the runner's main thread
 * with and without the reporter, and on the declaration's worker thread; the median profile span of each side.
 *
 * @param {{ quick: boolean, runs?: number | undefined }} options `runs`: profiles per side (default 5, quick 1).
 */
export async function benchBreakdown({ quick, runs: requestedRuns }) {
  const shape = quick ? { files: 2, testsPerFile: 10, failures: 10 } : { files: 20, testsPerFile: 50, failures: 500 };
  // Quick: one profile of the 'with' side only (no difference row), to stay within a minute.
  const runs = requestedRuns ?? (quick ? 1 : 5);
  /** @type {[Side[], Side[]]} The sides of even runs, then of odd ones. */
  const [evenSides, oddSides] = quick
    ? [['with'], ['with']]
    : [
        ['with', 'without'],
        ['without', 'with'],
      ];
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const directory = mkdtempSync(join(root, '.tmp', 'bench-breakdown-'));
  const locks = join(directory, 'locks');
  mkdirSync(locks);
  const results = [];
  try {
    for (const runner of benchRunners.filter((entry) => entry.profiled !== false)) {
      const suite = generateSuite(runner, join(directory, 'suite'), shape);
      /** @type {{ with: CategoryProfile[], without: CategoryProfile[], worker: (CategoryProfile & { threads: number })[] }} */
      const samples = { with: [], without: [], worker: [] };
      for (let index = 0; index < runs; index++) {
        for (const side of index % 2 === 0 ? evenSides : oddSides) {
          const profiles = mkdtempSync(join(directory, 'profiles-'));
          const result = await timeRun(suite, side, {
            latency: 50,
            locks,
            nodeOptions: ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${profiles}`],
          });
          if (result.code === 0) throw new Error(`bench: ${runner.name} ${side} the reporter: the failing suite passed`);
          const { main, threads } = profilesOf(profiles, result.pid);
          const [mainProfile] = main;
          if (main.length !== 1 || mainProfile === undefined)
            throw new Error(`bench: ${runner.name}: expected one main-thread profile, found ${main.length}`);
          samples[side].push(profileCategories(mainProfile));
          if (side === 'with') {
            const workerTotals = byCategory(() => 0);
            for (const thread of threads) {
              const { totals } = profileCategories(thread);
              for (const [key] of categories) if (key !== 'idle') workerTotals[key] += totals[key];
            }
            samples.worker.push({ totals: workerTotals, spanMs: 0, threads: threads.length });
          }
          rmSync(profiles, { recursive: true, force: true });
        }
      }
      /** @param {CategoryProfile[]} list */
      const medians = (list) => byCategory((key) => median(list.map((sample) => sample.totals[key])));
      results.push({
        runner: runner.name,
        runs,
        with: medians(samples.with),
        without: medians(samples.without),
        worker: medians(samples.worker),
        workerThreads: Math.max(...samples.worker.map((sample) => sample.threads)),
        spanWith: median(samples.with.map((sample) => sample.spanMs)),
        spanWithout: samples.without.length > 0 ? median(samples.without.map((sample) => sample.spanMs)) : undefined,
        ourMainMs: median(
          samples.with.map((sample) => sum(['reporter', 'worker', 'loading', 'claim', 'request'].map((key) => sample.totals[key]))),
        ),
      });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    if (readdirSync(join(root, '.tmp')).length === 0) rmSync(join(root, '.tmp'), { recursive: true, force: true });
  }
  return results;
}

const ms = (value) => (Math.abs(value) < 0.05 ? '0' : value.toFixed(1));
const signed = (value) => (Math.abs(value) < 0.05 ? '0' : `${value > 0 ? '+' : '−'}${Math.abs(value).toFixed(1)}`);

/** The breakdown as a Markdown table: one row per runner and thread, one column per category. */
export function formatBreakdown(results) {
  const header = `| runner | thread | ${categories.map(([, label]) => label).join(' | ')} | profile span |`;
  const lines = [header, `| --- | --- | ${categories.map(() => '---').join(' | ')} | --- |`];
  for (const result of results) {
    lines.push(
      `| ${result.runner} | runner's main thread, with the reporter (our code: ${ms(result.ourMainMs)} ms) | ${categories.map(([key]) => ms(result.with[key])).join(' | ')} | ${ms(result.spanWith)} |`,
    );
    if (result.spanWithout !== undefined) {
      lines.push(
        `| ${result.runner} | runner's main thread, difference with − without | ${categories.map(([key]) => signed(result.with[key] - result.without[key])).join(' | ')} | ${signed(result.spanWith - result.spanWithout)} |`,
      );
    }
    if (result.workerThreads > 0) {
      lines.push(
        `| ${result.runner} | the declaration's worker thread (CPU) | ${categories.map(([key]) => (key === 'idle' ? '' : ms(result.worker[key]))).join(' | ')} |  |`,
      );
    }
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `node bench/breakdown.mjs [--quick] [--runs=N]`: the breakdown alone.
  const runs = process.argv.find((argument) => argument.startsWith('--runs='));
  const results = await benchBreakdown({ quick: process.argv.includes('--quick'), runs: runs ? Number(runs.slice(7)) : undefined });
  process.stdout.write(`${formatBreakdown(results)}\n`);
}
