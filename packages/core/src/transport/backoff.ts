import { now as clockNow } from '../clock.js';

/** The first wait between attempts, before jitter. */
export const baseDelay = 250;
/** No single wait is longer than this, before jitter. */
export const maximumDelay = 5_000;
/** Attempts against the Agent API, the first included (as the agent does). */
export const maximumAttempts = 10;

/**
 * "Full jitter": a uniformly random wait up to an exponentially growing cap. Many processes that failed
 * together spread out instead of retrying in lockstep.
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const cap = Math.min(maximumDelay, baseDelay * 2 ** (attempt - 1));
  return Math.round(random() * cap);
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = clockNow()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
