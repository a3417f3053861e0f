import { describe, expect, test } from 'vitest';
import { buildReason } from './reason.js';

const cwd = '/repo';

describe('buildReason', () => {
  test('names the runner, the full name of a failed test and its file relative to cwd', () => {
    expect(buildReason({ kind: 'test', fullName: 'login > rejects bad password', file: '/repo/test/login.test.ts' }, cwd)).toBe(
      'vitest: login > rejects bad password failed (test/login.test.ts)',
    );
  });

  test('names the suite whose hook failed, with the first line of the error', () => {
    const error = { name: 'Error', message: 'database down\n    at beforeAll' };
    expect(buildReason({ kind: 'suite', suiteName: 'orders', error, file: '/repo/orders.test.ts' }, cwd)).toBe(
      'vitest: a hook of orders failed: database down (orders.test.ts)',
    );
  });

  test('names a file that failed to load, with the error type', () => {
    const error = { name: 'RolldownError', message: 'Parse failure: Unexpected token\nAt file: x' };
    expect(buildReason({ kind: 'load', error, file: '/repo/a/broken.test.ts' }, cwd)).toBe(
      'vitest: test file failed to load: RolldownError: Parse failure: Unexpected token (a/broken.test.ts)',
    );
  });

  test('names a file that failed on its own error, or without one', () => {
    expect(buildReason({ kind: 'module', error: { message: 'boom' }, file: '/repo/f.test.ts' }, cwd)).toBe(
      'vitest: test file failed: boom (f.test.ts)',
    );
    expect(buildReason({ kind: 'module', error: undefined, file: '/repo/f.test.ts' }, cwd)).toBe('vitest: test file failed (f.test.ts)');
  });

  test('names the test an unhandled error came from, when Vitest knows it', () => {
    const error = {
      name: 'TypeError',
      message: 'x is undefined',
      VITEST_TEST_NAME: 'cart > totals',
      VITEST_TEST_PATH: '/repo/cart.test.ts',
    };
    expect(buildReason({ kind: 'unhandled', error }, cwd)).toBe(
      'vitest: unhandled error in cart > totals: TypeError: x is undefined (cart.test.ts)',
    );
    expect(buildReason({ kind: 'unhandled', error: { message: 'late' } }, cwd)).toBe('vitest: unhandled error: late');
  });

  test('falls back to the run', () => {
    expect(buildReason({ kind: 'run' }, cwd)).toBe('vitest: test run failed');
  });

  test('keeps a long message bounded', () => {
    const reason = buildReason({ kind: 'module', error: { message: 'x'.repeat(5000) }, file: '/repo/f.test.ts' }, cwd);
    expect(reason.length).toBeLessThan(300);
    expect(reason).toContain('…');
  });

  test('keeps a path outside cwd relative, and a relative path as it is', () => {
    expect(buildReason({ kind: 'test', fullName: 't', file: '/other/t.test.ts' }, cwd)).toBe('vitest: t failed (../other/t.test.ts)');
    expect(buildReason({ kind: 'test', fullName: 't', file: 'src/t.test.ts' }, cwd)).toBe('vitest: t failed (src/t.test.ts)');
  });
});
