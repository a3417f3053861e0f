const { formatPrice } = require('../src/format');

describe('formatPrice', () => {
  test('formats cents as dollars', () => {
    expect(formatPrice(1234)).toBe('$12.34');
  });

  test('keeps two decimals', () => {
    expect(formatPrice(500)).toBe('$5.00');
  });

  test.todo('formats other currencies');
});
