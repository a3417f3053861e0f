/** One HTTP request of a declaration, as the transports make it (node-http.ts, proxy-http.ts). */
export interface HttpRequest {
  /** `http://host:port` or `https://host:port`; over a Unix socket, only what the `Host` header says. */
  origin: string;
  /** A Unix socket to connect to instead of the origin's host (the agent's Job API). */
  socketPath?: string;
  /**
   * Sent exactly as it is, never normalised: a job id of `.` or `..`, escaped `%2E`, must stay a job id
   * and not become a dot segment.
   */
  path: string;
  method: 'PUT' | 'POST';
  headers: Record<string, string>;
  body: string;
  /** Ends the request, and the reading of its body: the call then rejects with the signal's reason. */
  signal: AbortSignal;
  /** How many bytes of the body to read for a status (at most {@link maximumBodyBytes}); 0 reads none. */
  maxBodyBytes(status: number): number;
}

/** An answer: its status and headers, and the first bytes of its body (the rest is never read). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyStart: string;
}

/**
 * Sends requests, one connection each (no keep-alive: a declaration makes one request, retries
 * aside), on sockets that never hold the process open: a declaration may outlive every caller that
 * waited for it (a reporter gives up after its `flushTimeout`, and the runner must then exit at once),
 * so the callers' own wait timers are what keep the process alive, exactly as long as someone waits.
 *
 * `send` rejects with the client's own error (its `code`: `ECONNREFUSED`, `CERT_HAS_EXPIRED`, …), with
 * the signal's reason once it aborts, or with an {@link InvalidRequestError}.
 */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpAnswer>;
  /** Lets go of whatever the client holds (the proxy's connections); never rejects. */
  close(): void;
}

/**
 * A request the client refuses to send (a header or path it rejects): it would fail the same way on
 * every attempt, so it is not retried. The client's own error is the `cause`; its `code` is kept.
 */
export class InvalidRequestError extends Error {
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'InvalidRequestError';
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}
