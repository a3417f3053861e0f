// Generates the reporter benchmark's test suites at run time (nothing is committed): for each runner, `files`
// test files of trivial tests, `failures` of them failing (spread evenly over the files), and two configs,
// with and without the reporter. They are written under the repository's `.tmp/` (git-ignored), so the
// runners and reporters resolve from its node_modules as in a user's project.
//
// `benchRunners` is the list the bench iterates: a new runner is one more entry (its name, the package whose
// `bin` runs it — `binName` when the bin is not named like the package, `null` for Node itself — and how to
// write its suite; `failures(n)` when the runner cannot afford the common number of failing tests; `label`
// when its rows are not "<name> reporter"; `profiled: false` to leave it out of the profile breakdown).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const pad = (index) => String(index + 1).padStart(2, '0');

/** Which tests of file `file` fail, so that `failures` fail in all, spread over the files. */
function failingIn(file, { files, testsPerFile, failures }) {
  const perFile = Math.floor(failures / files) + (file < failures % files ? 1 : 0);
  const every = perFile > 0 ? testsPerFile / perFile : Infinity;
  return new Set(Array.from({ length: perFile }, (_, index) => Math.floor(index * every)));
}

function testFile(shape, file, { call, equal, differ }) {
  const failing = failingIn(file, shape);
  const tests = Array.from(
    { length: shape.testsPerFile },
    (_, index) => `  ${call}('case ${index + 1}', () => { ${failing.has(index) ? differ(index) : equal(index)} });`,
  );
  return `describe('file ${pad(file)}', () => {\n${tests.join('\n')}\n});\n`;
}

/**
 * A Vitest suite in `vitest` with two configs: `with` (`reporters`, and `plugin` with its `import` when given)
 * and `without` (Vitest's default reporter alone).
 */
/** @param {string} vitest @param {{ files: number, testsPerFile: number, failures: number }} shape @param {{ reporters: string, plugin?: { import: string, call: string } }} config */
function vitestSuite(vitest, shape, { reporters, plugin }) {
  mkdirSync(join(vitest, 'test'), { recursive: true });
  const test = (list, extra = '') => `test: { include: ['test/*.test.js'], pool: 'forks', maxWorkers: 2, reporters: ${list}${extra} }`;
  // In a user's project the plugin's setup file is in node_modules, which Vitest imports natively in each
  // worker; here it resolves through the workspace's link, and Vitest would run it through its own module
  // runner instead (about twice the cost per test file): `server.deps.external` keeps it as a user has it.
  const external = ', server: { deps: { external: [/@promise-failure/] } }';
  const withConfig = plugin
    ? `${plugin.import}\nexport default { plugins: [${plugin.call}], ${test(reporters, external)} };\n`
    : `export default { ${test(reporters)} };\n`;
  writeFileSync(join(vitest, 'vitest.with.config.mjs'), withConfig);
  writeFileSync(join(vitest, 'vitest.without.config.mjs'), `export default { ${test("['default']")} };\n`);
  for (let file = 0; file < shape.files; file++) {
    writeFileSync(
      join(vitest, 'test', `file-${pad(file)}.test.js`),
      `import { describe, expect, test } from 'vitest';\n\n${testFile(shape, file, { call: 'test', equal: (index) => `expect(${index}).toBe(${index});`, differ: (index) => `expect(${index}).toBe(${index + 1});` })}`,
    );
  }
  return { cwd: vitest, with: ['run', '--config=vitest.with.config.mjs'], without: ['run', '--config=vitest.without.config.mjs'] };
}

/**
 * The runners the reporter rows and the profile breakdown measure. Each `generate(directory, shape)` writes a
 * suite and returns `{ cwd, with: args, without: args }` (arguments after the runner's bin).
 */
export const benchRunners = [
  {
    name: 'jest',
    bin: 'jest',
    generate(directory, shape) {
      const jest = join(directory, 'jest');
      mkdirSync(join(jest, 'test'), { recursive: true });
      writeFileSync(join(jest, 'package.json'), '{ "type": "commonjs" }\n');
      for (const [name, reporters] of [
        ['with', `['default', '@promise-failure/jest']`],
        ['without', `['default']`],
      ]) {
        writeFileSync(
          join(jest, `jest.${name}.config.js`),
          `module.exports = { rootDir: __dirname, testMatch: ['<rootDir>/test/*.test.js'], maxWorkers: 2, reporters: ${reporters} };\n`,
        );
      }
      for (let file = 0; file < shape.files; file++) {
        writeFileSync(
          join(jest, 'test', `file-${pad(file)}.test.js`),
          testFile(shape, file, {
            call: 'test',
            equal: (index) => `expect(${index}).toBe(${index});`,
            differ: (index) => `expect(${index}).toBe(${index + 1});`,
          }),
        );
      }
      return {
        cwd: jest,
        with: ['--config=jest.with.config.js', `--cacheDirectory=${join(directory, 'jest-cache')}`],
        without: ['--config=jest.without.config.js', `--cacheDirectory=${join(directory, 'jest-cache')}`],
      };
    },
  },
  {
    name: 'vitest',
    bin: 'vitest',
    generate: (directory, shape) => vitestSuite(join(directory, 'vitest'), shape, { reporters: "['default', '@promise-failure/vitest']" }),
  },
  {
    // The plugin: the reporter, and the setup file with which Vitest's workers promise (the earliest mode).
    name: 'vitest',
    label: "vitest plugin (the workers' setup file)",
    bin: 'vitest',
    profiled: false,
    generate: (directory, shape) =>
      vitestSuite(join(directory, 'vitest-plugin'), shape, {
        reporters: "['default']",
        plugin: { import: "import { promiseFailurePlugin } from '@promise-failure/vitest';", call: 'promiseFailurePlugin()' },
      }),
  },
  {
    name: 'mocha',
    bin: 'mocha',
    generate(directory, shape) {
      const mocha = join(directory, 'mocha');
      mkdirSync(join(mocha, 'test'), { recursive: true });
      writeFileSync(join(mocha, 'package.json'), '{ "type": "commonjs" }\n');
      for (let file = 0; file < shape.files; file++) {
        writeFileSync(
          join(mocha, 'test', `file-${pad(file)}.spec.js`),
          `const assert = require('node:assert');\n\n${testFile(shape, file, { call: 'it', equal: (index) => `assert.strictEqual(${index}, ${index});`, differ: (index) => `assert.strictEqual(${index}, ${index + 1});` })}`,
        );
      }
      const mochaArgs = ['--parallel', '--jobs=2', '--no-config', 'test/*.spec.js'];
      return { cwd: mocha, with: [...mochaArgs, '--reporter=@promise-failure/mocha'], without: [...mochaArgs, '--reporter=spec'] };
    },
  },
  {
    name: 'playwright',
    bin: '@playwright/test',
    binName: 'playwright',
    // Playwright starts a new worker process after every failing test (a second or more each, under load):
    // the common 500 failures would measure worker restarts. One failing test per file is a failing run.
    failures: (failures, shape) => Math.min(failures, shape.files),
    generate(directory, shape) {
      const playwright = join(directory, 'playwright');
      mkdirSync(join(playwright, 'tests'), { recursive: true });
      writeFileSync(join(playwright, 'package.json'), '{ "type": "commonjs" }\n');
      for (const [name, reporter] of [
        ['with', `[['dot'], ['@promise-failure/playwright']]`],
        ['without', `[['dot']]`],
      ]) {
        writeFileSync(
          join(playwright, `playwright.${name}.config.js`),
          `module.exports = { testDir: 'tests', workers: 2, retries: 0, reporter: ${reporter} };\n`,
        );
      }
      for (let file = 0; file < shape.files; file++) {
        const body = testFile(shape, file, {
          call: 'test',
          equal: (index) => `expect(${index}).toBe(${index});`,
          differ: (index) => `expect(${index}).toBe(${index + 1});`,
        });
        writeFileSync(
          join(playwright, 'tests', `file-${pad(file)}.spec.js`),
          `const { test, expect } = require('@playwright/test');\n\n${body.replace(/^describe\(/, 'test.describe(')}`,
        );
      }
      return {
        cwd: playwright,
        with: ['test', '--config=playwright.with.config.js'],
        without: ['test', '--config=playwright.without.config.js'],
      };
    },
  },
  {
    name: 'node-test',
    bin: null,
    // Node 20's `node --test` parent process writes no `--cpu-prof` profile (its children do), so the
    // breakdown of the runner's thread cannot be drawn for it there; the reporter rows still measure it.
    profiled: Number(process.versions.node.split('.')[0]) >= 22,
    generate(directory, shape) {
      const nodeTest = join(directory, 'node-test');
      mkdirSync(join(nodeTest, 'test'), { recursive: true });
      for (let file = 0; file < shape.files; file++) {
        writeFileSync(
          join(nodeTest, 'test', `file-${pad(file)}.test.mjs`),
          `import assert from 'node:assert';\nimport { describe, it } from 'node:test';\n\n${testFile(shape, file, { call: 'it', equal: (index) => `assert.strictEqual(${index}, ${index});`, differ: (index) => `assert.strictEqual(${index}, ${index + 1});` })}`,
        );
      }
      const dot = ['--test', '--test-reporter=dot', '--test-reporter-destination=stdout'];
      const files = Array.from({ length: shape.files }, (_, file) => `test/file-${pad(file)}.test.mjs`);
      return {
        cwd: nodeTest,
        with: [...dot, '--test-reporter=@promise-failure/node-test', '--test-reporter-destination=stderr', ...files],
        without: [...dot, ...files],
      };
    },
  },
];
