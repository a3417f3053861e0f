import type { Readable } from 'node:stream';

/** Enough for any answer Buildkite or the agent gives (a JSON object of a few fields); the rest is noise. */
export const maximumBodyBytes = 16 * 1_024;

/**
 * The first `limit` bytes (at most {@link maximumBodyBytes}) of a response body, as text; the rest is
 * never read: the body is destroyed, which closes the connection. A proxy's 200 MB error page, or a
 * body that never ends, then costs 16 KB and no time, where reading it whole took hundreds of MB and
 * seconds (or forever).
 */
export async function readBodyStart(body: Readable, limit = maximumBodyBytes): Promise<string> {
  const bound = Math.min(limit, maximumBodyBytes);
  // Destroying a body before its end makes the client emit an error on it (undici's
  // `RequestAbortedError`, Node's `aborted`): expected, not a crash.
  body.on('error', () => {});
  if (bound <= 0) {
    body.destroy();
    return '';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      size += buffer.length;
      if (size >= bound) break;
    }
  } catch {
    // A body cut short is read as far as it went.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bound).toString('utf8');
}
