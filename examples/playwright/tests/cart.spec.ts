import { expect, test } from '@playwright/test';
import { applyDiscount, subtotal } from '../src/cart';

test.describe('cart', () => {
  test('sums the items', () => {
    expect(
      subtotal([
        { sku: 'tea', price: 2.5, quantity: 2 },
        { sku: 'cup', price: 1, quantity: 1 },
      ]),
    ).toBe(6);
  });

  // Fails on purpose, in another file than login's: two workers fail, Buildkite is asked once.
  test('applies a 15 % discount', () => {
    expect(applyDiscount(20, 15)).toBe(16);
  });

  test('rejects a discount over 100 %', () => {
    expect(() => applyDiscount(10, 120)).toThrow(RangeError);
  });
});
