const { formatPrice } = require('../src/format');

describe('formatPrice', () => {
  test('formats cents as dollars', () => {
    expect(formatPrice(1234)).toBe('$12.34');
  });

  test('keeps two decimals', () => {
    expect(formatPrice(500)).toBe('$5.00');
  });

  // Fails on purpose, in another file than login's: two workers fail, Buildkite is asked once.
  test('adds thousands separators', () => {
    expect(formatPrice(123456)).toBe('$1,234.56');
  });

  test.todo('formats other currencies');
});
