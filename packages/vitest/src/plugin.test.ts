import { captureStderr } from '@promise-failure/reporting/testing';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { VitestPluginContext } from 'vitest/node';
import { promiseFailurePlugin } from './plugin.js';
import { isPromiseFailureReporter, PromiseFailureReporter } from './reporter.js';
import { setupFilePath } from './setup-file.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** What `configureVitest` reads: the resolved config's reporters, before Vitest makes them. */
function configure(plugin: ReturnType<typeof promiseFailurePlugin>, reporters: unknown[]): unknown[] {
  plugin.configureVitest({ vitest: { config: { reporters } } } as unknown as VitestPluginContext);
  return reporters;
}

const ignored =
  /^promise-failure: the options of promiseFailurePlugin\(\) \(\{"exitStatus":3\}\) are ignored: @promise-failure\/vitest is also listed/;

describe('promiseFailurePlugin', () => {
  test('adds the reporter when it is not listed, once across projects', () => {
    const plugin = promiseFailurePlugin({ exitStatus: 3 });
    const reporters = configure(plugin, [['default', {}]]);
    expect(reporters).toHaveLength(2);
    expect(isPromiseFailureReporter(reporters[1])).toBe(true);
    configure(plugin, reporters);
    expect(reporters).toHaveLength(2);
  });

  test('beside a listed reporter with other options: adds nothing and says its own options are ignored, once', () => {
    const lines = captureStderr();
    const plugin = promiseFailurePlugin({ exitStatus: 3 });
    const reporters = [
      ['default', {}],
      ['@promise-failure/vitest', {}],
    ];
    configure(plugin, reporters);
    configure(plugin, reporters);
    expect(reporters).toHaveLength(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(ignored);
    // A listed instance counts too.
    const instanceLines = captureStderr();
    configure(promiseFailurePlugin({ exitStatus: 3 }), [new PromiseFailureReporter({ exitStatus: 2 })]);
    expect(instanceLines[0]).toMatch(ignored);
  });

  test('beside a listed reporter with the same options, or without options of its own: silent', () => {
    const lines = captureStderr();
    configure(promiseFailurePlugin({ exitStatus: 3 }), [['@promise-failure/vitest', { exitStatus: 3 }]]);
    configure(promiseFailurePlugin({ exitStatus: 3 }), [new PromiseFailureReporter({ exitStatus: 3 })]);
    configure(promiseFailurePlugin(), ['@promise-failure/vitest']);
    configure(promiseFailurePlugin({}), [['@promise-failure/vitest', { exitStatus: 2 }]]);
    expect(lines).toEqual([]);
  });

  test("adds the workers' setup file to each project it configures, once", () => {
    const plugin = promiseFailurePlugin();
    const threads = { config: { setupFiles: ['/repo/setup.ts'] } };
    const forks = { config: { setupFiles: [] as string[] } };
    for (const project of [threads, forks, threads]) {
      plugin.configureVitest({ vitest: { config: { reporters: [] } }, project } as unknown as VitestPluginContext);
    }
    expect(threads.config.setupFiles).toEqual(['/repo/setup.ts', setupFilePath()]);
    expect(forks.config.setupFiles).toEqual([setupFilePath()]);
    expect(setupFilePath()).toMatch(/[/\\]setup\.js$/);
  });

  test('a config it cannot read: one internal-error line, never a throw', () => {
    const lines = captureStderr();
    const plugin = promiseFailurePlugin();
    expect(() => plugin.configureVitest({ vitest: { config: {} } } as unknown as VitestPluginContext)).not.toThrow();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^promise-failure: internal error in configureVitest: TypeError/);
  });
});
