import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { declareUpstream } from './agent-api-client.js';
import { type RunningServer, startAgentApiServer } from './agent-api-server.js';
import { PromiseFailureCoordinator } from './coordinator.js';
import { FaultQueue } from './faults.js';
import { generateToken } from './http-helpers.js';
import { startJobApiServer } from './job-api-server.js';
import { type FakeJob, JobRegistry } from './jobs.js';
import { RequestRecorder } from './recorder.js';
import type { TestPlanSettings } from './test-engine-plan.js';
import type { AgentRetryOptions, FakeBuildkite, FakeBuildkiteOptions, JobApiMode, TestEngineOptions } from './types.js';

const JOB_API_MODES: readonly JobApiMode[] = ['current', 'without-route', 'none', 'dead-socket'];

const OPTION_NAMES = ['jobApi', 'jobId', 'enabled', 'latency', 'agentRetry', 'testEngine'] as const;
const TEST_ENGINE_NAMES = ['muted', 'status', 'runner'] as const;
const AGENT_RETRY_NAMES = ['attempts', 'delayMs', 'timeoutMs'] as const;

const DEFAULT_AGENT_RETRY: Required<AgentRetryOptions> = { attempts: 10, delayMs: 10, timeoutMs: 60_000 };

/** The default timeout of `waitForAgentRequests`, ms. */
const DEFAULT_WAIT_TIMEOUT = 10_000;

/**
 * Starts a fake Buildkite: an Agent API on `127.0.0.1` (a random port) and, per `jobApi`, the job's agent Job API
 * on a Unix socket in a fresh private temporary directory. Both record every request and accept injected faults.
 * Its `env` also names a lock directory of its own in that temporary directory, so that a fake with a fixed
 * `jobId` is never answered from an earlier run's record of the same job. Call `close()` when done.
 *
 * @example
 * const buildkite = await startFakeBuildkite();
 * const result = await promiseFailure({ exitStatus: 1, env: { ...process.env, ...buildkite.env } });
 * expect(buildkite.promisedExitStatus()).toBe(1);
 * await buildkite.close();
 */
export async function startFakeBuildkite(options: FakeBuildkiteOptions = {}): Promise<FakeBuildkite> {
  const settings = validateOptions(options);
  const closing = new AbortController();
  const recorder = new RequestRecorder();
  const jobs = new JobRegistry();
  const agentFaults = new FaultQueue();
  const jobApiFaults = new FaultQueue();
  const testEngineFaults = new FaultQueue();
  const testPlan: TestPlanSettings | undefined =
    settings.testEngine === undefined
      ? undefined
      : {
          organization: 'fake-organization',
          suite: 'fake-suite',
          identifier: `${randomUUID()}/${randomUUID()}`,
          token: generateToken(),
          muted: settings.testEngine.muted ?? [],
          status: settings.testEngine.status ?? 200,
        };
  const job = jobs.add(settings.jobId);
  // The fake agent's own connections to the Agent API, destroyed by close().
  const upstreamAgent = new Agent({ keepAlive: true });

  const servers: RunningServer[] = [];
  let privateDirectory: string | undefined;
  let closePromise: Promise<void> | undefined;

  async function close(): Promise<void> {
    closing.abort();
    recorder.rejectWaiters();
    upstreamAgent.destroy();
    await Promise.all(servers.map((server) => server.stop()));
    if (privateDirectory !== undefined) await rm(privateDirectory, { recursive: true, force: true });
  }

  try {
    // mkdtemp creates the directory 0700, like the agent's own socket directory: no other user can connect.
    // It holds the Job API socket and the job's lock directory, and goes with close().
    privateDirectory = await mkdtemp(join(tmpdir(), 'pf-testkit-'));
    const lockDirectory = join(privateDirectory, 'lock');
    const agentApi = await startAgentApiServer({
      jobs,
      recorder,
      faults: agentFaults,
      enabled: settings.enabled,
      latency: settings.latency,
      signal: closing.signal,
      ...(testPlan === undefined ? {} : { testPlan: { settings: testPlan, faults: testEngineFaults } }),
    });
    servers.push(agentApi);
    const endpoint = `http://127.0.0.1:${agentApi.port}/v3`;

    let jobApiSocket: string | undefined;
    let jobApiToken: string | undefined;
    if (settings.jobApi !== 'none') {
      jobApiToken = generateToken();
      // A dead socket is a path where nothing listens (connecting fails with ENOENT), as after the agent died.
      jobApiSocket = join(privateDirectory, settings.jobApi === 'dead-socket' ? 'dead-job-api.sock' : 'job-api.sock');
    }
    if (settings.jobApi === 'current' || settings.jobApi === 'without-route') {
      const coordinator = new PromiseFailureCoordinator((exitStatus, reason) =>
        declareUpstream({
          endpoint,
          jobId: job.id,
          accessToken: job.accessToken,
          exitStatus,
          reason,
          ...settings.agentRetry,
          httpAgent: upstreamAgent,
          signal: closing.signal,
        }),
      );
      servers.push(
        await startJobApiServer({
          mode: settings.jobApi,
          socketPath: jobApiSocket as string,
          token: jobApiToken as string,
          recorder,
          faults: jobApiFaults,
          coordinator,
          signal: closing.signal,
        }),
      );
    }

    const jobEnv = (target: FakeJob): Record<string, string> => ({
      BUILDKITE: 'true',
      CI: 'true',
      BUILDKITE_JOB_ID: target.id,
      BUILDKITE_AGENT_ACCESS_TOKEN: target.accessToken,
      BUILDKITE_AGENT_ENDPOINT: endpoint,
      BUILDKITE_PROMISE_FAILURE_LOCK_DIR: lockDirectory,
    });
    const env = jobEnv(job);
    if (testPlan !== undefined) {
      const [buildId, stepId] = testPlan.identifier.split('/') as [string, string];
      Object.assign(env, {
        BUILDKITE_TEST_ENGINE_BASE_URL: `http://127.0.0.1:${agentApi.port}`,
        BUILDKITE_TEST_ENGINE_SUITE_SLUG: testPlan.suite,
        BUILDKITE_TEST_ENGINE_API_ACCESS_TOKEN: testPlan.token,
        BUILDKITE_ORGANIZATION_SLUG: testPlan.organization,
        BUILDKITE_BUILD_ID: buildId,
        BUILDKITE_STEP_ID: stepId,
        ...(settings.testEngine?.runner === undefined ? {} : { BUILDKITE_TEST_ENGINE_TEST_RUNNER: settings.testEngine.runner }),
      });
    }
    if (jobApiSocket !== undefined && jobApiToken !== undefined) {
      env.BUILDKITE_AGENT_JOB_API_SOCKET = jobApiSocket;
      env.BUILDKITE_AGENT_JOB_API_TOKEN = jobApiToken;
    }

    return {
      env,
      jobId: job.id,
      endpoint,
      jobApiSocket,
      requests: recorder.requests,
      agentApiRequests: () => recorder.agentRequests(),
      jobApiRequests: () => recorder.jobRequests(),
      testEngineRequests: () => recorder.testEngineRequests(),
      fault: (...faults) => agentFaults.add(faults),
      faultJobApi: (...faults) => jobApiFaults.add(faults),
      faultTestEngine: (...faults) => testEngineFaults.add(faults),
      promisedExitStatus: (jobId = job.id) => jobs.find(jobId)?.promisedExitStatus,
      finishJob: (jobId = job.id) => {
        jobs.get(jobId).finished = true;
      },
      addJob: ({ jobId } = {}) => {
        const added = jobs.add(jobId);
        return { jobId: added.id, env: jobEnv(added) };
      },
      waitForAgentRequests: (count, { timeout = DEFAULT_WAIT_TIMEOUT } = {}) => {
        if (!(Number.isInteger(count) && count >= 0)) {
          return Promise.reject(new RangeError(`Expected \`count\` to be a non-negative integer, got ${String(count)}.`));
        }
        if (!(Number.isFinite(timeout) && timeout >= 0)) {
          return Promise.reject(new RangeError(`Expected \`timeout\` to be a non-negative number of ms, got ${String(timeout)}.`));
        }
        return recorder.waitForAgentRequests(count, timeout);
      },
      close: () => {
        closePromise ??= close();
        return closePromise;
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface Settings {
  jobApi: JobApiMode;
  jobId: string | undefined;
  enabled: boolean;
  latency: number;
  agentRetry: Required<AgentRetryOptions>;
  testEngine: TestEngineOptions | undefined;
}

/** Checks every option once, here, naming the culprit. */
function validateOptions(options: FakeBuildkiteOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${String(options)}.`);
  }
  // Unknown keys are refused, as the reporters refuse theirs: a typo (`latencey`) must not silently do nothing.
  refuseUnknownKeys(options, OPTION_NAMES, 'option');
  const { jobApi = 'current', jobId, enabled = true, latency = 0, agentRetry, testEngine } = options;
  if (testEngine !== undefined) validateTestEngine(testEngine);
  if (agentRetry !== undefined) {
    if (typeof agentRetry !== 'object' || agentRetry === null) {
      throw new TypeError(`Expected \`agentRetry\` to be an object, got ${String(agentRetry)}.`);
    }
    refuseUnknownKeys(agentRetry, AGENT_RETRY_NAMES, 'agentRetry option');
  }
  if (!JOB_API_MODES.includes(jobApi)) {
    throw new TypeError(
      `Expected \`jobApi\` to be one of ${JOB_API_MODES.map((mode) => `'${mode}'`).join(', ')}, got ${JSON.stringify(jobApi)}.`,
    );
  }
  if (jobId !== undefined && (typeof jobId !== 'string' || jobId === '')) {
    throw new TypeError(`Expected \`jobId\` to be a non-empty string, got ${JSON.stringify(jobId)}.`);
  }
  if (typeof enabled !== 'boolean') throw new TypeError(`Expected \`enabled\` to be a boolean, got ${typeof enabled}.`);
  if (!(Number.isFinite(latency) && latency >= 0)) {
    throw new RangeError(`Expected \`latency\` to be a non-negative number of ms, got ${String(latency)}.`);
  }
  const retry: Required<AgentRetryOptions> = {
    attempts: agentRetry?.attempts ?? DEFAULT_AGENT_RETRY.attempts,
    delayMs: agentRetry?.delayMs ?? DEFAULT_AGENT_RETRY.delayMs,
    timeoutMs: agentRetry?.timeoutMs ?? DEFAULT_AGENT_RETRY.timeoutMs,
  };
  if (!(Number.isInteger(retry.attempts) && retry.attempts >= 1)) {
    throw new RangeError(`Expected \`agentRetry.attempts\` to be a positive integer, got ${String(retry.attempts)}.`);
  }
  if (!(Number.isFinite(retry.delayMs) && retry.delayMs >= 0)) {
    throw new RangeError(`Expected \`agentRetry.delayMs\` to be a non-negative number of ms, got ${String(retry.delayMs)}.`);
  }
  if (!(Number.isFinite(retry.timeoutMs) && retry.timeoutMs > 0)) {
    throw new RangeError(`Expected \`agentRetry.timeoutMs\` to be a positive number of ms, got ${String(retry.timeoutMs)}.`);
  }
  return { jobApi, jobId, enabled, latency, agentRetry: retry, testEngine };
}

function validateTestEngine(testEngine: TestEngineOptions): void {
  if (typeof testEngine !== 'object' || testEngine === null) {
    throw new TypeError(`Expected \`testEngine\` to be an object, got ${String(testEngine)}.`);
  }
  refuseUnknownKeys(testEngine, TEST_ENGINE_NAMES, 'testEngine option');
  const { muted = [], status = 200, runner } = testEngine;
  if (!Array.isArray(muted)) throw new TypeError(`Expected \`testEngine.muted\` to be an array of { scope, name }, got ${typeof muted}.`);
  muted.forEach((test: unknown, index) => {
    const { scope, name } = (test ?? {}) as { scope?: unknown; name?: unknown };
    if (typeof scope !== 'string' || typeof name !== 'string') {
      throw new TypeError(`Expected \`testEngine.muted[${index}]\` to be { scope: string, name: string }, got ${JSON.stringify(test)}.`);
    }
  });
  if (!(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError(`Expected \`testEngine.status\` to be an HTTP status from 200 to 599, got ${String(status)}.`);
  }
  if (runner !== undefined && (typeof runner !== 'string' || runner === '')) {
    throw new TypeError(`Expected \`testEngine.runner\` to be a non-empty string, got ${JSON.stringify(runner)}.`);
  }
}

function refuseUnknownKeys(value: object, known: readonly string[], what: string): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new TypeError(
      `Unknown ${what} ${unknown.map((key) => `\`${key}\``).join(', ')}; expected ${known.map((key) => `\`${key}\``).join(', ')}.`,
    );
  }
}
