import { describe, expect, test } from 'vitest';
import { readTestEngineRun } from './test-engine.js';

const bktec = {
  BUILDKITE_TEST_ENGINE_SUITE_SLUG: 'web',
  BUILDKITE_TEST_ENGINE_TEST_RUNNER: 'jest',
  BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN: 'bkua_secret',
  BUILDKITE_ORGANIZATION_SLUG: 'acme',
  BUILDKITE_BUILD_ID: 'b1',
  BUILDKITE_STEP_ID: 's1',
};

describe('readTestEngineRun', () => {
  test('outside bktec (no suite or no runner): undefined', () => {
    expect(readTestEngineRun({})).toBeUndefined();
    expect(readTestEngineRun({ ...bktec, BUILDKITE_TEST_ENGINE_SUITE_SLUG: '' })).toBeUndefined();
    expect(readTestEngineRun({ ...bktec, BUILDKITE_TEST_ENGINE_TEST_RUNNER: undefined })).toBeUndefined();
  });

  test('the plan bktec fetches: the default base URL, the build/step identifier, BUILDKITE_RETRY_COUNT as Go reads it', () => {
    expect(readTestEngineRun({ ...bktec, BUILDKITE_RETRY_COUNT: '0x2' })).toEqual({
      runner: 'jest',
      plan: {
        url: 'https://api.buildkite.com/v2/analytics/organizations/acme/suites/web/test_plan?identifier=b1%2Fs1&job_retry_count=2',
        token: 'bkua_secret',
      },
    });
  });

  test('BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER wins, and a base URL with a path and a trailing slash is joined once', () => {
    const run = readTestEngineRun({
      ...bktec,
      BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER: 'plan 7',
      BUILDKITE_TEST_ENGINE_BASE_URL: 'http://127.0.0.1:8080/api/',
    });
    expect(run?.plan).toEqual({
      url: 'http://127.0.0.1:8080/api/v2/analytics/organizations/acme/suites/web/test_plan?identifier=plan%207&job_retry_count=0',
      token: 'bkua_secret',
    });
  });

  test.each([
    ['no token (bktec on OIDC)', { BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN: '' }, /BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN is not set/],
    ['no organization', { BUILDKITE_ORGANIZATION_SLUG: undefined }, /BUILDKITE_ORGANIZATION_SLUG is not set/],
    ['no identifier', { BUILDKITE_STEP_ID: undefined }, /neither BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER nor/],
    ['a base URL that is not one', { BUILDKITE_TEST_ENGINE_BASE_URL: 'not a url' }, /BUILDKITE_TEST_ENGINE_BASE_URL is not a URL/],
    ['a base URL that is not http(s)', { BUILDKITE_TEST_ENGINE_BASE_URL: 'ftp://x' }, /must be an http\(s\) URL/],
  ])('%s: a problem that says so, never the token', (_name, change, problem) => {
    const plan = readTestEngineRun({ ...bktec, ...change })?.plan;
    expect(plan).toEqual({ problem: expect.stringMatching(problem) });
    expect(JSON.stringify(plan)).not.toContain('bkua_secret');
  });
});
