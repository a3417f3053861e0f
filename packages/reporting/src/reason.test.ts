import { describe, expect, test } from 'vitest';
import { firstLine, formatReason, relativePath } from './reason.js';

describe('formatReason', () => {
  test('the runner, what failed, and its file relative to cwd', () => {
    expect(formatReason('jest', 'login › rejects bad password failed', '/repo/test/login.test.js', '/repo')).toBe(
      'jest: login › rejects bad password failed (test/login.test.js)',
    );
    expect(formatReason('vitest', 'test run failed')).toBe('vitest: test run failed');
    expect(formatReason('mocha', 'uncaught error: boom', '', '/repo')).toBe('mocha: uncaught error: boom');
  });
});

describe('relativePath', () => {
  test('absolute paths, paths outside cwd, relative paths and file URLs', () => {
    expect(relativePath('/repo/a/b.test.js', '/repo')).toBe('a/b.test.js');
    expect(relativePath('/other/b.test.js', '/repo')).toBe('../other/b.test.js');
    expect(relativePath('src/t.test.ts', '/repo')).toBe('src/t.test.ts');
    expect(relativePath('file:///repo/a/b.js', '/repo')).toBe('a/b.js');
    expect(relativePath('file:///repo/with%20space/b.js', '/repo')).toBe('with space/b.js');
  });
});

describe('firstLine', () => {
  test('the first line that is not blank, trimmed and without colours', () => {
    expect(firstLine('\n  first\nsecond')).toBe('first');
    expect(firstLine('\u001b[1m● failed\u001b[22m')).toBe('● failed');
    expect(firstLine('')).toBeUndefined();
    expect(firstLine(null)).toBeUndefined();
  });

  test('cuts a very long line', () => {
    const line = firstLine('x'.repeat(1_000));
    expect(line).toHaveLength(200);
    expect(line?.endsWith('…')).toBe(true);
  });
});
