import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendRaw } from './http-helpers.js';
import type { Fault, RecordedRequest } from './types.js';

/** Writes an answer and records its status. */
export type Reply = (status: number, body: string, headers?: Record<string, string>) => void;

/** The {@link Reply} for one request: answers once (never after a reset or a client gone), and records the status. */
export function recordingReply(response: ServerResponse, record: RecordedRequest): Reply {
  return (status, body, headers = {}) => {
    if (response.headersSent || response.destroyed) return;
    record.status = status;
    sendRaw(response, status, body, headers);
  };
}

/** Checks faults where they are queued, so that a mistake names its culprit in the test that made it. */
export function validateFault(fault: Fault, index: number): void {
  const name = `faults[${index}]`;
  if (typeof fault !== 'object' || fault === null) {
    throw new TypeError(`Expected \`${name}\` to be a fault object, got ${String(fault)}.`);
  }
  const kinds = (['status', 'reset', 'delay', 'hang'] as const).filter((kind) => kind in fault);
  if (kinds.length !== 1) {
    throw new TypeError(
      `Expected \`${name}\` to have exactly one of \`status\`, \`reset\`, \`delay\` or \`hang\`, got ${kinds.length === 0 ? 'none' : kinds.join(', ')}.`,
    );
  }
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
    throw new RangeError(`Expected \`${name}.times\` to be a positive integer, got ${String(fault.times)}.`);
  }
  if ('status' in fault) {
    if (!(Number.isInteger(fault.status) && fault.status >= 200 && fault.status <= 599)) {
      throw new RangeError(`Expected \`${name}.status\` to be an integer from 200 to 599, got ${String(fault.status)}.`);
    }
    if (fault.body !== undefined && typeof fault.body !== 'string') {
      throw new TypeError(`Expected \`${name}.body\` to be 'json', 'html' or a string, got ${typeof fault.body}.`);
    }
  } else if ('delay' in fault) {
    if (!(Number.isFinite(fault.delay) && fault.delay >= 0)) {
      throw new RangeError(`Expected \`${name}.delay\` to be a non-negative number of ms, got ${String(fault.delay)}.`);
    }
  } else if ('reset' in fault && fault.reset !== true) {
    throw new TypeError(`Expected \`${name}.reset\` to be true, got ${String(fault.reset)}.`);
  } else if ('hang' in fault && fault.hang !== true) {
    throw new TypeError(`Expected \`${name}.hang\` to be true, got ${String(fault.hang)}.`);
  }
}

/** Faults waiting for the next requests of one route, in order, each for its number of `times`. */
export class FaultQueue {
  private readonly queue: Array<{ fault: Fault; remaining: number }> = [];

  /** Queues faults after those already queued. */
  add(faults: Fault[]): void {
    faults.forEach(validateFault);
    for (const fault of faults) this.queue.push({ fault, remaining: fault.times ?? 1 });
  }

  /** The fault for the request at hand, if any, consuming one of its `times`. */
  take(): Fault | undefined {
    const head = this.queue[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining === 0) this.queue.shift();
    return head.fault;
  }
}

/** A proxy's error page: what a load balancer in front of Buildkite answers when the API is unreachable. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * Applies a fault to a request. Returns `true` when the fault handled the request (answered, reset or left it
 * hanging), `false` when the request should now be answered normally (after a `delay`).
 *
 * @param errorBody The API's JSON error object for a message: `{"message"}` for the Agent API, `{"error"}` for
 *   the Job API.
 * @param signal Aborted by `close()`: a delay then rejects, and the caller destroys the connection.
 */
export async function applyFault(
  fault: Fault,
  reply: Reply,
  reset: () => void,
  errorBody: (message: string) => unknown,
  signal: AbortSignal,
): Promise<boolean> {
  if ('delay' in fault) {
    await sleep(fault.delay, undefined, { signal });
    return false;
  }
  if ('reset' in fault) {
    reset();
    return true;
  }
  if ('hang' in fault) {
    // Leave the request unanswered; close() destroys its socket.
    return true;
  }
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  const body = fault.body ?? 'json';
  if (body === 'json') {
    const message = `${fault.status} ${STATUS_CODES[fault.status] ?? 'Error'} (a fault injected by @promise-failure/testkit)`;
    reply(fault.status, fault.status === 204 ? '' : JSON.stringify(errorBody(message)), {
      ...headers,
      'content-type': 'application/json',
    });
  } else if (body === 'html') {
    reply(fault.status, proxyErrorPage(fault.status), { ...headers, 'content-type': 'text/html' });
  } else {
    reply(fault.status, body, { ...headers, 'content-type': looksLikeJson(body) ? 'application/json' : 'text/plain; charset=utf-8' });
  }
  return true;
}

/** Whether a raw fault body is JSON (so that a faked JSON answer is labelled as one). */
function looksLikeJson(body: string): boolean {
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
