import { expect, test } from 'vitest';
import { formatPrice } from '../src/format.js';

test('formats euros', () => {
  expect(formatPrice(12.5)).toBe('€12.50');
});

// Fails on purpose, in another file than the first failure: two workers fail, Buildkite is asked once.
test('uses a decimal comma', () => {
  expect(formatPrice(1234.5)).toBe('€1.234,50');
});

test.todo('formats in the customer locale');
