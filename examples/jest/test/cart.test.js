const { applyDiscount, subtotal } = require('../src/cart');

describe('cart', () => {
  test('sums the items', () => {
    expect(
      subtotal([
        { price: 2.5, quantity: 2 },
        { price: 1, quantity: 1 },
      ]),
    ).toBe(6);
  });

  test('applies a discount', () => {
    expect(applyDiscount(10, 25)).toBe(7.5);
  });

  test('rejects a discount over 100 %', () => {
    expect(() => applyDiscount(10, 120)).toThrow(RangeError);
  });
});
