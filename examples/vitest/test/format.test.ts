import { expect, test } from 'vitest';
import { formatPrice } from '../src/format.js';

test('formats euros', () => {
  expect(formatPrice(12.5)).toBe('€12.50');
});

test.todo('formats in the customer locale');
