import { describe, expect, test } from 'vitest';
import { applyDiscount, subtotal } from '../src/cart.js';

describe('cart', () => {
  test('sums the items', () => {
    expect(
      subtotal([
        { sku: 'a', price: 2.5, quantity: 2 },
        { sku: 'b', price: 1, quantity: 1 },
      ]),
    ).toBe(6);
  });

  test('is empty at first', () => {
    expect(subtotal([])).toBe(0);
  });

  test('rejects a discount over 100 %', () => {
    expect(() => applyDiscount(10, 120)).toThrow(RangeError);
  });
});
