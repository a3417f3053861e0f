/** @type {import('jest').Config} */
module.exports = {
  testMatch: ['<rootDir>/test/**/*.test.js'],
  // Keep Jest's own output and add the reporter: it promises the Buildkite job's failure as soon as a test
  // file fails, and prints one line at the end. Outside Buildkite it does nothing.
  reporters: ['default', ['@promise-failure/jest', { flushTimeout: 10_000 }]],
  // Several workers, so failures arrive from different processes: Buildkite is still asked once.
  maxWorkers: 3,
};
