import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A secret like the agent's: 64 random hex characters. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** Reads the whole request body as UTF-8. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The body parsed as JSON, else the raw string. */
export function parseBody(raw: string): unknown {
  if (raw === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** The request's headers as a plain record, repeated headers joined with `, `. */
export function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Whether an answer can still be written (the client may have gone, or `close()` destroyed the socket). */
function canAnswer(response: ServerResponse): boolean {
  return !response.headersSent && !response.destroyed && !response.writableEnded;
}

/** Answers with a JSON body. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRaw(response, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/** Answers with a raw body (or none, for an empty string). */
export function sendRaw(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (!canAnswer(response)) return;
  response.writeHead(status, body === '' ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/**
 * Destroys the request's connection without answering. Over TCP it sends a reset (RST), as a crashed proxy
 * does; a Unix socket has no reset, so it is closed.
 */
export function resetConnection(request: IncomingMessage): void {
  const socket = request.socket;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/**
 * Tracks a server's sockets so that `close()` can destroy them: `server.close()` alone waits for every open
 * connection, and a hanging request would keep it waiting forever.
 */
export function trackConnections(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Stops a server and destroys its open connections (hanging ones included). */
export async function stopServer(server: Server, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => resolve());
  });
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  // The callback runs even for a server that is not listening (with an error we have no use for).
  await closed;
}

/** The job id as a path segment, escaped as Buildkite clients do: URL path escaping, and `.` as `%2E` (Rails). */
export function escapeJobId(jobId: string): string {
  return encodeURIComponent(jobId).replace(/\./g, '%2E');
}
