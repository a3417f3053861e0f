import type { RecordedRequest, TestEngineTest } from './types.js';

/** What the fake Test Engine knows: one suite, one plan, and who may read it. */
export interface TestPlanSettings {
  readonly organization: string;
  readonly suite: string;
  /** The plan's identifier: `{BUILDKITE_BUILD_ID}/{BUILDKITE_STEP_ID}`, as bktec makes it. */
  readonly identifier: string;
  readonly token: string;
  readonly muted: readonly TestEngineTest[];
  /** Anything but 200: the route answers this status and an error instead of the plan. */
  readonly status: number;
}

const TEST_PLAN_ROUTE = /^\/v2\/analytics\/organizations\/([^/]+)\/suites\/([^/]+)\/test_plan$/;

/** Whether a path (query excluded) is Test Engine's test plan route. */
export function isTestPlanPath(path: string): boolean {
  return TEST_PLAN_ROUTE.test(path);
}

/**
 * The answer to `GET …/test_plan?identifier=…&job_retry_count=…`, as Test Engine gives it to bktec: a bearer
 * token first (401), then the suite and the plan's identifier (404 for another), then the configured status,
 * then the plan, one task holding no tests and `muted_tests` as configured.
 */
export function answerTestPlan(settings: TestPlanSettings, request: RecordedRequest): { status: number; body: unknown } {
  const url = new URL(request.path, 'http://fake');
  const route = TEST_PLAN_ROUTE.exec(url.pathname);
  if (request.method !== 'GET' || route === null) return { status: 404, body: { message: 'Not Found' } };
  if (request.headers.authorization !== `Bearer ${settings.token}`) return { status: 401, body: { message: 'Unauthorized' } };
  const [organization, suite] = [decodeURIComponent(route[1] as string), decodeURIComponent(route[2] as string)];
  if (organization !== settings.organization || suite !== settings.suite) return { status: 404, body: { message: 'Suite not found' } };
  if (url.searchParams.get('identifier') !== settings.identifier) return { status: 404, body: { message: 'Test plan not found' } };
  if (settings.status !== 200) return { status: settings.status, body: { message: `Test plan unavailable (${settings.status})` } };
  return {
    status: 200,
    body: {
      identifier: settings.identifier,
      parallelism: 1,
      tasks: { '0': { node_number: 0, tests: [] } },
      muted_tests: settings.muted.map((test) => ({ scope: test.scope, name: test.name, format: 'example' })),
    },
  };
}
