import { describe, expect, it } from 'vitest';
import { buildFailureReason, buildLoadFailureReason, buildRunFailureReason, fileFromError } from './reason.js';

const cwd = '/project';

function runnable(titles: string[], extra: { file?: string; type?: string } = {}) {
  return { title: titles.at(-1), titlePath: () => titles, fullTitle: () => titles.join(' '), ...extra };
}

describe('buildFailureReason', () => {
  it('names the runner, the full title and the file relative to cwd', () => {
    expect(
      buildFailureReason(
        runnable(['login', 'rejects bad password'], { file: '/project/test/login.spec.js', type: 'test' }),
        new Error('x'),
        cwd,
      ),
    ).toBe('mocha: login › rejects bad password failed (test/login.spec.js)');
  });

  it('names a hook', () => {
    expect(
      buildFailureReason(
        runnable(['db', '"before all" hook for "reads"'], { file: '/project/test/db.spec.js', type: 'hook' }),
        new Error('x'),
        cwd,
      ),
    ).toBe('mocha: db › "before all" hook for "reads" failed (test/db.spec.js)');
  });

  it('a file that fails to load in --parallel: the error and the file from its stack (Mocha 10, 11)', () => {
    const error = {
      message: 'Unexpected end of input',
      stack:
        '/project/test/broken.spec.js:2\n\n\nSyntaxError: Unexpected end of input\n    at wrapSafe (node:internal/modules/cjs/loader:1464:18)',
    };
    expect(buildFailureReason(runnable(['Uncaught error outside test suite']), error, cwd)).toBe(
      'mocha: Uncaught error outside test suite: Unexpected end of input (test/broken.spec.js)',
    );
  });

  it('a file that fails to load in --parallel: the file Mocha 12 gives', () => {
    expect(
      buildFailureReason(runnable(['Uncaught error outside test suite'], { file: '/project/b.spec.js' }), new Error('boom\nmore'), cwd),
    ).toBe('mocha: Uncaught error outside test suite: boom (b.spec.js)');
  });

  it('survives a runnable that throws or is missing', () => {
    const throwing = {
      titlePath: () => {
        throw new Error('no');
      },
      fullTitle: () => {
        throw new Error('no');
      },
      title: 'fallback',
    };
    expect(buildFailureReason(throwing, new Error('x'), cwd)).toBe('mocha: fallback failed');
    expect(buildFailureReason(undefined, 'text', cwd)).toBe('mocha: uncaught error: text');
  });
});

describe('buildLoadFailureReason', () => {
  it('names the error and the file outside node_modules', () => {
    const error = new SyntaxError('Unexpected token');
    error.stack = 'file:///project/node_modules/x/index.js:1\nfile:///project/test/a.spec.mjs:3\nSyntaxError: Unexpected token';
    expect(buildLoadFailureReason(error, cwd)).toBe('mocha: test files failed to load: Unexpected token (test/a.spec.mjs)');
  });
});

describe('helpers', () => {
  it('fileFromError returns undefined without a stack', () => {
    expect(fileFromError(undefined)).toBeUndefined();
    expect(fileFromError({ stack: 'Error: x\n    at node:internal/foo:1:2' })).toBeUndefined();
  });

  it('buildRunFailureReason counts failures', () => {
    expect(buildRunFailureReason(1)).toBe('mocha: the run failed (1 failure)');
    expect(buildRunFailureReason(3)).toBe('mocha: the run failed (3 failures)');
  });
});
