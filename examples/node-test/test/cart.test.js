const assert = require('node:assert');
const { describe, it } = require('node:test');
const { total } = require('../src/cart');

describe('cart', () => {
  it('sums prices times quantities', () => {
    assert.strictEqual(
      total([
        { price: 250, quantity: 2 },
        { price: 100, quantity: 1 },
      ]),
      600,
    );
  });

  it('is 0 when empty', () => {
    assert.strictEqual(total([]), 0);
  });
});
