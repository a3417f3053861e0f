import type { IncomingMessage } from 'node:http';
import { flattenHeaders } from './http-helpers.js';
import type { RecordedRequest } from './types.js';

const AGENT_PROMISE_FAILURE_PATH = /^\/v3\/jobs\/[^/]+\/promise_failure$/;

/** Whether a recorded request is an Agent API `PUT …/promise_failure`. */
export function isAgentPromiseFailure(request: RecordedRequest): boolean {
  return request.api === 'agent' && request.method === 'PUT' && AGENT_PROMISE_FAILURE_PATH.test(pathOnly(request.path));
}

/** The path without its query string. */
export function pathOnly(path: string): string {
  const queryStart = path.indexOf('?');
  return queryStart === -1 ? path : path.slice(0, queryStart);
}

interface AgentRequestWaiter {
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Records every request both servers receive, and wakes whoever waits for Agent API requests. */
export class RequestRecorder {
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Agent API promise_failure requests whose bodies have been read: what `waitForAgentRequests` counts. */
  private readonly readAgentRequests: RecordedRequest[] = [];
  private readonly waiters = new Set<AgentRequestWaiter>();

  /** Records a request on arrival, before its body is read (so that the order is the arrival order). */
  recordArrival(api: RecordedRequest['api'], request: IncomingMessage, jobId?: string): RecordedRequest {
    const record: RecordedRequest = {
      api,
      method: request.method ?? '',
      path: request.url ?? '',
      ...(jobId === undefined ? {} : { jobId }),
      headers: flattenHeaders(request),
      body: undefined,
      at: Date.now(),
    };
    this.requests.push(record);
    return record;
  }

  /** Stores the request's body, and wakes waiters once an Agent API promise_failure request is complete. */
  recordBody(record: RecordedRequest, body: unknown): void {
    record.body = body;
    if (!isAgentPromiseFailure(record)) return;
    this.readAgentRequests.push(record);
    for (const waiter of this.waiters) {
      if (this.readAgentRequests.length >= waiter.count) this.settle(waiter, () => waiter.resolve(this.agentRequests()));
    }
  }

  /** Agent API promise_failure requests, in arrival order. */
  agentRequests(): RecordedRequest[] {
    return this.requests.filter(isAgentPromiseFailure);
  }

  /** Test Engine requests, in arrival order. */
  testEngineRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.api === 'test-engine');
  }

  /** Job API requests, in arrival order. */
  jobRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.api === 'job');
  }

  /** Resolves once `count` Agent API promise_failure requests have arrived; rejects after `timeout` ms. */
  waitForAgentRequests(count: number, timeout: number): Promise<RecordedRequest[]> {
    if (this.readAgentRequests.length >= count) return Promise.resolve(this.agentRequests());
    return new Promise((resolve, reject) => {
      const waiter: AgentRequestWaiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.settle(waiter, () =>
            reject(
              new Error(
                `Expected ${count} Agent API promise_failure request(s) within ${timeout} ms, got ${this.readAgentRequests.length}.`,
              ),
            ),
          );
        }, timeout),
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects every pending waiter: the fake is closing, so no request will arrive any more. */
  rejectWaiters(): void {
    for (const waiter of this.waiters) {
      this.settle(waiter, () =>
        waiter.reject(
          new Error(
            `The fake Buildkite was closed while waiting for ${waiter.count} Agent API promise_failure request(s); got ${this.readAgentRequests.length}.`,
          ),
        ),
      );
    }
  }

  private settle(waiter: AgentRequestWaiter, settle: () => void): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    settle();
  }
}
