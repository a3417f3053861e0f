/**
 * A passing run stays free: no reporter loads @promise-failure/core (nor starts the thread that would), for
 * every reporter, as a user installs it. The packages are packed (`npm pack`) and installed into a scratch
 * project outside the workspace, so that nothing resolves through the workspace's symlinks and Vite treats
 * the reporter as a dependency (in the workspace it would inline the core into its own module graph). The
 * runners themselves are linked from the workspace's node_modules: installing them would be slow and is
 * not what is tested. A failing run of the same project must load the core: that shows the probe sees it.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acceptedLine, type Job, startJob } from '../support/job.js';
import { npm, packWorkspaces, repositoryRoot as root } from '../support/packed-packages.js';

const probe = fileURLToPath(new URL('./fixtures/record-loads.cjs', import.meta.url));

/**
 * Every reporter, as a user sets it up. A new reporter is one more entry: the workspaces to pack, the
 * runner packages to link, the project's files (`FAIL` in a test file is replaced by a passing or a
 * failing assertion), and how to run it.
 */
const reporters = [
  {
    name: 'jest',
    packages: ['packages/jest'],
    runners: ['jest'],
    files: {
      'jest.config.cjs': `module.exports = { testMatch: ['<rootDir>/test/*.test.js'], reporters: ['default', '@promise-failure/jest'] };\n`,
      'test/one.test.js': `test('one', () => { expect(1).toBe(FAIL); });\n`,
    },
    command: ['node_modules/jest/bin/jest.js', '--ci', '--config=jest.config.cjs', '--cacheDirectory=.jest-cache'],
  },
  {
    name: 'vitest',
    packages: ['packages/vitest'],
    runners: ['vitest'],
    files: {
      'vitest.config.mjs': `export default { test: { include: ['test/*.test.js'], reporters: ['default', '@promise-failure/vitest'] } };\n`,
      'test/one.test.js': `import { expect, test } from 'vitest';\ntest('one', () => { expect(1).toBe(FAIL); });\n`,
    },
    command: ['node_modules/vitest/vitest.mjs', 'run'],
  },
  {
    // The plugin adds the workers' setup file: it runs before every test file, and must not load the core either.
    name: 'vitest-plugin',
    package: 'vitest',
    // Loaded by the workers: the passing run must show it, or it would show nothing about them.
    alsoLoaded: 'dist/setup.js',
    packages: ['packages/vitest'],
    runners: ['vitest'],
    files: {
      'vitest.config.mjs': `import { promiseFailurePlugin } from '@promise-failure/vitest';\nexport default { plugins: [promiseFailurePlugin()], test: { include: ['test/*.test.js'] } };\n`,
      'test/one.test.js': `import { expect, test } from 'vitest';\ntest('one', () => { expect(1).toBe(FAIL); });\ntest('two', () => { expect(2).toBe(2); });\n`,
      'test/two.test.js': `import { expect, test } from 'vitest';\ntest('three', () => { expect(3).toBe(3); });\n`,
    },
    command: ['node_modules/vitest/vitest.mjs', 'run'],
  },
  {
    name: 'mocha',
    packages: ['packages/mocha'],
    runners: ['mocha'],
    files: {
      'test/one.spec.cjs': `const assert = require('node:assert');\nit('one', () => { assert.strictEqual(1, FAIL); });\n`,
    },
    // By path: Mocha resolves a reporter's name from its own (linked, so workspace) location first.
    command: [
      'node_modules/mocha/bin/mocha.js',
      '--no-config',
      '--reporter=PROJECT/node_modules/@promise-failure/mocha',
      'test/*.spec.cjs',
    ],
  },
  {
    name: 'playwright',
    packages: ['packages/playwright'],
    runners: ['@playwright/test'],
    files: {
      'playwright.config.cjs': `module.exports = { testDir: 'tests', workers: 2, reporter: [['list'], ['@promise-failure/playwright']], outputDir: 'results' };\n`,
      'tests/one.spec.cjs': `const { test, expect } = require('@playwright/test');\ntest('one', () => { expect(1).toBe(FAIL); });\n`,
    },
    command: ['node_modules/@playwright/test/cli.js', 'test'],
  },
] as const;

let scratch: string;
let project: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'promise-failure-loading-'));
  project = path.join(scratch, 'project');
  const tarballs = path.join(scratch, 'tarballs');
  await mkdir(tarballs);
  await mkdir(project);
  const workspaces = [...new Set(['packages/core', ...reporters.flatMap((reporter) => reporter.packages)])];
  const packed = await packWorkspaces(workspaces, tarballs);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'loading-check', private: true }));
  // Peer dependencies (the runners) are linked below, not installed; the core's own dependencies come
  // from npm's cache when it has them.
  await npm(
    ['install', '--prefer-offline', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', ...packed],
    project,
  );
  for (const runner of new Set(reporters.flatMap((reporter) => reporter.runners))) {
    await mkdir(path.dirname(path.join(project, 'node_modules', runner)), { recursive: true });
    await symlink(path.join(root, 'node_modules', runner), path.join(project, 'node_modules', runner), 'dir');
  }
}, 300_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs the reporter's project once, passing or failing; returns the run and what it loaded. */
async function runProject(job: Job, reporter: (typeof reporters)[number], outcome: 'pass' | 'fail') {
  const directory = path.join(project, `${reporter.name}-${outcome}`);
  await mkdir(path.join(directory, 'test'), { recursive: true });
  for (const [name, content] of Object.entries(reporter.files)) {
    await mkdir(path.dirname(path.join(directory, name)), { recursive: true });
    await writeFile(path.join(directory, name), content.replace('FAIL', outcome === 'pass' ? '1' : '2'));
  }
  // Each project resolves its packages from the scratch project's node_modules, one level up.
  const log = path.join(directory, 'loads.log');
  await writeFile(log, '');
  const [script, ...args] = reporter.command;
  const run = await job.run(process.execPath, [path.join(project, script), ...args.map((arg) => arg.replace('PROJECT', project))], {
    cwd: directory,
    env: { NODE_OPTIONS: `--require ${probe}`, PROMISE_FAILURE_LOADS_LOG: log },
    timeout: 120_000,
  });
  const loads = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  return { run, loads };
}

const core = /[\\/]@promise-failure[\\/]core[\\/]/;
/** The declaration's own code in the core's build: the claim (`declare-<hash>`), the transports, the worker's entry. */
const declarationCode = /[\\/](declare-[A-Z0-9]{8}|send-declaration-[A-Z0-9]{8}|declare-worker)\.c?js$/;
const undici = /[\\/]undici[\\/]/;
/** The core's transports (its `send-declaration-<hash>` chunk: Node's own HTTP; undici only behind a proxy). */
const transport = /[\\/]@promise-failure[\\/]core[\\/]dist[\\/]send-declaration-[A-Z0-9]{8}\.c?js/;

describe.each(reporters)('$name, installed from its packed package', (reporter) => {
  test('a passing run never loads the core; a failing one does, and promises once', async () => {
    const job = await startJob();
    try {
      const passing = await runProject(job, reporter, 'pass');
      expect(passing.run.code, passing.run.stderr).toBe(0);
      // The reporter itself was loaded from the scratch project, not from the workspace.
      const reporterDirectory = path.join(
        project,
        'node_modules',
        '@promise-failure',
        'package' in reporter ? reporter.package : reporter.name,
      );
      expect(
        passing.loads.some((line) => line.includes(reporterDirectory)),
        passing.loads.join('\n'),
      ).toBe(true);
      if ('alsoLoaded' in reporter) {
        const file = path.join(reporterDirectory, reporter.alsoLoaded);
        expect(
          passing.loads.some((line) => line.includes(file)),
          passing.loads.join('\n'),
        ).toBe(true);
      }
      expect(passing.loads.filter((line) => core.test(line) || undici.test(line))).toEqual([]);
      expect(job.fake.requests).toEqual([]);

      const failing = await runProject(job, reporter, 'fail');
      expect(failing.run.code, failing.run.stderr).not.toBe(0);
      expect(
        failing.loads.some((line) => core.test(line) && line.includes(project)),
        failing.loads.join('\n'),
      ).toBe(true);
      // The transports, the claim and the request never run on a runner's thread (thread 0 of any of the run's
      // processes): the reporter loads the core's front there (validation, the memo, the record reader), and the
      // core declares from a worker thread of its own, which loads the rest.
      const onRunnersThread = (line: string) => /^\d+\.0 /.test(line);
      expect(failing.loads.filter((line) => (transport.test(line) || undici.test(line)) && onRunnersThread(line))).toEqual([]);
      expect(failing.loads.some((line) => transport.test(line))).toBe(true);
      const coreLoads = failing.loads.filter((line) => core.test(line));
      expect(coreLoads.some(onRunnersThread), failing.loads.join('\n')).toBe(true);
      expect(coreLoads.filter((line) => onRunnersThread(line) && declarationCode.test(line))).toEqual([]);
      expect(coreLoads.some((line) => !onRunnersThread(line) && /[\\/]declare-worker\.c?js$/.test(line))).toBe(true);
      // With the plugin, a worker and the reporter both call: whichever is second reads the first's outcome.
      expect(failing.run.ourLines).toHaveLength(1);
      expect(failing.run.ourLines[0]).toMatch(reporter.name === 'vitest-plugin' ? acceptedLine : /\(declared via job-api\)$/);
      expect(job.fake.agentApiRequests()).toHaveLength(1);
    } finally {
      await job.close();
    }
  });
});
