const assert = require('node:assert');
const { formatPrice } = require('../src/format');

describe('formatPrice', () => {
  it('shows dollars and cents', () => {
    assert.strictEqual(formatPrice(1999), '$19.99');
  });
});
