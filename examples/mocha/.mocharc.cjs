// Mocha runs one reporter: @promise-failure/mocha drives `spec` (or the one named in `reporter=`) for the
// output, and promises the Buildkite job's failure on the first failing test.
module.exports = {
  spec: ['test/**/*.spec.js'],
  parallel: true,
  jobs: 3,
  reporter: '@promise-failure/mocha',
  'reporter-option': ['reporter=spec', 'flushTimeout=10000'],
};
