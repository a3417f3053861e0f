import { parseGoInteger } from './go-integer.js';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A run under Buildkite Test Engine's client (bktec), as its environment shows it: bktec needs a suite and a
 * runner, and a runner it starts inherits its whole environment (`os.Environ()`), so both variables are there.
 * The names and defaults below are bktec's own (its `cli.go` flags and `config/validate.go`).
 */
export interface TestEngineRun {
  /** `BUILDKITE_TEST_ENGINE_TEST_RUNNER`: `jest`, `vitest`, `playwright`, `custom`, … */
  readonly runner: string;
  /** Where bktec's test plan is read, or why it cannot be (a variable bktec needs is missing). */
  readonly plan: { readonly url: string; readonly token: string } | { readonly problem: string };
}

export const testEngineVariables = {
  suite: 'BUILDKITE_TEST_ENGINE_SUITE_SLUG',
  runner: 'BUILDKITE_TEST_ENGINE_TEST_RUNNER',
  baseUrl: 'BUILDKITE_TEST_ENGINE_BASE_URL',
  token: 'BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN',
  identifier: 'BUILDKITE_TEST_ENGINE_PLAN_IDENTIFIER',
  organization: 'BUILDKITE_ORGANIZATION_SLUG',
  buildId: 'BUILDKITE_BUILD_ID',
  stepId: 'BUILDKITE_STEP_ID',
  jobRetryCount: 'BUILDKITE_RETRY_COUNT',
} as const;

const defaultBaseUrl = 'https://api.buildkite.com';

/** The bktec run this process is part of, or `undefined` outside bktec (then no Test Engine request is ever made). */
export function readTestEngineRun(env: Environment): TestEngineRun | undefined {
  const suite = env[testEngineVariables.suite];
  const runner = env[testEngineVariables.runner];
  if (!suite || !runner) return undefined;
  return { runner, plan: locatePlan(env, suite) };
}

/**
 * `GET {base}/v2/analytics/organizations/{org}/suites/{suite}/test_plan?identifier=…&job_retry_count=…`, the
 * request bktec's `FetchTestPlan` makes for the plan it runs (so the same plan, from the server's cache).
 */
function locatePlan(env: Environment, suite: string): TestEngineRun['plan'] {
  const token = env[testEngineVariables.token];
  // bktec falls back to an OIDC token from the agent; that token is bktec's, and we cannot ask for one here.
  if (!token) return { problem: `${testEngineVariables.token} is not set (bktec may be using an OIDC token)` };
  const organization = env[testEngineVariables.organization];
  if (!organization) return { problem: `${testEngineVariables.organization} is not set` };
  const buildId = env[testEngineVariables.buildId];
  const stepId = env[testEngineVariables.stepId];
  const identifier = env[testEngineVariables.identifier] || (buildId && stepId ? `${buildId}/${stepId}` : undefined);
  if (identifier === undefined) {
    return {
      problem: `neither ${testEngineVariables.identifier} nor ${testEngineVariables.buildId} and ${testEngineVariables.stepId} are set`,
    };
  }
  const base = env[testEngineVariables.baseUrl] || defaultBaseUrl;
  let origin: URL;
  try {
    origin = new URL(base);
  } catch {
    return { problem: `${testEngineVariables.baseUrl} is not a URL: ${JSON.stringify(base)}` };
  }
  if (origin.protocol !== 'https:' && origin.protocol !== 'http:') {
    return { problem: `${testEngineVariables.baseUrl} must be an http(s) URL, got ${JSON.stringify(base)}` };
  }
  // bktec passes BUILDKITE_RETRY_COUNT through the same Go integer parser; a value it cannot parse stops bktec.
  const retryCount = parseGoInteger(env[testEngineVariables.jobRetryCount] ?? '') ?? 0n;
  const path =
    `${origin.pathname.replace(/\/+$/, '')}/v2/analytics/organizations/${encodeURIComponent(organization)}` +
    `/suites/${encodeURIComponent(suite)}/test_plan?identifier=${encodeURIComponent(identifier)}&job_retry_count=${retryCount}`;
  return { url: `${origin.origin}${path}`, token };
}
