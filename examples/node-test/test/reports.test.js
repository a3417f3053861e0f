const assert = require('node:assert');
const { describe, it } = require('node:test');

// A slower file, run after the failing ones: their failure reaches Buildkite while this one still runs.
describe('reports', () => {
  it('builds the monthly report', async () => {
    const cents = await new Promise((resolve) => setTimeout(() => resolve(12 * 100), 2000));
    assert.strictEqual(cents, 1200);
  });
});
