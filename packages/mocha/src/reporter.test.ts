import { EventEmitter } from 'node:events';
import { captureStderr } from '@promise-failure/reporting/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import PromiseFailureReporter from './index.js';

class InnerReporter {
  static instances: InnerReporter[] = [];
  readonly options: Record<string, unknown>;
  doneCalls = 0;
  constructor(_runner: unknown, options: Record<string, unknown>) {
    this.options = options;
    InnerReporter.instances.push(this);
  }
  done(failures: number, fn: (failures: number) => void) {
    this.doneCalls += 1;
    fn(failures);
  }
}

let stderr: string[];

beforeEach(() => {
  InnerReporter.instances = [];
  stderr = captureStderr();
  // Outside Buildkite: the core is called but skips, silently.
  vi.stubEnv('BUILDKITE_JOB_ID', undefined as unknown as string);
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function finish(reporter: PromiseFailureReporter, failures: number): Promise<number> {
  return new Promise((resolve) => reporter.done(failures, resolve));
}

describe('PromiseFailureReporter', () => {
  it('drives the inner reporter with the options that are not its own, and chains its done()', async () => {
    const runner = new EventEmitter();
    const reporter = new PromiseFailureReporter(runner, {
      color: false,
      reporterOption: { reporter: InnerReporter, exitStatus: '2', output: 'results.xml' },
    });

    expect(InnerReporter.instances).toHaveLength(1);
    const inner = InnerReporter.instances[0]!;
    expect(inner.options.reporterOption).toEqual({ output: 'results.xml' });
    expect(inner.options.reporterOptions).toEqual({ output: 'results.xml' });
    expect(inner.options.color).toBe(false);

    runner.emit('fail', { title: 't', titlePath: () => ['s', 't'], file: '/x.spec.js' }, new Error('boom'));
    expect(await finish(reporter, 1)).toBe(1);
    expect(inner.doneCalls).toBe(1);
    expect(stderr.join('')).toBe('');
  });

  it('an invalid option: one warning, the inner reporter still runs, the run goes on', async () => {
    const runner = new EventEmitter();
    const reporter = new PromiseFailureReporter(runner, { reporterOption: { reporter: InnerReporter, flushTimeout: 'soon' } });

    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toBe(
      'promise-failure: @promise-failure/mocha is turned off: Expected `flushTimeout` to be an integer from 0 to 2147483647 (ms), got "soon".\n',
    );
    runner.emit('fail', { title: 't' }, new Error('boom'));
    expect(await finish(reporter, 1)).toBe(1);
    expect(InnerReporter.instances[0]!.doneCalls).toBe(1);
  });

  it('a misspelt option of ours: one line naming it and what was meant; it still goes to the inner reporter', async () => {
    const runner = new EventEmitter();
    const reporter = new PromiseFailureReporter(runner, { reporterOption: { reporter: InnerReporter, exitstatus: '2', output: 'x.xml' } });
    expect(stderr).toEqual([
      'promise-failure: @promise-failure/mocha: unknown option `exitstatus` (did you mean `exitStatus`?), passed on to the inner reporter\n',
    ]);
    expect(InnerReporter.instances[0]!.options.reporterOption).toEqual({ exitstatus: '2', output: 'x.xml' });
    expect(await finish(reporter, 0)).toBe(0);
  });

  it('a reporter that cannot be loaded: a warning, and spec-less runs still complete', async () => {
    const runner = new EventEmitter();
    const reporter = new PromiseFailureReporter(runner, { reporterOption: { reporter: './does-not-exist.cjs' } });

    expect(stderr[0]).toMatch(/^promise-failure: could not use the reporter "\.\/does-not-exist\.cjs"/);
    expect(await finish(reporter, 0)).toBe(0);
  });
});
