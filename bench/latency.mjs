// The "final failure → request" table: how soon after a test fails for good the request reaches Buildkite,
// per runner and mode. The failing test is the first of a file that runs `tailMs` more; it records
// Date.now() as it throws, and the fake Agent API records when the request arrives (same clock).
//
// `latencyModes` is the list the table iterates: a new runner or mode is one more entry.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeBuildkite } from '@promise-failure/testkit';
import { baseEnv, binOf } from './reporters.mjs';
import { median } from './stats.mjs';
import { formatMs, root, run } from './support.mjs';

/** The body of the failing test: record when it failed, then fail. */
const failNow = `require('node:fs').writeFileSync(process.env.PROMISE_FAILURE_BENCH_FAILED_AT, String(Date.now())); throw new Error('fails for good');`;
const sleep = (ms) => `await new Promise((resolve) => setTimeout(resolve, ${ms}));`;

function writeProject(directory, files) {
  mkdirSync(directory, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), content);
  }
  return directory;
}

/** The one Mocha project every Mocha mode runs; `flags` wire our reporter or register (and `--parallel`). */
function mochaProject(directory, tailMs, flags) {
  return {
    bin: 'mocha',
    args: ['--no-config', `--timeout=${tailMs + 30_000}`, ...flags, 'test/*.spec.js'],
    cwd: writeProject(directory, {
      'package.json': '{ "type": "commonjs" }\n',
      'test/slow.spec.js': `it('fails first', () => { ${failNow} });\nit('runs on', async () => { ${sleep(tailMs)} });\n`,
    }),
  };
}

/**
 * Each mode: `runner`, `mode`, whether it promises per test (`perTest`: the target applies) or per file,
 * `why` for a per-file mode, and `generate(directory, { tailMs })` → `{ cwd, bin, binName?, args }` (`bin: null` when Node runs the tests).
 */
export const latencyModes = [
  {
    runner: 'jest',
    mode: 'reporter',
    perTest: false,
    why: "Jest's reporter hears of a test file's results when the file ends",
    generate: (directory, { tailMs }) => ({
      bin: 'jest',
      args: ['--ci', `--cacheDirectory=${join(directory, 'cache')}`],
      cwd: writeProject(directory, {
        'package.json': '{ "type": "commonjs" }\n',
        'jest.config.js': `module.exports = { testMatch: ['<rootDir>/test/*.test.js'], reporters: ['default', '@promise-failure/jest'], testTimeout: ${tailMs + 30_000} };\n`,
        'test/slow.test.js': `test('fails first', () => { ${failNow} });\ntest('runs on', async () => { ${sleep(tailMs)} });\n`,
      }),
    }),
  },
  {
    runner: 'vitest',
    mode: 'reporter',
    perTest: true,
    generate: (directory, { tailMs }) => ({
      bin: 'vitest',
      args: ['run'],
      cwd: writeProject(directory, {
        'vitest.config.mjs': `export default { test: { include: ['test/*.test.js'], reporters: ['default', '@promise-failure/vitest'], testTimeout: ${tailMs + 30_000} } };\n`,
        'test/slow.test.js': `import { test } from 'vitest';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\ntest('fails first', () => { ${failNow} });\ntest('runs on', async () => { ${sleep(tailMs)} });\n`,
      }),
    }),
  },
  {
    runner: 'vitest',
    mode: 'plugin (its setup file in the workers)',
    perTest: true,
    generate: (directory, { tailMs }) => ({
      bin: 'vitest',
      args: ['run'],
      cwd: writeProject(directory, {
        'vitest.config.mjs': `import { promiseFailurePlugin } from '@promise-failure/vitest';\nexport default { plugins: [promiseFailurePlugin()], test: { include: ['test/*.test.js'], testTimeout: ${tailMs + 30_000} } };\n`,
        'test/slow.test.js': `import { test } from 'vitest';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\ntest('fails first', () => { ${failNow} });\ntest('runs on', async () => { ${sleep(tailMs)} });\n`,
      }),
    }),
  },
  {
    runner: 'mocha',
    mode: 'reporter',
    perTest: true,
    generate: (directory, { tailMs }) => mochaProject(directory, tailMs, ['--reporter=@promise-failure/mocha']),
  },
  {
    runner: 'jest',
    mode: 'environment + reporter',
    perTest: true,
    generate: (directory, { tailMs }) => ({
      bin: 'jest',
      args: ['--ci', `--cacheDirectory=${join(directory, 'cache')}`],
      cwd: writeProject(directory, {
        'package.json': '{ "type": "commonjs" }\n',
        'jest.config.js': `module.exports = { testMatch: ['<rootDir>/test/*.test.js'], testEnvironment: '@promise-failure/jest/environment', reporters: ['default', '@promise-failure/jest'], testTimeout: ${tailMs + 30_000} };\n`,
        'test/slow.test.js': `test('fails first', () => { ${failNow} });\ntest('runs on', async () => { ${sleep(tailMs)} });\n`,
      }),
    }),
  },
  {
    runner: 'mocha',
    mode: 'reporter, --parallel',
    perTest: false,
    why: "Mocha's main process hears of a worker's results when its file ends",
    generate: (directory, { tailMs }) => mochaProject(directory, tailMs, ['--parallel', '--jobs=2', '--reporter=@promise-failure/mocha']),
  },
  {
    runner: 'mocha',
    mode: 'register, --parallel',
    perTest: true,
    generate: (directory, { tailMs }) =>
      mochaProject(directory, tailMs, ['--parallel', '--jobs=2', '--require=@promise-failure/mocha/register']),
  },
  {
    runner: 'playwright',
    mode: 'reporter',
    perTest: true,
    generate: (directory, { tailMs }) => ({
      bin: '@playwright/test',
      binName: 'playwright',
      args: ['test', '--config=playwright.config.js'],
      cwd: writeProject(directory, {
        'package.json': '{ "type": "commonjs" }\n',
        'playwright.config.js': `module.exports = { testDir: 'tests', workers: 1, retries: 0, timeout: ${tailMs + 30_000}, reporter: [['dot'], ['@promise-failure/playwright']] };\n`,
        'tests/slow.spec.js': `const { test } = require('@playwright/test');\ntest('fails first', () => { ${failNow} });\ntest('runs on', async () => { ${sleep(tailMs)} });\n`,
      }),
    }),
  },
  {
    runner: 'node:test',
    mode: 'reporter',
    perTest: true,
    generate: (directory, { tailMs }) => ({
      bin: null,
      args: [
        '--test',
        '--test-reporter=dot',
        '--test-reporter-destination=stdout',
        '--test-reporter=@promise-failure/node-test',
        '--test-reporter-destination=stderr',
        'test/slow.test.cjs',
      ],
      cwd: writeProject(directory, {
        'package.json': '{ "type": "commonjs" }\n',
        'test/slow.test.cjs': `const { test } = require('node:test');\ntest('fails first', () => { ${failNow} });\ntest('runs on', async () => { ${sleep(tailMs)} });\n`,
      }),
    }),
  },
];

/** One run of one mode: ms from the test's failure to the request's arrival, and the run's length. */
async function timeLatency(project, scratchDirectory) {
  const fake = await startFakeBuildkite({ jobApi: 'none' });
  try {
    const failedAt = join(scratchDirectory, `failed-at-${Math.random().toString(36).slice(2)}`);
    const env = {
      ...baseEnv(),
      ...fake.env,
      BUILDKITE_PROMISE_FAILURE_LOCK_DIR: mkdtempSync(join(scratchDirectory, 'lock-')),
      PROMISE_FAILURE_BENCH_FAILED_AT: failedAt,
    };
    // `bin: null`: Node itself runs the tests (`node --test`).
    const bin = project.bin === null ? [] : [binOf(project.bin, project.binName)];
    const result = await run(process.execPath, [...bin, ...project.args], { env, cwd: project.cwd, timeout: 180_000 });
    const requests = fake.agentApiRequests();
    const [request] = requests;
    if (result.code === 0 || requests.length !== 1 || request === undefined) {
      throw new Error(
        `bench: latency run: exit ${result.code}, ${requests.length} requests\n${result.stdout.slice(-1_500)}\n${result.stderr.slice(-1_500)}`,
      );
    }
    return { latencyMs: request.at - Number(readFileSync(failedAt, 'utf8')), runMs: result.ms };
  } finally {
    await fake.close();
  }
}

/**
 * `benchLatency({ quick, runners })` → one row per mode: `{ runner, mode, perTest, why, runs, medianMs, maxMs, runMs }`;
 * `runners` (e.g. `['vitest']`) keeps only those runners' modes.
 * Full: 10 runs each, the failing test followed by 5 s more in its file; quick: one run, 0.5 s more.
 */
/** @param {{ quick: boolean, runners?: readonly string[] }} options */
export async function benchLatency({ quick, runners }) {
  const runs = quick ? 1 : 10;
  const tailMs = quick ? 500 : 5_000;
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const directory = mkdtempSync(join(root, '.tmp', 'bench-latency-'));
  const rows = [];
  try {
    for (const [index, entry] of latencyModes.entries()) {
      if (runners !== undefined && !runners.includes(entry.runner)) continue;
      const project = entry.generate(join(directory, `mode-${index}`), { tailMs });
      const samples = [];
      for (let round = 0; round < runs; round++) samples.push(await timeLatency(project, directory));
      const latencies = samples.map((sample) => sample.latencyMs);
      rows.push({
        runner: entry.runner,
        mode: entry.mode,
        perTest: entry.perTest,
        why: entry.why,
        runs,
        tailMs,
        medianMs: median(latencies),
        maxMs: Math.max(...latencies),
        runMs: median(samples.map((sample) => sample.runMs)),
      });
      process.stderr.write(`bench: final failure → request, ${entry.runner} ${entry.mode}: ${formatMs(median(latencies))} median\n`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    if (readdirSync(join(root, '.tmp')).length === 0) rmSync(join(root, '.tmp'), { recursive: true, force: true });
  }
  return rows;
}

/** The table, headed "final failure → request". */
export function formatLatency(rows) {
  const lines = ['| runner | mode | final failure → request: median | max | runs | target |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const target = row.perTest
      ? `≤ 250 ms median (${row.medianMs <= 250 ? 'met' : 'missed'})`
      : `per file: ${row.why}; the failing file runs ${formatMs(row.tailMs)} more`;
    lines.push(`| ${row.runner} | ${row.mode} | ${formatMs(row.medianMs)} | ${formatMs(row.maxMs)} | ${row.runs} | ${target} |`);
  }
  return lines.join('\n');
}

// `node bench/latency.mjs vitest mocha` (after `npm run build`): the table for those runners only, to
// re-measure a mode without the whole bench. Figures for RESULTS.md come from `npm run bench`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runners = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const rows = await benchLatency({ quick: process.argv.includes('--quick'), runners: runners.length > 0 ? runners : undefined });
  process.stdout.write(`${formatLatency(rows)}\n`);
}
