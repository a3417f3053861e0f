import { describe, expect, it } from 'vitest';
import { baseDelay, maximumDelay, parseRetryAfter, retryDelay } from './backoff.js';

describe('retryDelay', () => {
  it('grows exponentially from about 250 ms, each wait capped at 5 s, with full jitter', () => {
    expect(retryDelay(1, () => 0.999_999)).toBe(baseDelay);
    expect(retryDelay(2, () => 0.999_999)).toBe(baseDelay * 2);
    expect(retryDelay(3, () => 0.999_999)).toBe(baseDelay * 4);
    expect(retryDelay(9, () => 0.999_999)).toBe(maximumDelay);
    expect(retryDelay(5, () => 0)).toBe(0);
    expect(retryDelay(4, () => 0.5)).toBe(1_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('Sun, 29 Nov 2026 03:00:00 GMT');
    expect(parseRetryAfter('Sun, 29 Nov 2026 03:00:07 GMT', now)).toBe(7_000);
    expect(parseRetryAfter('Sun, 29 Nov 2026 02:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(['2', '9'])).toBe(2_000);
  });
});
