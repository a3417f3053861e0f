const assert = require('node:assert');

// A slower file: the failure in login.spec.js reaches Buildkite while this one still runs.
describe('reports', () => {
  it('builds the monthly report', async function () {
    this.timeout(10_000);
    const cents = await new Promise((resolve) => setTimeout(() => resolve(12 * 100), 2000));
    assert.strictEqual(cents, 1200);
  });
});
