import { describe, expect, it } from 'vitest';
import { hash128 } from './hash.js';

describe('hash128', () => {
  it('is 32 hex characters, stable, and differs for near-identical ids', () => {
    expect(hash128('job-1')).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128('job-1')).toBe(hash128('job-1'));
    const seen = new Set<string>();
    for (let index = 0; index < 20_000; index++) seen.add(hash128(`018f2a3c-${index}`));
    seen.add(hash128(''));
    seen.add(hash128('\0'));
    expect(seen.size).toBe(20_002);
  });
});
