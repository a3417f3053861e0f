const assert = require('node:assert');
const { describe, it } = require('node:test');
const { formatPrice } = require('../src/format');

describe('formatPrice', () => {
  it('shows dollars and cents', () => {
    assert.strictEqual(formatPrice(1999), '$19.99');
  });

  // Fails on purpose, in another file than login's: two test files fail, Buildkite is asked once.
  it('adds thousands separators', () => {
    assert.strictEqual(formatPrice(123456), '$1,234.56');
  });
});
