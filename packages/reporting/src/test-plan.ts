import type { IncomingMessage } from 'node:http';
import { testEngineKey } from './failure-subject.js';
import type { TestEngineRun } from './test-engine.js';

/**
 * The tests bktec's plan mutes, as bktec keys them (`mutedTestIdentifier`: scope, `/`, name), or why they could
 * not be read. Under bktec, a failure of one of these tests does not fail the job.
 */
export type MutedTests =
  | { readonly ok: true; readonly identifiers: ReadonlySet<string> }
  | { readonly ok: false; readonly problem: string };

/** A plan lists every test of a large suite; anything bigger than this is not one. */
const maximumPlanBytes = 64 * 1_024 * 1_024;

/** setTimeout's (and `AbortSignal.timeout`'s) largest delay. */
const maximumDelay = 2_147_483_647;

/*
 * Read once per process, however many runs (one per test file in a runner's worker) and however many copies of
 * this module (a runner that re-evaluates modules per file) ask: the promise lives on the process's global object.
 */
const cacheKey = Symbol.for('@promise-failure/reporting.test-plan');

type PlanCache = Map<string, Promise<MutedTests>>;

/**
 * The muted tests of the plan bktec runs, read at most once per process and `timeout` ms at most. Never rejects.
 * A plan bktec itself would not use (an "error plan" with no tasks: bktec falls back to a plan of its own, which
 * mutes nothing) mutes nothing here either.
 */
export function readMutedTests(plan: Extract<TestEngineRun['plan'], { url: string }>, timeout: number): Promise<MutedTests> {
  const global = globalThis as typeof globalThis & { [cacheKey]?: PlanCache };
  const cache = global[cacheKey] ?? new Map();
  global[cacheKey] = cache;
  let read = cache.get(plan.url);
  if (read === undefined) {
    read = fetchPlan(plan.url, plan.token, timeout).then(parsePlan, (error: unknown) => ({
      ok: false as const,
      problem: `GET ${plan.url}: ${describeError(error)}`,
    }));
    cache.set(plan.url, read);
  }
  return read;
}

/**
 * One GET with Node's own HTTP client (nothing to load, a native parser). The timer is `AbortSignal.timeout`'s,
 * which no test's fake clock replaces, and the socket is unref'd: only a caller's own wait keeps the process alive.
 */
async function fetchPlan(url: string, token: string, timeout: number): Promise<string> {
  const { request } = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  const signal = AbortSignal.timeout(Math.min(Math.max(1, Math.floor(timeout)), maximumDelay));
  return new Promise<string>((resolve, reject) => {
    const outgoing = request(
      url,
      { method: 'GET', headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal },
      (response) => readAnswer(response).then(resolve, reject),
    );
    outgoing.on('socket', (socket) => socket.unref());
    outgoing.on('error', (error) => reject(signal.aborted ? new Error(`no answer within ${timeout} ms`) : error));
    outgoing.end();
  });
}

async function readAnswer(response: IncomingMessage): Promise<string> {
  const status = response.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    response.destroy();
    throw new Error(`${status} ${response.statusMessage ?? ''}`.trim());
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > maximumPlanBytes) {
      response.destroy();
      throw new Error(`the plan is larger than ${maximumPlanBytes} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The plan's `muted_tests`, decoded as bktec's `plan.TestPlan` decodes them (a missing scope or name is `""`). */
function parsePlan(text: string): MutedTests {
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'the test plan is not JSON' };
  }
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) return { ok: false, problem: 'the test plan is not a JSON object' };
  const { tasks, muted_tests: muted } = plan as { tasks?: unknown; muted_tests?: unknown };
  if (tasks === undefined || tasks === null || (typeof tasks === 'object' && Object.keys(tasks).length === 0)) {
    return { ok: true, identifiers: new Set() };
  }
  if (muted === undefined || muted === null) return { ok: true, identifiers: new Set() };
  if (!Array.isArray(muted)) return { ok: false, problem: 'the test plan\'s "muted_tests" is not a list' };
  const identifiers = new Set<string>();
  for (const entry of muted) {
    if (typeof entry !== 'object' || entry === null)
      return { ok: false, problem: 'the test plan\'s "muted_tests" holds a value that is not a test' };
    const { scope = '', name = '' } = entry as { scope?: unknown; name?: unknown };
    if (typeof scope !== 'string' || typeof name !== 'string') {
      return { ok: false, problem: 'the test plan\'s "muted_tests" holds a test whose scope or name is not a string' };
    }
    identifiers.add(testEngineKey({ scope, name }));
  }
  return { ok: true, identifiers };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}
