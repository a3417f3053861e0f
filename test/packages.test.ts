import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

const specifiers = [
  '@promise-failure/core',
  '@promise-failure/testkit',
  '@promise-failure/jest',
  '@promise-failure/vitest',
  '@promise-failure/mocha',
  '@promise-failure/mocha/register',
  '@promise-failure/playwright',
  '@promise-failure/node-test',
] as const;

type Specifier = (typeof specifiers)[number];

interface Shape {
  type: string;
  name?: string;
  isClass: boolean;
  keys: string[];
  exports: Record<string, string>;
  defaultName?: string;
}

/*
 * Loaded by plain Node in a child process, as a user's project loads them (not through Vitest's module
 * graph): `import()` from an ES module, `require` from CommonJS (createRequire). Each module is described by
 * what it exports and the type of each export.
 */
const describeModules = `
import { createRequire } from 'node:module';
const require = createRequire(process.cwd() + '/noop.js');
const describe = (value) => ({
  type: typeof value,
  name: typeof value === 'function' ? value.name : undefined,
  isClass: typeof value === 'function' && /^class\\b/.test(Function.prototype.toString.call(value)),
  keys: Object.keys(value ?? {}).sort(),
  exports: Object.fromEntries(Object.entries(value ?? {}).map(([key, entry]) => [key, typeof entry])),
  defaultName: typeof value?.default === 'function' ? value.default.name : undefined,
});
const specifiers = ${JSON.stringify(specifiers)};
const result = { esm: {}, cjs: {} };
for (const specifier of specifiers) result.esm[specifier] = describe(await import(specifier));
for (const specifier of specifiers) result.cjs[specifier] = describe(require(specifier));
process.stdout.write(JSON.stringify(result));
`;

async function loadAll(): Promise<{ esm: Record<Specifier, Shape>; cjs: Record<Specifier, Shape> }> {
  const run = await runProcess(process.execPath, ['--input-type=module', '--eval', describeModules], { cwd: here, env, timeout: 30_000 });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('every package loads from ESM and from CommonJS, with its exports', async () => {
  const loaded = await loadAll();

  it.each(['esm', 'cjs'] as const)('@promise-failure/core (%s): promiseFailure, ErrorCode, PromiseFailureError', (system) => {
    const core = loaded[system]['@promise-failure/core'];
    expect(core.exports).toMatchObject({ promiseFailure: 'function', ErrorCode: 'object', PromiseFailureError: 'function' });
  });

  it.each(['esm', 'cjs'] as const)('@promise-failure/testkit (%s): startFakeBuildkite', (system) => {
    expect(loaded[system]['@promise-failure/testkit'].exports).toMatchObject({ startFakeBuildkite: 'function' });
  });

  it.each(['esm', 'cjs'] as const)('@promise-failure/jest (%s): the reporter class as default export', (system) => {
    const jest = loaded[system]['@promise-failure/jest'];
    // Jest loads a reporter with require() and takes `default` when the module has one.
    expect(jest.exports).toMatchObject({ default: 'function', PromiseFailureReporter: 'function' });
    expect(jest.defaultName).toBeTruthy();
  });

  it.each(['esm', 'cjs'] as const)(
    '@promise-failure/vitest (%s): the reporter class as default export, and promiseFailurePlugin',
    (system) => {
      expect(loaded[system]['@promise-failure/vitest'].exports).toMatchObject({
        default: 'function',
        PromiseFailureReporter: 'function',
        promiseFailurePlugin: 'function',
      });
    },
  );

  it("@promise-failure/mocha: require() gives the Reporter class itself (Mocha's --reporter loads it so)", () => {
    const mocha = loaded.cjs['@promise-failure/mocha'];
    expect(mocha.type).toBe('function');
    expect(mocha.isClass).toBe(true);
    expect(mocha.exports).not.toHaveProperty('default');
  });

  it('@promise-failure/mocha: import() gives the Reporter class as default export', () => {
    expect(loaded.esm['@promise-failure/mocha'].exports).toMatchObject({ default: 'function' });
    expect(loaded.esm['@promise-failure/mocha'].defaultName).toBe('PromiseFailureReporter');
  });

  it.each(['esm', 'cjs'] as const)('@promise-failure/playwright (%s): the reporter class as default export', (system) => {
    const playwright = loaded[system]['@promise-failure/playwright'];
    // Playwright resolves a reporter with require.resolve, loads it with require or import, and takes `default`.
    expect(playwright.exports).toMatchObject({ default: 'function', PromiseFailureReporter: 'function' });
    expect(playwright.defaultName).toBeTruthy();
  });

  it.each(['esm', 'cjs'] as const)('@promise-failure/mocha/register (%s) loads, with configure()', (system) => {
    expect(loaded[system]['@promise-failure/mocha/register'].exports).toMatchObject({ configure: 'function' });
  });

  it('@promise-failure/node-test: import() gives the reporter (an async generator function) as default export', () => {
    expect(loaded.esm['@promise-failure/node-test'].exports).toEqual({ default: 'function' });
    expect(loaded.esm['@promise-failure/node-test'].defaultName).toBe('promiseFailureReporter');
  });

  it('@promise-failure/node-test: require() gives the reporter itself (what a CommonJS script composes onto run())', () => {
    expect(loaded.cjs['@promise-failure/node-test'].type).toBe('function');
    expect(loaded.cjs['@promise-failure/node-test'].name).toBe('promiseFailureReporter');
  });
});

// `npm run check:packages`, the same as at release: it packs each package three times (publint, attw, npm pack),
// which takes minutes on a loaded 2-core machine.
it('every published package passes publint (strict) and attw (node16 and bundler), packed locally, with its LICENSE', async () => {
  const run = await runProcess(process.execPath, [path.join(root, 'test/support/check-packages.mjs')], {
    cwd: root,
    env,
    timeout: 290_000,
  });
  expect(run.stdout + run.stderr, 'npm run check:packages').not.toMatch(/✗/);
  expect(run.code).toBe(0);
  for (const name of ['core', 'testkit', 'jest', 'vitest', 'mocha', 'playwright', 'node-test'])
    expect(run.stdout).toContain(`✓ @promise-failure/${name}: `);
}, 300_000);
